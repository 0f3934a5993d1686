// MultiToSingleDimensionPartitionMapping and MultiPartitionMapping (MM vectors).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluatePartitionsExpression } from '../../../../src/core/definitions/evaluatePartitionsExpression';
import { StaticPartitionsDefinition } from '../../../../src/core/partitions/staticPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../../src/core/partitions/multiPartitionsDefinition';
import { MultiToSingleDimensionPartitionMapping } from '../../../../src/core/partitions/mappings/multiToSingleDimensionPartitionMapping';
import { MultiPartitionMapping } from '../../../../src/core/partitions/mappings/multiPartitionMapping';
import { IdentityPartitionMapping } from '../../../../src/core/partitions/mappings/identityPartitionMapping';
import { TimeWindowPartitionMapping } from '../../../../src/core/partitions/mappings/timeWindowPartitionMapping';
import { StaticPartitionMapping } from '../../../../src/core/partitions/mappings/staticPartitionMapping';

const now = new Date('2023-03-01T00:00:00Z');
const abc = new StaticPartitionsDefinition(['a', 'b', 'c']);
const ab = new StaticPartitionsDefinition(['a', 'b']);
const n123 = new StaticPartitionsDefinition(['1', '2', '3']);

test('MM1: a static single dimension against one dimension of a multi definition, both ways', () => {
  const multi = new MultiPartitionsDefinition({ abc, 123: n123 });
  const m = new MultiToSingleDimensionPartitionMapping();
  assert.deepEqual(m.upstreamPartitions(['a'], abc, multi, now), { keys: ['1|a', '2|a', '3|a'], requiredButNonexistent: [] });
  assert.deepEqual(m.downstreamPartitions(['2|a'], multi, abc, now), ['a']);
  assert.deepEqual(m.downstreamPartitions(['a'], abc, multi, now), ['1|a', '2|a', '3|a']);
  assert.deepEqual(m.upstreamPartitions(['2|a', '3|b'], multi, abc, now).keys, ['a', 'b']);
});

test('MM2: daily ranges against the weekly dimension of a multi definition', () => {
  const daily = evaluatePartitionsExpression('DailyPartitionsDefinition(start_date="2023-01-01")');
  const weekly = evaluatePartitionsExpression('WeeklyPartitionsDefinition(start_date="2023-01-01")');
  const multi = new MultiPartitionsDefinition({ week: weekly, ab });
  const m = new MultiToSingleDimensionPartitionMapping();
  const days = [...daily.keysInRange('2023-01-08', '2023-01-14', now), ...daily.keysInRange('2023-01-29', '2023-02-04', now)];
  assert.deepEqual(m.downstreamPartitions(days, daily, multi, now), ['a|2023-01-08', 'a|2023-01-29', 'b|2023-01-08', 'b|2023-01-29']);
  assert.deepEqual(m.upstreamPartitions(['b|2023-01-08'], multi, daily, now).keys, daily.keysInRange('2023-01-08', '2023-01-14', now));
});

test('MultiToSingle: ambiguity, an explicit dimension name and definitions it cannot relate', () => {
  const twice = new MultiPartitionsDefinition({ left: abc, right: abc });
  assert.throws(() => new MultiToSingleDimensionPartitionMapping().validate(twice, abc), /partition dimension name must be specified when multiple dimensions/);
  assert.deepEqual(new MultiToSingleDimensionPartitionMapping('right').upstreamPartitions(['b'], abc, twice, now).keys, ['a|b', 'b|b', 'c|b']);
  assert.throws(() => new MultiToSingleDimensionPartitionMapping('nope').validate(twice, abc), /Provided partition dimension name nope not found/);
  assert.throws(() => new MultiToSingleDimensionPartitionMapping().validate(abc, ab), /Instead received 0 multi-partitioned assets/);
  assert.throws(() => new MultiToSingleDimensionPartitionMapping().validate(new MultiPartitionsDefinition({ abc, 123: n123 }), ab), /can only be used when/);
});

test('MM3: MultiPartitionMapping with identity on one dimension and daily→weekly on the other', () => {
  const daily = evaluatePartitionsExpression('DailyPartitionsDefinition(start_date="2023-01-01")');
  const weekly = evaluatePartitionsExpression('WeeklyPartitionsDefinition(start_date="2023-01-01")');
  const up = new MultiPartitionsDefinition({ abc, daily });
  const down = new MultiPartitionsDefinition({ abc, weekly });
  const m = new MultiPartitionMapping(new Map([
    ['abc', { dimensionName: 'abc', partitionMapping: new IdentityPartitionMapping() }],
    ['daily', { dimensionName: 'weekly', partitionMapping: new TimeWindowPartitionMapping() }],
  ]));
  const week = daily.keysInRange('2023-01-01', '2023-01-07', now).map((d) => `a|${d}`);
  assert.deepEqual(m.upstreamPartitions(['a|2023-01-01'], down, up, now), { keys: week, requiredButNonexistent: [] });
  assert.deepEqual(m.downstreamPartitions(['a|2023-01-03'], up, down, now), ['a|2023-01-01']);
  assert.match(m.toString(), /^MultiPartitionMapping\(\{'abc': DimensionPartitionMapping\(dimension_name='abc', partition_mapping=IdentityPartitionMapping\(\)\)/);
});

test('MultiPartitionMapping: unmapped dimensions relate by All; unknown dimension names fail', () => {
  const up = new MultiPartitionsDefinition({ abc, 123: n123 });
  const down = new MultiPartitionsDefinition({ xy: new StaticPartitionsDefinition(['x', 'y']), 123: n123 });
  const m = new MultiPartitionMapping(new Map([
    ['123', { dimensionName: '123', partitionMapping: new StaticPartitionMapping(new Map([['1', '2'], ['2', '1']])) }],
  ]));
  assert.deepEqual(m.downstreamPartitions(['1|b'], up, down, now), ['2|x', '2|y']);
  assert.deepEqual(m.upstreamPartitions(['1|y'], down, up, now).keys, ['2|a', '2|b', '2|c']);
  const bad = new MultiPartitionMapping(new Map([['nope', { dimensionName: '123', partitionMapping: new IdentityPartitionMapping() }]]));
  assert.throws(() => bad.validate(up, down), /Dimension mapping has an upstream dimension name that is not in the upstream partitions def/);
  assert.throws(() => m.validate(abc, down), /Both partitions defs provided to a MultiPartitionMapping must be multi-partitioned/);
});
