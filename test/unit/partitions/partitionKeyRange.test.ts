// PartitionKeyRange: inclusive ranges, Dagster's generic keys-in-range rules and the time window of a range.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  PartitionKeyRange, keysInPartitionKeyRange, parsePartitionKeyRange, partitionKeyRangeForTimeWindow, timeWindowOfPartitionKeyRange,
} from '../../../src/core/partitions/partitionKeyRange';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const now = new Date('2021-05-10T00:00:00Z');
const range = (a: string, b: string) => new PartitionKeyRange(a, b);

test('both ends are inclusive; "A...B" is the range syntax', () => {
  const r = parsePartitionKeyRange('2021-05-05...2021-05-07');
  assert.deepEqual(r.toJSON(), { start: '2021-05-05', end: '2021-05-07' });
  assert.equal(r.toString(), '2021-05-05...2021-05-07');
  assert.equal(r.equals(range('2021-05-05', '2021-05-07')), true);
  assert.deepEqual(parsePartitionKeyRange('a').toJSON(), { start: 'a', end: 'a' });
  assert.deepEqual(parsePartitionKeyRange('a|x...b|y').toJSON(), { start: 'a|x', end: 'b|y' });
  for (const bad of ['', '...b', 'a...', 'a...b...c']) assert.throws(() => parsePartitionKeyRange(bad), /Invalid partition key range/);
  assert.deepEqual(keysInPartitionKeyRange(dailyPartitionsDefinition({ start_date: '2021-05-01' }), r, now), ['2021-05-05', '2021-05-06', '2021-05-07']);
});

test('static: Dagster\'s generic rule (nonexistent ends fail, start == end is one key, start after end is empty)', () => {
  const d = new StaticPartitionsDefinition(['c', 'a', 'b', 'd']);
  assert.deepEqual(keysInPartitionKeyRange(d, range('a', 'd'), now), ['a', 'b', 'd']);
  assert.deepEqual(keysInPartitionKeyRange(d, range('b', 'b'), now), ['b']);
  assert.deepEqual(keysInPartitionKeyRange(d, range('d', 'a'), now), []);
  assert.throws(() => keysInPartitionKeyRange(d, range('x', 'a'), now), { message: "Partition range x to a is not a valid range. Nonexistent partition keys: ['x']" });
  assert.throws(() => keysInPartitionKeyRange(d, range('x', 'x'), now), { message: "Partition range x to x is not a valid range. Nonexistent partition keys: ['x']" });
});

test('time windows and multi-partitions use their own range rules', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2021-05-05' });
  assert.throws(() => keysInPartitionKeyRange(daily, range('2021-05-01', '2021-05-06'), now), /before the partitions definition start time/);
  const multi = new MultiPartitionsDefinition({ abc: new StaticPartitionsDefinition(['a', 'b']), date: daily });
  assert.deepEqual(keysInPartitionKeyRange(multi, range('a|2021-05-05', 'b|2021-05-06'), now), ['a|2021-05-05', 'a|2021-05-06', 'b|2021-05-05', 'b|2021-05-06']);
});

test('the time window of a range runs from the first key\'s start to the last key\'s end', () => {
  const hourly = hourlyPartitionsDefinition({ start_date: '2021-05-05-00:00', timezone: 'US/Central' });
  assert.deepEqual(timeWindowOfPartitionKeyRange(hourly, range('2021-05-05-22:00', '2021-05-06-01:00')),
    { start: '2021-05-05T22:00:00-05:00', end: '2021-05-06T02:00:00-05:00' });
  const multi = new MultiPartitionsDefinition({ abc: new StaticPartitionsDefinition(['a', 'b']), date: dailyPartitionsDefinition({ start_date: '2021-05-05' }) });
  assert.deepEqual(timeWindowOfPartitionKeyRange(multi, range('a|2021-05-05', 'b|2021-05-07')),
    { start: '2021-05-05T00:00:00+00:00', end: '2021-05-08T00:00:00+00:00' });
  assert.equal(timeWindowOfPartitionKeyRange(new StaticPartitionsDefinition(['a']), range('a', 'a')), null);
});

test('the key range of a time window: the key at its start to the key of the window ending at its end', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2021-05-01' });
  const w = { start: Date.UTC(2021, 4, 3), end: Date.UTC(2021, 4, 6) };
  assert.deepEqual(partitionKeyRangeForTimeWindow(daily, w).toJSON(), { start: '2021-05-03', end: '2021-05-05' });
  assert.throws(() => partitionKeyRangeForTimeWindow(daily, { start: w.end, end: w.end }), /is empty/);
});
