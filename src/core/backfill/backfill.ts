// Backfill, run and partition status records, with Dagster's status names.

/** Dagster's BulkActionStatus names (the ones a local backfill can reach). */
export type BackfillStatus =
  | 'REQUESTED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILED'
  | 'COMPLETED_SUCCESS'
  | 'COMPLETED_FAILED';

/** Dagster's DagsterRunStatus names. */
export type RunStatus = 'QUEUED' | 'STARTING' | 'STARTED' | 'SUCCESS' | 'FAILURE' | 'CANCELING' | 'CANCELED';

/**
 * Asset partition status as Dagster's UI shows it, plus CANCELED: the run that last tried the partition was
 * canceled (by the user, a failure limit or a cancel before launch), so it is not FAILED. Dagster has no such
 * status; in its vocabulary a canceled partition is missing, so "missing" and "failed and missing" selections
 * include it (targetSubsets.ts).
 */
export type PartitionStatus = 'MATERIALIZED' | 'FAILED' | 'CANCELED' | 'IN_PROGRESS' | 'MISSING';

export const TERMINAL_BACKFILL_STATUSES: ReadonlySet<BackfillStatus> = new Set([
  'CANCELED',
  'FAILED',
  'COMPLETED_SUCCESS',
  'COMPLETED_FAILED',
]);
export const TERMINAL_RUN_STATUSES: ReadonlySet<RunStatus> = new Set(['SUCCESS', 'FAILURE', 'CANCELED']);

export interface BackfillRecord {
  /** Eight lowercase letters, as Dagster's backfill ids. */
  id: string;
  status: BackfillStatus;
  /** Target names (asset key "a/b", job name or command target name). */
  targets: string[];
  /** Number of partitions selected per target (all targets share the selection in the skeleton). */
  partitionCount: number;
  /** Who launched it: "cli" or "extension". */
  origin: string;
  /** Epoch milliseconds. */
  createdAt: number;
  endedAt: number | null;
  /** Free-form description of the selection, e.g. "2024-01-01...2024-01-31". */
  selection: string;
  /** The backfill this one re-executes (Dagster's dagster/parent_backfill_id tag), if any. */
  parentId?: string;
  /** Tags given at launch (`--tags`), added to every run's tags; absent when none. */
  tags?: Record<string, string>;
  /** The process running it while it is active (null or absent otherwise): how another process tells a live backfill from an orphaned one. */
  owner?: BackfillOwner | null;
  /**
   * Epoch milliseconds since when the backfill is paused (absent when it is not). Dagster has no pause: a
   * paused backfill is still REQUESTED (in progress, not terminal), so pause is a field beside the status,
   * not a status: cancel, adoption and Dagster's status vocabulary work unchanged. Nothing new starts
   * while it is set, in whichever process runs the backfill, until resume clears it.
   */
  pausedAt?: number | null;
  /**
   * The one error that stopped the backfill before it launched any run (for Dagster: the code location did not
   * load), as Dagster's PartitionBackfill.error; absent otherwise. Failures of runs stay with their runs.
   */
  error?: string | null;
  /**
   * Set when the backfill runs on a Dagster deployment, not on this machine: the deployment and the server's own
   * backfill id. Such a record has no local runs; nothing here launches, adopts or cancels it locally.
   */
  remote?: RemoteBackfillOrigin;
}

/** Where a remote backfill runs, and what the deployment last said of it. */
export interface RemoteBackfillOrigin {
  /** The deployment's configured name (or, given as a URL, its host). */
  deployment: string;
  /** The webserver's URL, so the record still finds it if the setting changes. */
  url: string;
  kind: 'oss' | 'dagster-plus';
  /** Dagster's id of the backfill on that deployment. */
  backfillId: string;
  /** Asset or job backfill, once known: a newer server's job backfill is read with its per-partition statuses. */
  backfillKind?: 'asset' | 'job';
  /** Dagster's BulkActionStatus as last read (it has values a local backfill never reaches: COMPLETED, FAILING). */
  status?: string;
  /** Epoch milliseconds of that reading. */
  checkedAt?: number;
}

/** Which process runs a backfill; `heartbeatAt` is refreshed while it runs, so a stale one marks an orphan. */
export interface BackfillOwner {
  /** "cli" or "extension", as BackfillRecord.origin. */
  origin: string;
  pid: number;
  host: string;
  /** Epoch milliseconds. */
  heartbeatAt: number;
}

export interface RunRecord {
  /** Unique run id (uuid-like). */
  id: string;
  backfillId: string;
  target: string;
  partitionKey: string;
  status: RunStatus;
  createdAt: number;
  startedAt: number | null;
  endedAt: number | null;
  exitCode: number | null;
  /** One-line failure reason, or null. */
  error: string | null;
  /** 1 for the first try, then 2, 3... after retries (dagster/retry_number + 1); absent means 1. */
  attempt?: number;
  /** Process (group) id of the running attempt, so a process that adopts an orphaned backfill can find it. */
  pid?: number | null;
  /**
   * When the process `pid` started, as the OS tells it (processStartTime.ts): a process adopting the run signals
   * that pid only while it still has this start time, never a later process that reuses the pid. Null or absent
   * when unknown (no pid, a build that did not record it, Windows).
   */
  pidStartTime?: string | null;
  /**
   * While a QUEUED run waits for its retry: when the retry is due (epoch milliseconds), so a process that
   * adopts or resumes the backfill waits until then instead of starting it at once. Absent otherwise.
   */
  retryDueAt?: number | null;
}

export type RunUpdate = Partial<Pick<RunRecord, 'status' | 'startedAt' | 'endedAt' | 'exitCode' | 'error' | 'attempt' | 'pid' | 'pidStartTime' | 'retryDueAt'>>;

/**
 * How a run of a backfill counts; every face (CLI, views, panels, code lenses) counts through countRuns.
 * total = queued + inProgress + succeeded + failed + canceled + skipped.
 */
export interface BackfillCounts {
  total: number;
  /** Not launched yet. */
  queued: number;
  /** STARTING, STARTED, CANCELING. */
  inProgress: number;
  succeeded: number;
  /** FAILURE, and runs whose last attempt failed and that wait for their retry (isWaitingForRetry). */
  failed: number;
  /** Canceled by the user, by stop-after-N-failures, or before launch: resume runs them again. */
  canceled: number;
  /** Never launched because an upstream run did not succeed (isSkippedUpstreamFailed). */
  skipped: number;
}

/** The start of the error of a run never launched because an upstream run did not succeed (written by ActiveBackfill). */
export const UPSTREAM_FAILED_ERROR_PREFIX = 'failed upstream: ';

/**
 * The one test that tells a run skipped because an upstream run failed (Dagster's failed_and_downstream:
 * never requested) from a run the user, a failure limit or a cancel before launch canceled. Both are CANCELED
 * runs; only the skipped one carries UPSTREAM_FAILED_ERROR_PREFIX, and it never started.
 */
export function isSkippedUpstreamFailed(run: Pick<RunRecord, 'status' | 'startedAt' | 'error'>): boolean {
  return run.status === 'CANCELED' && run.startedAt === null && run.error !== null && run.error.startsWith(UPSTREAM_FAILED_ERROR_PREFIX);
}

/**
 * A QUEUED run whose last attempt failed and that waits for its retry (retryDueAt is cleared when the retry starts).
 * Its partitions read FAILED meanwhile (RunPartitionStatuses.attemptFailed), so it counts failed, as Dagster counts
 * a failed run until a retry materializes its partitions: the run counts and the partition counts agree.
 */
export function isWaitingForRetry(run: Pick<RunRecord, 'status' | 'retryDueAt'>): boolean {
  return run.status === 'QUEUED' && run.retryDueAt != null;
}

export function countRuns(runs: readonly RunRecord[]): BackfillCounts {
  const c: BackfillCounts = { total: runs.length, queued: 0, inProgress: 0, succeeded: 0, failed: 0, canceled: 0, skipped: 0 };
  for (const r of runs) {
    if (isWaitingForRetry(r)) c.failed++;
    else if (r.status === 'QUEUED') c.queued++;
    else if (r.status === 'SUCCESS') c.succeeded++;
    else if (r.status === 'FAILURE') c.failed++;
    else if (r.status === 'CANCELED') {
      if (isSkippedUpstreamFailed(r)) c.skipped++;
      else c.canceled++;
    } else c.inProgress++;
  }
  return c;
}

/** Runs that ended, whatever the outcome: what "N/M done" and progress percentages count. */
export function endedRuns(c: BackfillCounts): number {
  return c.succeeded + c.failed + c.canceled + c.skipped;
}

/** Paused is not a Dagster status: a paused backfill is REQUESTED with a stored pausedAt (BackfillRecord.pausedAt). */
export function isPausedBackfill(b: Pick<BackfillRecord, 'status' | 'pausedAt'>): boolean {
  return b.status === 'REQUESTED' && b.pausedAt != null;
}

/** Running: not ended and not paused. What the status bar counts and what a duration ticks for. */
export function isRunningBackfill(b: Pick<BackfillRecord, 'status' | 'pausedAt'>): boolean {
  return !TERMINAL_BACKFILL_STATUSES.has(b.status) && !isPausedBackfill(b);
}

/**
 * Whether Resume can act (BackfillDaemon.resume): a paused backfill, or a CANCELED or FAILED one (stopped before
 * its end) with runs that were canceled or never launched. A COMPLETED_* backfill gave every run its chance:
 * resume refuses it, re-execute is its action. (An orphaned running backfill is adopted, not resumed by hand.)
 */
export function canResumeBackfill(b: Pick<BackfillRecord, 'status' | 'pausedAt'>, c: BackfillCounts): boolean {
  if (isPausedBackfill(b)) return true;
  return (b.status === 'CANCELED' || b.status === 'FAILED') && c.canceled + c.queued > 0;
}
