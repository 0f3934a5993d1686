// Status counts come from the stored statuses and the definition's count, ignoring keys that no longer exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PartitionStatus } from '../../../src/core/backfill/backfill';
import { partitionStatusCounts } from '../../../src/core/backfill/partitionStatusCounts';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

test('counts each status and derives missing from the definition', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
  const statuses = new Map<string, PartitionStatus>([
    ['2024-01-01', 'MATERIALIZED'],
    ['2024-01-02', 'MATERIALIZED'],
    ['2024-01-03', 'FAILED'],
    ['2024-01-04', 'IN_PROGRESS'],
    ['2023-12-31', 'MATERIALIZED'], // before the start: not a partition any more
    ['2024-01-05', 'MISSING'],
  ]);
  const c = partitionStatusCounts(daily, statuses, new Date('2024-02-01T00:00:00Z'));
  assert.deepEqual(c, { total: 31, materialized: 2, failed: 1, inProgress: 1, missing: 27 });
});
