// Resume and re-execute a backfill, by Dagster's rules: the saved plan read back, and pure functions over it and the runs it produced.
import { TERMINAL_RUN_STATUSES, type RunRecord } from './backfill';
import { BackfillPlanError, type BackfillPlan, type PlannedRun } from './backfillPlan';
import type { LaunchOptions } from './launchOptions';
import type { StateStore } from '../storage/stateStore';

/** What the store keeps with each backfill: the exact plan, the options it was launched with and, for a re-execution, its parent. */
export interface StoredPlan {
  plan: BackfillPlan;
  parentId?: string;
  /** Absent on plans saved before launch options existed: the defaults apply. */
  options?: LaunchOptions;
}

export function parseStoredPlan(backfillId: string, planJson: string): StoredPlan {
  let value: unknown;
  try {
    value = JSON.parse(planJson);
  } catch {
    throw new BackfillPlanError(`the saved plan of backfill ${backfillId} is not valid JSON`);
  }
  const v = value as Partial<StoredPlan>;
  if (!v || typeof v !== 'object' || !v.plan || !Array.isArray(v.plan.runs)) throw new BackfillPlanError(`the saved plan of backfill ${backfillId} has no runs`);
  if (v.options !== undefined && (typeof v.options !== 'object' || v.options === null)) throw new BackfillPlanError(`the saved plan of backfill ${backfillId} has launch options that are not an object`);
  return v as StoredPlan;
}

/** The plan saved with a backfill at launch; a backfill without one cannot be resumed or re-executed. */
export function loadStoredPlan(store: Pick<StateStore, 'getPlan'>, backfillId: string): StoredPlan {
  const saved = store.getPlan(backfillId);
  if (!saved) throw new BackfillPlanError(`backfill ${backfillId} has no saved plan (it was created by an older version), so it cannot be resumed or re-executed`);
  return parseStoredPlan(backfillId, saved.planJson);
}

/** A run was launched when it started; runs canceled before launch or blocked by a failed upstream were not. */
export function wasLaunched(run: RunRecord): boolean {
  return run.startedAt !== null;
}

export interface ResumeSteps {
  /** Runs that were launched but never finished (their process ended with ours): they count as failed. */
  interrupted: number[];
  /**
   * Canceled runs (by the user, a failure limit or before launch) and never-launched ones, whose upstream runs
   * did not fail: they go back to QUEUED. A run skipped because its upstream failed stays skipped.
   */
  requeue: number[];
}

/**
 * Continues what was canceled or never launched, and nothing else: never retries a failed run (as Dagster's
 * resume) nor repeats a succeeded one. For a backfill whose process died while it ran, adoption
 * (backfillAdoption.ts) is used instead: it re-queues interrupted runs.
 */
export function resumeSteps(plan: BackfillPlan, runs: readonly RunRecord[]): ResumeSteps {
  if (runs.length !== plan.runs.length) throw new BackfillPlanError(`the saved plan has ${plan.runs.length} runs but the store has ${runs.length}`);
  const interrupted: number[] = [];
  const requeue: number[] = [];
  // Runs that failed, and everything downstream of them: they stay as they are.
  const blocked = new Uint8Array(runs.length);
  runs.forEach((r, i) => {
    const launched = wasLaunched(r);
    if (launched && !TERMINAL_RUN_STATUSES.has(r.status)) interrupted.push(i);
    // A run the cancel terminated did not fail: resuming the canceled backfill runs it again (Ctrl-C, then resume).
    const failed = launched && r.status !== 'SUCCESS' && r.status !== 'CANCELED';
    const upstreamBlocked = plan.runs[i]!.upstream.some((u) => blocked[u]);
    if (failed || upstreamBlocked) blocked[i] = 1;
    else if (r.status !== 'SUCCESS' && (!launched || r.status === 'CANCELED')) requeue.push(i);
  });
  return { interrupted, requeue };
}

/**
 * The plan of a re-execution: every run again, or (from failure) the runs that did not succeed, with upstream
 * links kept among those runs only: a succeeded upstream run has materialized what its children need.
 */
export function reexecutionPlan(backfillId: string, plan: BackfillPlan, runs: readonly RunRecord[], fromFailure: boolean): BackfillPlan {
  if (!fromFailure) return { ...plan, selection: `re-execution of ${backfillId}: ${plan.selection}` };
  const keep = runs.map((r) => r.status !== 'SUCCESS');
  if (!keep.some(Boolean)) throw new BackfillPlanError(`Cannot re-execute from failure backfill ${backfillId}: it has no missing materializations.`);
  const position = new Int32Array(runs.length).fill(-1);
  const kept: PlannedRun[] = [];
  plan.runs.forEach((r, i) => {
    if (!keep[i]) return;
    position[i] = kept.length;
    kept.push({ ...r, upstream: r.upstream.filter((u) => keep[u]).map((u) => position[u]!) });
  });
  const partitionCount = kept.reduce((t, r) => t + r.targets.length * (r.keySpace < 0 ? 1 : r.endIndex - r.startIndex + 1), 0);
  return { ...plan, runs: kept, skipped: [], partitionCount, selection: `re-execution from failure of ${backfillId}: ${plan.selection}` };
}
