// MultiPartitionsDefinition: Dagster's rules and vectors MP1–MP8 (key order, tags, validation, ranges, time).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { DynamicPartitionsDefinition, DynamicPartitionsUnavailableError } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { withDynamicPartitionsStore } from '../../../src/core/partitions/withDynamicPartitionsStore';

const at = (iso: string) => new Date(iso);
const stat = (...keys: string[]) => new StaticPartitionsDefinition(keys);
const abcXyz = () => new MultiPartitionsDefinition({ xyz: stat('x', 'y', 'z'), abc: stat('a', 'b', 'c') });
const now = at('2021-05-07T00:00:00Z');

test('MP1 dimensions sorted by name; the first varies slowest', () => {
  const d = abcXyz();
  assert.deepEqual(d.dimensionNames, ['abc', 'xyz']);
  assert.deepEqual(d.keys(now), ['a|x', 'a|y', 'a|z', 'b|x', 'b|y', 'b|z', 'c|x', 'c|y', 'c|z']);
  assert.equal(d.count(now), 9);
  assert.deepEqual(new MultiPartitionsDefinition({ abc: stat('a'), 123: stat('1') }).keys(now), ['1|a']);
});

test('MP2 a time dimension named after the static one comes second', () => {
  const d = new MultiPartitionsDefinition({ date: dailyPartitionsDefinition({ start_date: '2021-05-05' }), abc: stat('a', 'b', 'c') });
  assert.deepEqual(d.keys(now), ['a|2021-05-05', 'a|2021-05-06', 'b|2021-05-05', 'b|2021-05-06', 'c|2021-05-05', 'c|2021-05-06']);
  assert.equal(d.primaryDimension.name, 'date');
  assert.equal(d.secondaryDimension.name, 'abc');
  assert.deepEqual(d.timeWindow('b|2021-05-06'), { start: '2021-05-06T00:00:00+00:00', end: '2021-05-07T00:00:00+00:00' });
});

test('MP3 keys from dimensions and run tags', () => {
  const d = new MultiPartitionsDefinition({ date: dailyPartitionsDefinition({ start_date: '2021-05-05' }), abc: stat('a', 'b', 'c') });
  const key = d.keyFromDimensions({ date: '2021-06-01', abc: 'a' });
  assert.equal(key, 'a|2021-06-01');
  assert.deepEqual(d.keysByDimension(key), { abc: 'a', date: '2021-06-01' });
  assert.deepEqual(d.tagsForKey(key), { 'dagster/partition': 'a|2021-06-01', 'dagster/partition/abc': 'a', 'dagster/partition/date': '2021-06-01' });
  assert.throws(() => d.keyFromDimensions({ abc: 'a', week: '2021-06-01' }), /Valid keys are \{'abc', 'date'\}\. You provided: Extra keys: \{'week'\}\.Missing keys \{'date'\}\./);
  assert.throws(() => d.keysByDimension('a'), { message: 'Expected 2 partition keys in partition key string a, but got 1' });
  assert.throws(() => d.keysByDimension('a|b|c'), /but got 3/);
});

test('MP4 a dynamic dimension reads its keys from the store; keys holding "|" are dropped from the product', () => {
  const keys = ['1', 'x|y', '2'];
  const d = new MultiPartitionsDefinition({ static: stat('a', 'b', 'c'), dynamic: new DynamicPartitionsDefinition('dynamic') });
  assert.throws(() => d.keys(now), DynamicPartitionsUnavailableError);
  assert.throws(() => d.hasKey('1|a', now), /The instance is not available to load partitions/);
  const bound = withDynamicPartitionsStore(d, { dynamicPartitionKeys: (name) => (name === 'dynamic' ? keys : []) });
  assert.equal(bound.hasKey('1|a', now), true);
  assert.equal(bound.hasKey('a|1', now), false);
  assert.equal(bound.hasKey('x|y|a', now), false);
  assert.deepEqual(bound.keys(now), ['1|a', '1|b', '1|c', '2|a', '2|b', '2|c']);
  assert.equal(bound.count(now), 6);
  assert.equal(bound.keyAtIndex?.(3, now), '2|a');
  assert.equal(bound.indexOfKey?.('2|c', now), 5);
  assert.deepEqual(bound.toJSON(), {
    kind: 'multi',
    dimensions: [{ name: 'dynamic', partitions: { kind: 'dynamic', name: 'dynamic' } }, { name: 'static', partitions: { kind: 'static', keys: ['a', 'b', 'c'] } }],
  });
});

test('MP5/MP6 keys with one dimension fixed', () => {
  const d = new MultiPartitionsDefinition({ static: stat('a', 'b', 'c', 'd'), date: dailyPartitionsDefinition({ start_date: '2015-01-01' }) });
  const t = at('2015-01-05T00:00:00Z');
  assert.deepEqual(d.keysWithDimensionValue('static', 'a', t), ['2015-01-01|a', '2015-01-02|a', '2015-01-03|a', '2015-01-04|a']);
  assert.deepEqual(d.keysWithDimensionValue('date', '2015-01-01', t), ['2015-01-01|a', '2015-01-01|b', '2015-01-01|c', '2015-01-01|d']);
  assert.throws(() => d.keysWithDimensionValue('week', 'x', t), { message: "Dimension week not found in MultiPartitionsDefinition with dimensions ['date', 'static']" });
});

test('MP7 static keys may not hold | , [ ] inside a multi-partitions definition', () => {
  for (const bad of ['a|b', 'a,b', 'a[', 'b]']) {
    assert.throws(() => new MultiPartitionsDefinition({ s: stat('ok', bad), t: stat('x') }),
      { message: 'Invalid character in partition key for dimension s. A multi-partitions definition cannot contain partition keys with the following characters: |, [, ], ,' });
  }
  assert.throws(() => new MultiPartitionsDefinition({ m: abcXyz(), t: stat('x') }), /Invalid partitions definition type multi for dimension m/);
});

test('MP8 exactly two dimensions', () => {
  assert.throws(() => new MultiPartitionsDefinition({ a: stat('x') }),
    { message: 'Dagster currently only supports multi-partitions definitions with 2 partitions definitions. Your multi-partitions definition has 1 partitions definitions.' });
  assert.throws(() => new MultiPartitionsDefinition({ a: stat('x'), b: stat('y'), c: stat('z') }), /has 3 partitions definitions\.$/);
});

test('a key range is a rectangle over the two dimensions', () => {
  const d = abcXyz();
  assert.deepEqual(d.keysInRange('a|y', 'b|z', now), ['a|y', 'a|z', 'b|y', 'b|z']);
  assert.deepEqual(d.keysInRange('b|x', 'b|x', now), ['b|x']);
  assert.deepEqual(d.keysInRange('b|z', 'c|x', now), [], 'a reversed static dimension spans nothing');
  assert.throws(() => d.keysInRange('a|x', 'q|z', now), { message: "Partition range a to q is not a valid range. Nonexistent partition keys: ['q']" });
  const dated = new MultiPartitionsDefinition({ date: dailyPartitionsDefinition({ start_date: '2021-05-01' }), abc: stat('a', 'b', 'c') });
  assert.deepEqual(dated.keysInRange('b|2021-05-02', 'c|2021-05-03', now), ['b|2021-05-02', 'b|2021-05-03', 'c|2021-05-02', 'c|2021-05-03']);
});

test('time windows need exactly one time dimension; primary is the first dimension otherwise', () => {
  const none = abcXyz();
  // Dagster's time_window_dimension raises; timeWindow() answers null like any definition without time (issue 16:
  // `partitions keys --windows` and command runs of a static × static definition failed with this message).
  assert.throws(() => none.timeWindowDimension, { message: 'Expected exactly one time window partitioned dimension' });
  assert.equal(none.timeWindow('a|x'), null);
  assert.equal(none.primaryDimension.name, 'abc');
  assert.equal(none.secondaryDimension.name, 'xyz');
  const two = new MultiPartitionsDefinition({ hour: hourlyPartitionsDefinition({ start_date: '2021-05-05-00:00' }), day: dailyPartitionsDefinition({ start_date: '2021-05-05' }) });
  assert.throws(() => two.timeWindowDimension, /Expected exactly one time window partitioned dimension/);
  assert.equal(two.timeWindow('2021-05-05|2021-05-05-00:00'), null);
  assert.equal(two.primaryDimension.name, 'day');
});

test('count is a product, and index <-> key is arithmetic, at millions of keys', () => {
  const hours = 1_000_000;
  const t = new Date(Date.UTC(2015, 0, 1) + hours * 3_600_000);
  const d = new MultiPartitionsDefinition({ hour: hourlyPartitionsDefinition({ start_date: '2015-01-01-00:00' }), abc: stat('a', 'b', 'c') });
  assert.equal(d.count(t), 3 * hours);
  const idx = d.keyIndex(t);
  assert.equal(idx.keyAt(0), 'a|2015-01-01-00:00');
  assert.equal(idx.keyAt(hours), 'b|2015-01-01-00:00');
  assert.equal(idx.keyAt(3 * hours - 1), 'c|2129-01-29-15:00');
  assert.equal(idx.indexOf('c|2129-01-29-15:00'), 3 * hours - 1);
  assert.equal(idx.indexOf('c|2129-01-29-16:00'), -1, 'not elapsed yet');
  assert.throws(() => idx.keyAt(3 * hours), /out of range/);
});

test('per-dimension access and JSON', () => {
  const d = abcXyz();
  assert.deepEqual(d.dimension('xyz').keys(now), ['x', 'y', 'z']);
  assert.throws(() => d.dimension('nope'), { message: 'Invalid dimension name nope' });
  assert.deepEqual(d.toJSON(), {
    kind: 'multi',
    dimensions: [{ name: 'abc', partitions: { kind: 'static', keys: ['a', 'b', 'c'] } }, { name: 'xyz', partitions: { kind: 'static', keys: ['x', 'y', 'z'] } }],
  });
  assert.match(d.describe(), /^multi-partitioned: abc \(static: a, b, c\) × xyz \(static: x, y, z\)$/);
});
