// A job's step x partition matrix, as on Dagster's job partitions page: each box is one step of one partition's latest run.
import { encodePartitionKeyList } from '../../shared/partitionKeyList';
import type { RunRecord } from '../../core/backfill/backfill';
import { TERMINAL_RUN_STATUSES } from '../../core/backfill/backfill';
import type { RunEvent } from '../../core/storage/runEventLog';
import type { StepMatrixModel, StepStatusName } from '../../shared/partitionsPanelProtocol';
import { encodeStatusRuns } from '../../shared/protocol';

/** Step event kinds: Dagster's names, and the Dagster runner's protocol names (src/core/coordinator/runnerProtocol). */
const STEP_EVENTS: Readonly<Record<string, StepStatusName>> = {
  STEP_START: 'IN_PROGRESS',
  STEP_SUCCESS: 'MATERIALIZED',
  STEP_FAILURE: 'FAILED',
  STEP_SKIPPED: 'SKIPPED',
  step_started: 'IN_PROGRESS',
  step_succeeded: 'MATERIALIZED',
  step_failed: 'FAILED',
  step_skipped: 'SKIPPED',
};

/** The runner's summary at the end of a run: Dagster's get_run_step_stats, one entry per step. */
const STEP_STATS_EVENT = 'step_stats';

/** Dagster's StepEventStatus names, as get_run_step_stats reports them. */
const STEP_STATS_STATUSES: Readonly<Record<string, StepStatusName>> = {
  SUCCESS: 'MATERIALIZED',
  FAILURE: 'FAILED',
  SKIPPED: 'SKIPPED',
  IN_PROGRESS: 'IN_PROGRESS',
};

/** The step key of a step event's payload: Dagster's step_key, stepKey, or the runner protocol's step. */
export function stepKeyOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const key = p.step_key ?? p.stepKey ?? p.step;
  return typeof key === 'string' && key !== '' ? key : null;
}

/** The steps of a step_stats payload ({steps: [{step, status}]}) with known statuses; entries it cannot read are left out. */
function stepStatsOf(payload: unknown): Map<string, StepStatusName> {
  const out = new Map<string, StepStatusName>();
  const steps = typeof payload === 'object' && payload !== null ? (payload as { steps?: unknown }).steps : undefined;
  if (!Array.isArray(steps)) return out;
  for (const entry of steps) {
    const step = stepKeyOf(entry);
    const raw = (entry as { status?: unknown }).status;
    const status = typeof raw === 'string' ? STEP_STATS_STATUSES[raw.toUpperCase()] : undefined;
    if (step !== null && status) out.set(step, status);
  }
  return out;
}

/**
 * Each step's status within one run, from Dagster's step events. The step stats the runner sends when the run
 * ends are Dagster's own record of each step: where present they override what the events said. A skipped
 * step (an upstream step failed) is not failed. A step still in progress when its run ended did not succeed:
 * canceled when the run was canceled, else failed.
 */
export function stepStatuses(run: RunRecord, events: readonly RunEvent[]): Map<string, StepStatusName> {
  const out = new Map<string, StepStatusName>();
  let stats: Map<string, StepStatusName> | null = null;
  for (const e of events) {
    if (e.kind === STEP_STATS_EVENT) {
      stats = stepStatsOf(e.payload);
      continue;
    }
    const status = STEP_EVENTS[e.kind];
    const step = status ? stepKeyOf(e.payload) : null;
    if (step !== null) out.set(step, status!);
  }
  if (stats) for (const [step, status] of stats) out.set(step, status);
  if (TERMINAL_RUN_STATUSES.has(run.status)) {
    const ended: StepStatusName = run.status === 'CANCELED' ? 'CANCELED' : 'FAILED';
    for (const [step, status] of out) if (status === 'IN_PROGRESS') out.set(step, ended);
  }
  return out;
}

/**
 * Rows are the job's steps: those discovery found in its body (`declared`), followed by any the runs
 * reported that it did not; columns are the partitions with a run, in key order.
 */
export function stepMatrixModel(
  declared: readonly string[],
  latest: ReadonlyMap<number, RunRecord>,
  keys: readonly string[],
  runEvents: (runId: string) => RunEvent[],
): StepMatrixModel {
  const columns = [...latest.keys()].sort((a, b) => a - b);
  const perColumn = columns.map((i) => {
    const run = latest.get(i)!;
    return stepStatuses(run, runEvents(run.id));
  });
  const steps = [...declared];
  const known = new Set(steps);
  for (const statuses of perColumn) {
    for (const step of statuses.keys()) {
      if (!known.has(step)) {
        known.add(step);
        steps.push(step);
      }
    }
  }
  return {
    stepSource: declared.length > 0 ? 'definition' : 'runs',
    keys: encodePartitionKeyList(columns.map((i) => keys[i]!)),
    steps: steps.map((step) => ({ step, statusRuns: encodeStatusRuns<StepStatusName>(perColumn.map((s) => s.get(step) ?? 'MISSING')) })),
  };
}
