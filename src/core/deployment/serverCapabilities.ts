// What a Dagster webserver's GraphQL schema offers for backfills, read by introspection once per deployment, so
// every document the client sends names only fields, arguments and enum values that server has (1.2 era to now).
import { DagsterGraphqlClient } from './dagsterGraphqlClient';

export interface ServerCapabilities {
  /** The server's `version` (a git checkout says e.g. "1!0+dev"). */
  version: string;
  /** `backfillId` until Dagster 1.3, then `id`. */
  backfillIdField: 'id' | 'backfillId';
  /** Fields of `PartitionBackfill`. */
  backfillFields: ReadonlySet<string>;
  /** Input fields of `LaunchBackfillParams`. */
  launchParams: ReadonlySet<string>;
  /** Values of `BulkActionStatus` (FAILING, COMPLETED_SUCCESS, COMPLETED_FAILED on newer servers). */
  bulkActionStatuses: readonly string[];
  mutations: ReadonlySet<string>;
  /** `partitionBackfillOrError` can answer BackfillNotFoundError (newer) instead of a PythonError (1.2). */
  backfillNotFoundError: boolean;
  reexecutePartitionBackfill: boolean;
  partitionsByAssets: boolean;
  titleAndDescription: boolean;
  assetBackfillData: boolean;
  /** Member type names of `AssetPartitionStatuses`: TimePartitions… on 1.2, TimePartitionStatuses… later. */
  partitionStatusTypes: { time: string; default: string; multi: string };
  /** `DefaultPartition*` has materializingPartitions, `PartitionStats` numMaterializing. */
  materializing: boolean;
}

export const SERVER_CAPABILITIES_QUERY = `
query BackfillStudioServerCapabilities {
  version
  __schema { mutationType { fields { name } } }
  partitionBackfill: __type(name: "PartitionBackfill") { fields { name } }
  launchBackfillParams: __type(name: "LaunchBackfillParams") { inputFields { name } }
  bulkActionStatus: __type(name: "BulkActionStatus") { enumValues { name } }
  partitionBackfillOrError: __type(name: "PartitionBackfillOrError") { possibleTypes { name } }
  assetPartitionStatuses: __type(name: "AssetPartitionStatuses") { possibleTypes { name } }
  partitionStats: __type(name: "PartitionStats") { fields { name } }
}`;

type Named = { name: string }[] | null | undefined;
const names = (list: Named): string[] => (list ?? []).map((n) => n.name);

export async function detectServerCapabilities(client: DagsterGraphqlClient): Promise<ServerCapabilities> {
  const { data } = await client.request(SERVER_CAPABILITIES_QUERY, {}, 'BackfillStudioServerCapabilities');
  const d = data as {
    version?: string;
    __schema?: { mutationType?: { fields?: Named } | null };
    partitionBackfill?: { fields?: Named } | null;
    launchBackfillParams?: { inputFields?: Named } | null;
    bulkActionStatus?: { enumValues?: Named } | null;
    partitionBackfillOrError?: { possibleTypes?: Named } | null;
    assetPartitionStatuses?: { possibleTypes?: Named } | null;
    partitionStats?: { fields?: Named } | null;
  };
  const backfillFields = new Set(names(d.partitionBackfill?.fields));
  const launchParams = new Set(names(d.launchBackfillParams?.inputFields));
  const mutations = new Set(names(d.__schema?.mutationType?.fields));
  if (!mutations.has('launchPartitionBackfill') || backfillFields.size === 0) {
    throw client.error('unsupported', `the server (version ${d.version ?? 'unknown'}) has no partition backfills in its GraphQL API (launchPartitionBackfill, PartitionBackfill). Use Dagster 1.2 or later.`);
  }
  const statusTypes = names(d.assetPartitionStatuses?.possibleTypes);
  const pick = (modern: string, old: string): string => (statusTypes.includes(modern) ? modern : old);
  return {
    version: d.version ?? 'unknown',
    backfillIdField: backfillFields.has('id') ? 'id' : 'backfillId',
    backfillFields,
    launchParams,
    bulkActionStatuses: names(d.bulkActionStatus?.enumValues),
    mutations,
    backfillNotFoundError: names(d.partitionBackfillOrError?.possibleTypes).includes('BackfillNotFoundError'),
    reexecutePartitionBackfill: mutations.has('reexecutePartitionBackfill'),
    partitionsByAssets: launchParams.has('partitionsByAssets'),
    titleAndDescription: launchParams.has('title') && launchParams.has('description'),
    assetBackfillData: backfillFields.has('assetBackfillData'),
    partitionStatusTypes: {
      time: pick('TimePartitionStatuses', 'TimePartitions'),
      default: pick('DefaultPartitionStatuses', 'DefaultPartitions'),
      multi: pick('MultiPartitionStatuses', 'MultiPartitions'),
    },
    materializing: names(d.partitionStats?.fields).includes('numMaterializing'),
  };
}
