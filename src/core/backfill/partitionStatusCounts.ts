// Counts a target's partitions by status (materialized, failed, canceled, in progress, missing) without listing keys.
import type { PartitionKeyIndex, PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { PartitionStatus } from './backfill';

/** total = materialized + failed + canceled + inProgress + missing. */
export interface PartitionStatusCounts {
  total: number;
  materialized: number;
  failed: number;
  /** Last tried by a run that was canceled: not failed; Dagster would call it missing (see PartitionStatus). */
  canceled: number;
  inProgress: number;
  /** Never tried (no status stored). */
  missing: number;
}

/**
 * The one derivation of a definition's partition counts: the Definitions view, code lenses and the partitions
 * command count through it. `statuses` holds only partitions that have a status (the store drops MISSING
 * rows), so the work is proportional to what has run, not to the size of the definition. Keys that no longer
 * exist (a changed start date) are not counted. With `index` (the definition's keys at `now`, e.g. a
 * partitionKeyIndexOfList a face keeps), keys are looked up in it rather than asked of the definition one by one.
 */
export function partitionStatusCounts(partitions: PartitionsDefinition, statuses: ReadonlyMap<string, PartitionStatus>, now: Date, index?: PartitionKeyIndex): PartitionStatusCounts {
  const c: PartitionStatusCounts = { total: index ? index.count : partitions.count(now), materialized: 0, failed: 0, canceled: 0, inProgress: 0, missing: 0 };
  const has = index ? (key: string) => index.indexOf(key) >= 0 : (key: string) => partitions.hasKey(key, now);
  for (const [key, status] of statuses) {
    if (status === 'MISSING' || !has(key)) continue;
    if (status === 'MATERIALIZED') c.materialized++;
    else if (status === 'FAILED') c.failed++;
    else if (status === 'CANCELED') c.canceled++;
    else c.inProgress++;
  }
  c.missing = c.total - c.materialized - c.failed - c.canceled - c.inProgress;
  return c;
}

/** Whether anything has run: faces show counts only then. */
export function anyPartitionRan(c: PartitionStatusCounts): boolean {
  return c.materialized + c.failed + c.canceled + c.inProgress > 0;
}

const n = (x: number): string => x.toLocaleString('en-US');

/**
 * Partition counts in words, worded the same on every face (Definitions view, code lens, `backfill status`):
 * "27/31 materialized · 1 failed · 3 canceled · 2 in progress". `failed: false` leaves failed out for a face that
 * shows it on its own (the code lens's failed lens opens the failed run's log).
 */
export function partitionCountsSummary(c: PartitionStatusCounts, wording: { failed?: boolean } = {}): string {
  const parts = [`${n(c.materialized)}/${n(c.total)} materialized`];
  if (c.failed && wording.failed !== false) parts.push(`${n(c.failed)} failed`);
  if (c.canceled) parts.push(`${n(c.canceled)} canceled`);
  if (c.inProgress) parts.push(`${n(c.inProgress)} in progress`);
  return parts.join(' · ');
}
