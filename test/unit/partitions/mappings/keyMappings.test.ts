// Identity, All, Last, Static, SpecificPartitions mappings and the default mapping rule (SM vectors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePartitionsExpression } from '../../../../src/core/definitions/evaluatePartitionsExpression';
import { StaticPartitionsDefinition } from '../../../../src/core/partitions/staticPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../../src/core/partitions/multiPartitionsDefinition';
import { IdentityPartitionMapping } from '../../../../src/core/partitions/mappings/identityPartitionMapping';
import { AllPartitionMapping } from '../../../../src/core/partitions/mappings/allPartitionMapping';
import { LastPartitionMapping } from '../../../../src/core/partitions/mappings/lastPartitionMapping';
import { StaticPartitionMapping } from '../../../../src/core/partitions/mappings/staticPartitionMapping';
import { SpecificPartitionsPartitionMapping } from '../../../../src/core/partitions/mappings/specificPartitionsPartitionMapping';
import { inferPartitionMapping } from '../../../../src/core/partitions/mappings/inferPartitionMapping';
import { TimeWindowPartitionMapping } from '../../../../src/core/partitions/mappings/timeWindowPartitionMapping';

const now = new Date('2024-01-04T00:00:00Z');
const daily = evaluatePartitionsExpression('DailyPartitionsDefinition(start_date="2024-01-01")');
const weekly = evaluatePartitionsExpression('WeeklyPartitionsDefinition(start_date="2024-01-01")');
const abc = new StaticPartitionsDefinition(['a', 'b', 'c']);
const bcd = new StaticPartitionsDefinition(['b', 'c', 'd']);
const xyz = new StaticPartitionsDefinition(['x', 'y', 'z']);

test('SM2 and Identity: same keys, missing ones reported upstream and dropped downstream', () => {
  const identity = new IdentityPartitionMapping();
  assert.deepEqual(identity.upstreamPartitions(['d', 'b'], bcd, abc, now), { keys: ['b'], requiredButNonexistent: ['d'] });
  assert.deepEqual(identity.downstreamPartitions(['a'], abc, bcd, now), []);
  assert.deepEqual(identity.downstreamPartitions(['c', 'b', 'a'], abc, bcd, now), ['b', 'c']);
  assert.deepEqual(identity.upstreamPartitions(['c', 'a'], abc, abc, now), { keys: ['c', 'a'], requiredButNonexistent: [] });
  assert.throws(() => identity.validate(abc, daily), /Upstream and downstream partitions definitions must match, or a different partition mapping must be provided\. Got upstream definition StaticPartitionsDefinition and downstream definition TimeWindowPartitionsDefinition/);
  assert.doesNotThrow(() => identity.validate(abc, bcd));
});

test('All and Last: every upstream partition, or the last one, at now', () => {
  const all = new AllPartitionMapping();
  assert.deepEqual(all.upstreamPartitions(null, null, daily, now).keys, ['2024-01-01', '2024-01-02', '2024-01-03']);
  assert.deepEqual(all.upstreamPartitions(['x'], xyz, daily, now).keys, ['2024-01-01', '2024-01-02', '2024-01-03']);
  assert.deepEqual(all.downstreamPartitions(['2024-01-02'], daily, xyz, now), ['x', 'y', 'z']);
  assert.deepEqual(all.downstreamPartitions([], daily, xyz, now), []);
  const last = new LastPartitionMapping();
  assert.deepEqual(last.upstreamPartitions(['x'], xyz, daily, now), { keys: ['2024-01-03'], requiredButNonexistent: [] });
  assert.deepEqual(last.upstreamPartitions(['x'], xyz, daily, new Date('2024-01-01T12:00:00Z')).keys, []);
  assert.deepEqual(last.downstreamPartitions(['2024-01-03'], daily, xyz, now), ['x', 'y', 'z']);
  assert.deepEqual(last.downstreamPartitions(['2024-01-02'], daily, xyz, now), []);
});

test('SM1: StaticPartitionMapping one-to-many and many-to-one, with Dagster\'s validation errors', () => {
  const m = new StaticPartitionMapping(new Map<string, string | string[]>([['a', ['x', 'y']], ['b', 'y']]));
  assert.deepEqual(m.downstreamPartitions(['a'], abc, xyz, now), ['x', 'y']);
  assert.deepEqual(m.downstreamPartitions(['b'], abc, xyz, now), ['y']);
  assert.deepEqual(m.upstreamPartitions(['y'], xyz, abc, now).keys, ['a', 'b']);
  assert.deepEqual(m.upstreamPartitions(['x'], xyz, abc, now).keys, ['a']);
  assert.deepEqual(m.upstreamPartitions(['z'], xyz, abc, now).keys, []);
  assert.doesNotThrow(() => m.validate(abc, xyz));
  assert.throws(() => m.validate(bcd, xyz), /mapping source partitions not in the upstream partitions definition: \{'a'\}/);
  assert.throws(() => m.validate(abc, bcd), /mapping target partitions not in the downstream partitions definition: \{'x', 'y'\}/);
  assert.throws(() => m.validate(daily, xyz), /Upstream partitions definition must be a StaticPartitionsDefinition/);
  assert.equal(m.toString(), "StaticPartitionMapping({'a': ['x', 'y'], 'b': ['y']})");
});

test('SpecificPartitionsPartitionMapping: fixed upstream keys; all downstream keys when one of them is given', () => {
  const m = new SpecificPartitionsPartitionMapping(['b', 'c']);
  assert.deepEqual(m.upstreamPartitions(null, null, abc, now).keys, ['b', 'c']);
  assert.deepEqual(m.upstreamPartitions(['2024-01-02'], daily, abc, now).keys, ['b', 'c']);
  assert.deepEqual(m.downstreamPartitions(['c'], abc, daily, now), ['2024-01-01', '2024-01-02', '2024-01-03']);
  assert.deepEqual(m.downstreamPartitions(['a'], abc, daily, now), []);
});

test('default mapping rule when a dependency names none (infer_partition_mapping)', () => {
  const multi = new MultiPartitionsDefinition({ abc, date: daily });
  const kind = (down: typeof daily | null, up: typeof daily | null) => inferPartitionMapping(null, down, up).kind;
  assert.equal(kind(multi, abc), 'MultiToSingleDimensionPartitionMapping');
  assert.equal(kind(weekly, multi), 'MultiToSingleDimensionPartitionMapping');
  assert.equal(kind(xyz, multi), 'IdentityPartitionMapping');
  assert.equal(kind(weekly, daily), 'TimeWindowPartitionMapping');
  assert.equal(kind(abc, bcd), 'IdentityPartitionMapping');
  assert.equal(kind(daily, abc), 'IdentityPartitionMapping');
  assert.equal(kind(multi, multi), 'IdentityPartitionMapping');
  assert.equal(kind(null, daily), 'AllPartitionMapping');
  assert.equal(kind(daily, null), 'AllPartitionMapping');
  const explicit = new TimeWindowPartitionMapping({ startOffset: -1 });
  assert.equal(inferPartitionMapping(explicit, daily, daily), explicit);
});
