// Run counts in words, worded the same on every face: "9/1,005 runs · 1 failed · 9 canceled · 986 skipped (upstream failed)".
import type { BackfillCounts, BackfillRecord } from './backfill';
import { isPausedBackfill } from './backfill';
import { backfillStatusLabel } from './backfillStatusLabel';

const n = (x: number): string => x.toLocaleString('en-US');

export interface RunCountsWording {
  /** false leaves out running and queued runs (faces that show only what ended). */
  inFlight?: boolean;
  /** "27/31 runs succeeded" rather than "27/31 runs". */
  succeededWord?: boolean;
}

/** The non-zero counts other than succeeded, in a fixed order: failed, canceled, skipped, running, queued. */
export function runCountsPhrases(c: BackfillCounts, wording: RunCountsWording = {}): string[] {
  const parts: string[] = [];
  if (c.failed) parts.push(`${n(c.failed)} failed`);
  if (c.canceled) parts.push(`${n(c.canceled)} canceled`);
  if (c.skipped) parts.push(`${n(c.skipped)} skipped (upstream failed)`);
  if (wording.inFlight !== false) {
    if (c.inProgress) parts.push(`${n(c.inProgress)} running`);
    if (c.queued) parts.push(`${n(c.queued)} queued`);
  }
  return parts;
}

/** Succeeded of total first, then runCountsPhrases: a canceled backfill never reads as "all runs done". */
export function runCountsSummary(c: BackfillCounts, wording: RunCountsWording = {}): string {
  const lead = `${n(c.succeeded)}/${n(c.total)} runs${wording.succeededWord ? ' succeeded' : ''}`;
  return [lead, ...runCountsPhrases(c, wording)].join(' · ');
}

/** The one sentence a backfill's end is told in (toasts): its status word as the badge says it, then its runs. */
export function backfillOutcomeMessage(b: Pick<BackfillRecord, 'id' | 'status' | 'pausedAt'>, c: BackfillCounts): string {
  return `Backfill ${b.id}: ${backfillStatusLabel(b.status, isPausedBackfill(b)).label}. ${runCountsSummary(c, { inFlight: false, succeededWord: true })}.`;
}
