// View model of the backfill details panel, formatted by the host (the webview does no date math).
import * as v from 'valibot';
import { arrayOf, count, coverageProblem, flag, nullableText, record, rule, statusRuns, text, texts } from './messageSchema';
import { partitionKeyList } from './partitionKeyListSchema';
import { PARTITION_STATUS_NAMES } from './partitionStatusName';
import { statusTone } from './statusTone';

/** Partition statuses of one target as runs of equal status, so large definitions stay cheap to send and draw. */
const partitionStripModel = v.pipe(
  record({
    target: text,
    /** Every selected partition key, in order, compactly (decodePartitionKeyList reads them): 100,000 keys clone cheaply. */
    keys: partitionKeyList,
    /** Run-length encoding of the keys' statuses: [status, length] pairs whose lengths add up to keys.count. */
    statusRuns: statusRuns(PARTITION_STATUS_NAMES),
  }),
  rule((m) => coverageProblem(m.statusRuns, m.keys.count)),
);
export type PartitionStripModel = v.InferOutput<typeof partitionStripModel>;

const targetCountsModel = record({
  target: text,
  targeted: count,
  inProgress: count,
  materialized: count,
  failed: count,
  /** Canceled by the user, a failure limit or before launch: resume runs them again. */
  canceled: count,
  /** Queued: not launched yet. */
  queued: count,
  /** Never run because an upstream run failed. */
  skipped: count,
});
export type TargetCountsModel = v.InferOutput<typeof targetCountsModel>;

/**
 * Run counts of the whole backfill (the host's countRuns): total = succeeded + failed + canceled + skipped +
 * inProgress + queued. `summary` is the host's wording of them (runCountsSummary), the same on every face.
 */
const backfillProgressModel = record({
  total: count,
  /** Runs that ended, whatever the outcome. */
  done: count,
  succeeded: count,
  failed: count,
  canceled: count,
  skipped: count,
  inProgress: count,
  queued: count,
  summary: text,
});
export type BackfillProgressModel = v.InferOutput<typeof backfillProgressModel>;

/** Failed runs sharing one error message. */
const failureGroupModel = record({
  error: text,
  count,
  /** Partition labels of the failed runs, in run order (at most 200; `count` is the true number). */
  partitions: texts,
  /** A run of the group whose log the "Open a log" link opens. */
  sampleRunId: text,
  /** That run's page in the Dagster UI when it ran on a deployment (its log is there, not here), else null. */
  sampleRunUrl: nullableText,
});
export type FailureGroupModel = v.InferOutput<typeof failureGroupModel>;

const runRowModel = record({
  runId: text,
  target: text,
  partitionKey: text,
  /** Dagster's run status (SUCCESS, CANCELED, ...): data, never shown as a word. */
  status: text,
  /** The word shown for it ("Success", "Canceled"), the same as every other face's. */
  statusLabel: text,
  statusTone,
  /** Display-ready, e.g. "1.2s" or "" while queued. */
  duration: text,
  error: nullableText,
  /** The run's page in the Dagster UI when it ran on a deployment (it has no log here), else null. */
  runUrl: nullableText,
});
export type RunRowModel = v.InferOutput<typeof runRowModel>;

/** Where a backfill launched on a Dagster deployment runs, and how following it goes. */
const remoteDetailsModel = record({
  /** The deployment's name as configured ("prod"). */
  deployment: text,
  /** Its webserver's address (the name's tooltip). */
  deploymentUrl: text,
  /** Dagster's id of the backfill on that deployment. */
  dagsterBackfillId: text,
  /** When the deployment last answered, display-ready, or "" before its first answer. */
  checkedAt: text,
  /** Why the last look at the deployment failed (unreachable, 401, timeout); what it said before stays shown. Null once it answers. */
  followError: nullableText,
  /** Said instead of the partition strips when Dagster gives counts per asset only (ranges), else null. */
  partitionsNote: nullableText,
});
export type RemoteDetailsModel = v.InferOutput<typeof remoteDetailsModel>;

/** Everything the backfill details panel shows. */
export const backfillDetailsModel = record({
  backfillId: text,
  /** Dagster's BulkActionStatus (REQUESTED, COMPLETED_FAILED, ...): data, never shown as a word. */
  status: text,
  /** The badge's word ("In progress", "Paused", "Canceled"), the same as every other face's. */
  statusLabel: text,
  /** The badge's tooltip: what the status means. */
  statusDetail: text,
  /** Drives the badge colour. */
  statusTone,
  title: text,
  createdAt: text,
  duration: text,
  progress: backfillProgressModel,
  targets: arrayOf(targetCountsModel),
  partitions: arrayOf(partitionStripModel),
  runs: arrayOf(runRowModel),
  canCancel: flag,
  /** Failed runs grouped by error message, largest group first. */
  failureGroups: arrayOf(failureGroupModel),
  /** The one error that stopped the backfill before it launched any run (a code location that did not load), else null. */
  error: nullableText,
  /** Resume: a paused backfill, or a canceled or failed one with runs never launched (never a COMPLETED_* one). */
  canResume: flag,
  canReexecute: flag,
  canReexecuteFromFailure: flag,
  /** Set when the backfill runs on a Dagster deployment (its runs link to the Dagster UI), null for this machine's. */
  remote: v.nullable(remoteDetailsModel),
});
export type BackfillDetailsModel = v.InferOutput<typeof backfillDetailsModel>;
