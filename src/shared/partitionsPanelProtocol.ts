// The partitions panel's part of the host -> webview contract: its view models and messages as schemas.
import * as v from 'valibot';
import { arrayOf, count, coverageProblem, flag, messageUnion, nullableText, oneOf, parseMessage, record, rule, statusRuns, text, type Parsed } from './messageSchema';
import { partitionKeyList } from './partitionKeyListSchema';
import { layoutProblem, partitionsLayout } from './partitionsLayoutModel';
import { PARTITION_STATUS_NAMES } from './partitionStatusName';

export type { MatrixLayout, PartitionsLayout, RowsLayout } from './partitionsLayoutModel';

/**
 * The latest run of one partition, formatted for the hover card: [key index, run id, started, duration, error].
 * error: the failure message of a failed run (its head), else ''.
 */
const lastRunModel = v.strictTuple([count, text, text, text, text], 'must be [key index, run id, started, duration, error]');
export type LastRunModel = v.InferOutput<typeof lastRunModel>;

/**
 * A step's status within one run: as a partition's (MATERIALIZED meaning succeeded, CANCELED meaning its run
 * was canceled while it ran, MISSING meaning it did not run) or SKIPPED: Dagster skipped it because an
 * upstream step failed, drawn as missing, never as failed.
 */
const STEP_STATUS_NAMES = [...PARTITION_STATUS_NAMES, 'SKIPPED'] as const;
export type StepStatusName = (typeof STEP_STATUS_NAMES)[number];

/** Step x partition matrix of a job, as Dagster's job partitions page: one row per step. */
const stepMatrixModel = v.pipe(
  record({
    /** definition: steps from the job's body; runs: steps as the runs reported them. */
    stepSource: oneOf(['definition', 'runs']),
    /** The partition keys that have a run under the current filter, in key order (the columns). */
    keys: partitionKeyList,
    steps: arrayOf(record({ step: text, statusRuns: statusRuns(STEP_STATUS_NAMES) })),
  }),
  rule((m) => m.steps.reduce<string | null>((p, s, i) => p ?? coverageProblem(s.statusRuns, m.keys.count, `.steps[${i}].statusRuns`), null)),
);
export type StepMatrixModel = v.InferOutput<typeof stepMatrixModel>;

const backfillChoiceModel = record({ backfillId: text, label: text });
export type BackfillChoiceModel = v.InferOutput<typeof backfillChoiceModel>;

/** What is wrong with last runs of a panel of `keyCount` keys, worded from their owner, or null. */
function lastRunsProblem(lastRuns: readonly LastRunModel[], keyCount: number): string | null {
  const i = lastRuns.findIndex(([key]) => key >= keyCount);
  return i < 0 ? null : `.lastRuns[${i}] names key index ${lastRuns[i]![0]} but there are ${keyCount} keys`;
}

/** Everything the partitions panel shows for one target (asset, job or command target). */
export const partitionsPanelModel = v.pipe(
  record({
    target: text,
    /** asset, job or command. */
    targetKind: text,
    /** e.g. "hourly from 2024-01-01 (UTC)". */
    description: text,
    /** Every partition key in order, compactly (decodePartitionKeyList reads them). */
    keys: partitionKeyList,
    statusRuns: statusRuns(PARTITION_STATUS_NAMES),
    layout: partitionsLayout,
    lastRuns: arrayOf(lastRunModel),
    /** Jobs only; null for assets and command targets. */
    stepMatrix: v.nullable(stepMatrixModel),
    backfills: arrayOf(backfillChoiceModel),
    /** The backfill the job matrix is filtered to, or null for every run. */
    backfillFilter: nullableText,
    /** Whether launching is possible here (a trusted workspace). */
    canLaunch: flag,
    /** The dynamic partitions definition whose keys "Add partitions…" adds to, or null (not dynamic, or untrusted). */
    dynamicPartitionsName: nullableText,
    /** Where the statuses come from, in words: the Dagster instance and this project's runs, or why only the latter. */
    statusSource: text,
  }),
  rule((m) => coverageProblem(m.statusRuns, m.keys.count) ?? layoutProblem(m.layout, m.keys.count) ?? lastRunsProblem(m.lastRuns, m.keys.count)),
);
export type PartitionsPanelModel = v.InferOutput<typeof partitionsPanelModel>;

/** A live change of an open panel's statuses: same keys and layout as the last model (checked against the one shown). */
const partitionStatusesUpdate = record({
  target: text,
  statusRuns: statusRuns(PARTITION_STATUS_NAMES),
  /** Last runs that changed since the previous message (replacing those of the same key index). */
  lastRuns: arrayOf(lastRunModel),
  stepMatrix: v.nullable(stepMatrixModel),
});
export type PartitionStatusesUpdate = v.InferOutput<typeof partitionStatusesUpdate>;

const partitionsHostMessage = messageUnion([
  record({ type: v.literal('partitionsLoaded'), model: partitionsPanelModel }),
  record({ type: v.literal('partitionStatusesChanged'), update: partitionStatusesUpdate }),
  record({ type: v.literal('partitionsNotFound'), target: text, reason: text }),
]);
export type PartitionsHostMessage = v.InferOutput<typeof partitionsHostMessage>;

/** Validates a host -> webview message for the partitions panel; `shown` is the model shown (updates must match it). */
export function parsePartitionsHostMessage(raw: unknown, shown: { target: string; keyCount: number } | null): Parsed<PartitionsHostMessage> {
  const parsed = parseMessage(partitionsHostMessage, raw);
  if (!parsed.ok || parsed.value.type !== 'partitionStatusesChanged') return parsed;
  const u = parsed.value.update;
  if (!shown || shown.target !== u.target) return { ok: false, reason: `partitionStatusesChanged for ${JSON.stringify(u.target).slice(0, 60)}, which is not shown` };
  const problem = coverageProblem(u.statusRuns, shown.keyCount) ?? lastRunsProblem(u.lastRuns, shown.keyCount);
  return problem ? { ok: false, reason: `partitionStatusesChanged.update${problem}` } : parsed;
}
