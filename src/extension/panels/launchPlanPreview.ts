// From the launch form to a PlanRequest, and from the computed plan to the preview the launch panel shows.
import { keysOfRun, SKIP_REASON_TEXT, type BackfillPlan } from '../../core/backfill/backfillPlan';
import { planIdOf } from '../../core/backfill/planIdentity';
import { parsePartitionSelection, type PartitionSelection } from '../../core/backfill/partitionSelection';
import type { PlanRequest } from '../../core/backfill/savedPlanFile';
import { NO_PARTITIONS_CHOSEN, type LaunchFieldErrors, type LaunchFormValues } from '../../shared/launchForm';
import type { PlanPreviewModel, PlanPreviewSkip, PlanPreviewTarget } from '../../shared/launchPanelModel';

/** Thrown for a form the planner cannot be asked about; `field` says where the message belongs. */
export class LaunchFormError extends Error {
  override name = 'LaunchFormError';
  constructor(readonly field: keyof LaunchFieldErrors, message: string) {
    super(message);
  }
}

function selectionOf(form: LaunchFormValues): PartitionSelection {
  switch (form.partitionMode) {
    case 'none':
      throw new LaunchFormError('partitions', NO_PARTITIONS_CHOSEN);
    case 'all':
      return { kind: 'all' };
    case 'latest':
      return { kind: 'latest', count: Number(form.latestCount.trim()) };
    case 'range':
      return { kind: 'range', from: form.rangeFrom.trim(), to: form.rangeTo.trim() };
    case 'selection':
      try {
        return parsePartitionSelection(form.selectionText.trim());
      } catch (e) {
        // Dagster's parser says what and at which column; the field shows it as the user types.
        throw new LaunchFormError('selectionText', e instanceof Error ? e.message.replace(/^partition selection ".*": /s, '') : String(e));
      }
  }
}

/** The planner's request for the form: `target*` when downstream targets are included (Dagster's selection syntax). */
export function planRequestOf(form: LaunchFormValues): PlanRequest {
  return { targets: [form.includeDownstream ? `${form.target}*` : form.target], selection: selectionOf(form), reprocess: form.reprocess };
}

/** Which field a planner error about partitions belongs to, so it is shown beside what the user typed. */
export function fieldOfPlanError(form: LaunchFormValues, message: string): keyof LaunchFieldErrors {
  if (form.partitionMode === 'range') {
    if (message.includes(JSON.stringify(form.rangeTo.trim())) && !message.includes(JSON.stringify(form.rangeFrom.trim()))) return 'rangeTo';
    return 'rangeFrom';
  }
  if (form.partitionMode === 'selection') return 'selectionText';
  if (form.partitionMode === 'latest') return 'latestCount';
  return 'partitions';
}

function shortRanges(ranges: readonly { start: string; end: string }[]): string {
  const shown = ranges.slice(0, 4).map((r) => (r.start === r.end ? r.start : `${r.start}...${r.end}`));
  return ranges.length > 4 ? `${shown.join(', ')} and ${ranges.length - 4} more ranges` : shown.join(', ');
}

/** Runs and partitions per target, what is skipped and why, and whether Launch may go ahead. */
export function planPreviewModel(requestId: number, plan: BackfillPlan, notLaunchable: string | null): PlanPreviewModel {
  const perTarget = new Map<string, { partitions: number; runs: number; space: number; min: number; max: number }>();
  for (const t of plan.targets) perTarget.set(t, { partitions: 0, runs: 0, space: -1, min: Infinity, max: -Infinity });
  for (const run of plan.runs) {
    const count = keysOfRun(plan, run).length;
    for (const t of run.targets) {
      const e = perTarget.get(t)!;
      e.runs++;
      e.partitions += count;
      if (count === 0) continue;
      e.space = run.keySpace;
      e.min = Math.min(e.min, run.startIndex);
      e.max = Math.max(e.max, run.endIndex);
    }
  }
  const targets: PlanPreviewTarget[] = [...perTarget].map(([target, e]) => {
    const keys = e.space >= 0 ? plan.keySpaces[e.space]! : [];
    const span = e.space < 0 ? '' : e.min === e.max ? keys[e.min]! : `${keys[e.min]}...${keys[e.max]}`;
    return { target, partitions: e.partitions, runs: e.runs, span };
  });
  const skipped: PlanPreviewSkip[] = plan.skipped.map((s) => ({ target: s.target, count: s.count, reason: SKIP_REASON_TEXT[s.reason], ranges: shortRanges(s.ranges) }));
  const launchBlockedBy =
    plan.runs.length === 0
      ? 'Nothing to run: every selected partition is skipped (see below). Choose other partitions or reprocess mode "All".'
      : notLaunchable;
  return { ok: true, requestId, planId: planIdOf(plan), runCount: plan.runs.length, partitionCount: plan.partitionCount, selection: plan.selection, targets, skipped, launchBlockedBy, remote: null };
}
