// A backfill as a Dagster deployment reports it (PartitionBackfill), in Dagster's vocabulary, read from the
// GraphQL answer whichever server version gave it.

/** Dagster's BulkActionStatus; FAILING, COMPLETED_SUCCESS and COMPLETED_FAILED exist on newer servers only. */
export type BulkActionStatus =
  | 'REQUESTED' | 'COMPLETED' | 'FAILED' | 'CANCELED' | 'CANCELING' | 'COMPLETED_SUCCESS' | 'COMPLETED_FAILED' | 'FAILING';

/** Dagster's RunStatus. */
export type DagsterRunStatus =
  | 'QUEUED' | 'NOT_STARTED' | 'MANAGED' | 'STARTING' | 'STARTED' | 'SUCCESS' | 'FAILURE' | 'CANCELING' | 'CANCELED';

export const FINISHED_RUN_STATUSES: ReadonlySet<DagsterRunStatus> = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);
const SETTLED_BACKFILL_STATUSES: ReadonlySet<BulkActionStatus> = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'COMPLETED_SUCCESS', 'COMPLETED_FAILED']);

export interface RemoteRun {
  runId: string;
  status: DagsterRunStatus;
  jobName: string;
  /** The `dagster/partition` tag, when the run is for one partition. */
  partitionKey?: string;
  startTime?: number;
  endTime?: number;
}

export interface RemotePartitionSet {
  name: string;
  jobName: string;
  repositoryName: string;
  locationName: string;
}

/** Per-asset counts of an asset backfill (AssetBackfillData, newer servers). */
export type AssetBackfillStatus =
  | { kind: 'partitioned'; assetKey: string[]; targeted: number; inProgress: number; materialized: number; failed: number }
  | { kind: 'unpartitioned'; assetKey: string[]; inProgress: boolean; materialized: boolean; failed: boolean };

export interface RemoteBackfill {
  backfillId: string;
  status: BulkActionStatus;
  kind: 'asset' | 'job';
  /** Seconds since the epoch, as Dagster gives it. */
  timestamp: number;
  endTimestamp?: number;
  partitionNames: string[] | null;
  numPartitions: number | null;
  numCancelable: number;
  fromFailure: boolean;
  assetSelection: string[][];
  partitionSet?: RemotePartitionSet;
  partitionSetName?: string;
  title?: string;
  description?: string;
  tags: Record<string, string>;
  error?: { message: string; className?: string };
  /** Runs per status over the partitions (job backfills; on servers after 1.2 only from getBackfill, not lists). */
  partitionStatusCounts: { runStatus: DagsterRunStatus; count: number }[];
  assetStatuses?: AssetBackfillStatus[];
  /** Only from `getBackfill` (not lists). */
  runs?: RemoteRun[];
  partitionStatuses?: { partitionName: string; runId?: string; runStatus?: DagsterRunStatus }[];
  hasCancelPermission: boolean;
  hasResumePermission: boolean;
}

/**
 * Whether nothing more will happen without a new request. A 1.2 job backfill is COMPLETED once its runs are
 * submitted, while they may still run, so the runs are looked at too when known.
 */
export function isBackfillSettled(backfill: RemoteBackfill): boolean {
  if (!SETTLED_BACKFILL_STATUSES.has(backfill.status)) return false;
  return (backfill.runs ?? []).every((r) => FINISHED_RUN_STATUSES.has(r.status));
}

/** Partitions Dagster finished without launching a run for (e.g. names the partition set does not have). */
export function partitionsWithoutRun(backfill: RemoteBackfill): string[] {
  if (!isBackfillSettled(backfill) || backfill.status === 'CANCELED') return [];
  return (backfill.partitionStatuses ?? []).filter((p) => !p.runId).map((p) => p.partitionName);
}

type Raw = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const keyPath = (v: unknown): string[] => ((v as { path?: string[] } | null)?.path ?? []);
const tagMap = (v: unknown): Record<string, string> =>
  Object.fromEntries(((v as { key: string; value: string }[] | null) ?? []).map((t) => [t.key, t.value]));

export function remoteBackfillFromGraphql(raw: Raw, idField: 'id' | 'backfillId'): RemoteBackfill {
  const set = raw.partitionSet as { name: string; pipelineName: string; repositoryOrigin: { repositoryName: string; repositoryLocationName: string } } | null;
  const assetSelection = ((raw.assetSelection as unknown[] | null) ?? []).map(keyPath);
  const error = raw.error as { message: string; className?: string | null } | null;
  const backfill: RemoteBackfill = {
    backfillId: String(raw[idField]),
    status: raw.status as BulkActionStatus,
    kind: raw.isAssetBackfill === true || (raw.isAssetBackfill === undefined && assetSelection.length > 0 && !raw.partitionSetName) ? 'asset' : 'job',
    timestamp: num(raw.timestamp) ?? 0,
    partitionNames: (raw.partitionNames as string[] | null) ?? null,
    numPartitions: num(raw.numPartitions) ?? null,
    numCancelable: num(raw.numCancelable) ?? 0,
    fromFailure: raw.fromFailure === true,
    assetSelection,
    tags: tagMap(raw.tags),
    partitionStatusCounts: (raw.partitionStatusCounts as RemoteBackfill['partitionStatusCounts'] | null) ?? [],
    hasCancelPermission: raw.hasCancelPermission === true,
    hasResumePermission: raw.hasResumePermission === true,
  };
  if (num(raw.endTimestamp) !== undefined) backfill.endTimestamp = num(raw.endTimestamp);
  if (set) backfill.partitionSet = { name: set.name, jobName: set.pipelineName, repositoryName: set.repositoryOrigin.repositoryName, locationName: set.repositoryOrigin.repositoryLocationName };
  if (str(raw.partitionSetName)) backfill.partitionSetName = str(raw.partitionSetName);
  if (str(raw.title)) backfill.title = str(raw.title);
  if (str(raw.description)) backfill.description = str(raw.description);
  if (error) backfill.error = { message: error.message.trim(), ...(error.className ? { className: error.className } : {}) };
  const assetData = raw.assetBackfillData as { assetBackfillStatuses: Raw[] } | null | undefined;
  if (assetData) {
    backfill.assetStatuses = assetData.assetBackfillStatuses.map((s): AssetBackfillStatus => (s.__typename === 'UnpartitionedAssetStatus'
      ? { kind: 'unpartitioned', assetKey: keyPath(s.assetKey), inProgress: s.inProgress === true, materialized: s.materialized === true, failed: s.failed === true }
      : { kind: 'partitioned', assetKey: keyPath(s.assetKey), targeted: num(s.numPartitionsTargeted) ?? 0, inProgress: num(s.numPartitionsInProgress) ?? 0, materialized: num(s.numPartitionsMaterialized) ?? 0, failed: num(s.numPartitionsFailed) ?? 0 }));
  }
  if (Array.isArray(raw.runs)) {
    backfill.runs = (raw.runs as Raw[]).map((r) => {
      const tags = tagMap(r.tags);
      const run: RemoteRun = { runId: String(r.runId), status: r.status as DagsterRunStatus, jobName: String(r.jobName) };
      if (tags['dagster/partition'] !== undefined) run.partitionKey = tags['dagster/partition'];
      if (num(r.startTime) !== undefined) run.startTime = num(r.startTime);
      if (num(r.endTime) !== undefined) run.endTime = num(r.endTime);
      return run;
    });
  }
  const statuses = raw.partitionStatuses as { results: Raw[] } | null | undefined;
  if (statuses) {
    backfill.partitionStatuses = statuses.results.map((p) => ({
      partitionName: String(p.partitionName),
      ...(str(p.runId) ? { runId: str(p.runId) } : {}),
      ...(str(p.runStatus) ? { runStatus: p.runStatus as DagsterRunStatus } : {}),
    }));
  }
  return backfill;
}
