// Counts a target's partitions by status (materialized, failed, in progress, missing) without listing keys.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { PartitionStatus } from './backfill';

export interface PartitionStatusCounts {
  total: number;
  materialized: number;
  failed: number;
  inProgress: number;
  missing: number;
}

/**
 * `statuses` holds only partitions that have a status (the store drops MISSING rows), so the work is
 * proportional to what has run, not to the size of the definition. Keys that no longer exist (a changed
 * start date) are not counted.
 */
export function partitionStatusCounts(partitions: PartitionsDefinition, statuses: ReadonlyMap<string, PartitionStatus>, now: Date): PartitionStatusCounts {
  const c: PartitionStatusCounts = { total: partitions.count(now), materialized: 0, failed: 0, inProgress: 0, missing: 0 };
  for (const [key, status] of statuses) {
    if (status === 'MISSING' || !partitions.hasKey(key, now)) continue;
    if (status === 'MATERIALIZED') c.materialized++;
    else if (status === 'FAILED') c.failed++;
    else c.inProgress++;
  }
  c.missing = c.total - c.materialized - c.failed - c.inProgress;
  return c;
}
