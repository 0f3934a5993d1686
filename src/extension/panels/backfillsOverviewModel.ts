// Builds the backfills overview rows from stored backfills and their runs.
import { countRuns, type BackfillRecord, type RunRecord } from '../../core/backfill/backfill';
import { runCountsSummary } from '../../core/backfill/runCountsSummary';
import type { BackfillsOverviewModel } from '../../shared/backfillsOverviewModel';
import { backfillStatusTone, duration } from './backfillDetailsModel';

export function backfillsOverviewModel(backfills: readonly BackfillRecord[], runsOf: (id: string) => readonly RunRecord[], now: number): BackfillsOverviewModel {
  return {
    backfills: backfills.map((b) => {
      const c = countRuns(runsOf(b.id));
      return {
        backfillId: b.id,
        status: b.status,
        statusTone: backfillStatusTone(b.status),
        targets: [...b.targets],
        selection: b.selection,
        progress: runCountsSummary(c),
        createdAt: new Date(b.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }),
        duration: duration(b.createdAt, b.endedAt, now),
        parentId: b.parentId ?? null,
      };
    }),
  };
}
