// Builds the backfills overview rows from stored backfills and their runs.
import { countRuns, isPausedBackfill, type BackfillRecord, type RunRecord } from '../../core/backfill/backfill';
import { backfillStatusLabel } from '../../core/backfill/backfillStatusLabel';
import { runCountsSummary } from '../../core/backfill/runCountsSummary';
import type { BackfillsOverviewModel } from '../../shared/backfillsOverviewModel';
import { backfillDuration } from './backfillDetailsModel';

export function backfillsOverviewModel(backfills: readonly BackfillRecord[], runsOf: (id: string) => readonly RunRecord[], now: number): BackfillsOverviewModel {
  return {
    backfills: backfills.map((b) => {
      const c = countRuns(runsOf(b.id));
      const { label, tone } = backfillStatusLabel(b.status, isPausedBackfill(b));
      return {
        backfillId: b.id,
        status: b.status,
        statusLabel: label,
        statusTone: tone,
        targets: [...b.targets],
        selection: b.selection,
        progress: runCountsSummary(c),
        createdAt: new Date(b.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }),
        duration: backfillDuration(b, now),
        parentId: b.parentId ?? null,
      };
    }),
  };
}
