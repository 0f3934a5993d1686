// What a run's partitions read: IN_PROGRESS while an attempt runs, then MATERIALIZED, FAILED or CANCELED; a canceled attempt keeps what was materialized before it started.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { RunPartitionStatuses } from '../../../src/core/backfill/runPartitionStatuses';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';

const NOW = new Date('2024-03-01T00:00:00Z');
const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
const target: CommandTarget = {
  kind: 'command', name: 'r', location: { file: 'backfills.yaml', line: 1 }, partitions: daily, command: ['true'], cwd: '', env: {}, deps: [], backfillPolicy: 'BackfillPolicy.multi_run(3)',
};

function setup() {
  const store = new InMemoryStateStore(() => NOW.getTime());
  // Two range runs of three keys: 01-03 and 04-06.
  const plan = planBackfill([target], { kind: 'range', from: '2024-01-01', to: '2024-01-06' }, NOW);
  const read = () => ['01', '02', '03', '04', '05', '06'].map((d) => store.partitionStatuses('r').get(`2024-01-${d}`) ?? 'MISSING');
  return { store, statuses: new RunPartitionStatuses(store, plan), read };
}

test('a canceled range run: its keys are CANCELED except those materialized before it started, which stay MATERIALIZED', () => {
  const { store, statuses, read } = setup();
  store.setPartitionStatus('r', '2024-01-02', 'MATERIALIZED', 'earlier');
  store.setPartitionStatus('r', '2024-01-05', 'FAILED', 'earlier');
  statuses.attemptStarted(0, 'run0');
  statuses.attemptStarted(1, 'run1');
  assert.deepEqual(read(), ['IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS', 'IN_PROGRESS']);
  statuses.runEnded(0, 'run0', 'CANCELED');
  statuses.runEnded(1, 'run1', 'CANCELED');
  assert.deepEqual(read(), ['CANCELED', 'MATERIALIZED', 'CANCELED', 'CANCELED', 'CANCELED', 'CANCELED'], 'a failed partition a canceled run tried again is canceled, not failed');
  assert.equal(store.partitionStatusRanges('r').find((r) => r.firstKey === '2024-01-02')!.runId, null, 'the restored materialization names no run');
});

test('success and failure set every key; a canceled retry keeps only what was materialized when that attempt started', () => {
  const { statuses, read } = setup();
  statuses.attemptStarted(0, 'run0');
  statuses.runEnded(0, 'run0', 'SUCCESS');
  statuses.attemptStarted(1, 'run1');
  statuses.runEnded(1, 'run1', 'FAILURE');
  assert.deepEqual(read(), ['MATERIALIZED', 'MATERIALIZED', 'MATERIALIZED', 'FAILED', 'FAILED', 'FAILED']);
  // Run 0 again: its first attempt fails, the retry starts over FAILED keys and is canceled.
  statuses.attemptStarted(0, 'run0');
  statuses.attemptFailed(0, 'run0');
  assert.deepEqual(read().slice(0, 3), ['FAILED', 'FAILED', 'FAILED']);
  statuses.attemptStarted(0, 'run0');
  statuses.runEnded(0, 'run0', 'CANCELED');
  assert.deepEqual(read().slice(0, 3), ['CANCELED', 'CANCELED', 'CANCELED']);
  // Canceled while waiting for its retry (no attempt running): canceled as well.
  statuses.attemptStarted(1, 'run1');
  statuses.attemptFailed(1, 'run1');
  statuses.runEnded(1, 'run1', 'CANCELED');
  assert.deepEqual(read().slice(3), ['CANCELED', 'CANCELED', 'CANCELED']);
});
