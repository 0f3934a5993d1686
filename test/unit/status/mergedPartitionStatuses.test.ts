// The merge rule of docs/instance-statuses.md: a store record newer than Dagster's answer wins, else Dagster's
// status, else the store's record, else MISSING; targets without a Dagster answer read the store alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { InstancePartitionStatuses } from '../../../src/core/status/instancePartitionStatuses';
import { MergedPartitionStatuses } from '../../../src/core/status/mergedPartitionStatuses';
import { partitionKeyIndex } from '../../../src/core/partitions/partitionKeyIndex';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import type { InstanceStatusLists } from '../../../src/core/coordinator/runnerStatusProtocol';

const index = partitionKeyIndex(dailyPartitionsDefinition({ start_date: '2024-01-01' }), new Date('2024-01-31T00:00:00Z'));

function setup() {
  let clock = 1000;
  const store = new InMemoryStateStore(() => clock);
  const instance = new InstancePartitionStatuses();
  const merged = new MergedPartitionStatuses(store, instance);
  const answer = (statuses: InstanceStatusLists, asOf: number, asset = 'a') =>
    instance.apply('loc', [asset], { full: true, cursor: null, instance: '/h', assets: [{ asset, statuses }] }, asOf, () => index);
  return { store, instance, merged, answer, at: (t: number) => (clock = t) };
}

test('Dagster only: its materializations show though the project never ran them', () => {
  const s = setup();
  s.answer({ MATERIALIZED: [['2024-01-01', '2024-01-03']] }, 2000);
  assert.deepEqual([...s.merged.partitionStatuses('a')], [['2024-01-01', 'MATERIALIZED'], ['2024-01-02', 'MATERIALIZED'], ['2024-01-03', 'MATERIALIZED']]);
  assert.equal(s.merged.fromInstance('a'), true);
});

test('a store FAILED older than the answer gives way to Dagster\'s MATERIALIZED (it was run again elsewhere)', () => {
  const s = setup();
  s.at(1000);
  s.store.setPartitionStatus('a', '2024-01-02', 'FAILED', 'r1');
  s.answer({ MATERIALIZED: [['2024-01-01', '2024-01-03']] }, 2000);
  assert.equal(s.merged.partitionStatuses('a').get('2024-01-02'), 'MATERIALIZED');
});

test('a store MATERIALIZED newer than the answer wins over Dagster\'s FAILED (our run fixed it after Dagster was asked)', () => {
  const s = setup();
  s.answer({ FAILED: [['2024-01-02', '2024-01-02']] }, 2000);
  s.at(3000);
  s.store.setPartitionStatus('a', '2024-01-02', 'MATERIALIZED', 'r2');
  assert.equal(s.merged.partitionStatuses('a').get('2024-01-02'), 'MATERIALIZED');
  // The next answer, sent after our write, speaks for the key again.
  s.answer({ FAILED: [['2024-01-02', '2024-01-02']] }, 4000);
  assert.equal(s.merged.partitionStatuses('a').get('2024-01-02'), 'FAILED');
});

test('a store CANCELED where Dagster has nothing stays CANCELED; older records stand where Dagster is silent', () => {
  const s = setup();
  s.store.setPartitionStatus('a', '2024-01-05', 'CANCELED', 'r3');
  s.store.setPartitionStatus('a', '2024-01-06', 'MATERIALIZED', 'r4');
  s.answer({ MATERIALIZED: [['2024-01-01', '2024-01-01']] }, 2000);
  const m = s.merged.partitionStatuses('a');
  assert.equal(m.get('2024-01-05'), 'CANCELED');
  assert.equal(m.get('2024-01-06'), 'MATERIALIZED');
  assert.equal(m.get('2024-01-07'), undefined, 'MISSING: neither has it');
  assert.deepEqual(s.merged.partitionStatusesOf('a', ['2024-01-05', '2024-01-01', '2024-01-07']), ['CANCELED', 'MATERIALIZED', 'MISSING']);
});

test('in progress on either side: ours newer wins, Dagster\'s wins over an older record, an older one of ours stands alone', () => {
  const s = setup();
  s.at(1000);
  s.store.setPartitionStatus('a', '2024-01-01', 'MATERIALIZED', 'r1');
  s.store.setPartitionStatus('a', '2024-01-03', 'IN_PROGRESS', 'r2');
  s.store.setPartitionStatus('a', '2024-01-04', 'IN_PROGRESS', 'r3');
  s.answer({ IN_PROGRESS: [['2024-01-01', '2024-01-01']], MATERIALIZED: [['2024-01-04', '2024-01-04']] }, 2000);
  s.at(3000);
  s.store.setPartitionStatus('a', '2024-01-02', 'IN_PROGRESS', 'r4');
  const m = s.merged.partitionStatuses('a');
  assert.equal(m.get('2024-01-01'), 'IN_PROGRESS', 'a run elsewhere materializes it again');
  assert.equal(m.get('2024-01-02'), 'IN_PROGRESS', 'our run started after the answer');
  assert.equal(m.get('2024-01-03'), 'IN_PROGRESS', 'Dagster has nothing: our record stands');
  assert.equal(m.get('2024-01-04'), 'MATERIALIZED', 'Dagster saw it finish');
});

test('targets Dagster gave nothing for read the store alone: same statuses, same ranges', () => {
  const s = setup();
  const keys = Array.from({ length: 20 }, (_, i) => index.keyAt(i));
  s.store.setPartitionStatuses('cmd', keys, 'MATERIALIZED', 'r1');
  assert.equal(s.merged.fromInstance('cmd'), false);
  assert.deepEqual(s.merged.partitionStatuses('cmd'), s.store.partitionStatuses('cmd'));
  assert.deepEqual(s.merged.partitionStatusRanges('cmd', index), s.store.partitionStatusRanges('cmd', index));
  assert.deepEqual(s.merged.partitionStatusesOf('cmd', ['2024-01-01', '2024-01-25']), ['MATERIALIZED', 'MISSING']);
});

test('ranges: Dagster\'s runs name no run and date from asOf, ours keep theirs; in partition order', () => {
  const s = setup();
  s.answer({ MATERIALIZED: [['2024-01-01', '2024-01-10']], FAILED: [['2024-01-11', '2024-01-11']] }, 2000);
  s.at(3000);
  s.store.setPartitionStatus('a', '2024-01-05', 'FAILED', 'r9');
  s.store.setPartitionStatus('a', '2024-01-20', 'CANCELED', 'r8');
  assert.deepEqual(s.merged.partitionStatusRanges('a').map((r) => [r.firstKey, r.lastKey, r.count, r.status, r.runId, r.updatedAt]), [
    ['2024-01-01', '2024-01-04', 4, 'MATERIALIZED', null, 2000],
    ['2024-01-05', '2024-01-05', 1, 'FAILED', 'r9', 3000],
    ['2024-01-06', '2024-01-10', 5, 'MATERIALIZED', null, 2000],
    ['2024-01-11', '2024-01-11', 1, 'FAILED', null, 2000],
    ['2024-01-20', '2024-01-20', 1, 'CANCELED', 'r8', 3000],
  ]);
});

test('the merged map is cached per target until the store or the instance changes it', () => {
  const s = setup();
  s.answer({ MATERIALIZED: [['2024-01-01', '2024-01-02']] }, 2000);
  const first = s.merged.partitionStatuses('a');
  assert.equal(s.merged.partitionStatuses('a'), first, 'nothing changed: the same map');
  s.store.setPartitionStatus('other', '2024-01-01', 'FAILED', 'r');
  assert.equal(s.merged.partitionStatuses('a'), first, 'another target changed');
  s.at(3000);
  s.store.setPartitionStatus('a', '2024-01-03', 'FAILED', 'r');
  const second = s.merged.partitionStatuses('a');
  assert.notEqual(second, first);
  assert.equal(second.get('2024-01-03'), 'FAILED');
  s.answer({ MATERIALIZED: [['2024-01-01', '2024-01-04']] }, 4000);
  const third = s.merged.partitionStatuses('a');
  assert.notEqual(third, second);
  assert.equal(third.get('2024-01-04'), 'MATERIALIZED');
  assert.equal(third.get('2024-01-03'), 'MATERIALIZED', 'the answer came after our FAILED');
});
