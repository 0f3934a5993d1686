// An asset's partition statuses as the deployment records them (assetPartitionStatuses: ranges for time
// partitions, key lists otherwise), so "missing" can mean missing in production.
import { DagsterGraphqlClient } from './dagsterGraphqlClient';
import { assetPartitionStatusesQuery } from './remoteBackfillQueries';
import type { ServerCapabilities } from './serverCapabilities';

/** Dagster's PartitionRangeStatus; MATERIALIZING exists on newer servers only. */
export type PartitionRangeStatus = 'MATERIALIZED' | 'FAILED' | 'MATERIALIZING';

export interface PartitionKeyRangeStatus {
  startKey: string;
  endKey: string;
  status: PartitionRangeStatus;
}

/** One dimension's statuses: time partitions as ranges (gaps are unmaterialized), others as key lists. */
export type PartitionStatuses1D =
  | { kind: 'time'; ranges: PartitionKeyRangeStatus[] }
  | { kind: 'keys'; materialized: string[]; failed: string[]; unmaterialized: string[]; materializing: string[] };

export interface DeploymentAssetPartitionStatuses {
  assetKey: string[];
  /** Every partition key per dimension, as the deployment's definition has them. */
  partitionKeysByDimension: { name: string; partitionKeys: string[] }[];
  stats?: { numPartitions: number; numMaterialized: number; numFailed: number; numMaterializing?: number };
  statuses: PartitionStatuses1D
    | { kind: 'multi'; primaryDimensionName: string; ranges: { primaryDimStartKey: string; primaryDimEndKey: string; secondaryDim: PartitionStatuses1D }[] };
}

type Raw = Record<string, unknown>;

function oneDimension(raw: Raw, caps: ServerCapabilities): PartitionStatuses1D {
  if (raw.__typename === caps.partitionStatusTypes.time) return { kind: 'time', ranges: raw.ranges as PartitionKeyRangeStatus[] };
  return {
    kind: 'keys',
    materialized: (raw.materializedPartitions as string[]) ?? [],
    failed: (raw.failedPartitions as string[]) ?? [],
    unmaterialized: (raw.unmaterializedPartitions as string[]) ?? [],
    materializing: (raw.materializingPartitions as string[] | undefined) ?? [],
  };
}

export async function assetPartitionStatuses(client: DagsterGraphqlClient, caps: ServerCapabilities, assetKey: string[]): Promise<DeploymentAssetPartitionStatuses> {
  const { data } = await client.request(assetPartitionStatusesQuery(caps), { assetKey: { path: assetKey } }, 'BackfillStudioAssetPartitionStatuses');
  const node = data.assetNodeOrError as Raw & { __typename?: string; message?: string };
  if (node?.__typename === 'AssetNotFoundError') {
    throw client.error('not-found', `asset "${assetKey.join('/')}" is not defined on the deployment (Dagster: ${node.message ?? ''}). Deploy the code that defines it, or show statuses from this machine.`);
  }
  if (node?.__typename !== 'AssetNode') throw client.error('not-graphql', `no asset node in the answer for "${assetKey.join('/')}".`);
  const statuses = node.assetPartitionStatuses as Raw;
  const stats = node.partitionStats as DeploymentAssetPartitionStatuses['stats'] | null;
  return {
    assetKey: (node.assetKey as { path: string[] }).path,
    partitionKeysByDimension: node.partitionKeysByDimension as DeploymentAssetPartitionStatuses['partitionKeysByDimension'],
    ...(stats ? { stats } : {}),
    statuses: statuses.__typename === caps.partitionStatusTypes.multi
      ? {
        kind: 'multi',
        primaryDimensionName: String(statuses.primaryDimensionName),
        ranges: (statuses.ranges as Raw[]).map((r) => ({ primaryDimStartKey: String(r.primaryDimStartKey), primaryDimEndKey: String(r.primaryDimEndKey), secondaryDim: oneDimension(r.secondaryDim as Raw, caps) })),
      }
      : oneDimension(statuses, caps),
  };
}

/**
 * Keys the asset's partitions on the deployment do not have. A multi-partitions key ("2026-11-01|us") is checked
 * per dimension, its parts in the order of `partitionKeysByDimension`. An unpartitioned asset has none to check.
 */
export function unknownPartitionKeys(statuses: DeploymentAssetPartitionStatuses, keys: readonly string[]): string[] {
  const dimensions = statuses.partitionKeysByDimension.map((d) => new Set(d.partitionKeys));
  if (dimensions.length === 0) return [];
  if (dimensions.length === 1) return keys.filter((k) => !dimensions[0].has(k));
  return keys.filter((k) => {
    const parts = k.split('|');
    return parts.length !== dimensions.length || parts.some((p, i) => !dimensions[i].has(p));
  });
}
