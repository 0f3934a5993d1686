// Builds the backfills overview rows from stored backfills and their runs.
import { countRuns, isPausedBackfill, type BackfillRecord, type RunRecord } from '../../core/backfill/backfill';
import { backfillStatusLabel } from '../../core/backfill/backfillStatusLabel';
import { runCountsSummary } from '../../core/backfill/runCountsSummary';
import type { BackfillsOverviewModel } from '../../shared/backfillsOverviewModel';
import { backfillDuration } from './backfillDetailsModel';

/** `bulkStatus`: the status word's source of a remote record (recordBulkActionStatus: FAILING reads "Failing"). */
export function buildBackfillsOverviewModel(backfills: readonly BackfillRecord[], runsOf: (id: string) => readonly RunRecord[], now: number, bulkStatus: (b: BackfillRecord) => string): BackfillsOverviewModel {
  return {
    backfills: backfills.map((b) => {
      const c = countRuns(runsOf(b.id));
      const { label, tone } = b.remote ? backfillStatusLabel(bulkStatus(b)) : backfillStatusLabel(b.status, isPausedBackfill(b));
      return {
        backfillId: b.id,
        status: b.status,
        statusLabel: label,
        statusTone: tone,
        targets: [...b.targets],
        selection: b.selection,
        progress: b.remote ? `on ${b.remote.deployment}` : runCountsSummary(c),
        createdAt: new Date(b.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'short' }),
        duration: backfillDuration(b, now),
        parentId: b.parentId ?? null,
        deployment: b.remote?.deployment ?? null,
      };
    }),
  };
}
