// Status counts come from the stored statuses and the definition's count, ignoring keys that no longer exist; canceled is its own count.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { PartitionStatus } from '../../../src/core/backfill/backfill';
import { anyPartitionRan, partitionStatusCounts } from '../../../src/core/backfill/partitionStatusCounts';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { partitionKeyIndexOfList } from '../../../src/core/partitions/partitionKeyIndex';

test('counts each status and derives missing from the definition', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
  const statuses = new Map<string, PartitionStatus>([
    ['2024-01-01', 'MATERIALIZED'],
    ['2024-01-02', 'MATERIALIZED'],
    ['2024-01-03', 'FAILED'],
    ['2024-01-04', 'IN_PROGRESS'],
    ['2024-01-06', 'CANCELED'],
    ['2024-01-07', 'CANCELED'],
    ['2023-12-31', 'MATERIALIZED'], // before the start: not a partition any more
    ['2024-01-05', 'MISSING'],
  ]);
  const c = partitionStatusCounts(daily, statuses, new Date('2024-02-01T00:00:00Z'));
  assert.deepEqual(c, { total: 31, materialized: 2, failed: 1, canceled: 2, inProgress: 1, missing: 25 });
  assert.equal(anyPartitionRan(c), true);
  assert.equal(anyPartitionRan(partitionStatusCounts(daily, new Map<string, PartitionStatus>([['2024-01-01', 'MISSING']]), new Date('2024-02-01T00:00:00Z'))), false);
});

test('a canceled partition is neither failed nor in progress, and counts as having run', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
  const c = partitionStatusCounts(daily, new Map<string, PartitionStatus>([['2024-01-02', 'CANCELED']]), new Date('2024-01-04T00:00:00Z'));
  assert.deepEqual(c, { total: 3, materialized: 0, failed: 0, canceled: 1, inProgress: 0, missing: 2 });
  assert.equal(anyPartitionRan(c), true);
});

test('counts through a key index give the same numbers as asking the definition', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
  const now = new Date('2024-02-01T00:00:00Z');
  const statuses = new Map([['2024-01-01', 'MATERIALIZED'], ['2024-01-02', 'FAILED'], ['2023-12-31', 'MATERIALIZED'], ['2024-01-03', 'CANCELED']] as const);
  assert.deepEqual(partitionStatusCounts(daily, statuses, now, partitionKeyIndexOfList(daily.keys(now), 'daily')), partitionStatusCounts(daily, statuses, now));
});
