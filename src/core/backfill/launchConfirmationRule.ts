// When a launch asks before starting, and what it says: one rule for the launch panel, the palette's quick picks and the calendar.
import { SKIP_REASON_TEXT, type BackfillPlan } from './backfillPlan';

/** backfillStudio.launch.confirmAboveRuns when the setting is missing or not a whole number of 0 or more. */
export const DEFAULT_CONFIRM_ABOVE_RUNS = 100;

/** The setting's value as the rule uses it: a whole number of 0 or more, else the default. */
export function confirmAboveRunsOf(raw: unknown): number {
  return typeof raw === 'number' && Number.isSafeInteger(raw) && raw >= 0 ? raw : DEFAULT_CONFIRM_ABOVE_RUNS;
}

/** A launch of more than `threshold` runs asks once; a threshold of 0 asks for every launch. */
export function launchNeedsConfirmation(runCount: number, threshold: number): boolean {
  return threshold === 0 || runCount > threshold;
}

/** The modal's question (with the run count) and its detail lines. */
export function launchConfirmationText(plan: Pick<BackfillPlan, 'runs' | 'partitionCount' | 'targets' | 'selection' | 'skipped'>): { message: string; detail: string } {
  const runs = plan.runs.length.toLocaleString('en-US');
  const partitions = plan.partitionCount.toLocaleString('en-US');
  return {
    message: `Launch ${runs} run${plan.runs.length === 1 ? '' : 's'} over ${partitions} partition${plan.partitionCount === 1 ? '' : 's'} of ${plan.targets.join(', ')}?`,
    detail: [`Partitions: ${plan.selection}`, ...plan.skipped.map((k) => `Skipped ${k.count.toLocaleString('en-US')} of ${k.target}: ${SKIP_REASON_TEXT[k.reason]}`)].join('\n'),
  };
}
