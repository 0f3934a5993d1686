// The context value of a Backfills view row: which of the menus' actions (package.json `when` clauses) it offers.
import { canResumeBackfill, isPausedBackfill, TERMINAL_BACKFILL_STATUSES, type BackfillCounts, type BackfillRecord } from '../core/backfill/backfill';
import type { RemoteBackfill } from '../core/deployment/remoteBackfill';
import { remoteBackfillActions } from './remoteBackfillActions';

/**
 * What the menus may offer, so an action shows only where it can act: `backfill.active` (cancel, pause),
 * `backfill.paused` (cancel, resume), `backfill.canceling` (nothing until it ends), `backfill.resumable` (stopped
 * before its end with runs to launch: resume, re-execute), `backfill.done` (re-execute only: resume refuses it),
 * `backfill.succeeded` (re-execute; not from failure, which has nothing to run). A backfill on a Dagster deployment
 * is `backfill.remote.*` with the same suffixes, as remoteBackfillActions allows (no pause: Dagster has none).
 */
export function backfillContextValue(b: BackfillRecord, c: BackfillCounts, latest?: RemoteBackfill): string {
  if (b.remote) return remoteBackfillContextValue(b, latest);
  if (isPausedBackfill(b)) return 'backfill.paused';
  if (b.status === 'CANCELING') return 'backfill.canceling';
  if (!TERMINAL_BACKFILL_STATUSES.has(b.status)) return 'backfill.active';
  if (canResumeBackfill(b, c)) return 'backfill.resumable';
  return c.succeeded === c.total ? 'backfill.succeeded' : 'backfill.done';
}

/** `backfill.remote.` + active (cancel), resumable, done, succeeded, or running (FAILING, CANCELING: nothing until it settles). */
function remoteBackfillContextValue(b: BackfillRecord, latest?: RemoteBackfill): string {
  const can = remoteBackfillActions(b, latest);
  const state = can.cancel ? 'active' : can.resume ? 'resumable' : can.reexecuteFromFailure ? 'done' : can.reexecute ? 'succeeded' : 'running';
  return `backfill.remote.${state}`;
}
