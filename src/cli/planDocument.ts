// `backfill plan --json`: the runs and the keys they cover, not the whole key space of the definitions (`--key-space` adds it).
import { keysOfRun, type BackfillPlan, type KeyRange, type SkippedPartitions } from '../core/backfill/backfillPlan';

export interface PlannedRunDocument {
  /** The run's index: what `upstream` refers to, as `#N` in the text form. */
  index: number;
  targets: string[];
  partitionKey: string | null;
  range: KeyRange | null;
  /** Every key the run covers (one for a single-partition run, none unpartitioned). */
  keys: string[];
  upstream: number[];
}

export interface PlanDocument {
  targets: string[];
  partitionKeys: string[];
  partitionCount: number;
  selection: string;
  reprocess: BackfillPlan['reprocess'];
  plannedAt: string;
  inputsHash: string;
  runs: PlannedRunDocument[];
  skipped: SkippedPartitions[];
}

/**
 * What a plan will do, keyed by the runs. The saved plan (`--save`) keeps key spaces, since a launch needs them;
 * printing them made one hourly partition over years of history a document of megabytes.
 */
export function planDocument(plan: BackfillPlan): PlanDocument {
  return {
    targets: plan.targets,
    partitionKeys: plan.partitionKeys,
    partitionCount: plan.partitionCount,
    selection: plan.selection,
    reprocess: plan.reprocess,
    plannedAt: plan.plannedAt,
    inputsHash: plan.inputsHash,
    runs: plan.runs.map((r, index) => ({ index, targets: r.targets, partitionKey: r.partitionKey, range: r.range, keys: keysOfRun(plan, r), upstream: r.upstream })),
    skipped: plan.skipped,
  };
}
