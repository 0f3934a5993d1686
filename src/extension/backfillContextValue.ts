// The context value of a Backfills view row: which of the menus' actions (package.json `when` clauses) it offers.
import { canResumeBackfill, isPausedBackfill, TERMINAL_BACKFILL_STATUSES, type BackfillCounts, type BackfillRecord } from '../core/backfill/backfill';

/**
 * What the menus may offer, so an action shows only where it can act: `backfill.active` (cancel, pause),
 * `backfill.paused` (cancel, resume), `backfill.canceling` (nothing until it ends), `backfill.resumable` (stopped
 * before its end with runs to launch: resume, re-execute), `backfill.done` (re-execute only: resume refuses it),
 * `backfill.succeeded` (re-execute; not from failure, which has nothing to run).
 */
export function backfillContextValue(b: BackfillRecord, c: BackfillCounts): string {
  if (isPausedBackfill(b)) return 'backfill.paused';
  if (b.status === 'CANCELING') return 'backfill.canceling';
  if (!TERMINAL_BACKFILL_STATUSES.has(b.status)) return 'backfill.active';
  if (canResumeBackfill(b, c)) return 'backfill.resumable';
  return c.succeeded === c.total ? 'backfill.succeeded' : 'backfill.done';
}
