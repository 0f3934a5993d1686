// What makes two plans the same launch: the runs they would start (targets and keys), not when or from what they were computed.
import { createHash } from 'node:crypto';
import { keysOfRun, type BackfillPlan } from './backfillPlan';

/**
 * A short id of the runs a plan would start. Two plans with the same id launch the same runs, even when statuses
 * of partitions they do not touch changed in between (a status refresh while another backfill runs).
 */
export function planIdOf(plan: Pick<BackfillPlan, 'runs' | 'keySpaces' | 'reprocess'>): string {
  const hash = createHash('sha256');
  hash.update(plan.reprocess);
  for (const run of plan.runs) {
    const keys = keysOfRun(plan, run);
    // Keys are joined with a NUL, which no partition key holds, so ["a,b"] and ["a","b"] differ.
    hash.update(`\n${run.targets.join('\0')}\u0001${keys.length}\u0001${keys.join('\0')}\u0001${run.upstream.join(',')}`);
  }
  return hash.digest('hex').slice(0, 16);
}

/** Why `now` would launch something else than `shown` (the plan the user confirmed), in words; null when it is the same launch. */
export function planChangeReason(shown: Pick<BackfillPlan, 'runs' | 'keySpaces' | 'reprocess' | 'partitionCount'>, now: Pick<BackfillPlan, 'runs' | 'keySpaces' | 'reprocess' | 'partitionCount'>): string | null {
  if (planIdOf(shown) === planIdOf(now)) return null;
  const runs = (n: number) => `${n.toLocaleString('en-US')} run${n === 1 ? '' : 's'}`;
  const partitions = (n: number) => `${n.toLocaleString('en-US')} partition${n === 1 ? '' : 's'}`;
  if (shown.runs.length !== now.runs.length || shown.partitionCount !== now.partitionCount) {
    return `the plan is now ${runs(now.runs.length)} over ${partitions(now.partitionCount)}, not the ${runs(shown.runs.length)} over ${partitions(shown.partitionCount)} shown (partition statuses or definitions changed)`;
  }
  return `the plan now covers other partitions than the ${runs(shown.runs.length)} shown (partition statuses or definitions changed)`;
}
