// Plans: one run per target and partition, dependency order, and clear errors for bad selections.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackfillPlanError, planBackfill } from '../../../src/core/backfill/planBackfill';
import type { PartitionSelection } from '../../../src/core/backfill/partitionSelection';
import { EmptyDynamicPartitionsError } from '../../../src/core/backfill/backfillPlan';
import { DynamicPartitionsDefinition } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import type { CommandTarget, Definition } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const NOW = new Date('2024-03-01T00:00:00Z');

function target(name: string, deps: string[] = [], partitions = dailyPartitionsDefinition({ start_date: '2024-01-01' })): CommandTarget {
  return { kind: 'command', name, location: { file: 'backfills.yaml', line: 1 }, partitions, command: ['true'], cwd: '', env: {}, deps, backfillPolicy: null };
}

test('a range of a daily target gives one run per day, in order', () => {
  const plan = planBackfill([target('daily_counts')], { kind: 'range', from: '2024-01-01', to: '2024-01-31' }, NOW);
  assert.equal(plan.runs.length, 31);
  assert.equal(plan.partitionKeys[0], '2024-01-01');
  assert.equal(plan.partitionKeys[30], '2024-01-31');
  assert.deepEqual({ ...plan.runs[5] }, { targets: ['daily_counts'], partitionKey: '2024-01-06', range: null, keySpace: 0, startIndex: 5, endIndex: 5, upstream: [] });
  assert.equal(plan.selection, '2024-01-01...2024-01-31');
});

test('a list keeps the definition order and all selects every elapsed partition', () => {
  const plan = planBackfill([target('t')], { kind: 'list', keys: ['2024-01-03', '2024-01-01'] }, NOW);
  assert.deepEqual(plan.partitionKeys, ['2024-01-01', '2024-01-03']);
  assert.equal(planBackfill([target('t')], { kind: 'all' }, NOW).runs.length, 60); // Jan 1 .. Feb 29 (leap year)
});

test('a downstream target waits for the same partition of its upstream target', () => {
  const plan = planBackfill([target('down', ['up']), target('up')], { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, NOW);
  assert.deepEqual(plan.targets, ['up', 'down']);
  assert.deepEqual(
    plan.runs.map((r) => `${r.targets.join()}@${r.partitionKey}<${r.upstream.join(',')}`),
    ['up@2024-01-01<', 'down@2024-01-01<0', 'up@2024-01-02<', 'down@2024-01-02<2'],
  );
});

test('bad selections say what is wrong', () => {
  assert.throws(() => planBackfill([target('t')], { kind: 'list', keys: ['2024-13-01'] }, NOW), (e: Error) => e instanceof BackfillPlanError && /2024-13-01/.test(e.message));
  assert.throws(() => planBackfill([target('t')], { kind: 'range', from: '2024-01-31', to: '2024-01-01' }, NOW), BackfillPlanError);
  assert.throws(() => planBackfill([target('t')], { kind: 'range', from: '2023-12-31', to: '2024-01-02' }, NOW), BackfillPlanError);
  assert.throws(() => planBackfill([], { kind: 'all' }, NOW), /at least one target/);
});

test('roots with different partitions definitions are refused with Dagster\'s message', () => {
  const hourly = target('h', [], hourlyPartitionsDefinition({ start_date: '2024-01-01-00:00' }));
  assert.throws(() => planBackfill([target('d'), hourly], { kind: 'latest', count: 2 }, NOW), /All the assets at the root of the backfill must have the same PartitionsDefinition/);
  // As Dagster's allPartitions launch: every partition of every target, roots may differ.
  assert.equal(planBackfill([target('d'), hourly], { kind: 'all' }, NOW).runs.length, 60 + 60 * 24);
});

test('unpartitioned definitions cannot be backfilled by partition', () => {
  const job: Definition = { kind: 'job', name: 'plain', location: { file: 'a.py', line: 3 }, partitions: null };
  assert.throws(() => planBackfill([job], { kind: 'all' }, NOW), /plain is not partitioned/);
});

test('a dynamic root without keys says how to add partitions, with the error faces can tell apart', () => {
  let keys: string[] = [];
  const customers = new DynamicPartitionsDefinition('customers', { dynamicPartitionKeys: () => keys });
  for (const selection of [{ kind: 'all' }, { kind: 'list', keys: ['acme'] }] as PartitionSelection[]) {
    assert.throws(() => planBackfill([target('per_customer', [], customers as never)], selection, NOW), (e: Error) => {
      assert.ok(e instanceof EmptyDynamicPartitionsError && e instanceof BackfillPlanError);
      assert.equal(e.name, 'BackfillPlanError');
      assert.deepEqual(e.partitionsNames, ['customers']);
      assert.match(e.message, /^per_customer has no partitions yet: .*"customers".*`backfill partitions add customers KEY…`.*"Add partitions…"/);
      return true;
    });
  }
  keys = ['acme', 'globex'];
  assert.equal(planBackfill([target('per_customer', [], customers as never)], { kind: 'all' }, NOW).runs.length, 2);
});
