// The plan of a backfill as data: runs in order with their upstream runs, and the partitions left out, with why.

/** Bad selections or plans: the message says what is wrong in the user's terms. */
export class BackfillPlanError extends Error {
  override name = 'BackfillPlanError';
}

/**
 * The selection's root has dynamic partitions without keys: nothing to plan until some are added. Named as every
 * plan error (faces show its message); `partitionsNames` lets a face offer to add partitions instead.
 */
export class EmptyDynamicPartitionsError extends BackfillPlanError {
  constructor(readonly target: string, readonly partitionsNames: string[]) {
    const names = partitionsNames.map((n) => JSON.stringify(n)).join(' and ');
    const first = partitionsNames[0] ?? 'NAME';
    super(`${target} has no partitions yet: its keys are those of the dynamic partitions ${names}, and there are none. `
      + `Add some with \`backfill partitions add ${first} KEY…\` (in VS Code: "Add partitions…" in the partitions panel), then plan again.`);
  }
}

/** Which stored statuses a backfill runs again (Airflow's three behaviours, with Dagster's names). */
export type ReprocessMode = 'all' | 'missing' | 'failed-and-missing';

export interface KeyRange {
  start: string;
  end: string;
}

export interface PlannedRun {
  /** Targets executed together by this run (several only for Dagster assets that co-run, as Dagster's). */
  targets: string[];
  /** The run's one partition key; null for a range run or an unpartitioned run. */
  partitionKey: string | null;
  /** Inclusive key range of a range run (BackfillPolicy); null otherwise. */
  range: KeyRange | null;
  /** Index into BackfillPlan.keySpaces (-1 when unpartitioned) and the inclusive index span of the run's keys. */
  keySpace: number;
  startIndex: number;
  endIndex: number;
  /** Indexes into BackfillPlan.runs that must succeed before this run starts (always earlier runs). */
  upstream: number[];
}

export type SkipReason =
  | 'materialized'
  | 'failed'
  | 'in-progress'
  | 'upstream-missing'
  | 'upstream-skipped'
  | 'protected';

export const SKIP_REASON_TEXT: Record<SkipReason, string> = {
  materialized: 'already materialized',
  failed: 'failed before (reprocess mode "missing" leaves failed partitions alone)',
  'in-progress': 'in progress elsewhere',
  'upstream-missing': 'an upstream partition outside the backfill is missing or failed',
  'upstream-skipped': 'an upstream partition of the backfill is skipped',
  protected: 'protected (listed under "protected" in backfills.yaml, so never relaunched)',
};

/** Selected partitions of one target that are not run, as inclusive key ranges (compact for big plans). */
export interface SkippedPartitions {
  target: string;
  reason: SkipReason;
  ranges: KeyRange[];
  count: number;
}

/** A plan is plain JSON: it can be printed, saved and launched exactly. */
export interface BackfillPlan {
  /** Selected targets in topological order. */
  targets: string[];
  /** The selected partition keys of the roots (definition order). */
  partitionKeys: string[];
  /** Asset partitions the runs cover, summed over targets. */
  partitionCount: number;
  runs: PlannedRun[];
  skipped: SkippedPartitions[];
  /** Human form of the selection, e.g. "2024-01-01...2024-01-31". */
  selection: string;
  reprocess: ReprocessMode;
  /** Partition keys per distinct partitions definition at planning time; runs point into them by index. */
  keySpaces: string[][];
  /** ISO time the plan was computed for (which time partitions existed). */
  plannedAt: string;
  /** Hash of everything the plan was computed from: the targets' definitions, mappings, policies and the statuses consulted. */
  inputsHash: string;
}

/** Every key a run covers (one key, a range, or none when unpartitioned). */
export function keysOfRun(plan: Pick<BackfillPlan, 'keySpaces'>, run: PlannedRun): string[] {
  if (run.keySpace < 0) return [];
  return plan.keySpaces[run.keySpace]!.slice(run.startIndex, run.endIndex + 1);
}

/** The partition label a run record shows: the key, "start...end" for a range, "" when unpartitioned. */
export function runPartitionLabel(run: PlannedRun): string {
  if (run.range) return `${run.range.start}...${run.range.end}`;
  return run.partitionKey ?? '';
}
