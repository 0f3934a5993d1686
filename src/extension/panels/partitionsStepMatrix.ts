// A job's step x partition matrix, as on Dagster's job partitions page: each box is one step of one partition's latest run.
import { encodePartitionKeyList } from '../../shared/partitionKeyList';
import type { RunRecord } from '../../core/backfill/backfill';
import { TERMINAL_RUN_STATUSES } from '../../core/backfill/backfill';
import type { RunEvent } from '../../core/storage/runEventLog';
import type { StepMatrixModel } from '../../shared/partitionsPanelProtocol';
import { encodeStatusRuns, type PartitionStatusName } from '../../shared/protocol';

/** Step event kinds: Dagster's names, and the Dagster runner's protocol names (src/core/coordinator/runnerProtocol). */
const STEP_EVENTS: Readonly<Record<string, PartitionStatusName>> = {
  STEP_START: 'IN_PROGRESS',
  STEP_SUCCESS: 'MATERIALIZED',
  STEP_FAILURE: 'FAILED',
  step_started: 'IN_PROGRESS',
  step_succeeded: 'MATERIALIZED',
  step_failed: 'FAILED',
};

/** The step key of a step event's payload: Dagster's step_key, stepKey, or the runner protocol's step. */
export function stepKeyOf(payload: unknown): string | null {
  if (typeof payload !== 'object' || payload === null) return null;
  const p = payload as Record<string, unknown>;
  const key = p.step_key ?? p.stepKey ?? p.step;
  return typeof key === 'string' && key !== '' ? key : null;
}

/** Each step's status within one run, from its events; a step still started when its run ended did not succeed. */
export function stepStatuses(run: RunRecord, events: readonly RunEvent[]): Map<string, PartitionStatusName> {
  const out = new Map<string, PartitionStatusName>();
  for (const e of events) {
    const status = STEP_EVENTS[e.kind];
    const step = status ? stepKeyOf(e.payload) : null;
    if (step !== null) out.set(step, status!);
  }
  if (TERMINAL_RUN_STATUSES.has(run.status)) {
    for (const [step, status] of out) if (status === 'IN_PROGRESS') out.set(step, 'FAILED');
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
    steps: steps.map((step) => ({ step, statusRuns: encodeStatusRuns(perColumn.map((s) => s.get(step) ?? 'MISSING')) })),
  };
}
