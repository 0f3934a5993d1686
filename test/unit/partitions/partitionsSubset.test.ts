// PartitionsSubset: index ranges, set algebra, key ranges, vectors S1–S4, and a million keys as a few ranges.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionsSubset } from '../../../src/core/partitions/partitionsSubset';
import { PartitionKeyRange } from '../../../src/core/partitions/partitionKeyRange';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { DynamicPartitionsDefinition } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import {
  deserializeTimeWindowPartitionsSubset, serializeTimeWindowPartitionsSubset, timeWindowPartitionsSubset, timeWindowsOfSubset,
} from '../../../src/core/partitions/timeWindowPartitionsSubset';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const ranges = (s: PartitionsSubset) => s.keyRanges().map((r) => `${r.start}..${r.end}`);
const letters = new StaticPartitionsDefinition('abcdefghijklm'.split(''));
const now = new Date('2024-02-01T00:00:00Z');

/** "+" marks a key in the subset, "-" one outside it. */
function fromPattern(def: PartitionsDefinition, pattern: string): PartitionsSubset {
  const keys = def.keys(now).filter((_, i) => pattern[i] === '+');
  return PartitionsSubset.fromKeys(def, keys, now);
}

test('S1 a legacy list of [start, end] epoch-second pairs', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2015-01-01' });
  const s = deserializeTimeWindowPartitionsSubset(daily, '[[1420156800, 1420243200], [1420329600, 1420416000]]', new Date('2015-02-01T00:00:00Z'));
  assert.deepEqual(s.keys(), ['2015-01-02', '2015-01-04']);
  const versioned = serializeTimeWindowPartitionsSubset(s);
  assert.deepEqual(JSON.parse(versioned), { version: 1, time_windows: [[1420156800, 1420243200], [1420329600, 1420416000]], num_partitions: 2 });
  assert.equal(deserializeTimeWindowPartitionsSubset(daily, versioned, new Date('2015-02-01T00:00:00Z')).equals(s), true);
  assert.throws(() => deserializeTimeWindowPartitionsSubset(daily, '{"time_windows": [[1]]}', now), /not a \[start, end\] pair/);
  assert.throws(() => deserializeTimeWindowPartitionsSubset(daily, 'nope', now), /not JSON/);
});

test('S2 pattern "-+-+-" is two ranges; "--+++---+++--" is two', () => {
  const five = dailyPartitionsDefinition({ start_date: '2024-01-01', end_date: '2024-01-06' });
  const s = fromPattern(five, '-+-+-');
  assert.equal(s.count, 2);
  assert.deepEqual(ranges(s), ['2024-01-02..2024-01-02', '2024-01-04..2024-01-04']);
  assert.equal(timeWindowsOfSubset(s).length, 2);
  assert.deepEqual(ranges(fromPattern(letters, '--+++---+++--')), ['c..e', 'i..k']);
});

test('S3 difference splits a window in two', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2019-01-01' });
  const t = new Date('2026-01-01T00:00:00Z');
  const big = timeWindowPartitionsSubset(daily, [{ start: day('2019-02-27'), end: day('2025-04-01') }], t);
  const hole = timeWindowPartitionsSubset(daily, [{ start: day('2021-02-27'), end: day('2023-04-01') }], t);
  assert.deepEqual(timeWindowsOfSubset(big.difference(hole)), [
    { start: day('2019-02-27'), end: day('2021-02-27') },
    { start: day('2023-04-01'), end: day('2025-04-01') },
  ]);
  assert.deepEqual(timeWindowsOfSubset(big.intersection(hole)), [{ start: day('2021-02-27'), end: day('2023-04-01') }]);
});

test('S4 key ranges of a daily subset', () => {
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
  const s = PartitionsSubset.fromKeys(daily, ['2024-01-05', '2024-01-01', '2024-01-03', '2024-01-02'], now);
  assert.deepEqual(ranges(s), ['2024-01-01..2024-01-03', '2024-01-05..2024-01-05']);
});

test('union merges adjacent and overlapping runs; intersection clips; complement is the keys not in the subset', () => {
  const a = fromPattern(letters, '++---+++-----');
  const b = fromPattern(letters, '--+----++++--');
  assert.deepEqual(ranges(a.union(b)), ['a..c', 'f..k']);
  assert.deepEqual(ranges(a.intersection(b)), ['h..h']);
  assert.deepEqual(ranges(a.difference(b)), ['a..b', 'f..g']);
  assert.deepEqual(ranges(b.difference(a)), ['c..c', 'i..k']);
  assert.deepEqual(a.complement().keys(), ['c', 'd', 'e', 'i', 'j', 'k', 'l', 'm']);
  assert.deepEqual(a.keysNotInSubset(), a.complement().keys());
  assert.equal(a.union(a.complement()).equals(PartitionsSubset.all(letters, now)), true);
  assert.equal(a.intersection(a.complement()).isEmpty, true);
  assert.equal(a.contains('g'), true);
  assert.equal(a.contains('h'), true);
  assert.equal(a.contains('i'), false);
  assert.equal(a.contains('zz'), false);
  assert.equal(PartitionsSubset.empty(letters, now).complement().count, 13);
});

test('fromKeys names unknown keys; key and index ranges are validated and merged', () => {
  assert.throws(() => PartitionsSubset.fromKeys(letters, ['a', 'zz', 'yy'], now), { message: "Partition keys not in static: a, b, c, d, e, … (13 keys): ['zz', 'yy']" });
  const s = PartitionsSubset.fromKeyRanges(letters, [new PartitionKeyRange('c', 'e'), new PartitionKeyRange('d', 'g'), new PartitionKeyRange('k', 'j')], now);
  assert.deepEqual(ranges(s), ['c..g']);
  assert.throws(() => PartitionsSubset.fromKeyRanges(letters, [new PartitionKeyRange('a', 'zz')], now), /Nonexistent partition keys: \['zz'\]/);
  assert.deepEqual(PartitionsSubset.fromIndexRanges(letters, [[-5, 2], [11, 99], [4, 4]], now).indexRanges(), [[0, 2], [11, 13]]);
});

test('subsets combine only over the same keys', () => {
  const other = new StaticPartitionsDefinition(['a', 'b']);
  assert.throws(() => PartitionsSubset.all(letters, now).union(PartitionsSubset.all(other, now)), /Cannot combine subsets of different partitions/);
  const same = new StaticPartitionsDefinition('abcdefghijklm'.split(''));
  assert.equal(PartitionsSubset.all(letters, now).difference(PartitionsSubset.all(same, now)).isEmpty, true);
});

test('a subset of a million hourly keys is a handful of ranges, built and combined without listing keys', () => {
  const hours = 1_000_000;
  const hourly = hourlyPartitionsDefinition({ start_date: '2015-01-01-00:00' });
  const t = new Date(Date.UTC(2015, 0, 1) + hours * 3_600_000);
  const all = PartitionsSubset.all(hourly, t);
  assert.equal(all.count, hours);
  assert.equal(all.indexRanges().length, 1);
  const holes = PartitionsSubset.fromKeyRanges(hourly, [
    new PartitionKeyRange('2016-01-01-00:00', '2016-12-31-23:00'),
    new PartitionKeyRange('2020-06-01-05:00', '2020-06-01-05:00'),
  ], t);
  const rest = all.difference(holes);
  assert.equal(rest.indexRanges().length, 3);
  assert.equal(rest.count, hours - 366 * 24 - 1);
  assert.deepEqual(ranges(rest), ['2015-01-01-00:00..2015-12-31-23:00', '2017-01-01-00:00..2020-06-01-04:00', '2020-06-01-06:00..2129-01-29-15:00']);
  assert.equal(rest.contains('2020-06-01-05:00'), false);
  assert.equal(rest.contains('2100-01-01-00:00'), true);
  assert.equal(rest.union(holes).equals(all), true);
  assert.deepEqual(rest.complement().indexRanges(), holes.indexRanges());
});

test('a subset of 100,000 static keys costs as many ranges as it has runs', () => {
  const def = new StaticPartitionsDefinition(Array.from({ length: 100_000 }, (_, i) => `k${i}`));
  const every = PartitionsSubset.all(def, now);
  const cut = PartitionsSubset.fromIndexRanges(def, [[1000, 2000], [50_000, 50_001]], now);
  const rest = every.difference(cut);
  assert.deepEqual(rest.indexRanges(), [[0, 1000], [2000, 50_000], [50_001, 100_000]]);
  assert.equal(rest.count, 100_000 - 1001);
  assert.deepEqual(rest.keyRanges().map((r) => r.toString()), ['k0...k999', 'k2000...k49999', 'k50001...k99999']);
});

test('multi-partitions: a key range is a rectangle, and key ranges never cross a row', () => {
  const multi = new MultiPartitionsDefinition({ abc: new StaticPartitionsDefinition(['a', 'b', 'c']), xyz: new StaticPartitionsDefinition(['x', 'y', 'z']) });
  const rect = PartitionsSubset.fromKeyRanges(multi, [new PartitionKeyRange('a|y', 'c|z')], now);
  assert.deepEqual(rect.keys(), ['a|y', 'a|z', 'b|y', 'b|z', 'c|y', 'c|z']);
  assert.deepEqual(ranges(rect), ['a|y..a|z', 'b|y..b|z', 'c|y..c|z']);
  const rows = PartitionsSubset.fromKeyRanges(multi, [new PartitionKeyRange('a|x', 'b|z')], now);
  assert.deepEqual(rows.indexRanges(), [[0, 6]]);
  assert.deepEqual(ranges(rows), ['a|x..a|z', 'b|x..b|z']);
  const linear = PartitionsSubset.fromKeys(multi, ['a|z', 'b|x', 'b|y'], now);
  assert.deepEqual(ranges(linear), ['a|z..a|z', 'b|x..b|y']);
  for (const r of linear.keyRanges()) assert.deepEqual(multi.keysInRange(r.start, r.end, now), linear.keys().filter((k) => k >= r.start && k <= r.end));
  assert.throws(() => PartitionsSubset.fromKeyRanges(multi, [new PartitionKeyRange('a|x', 'q|z')], now), /Nonexistent partition keys: \['q'\]/);
});

test('dynamic: the index is taken from the store once, at construction', () => {
  const keys = ['p', 'q', 'r', 's'];
  const d = new DynamicPartitionsDefinition('d').withStore({ dynamicPartitionKeys: () => [...keys] });
  const s = PartitionsSubset.fromKeys(d, ['s', 'q', 'r'], now);
  assert.deepEqual(ranges(s), ['q..s']);
  assert.deepEqual(s.keysNotInSubset(), ['p']);
  assert.throws(() => PartitionsSubset.all(new DynamicPartitionsDefinition('d'), now), /The instance is not available to load partitions/);
});
