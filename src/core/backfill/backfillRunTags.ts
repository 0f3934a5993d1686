// The Dagster tags a backfill's run carries: the backfill's tags, then dagster/backfill, the partition or range, the retry number.
import type { BackfillRecord, RunRecord } from './backfill';

export function runTags(backfill: BackfillRecord, run: RunRecord): Record<string, string> {
  const tags: Record<string, string> = { ...backfill.tags, 'dagster/backfill': backfill.id };
  const bounds = run.partitionKey.split('...');
  if (bounds.length === 2) {
    tags['dagster/asset_partition_range_start'] = bounds[0]!;
    tags['dagster/asset_partition_range_end'] = bounds[1]!;
  } else if (run.partitionKey !== '') tags['dagster/partition'] = run.partitionKey;
  if ((run.attempt ?? 1) > 1) tags['dagster/retry_number'] = String((run.attempt ?? 1) - 1);
  if (backfill.parentId) tags['dagster/parent_backfill_id'] = backfill.parentId;
  return tags;
}
