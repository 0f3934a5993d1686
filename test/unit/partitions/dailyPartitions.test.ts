// Daily partitions against Dagster's behaviour (vectors T1–T26) for the time-window partitions of dailyPartitionsDefinition.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { PartitionsError } from '../../../src/core/partitions/partitionsDefinition';

const at = (iso: string) => new Date(iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
const daily = dailyPartitionsDefinition;

test('T1 only fully elapsed windows exist', () => {
  assert.deepEqual(daily({ start_date: '2021-05-05' }).keys(at('2021-05-07T00:00')), ['2021-05-05', '2021-05-06']);
});

test('T2 the window containing now is not a key', () => {
  const d = daily({ start_date: '2021-05-05' });
  for (const now of ['2021-05-06T00:00', '2021-05-06T00:01', '2021-05-06T23:59']) {
    assert.deepEqual(d.keys(at(now)), ['2021-05-05'], now);
  }
});

test('T3/T4 next key and window lookup ignore now', () => {
  const d = daily({ start_date: '2021-05-05' });
  assert.equal(d.keyAtIndex(1, at('2021-06-01T00:00')), '2021-05-06');
  assert.deepEqual(d.timeWindow('2021-05-08'), { start: '2021-05-08T00:00:00+00:00', end: '2021-05-09T00:00:00+00:00' });
});

test('T5/T6 end_offset both directions', () => {
  assert.deepEqual(daily({ start_date: '2021-05-05', end_offset: 2 }).keys(at('2021-05-07T00:00')),
    ['2021-05-05', '2021-05-06', '2021-05-07', '2021-05-08']);
  assert.deepEqual(daily({ start_date: '2021-05-01', end_offset: -2 }).keys(at('2021-05-07T00:00')),
    ['2021-05-01', '2021-05-02', '2021-05-03', '2021-05-04']);
});

test('T7 minute_offset shifts windows but keys stay dates', () => {
  const d = daily({ start_date: '2021-05-05', minute_offset: 15 });
  assert.deepEqual(d.keys(at('2021-05-07T00:00')), ['2021-05-05']);
  assert.deepEqual(d.timeWindow('2021-05-05'), { start: '2021-05-05T00:15:00+00:00', end: '2021-05-06T00:15:00+00:00' });
});

test('T8–T11 counts with end_offset', () => {
  const now = at('2021-01-06T01:20');
  assert.equal(daily({ start_date: '2021-01-01' }).keys(now).at(-1), '2021-01-05');
  assert.equal(daily({ start_date: '2021-01-01' }).count(now), 5);
  assert.equal(daily({ start_date: '2021-01-01', end_offset: 1 }).count(now), 6);
  assert.equal(daily({ start_date: '2021-01-01', end_offset: 2 }).keys(now).at(-1), '2021-01-07');
  const t11 = daily({ start_date: '2021-01-01', end_offset: -2 }).keys(at('2021-01-08T01:20'));
  assert.deepEqual([t11[0], t11.at(-1), t11.length], ['2021-01-01', '2021-01-05', 5]);
});

test('T12–T14 year rollover and leap years', () => {
  assert.deepEqual(daily({ start_date: '2020-12-29' }).keys(at('2021-01-03T01:20')),
    ['2020-12-29', '2020-12-30', '2020-12-31', '2021-01-01', '2021-01-02']);
  assert.deepEqual(daily({ start_date: '2020-02-28' }).keys(at('2020-03-03T01:20')), ['2020-02-28', '2020-02-29', '2020-03-01', '2020-03-02']);
  assert.deepEqual(daily({ start_date: '2021-02-28' }).keys(at('2021-03-03T01:20')), ['2021-02-28', '2021-03-01', '2021-03-02']);
});

test('T15 end_date is exclusive', () => {
  const d = daily({ start_date: '2022-01-01', end_date: '2022-02-01' });
  const now = at('2030-01-01T00:00');
  assert.equal(d.count(now), 31);
  assert.equal(d.keys(now).at(-1), '2022-01-31');
  assert.equal(d.keyAtIndex(31, now), null);
  assert.equal(d.hasKey('2022-02-01', now), false);
});

test('T16/T17 has_partition_key is canonical and time-bounded', () => {
  const d = daily({ start_date: '2020-01-01' });
  const now = at('2024-01-01T00:00');
  const expected: [string, boolean][] = [['fdsjkl', false], ['2020-01-01 00:00', false], ['2020-01-01-00:00', false],
    ['2020/01/01', false], ['2019-12-31', false], ['2020-01-01', true], ['2020-03-15', true], ['2020-1-1', false]];
  for (const [key, ok] of expected) assert.equal(d.hasKey(key, now), ok, key);
  assert.equal(d.hasKey('2020-03-15', at('2020-03-14T00:00')), false);
  assert.equal(d.hasKey('2020-03-15', at('2020-03-15T00:00')), false);
  assert.equal(d.hasKey('2020-03-15', at('2020-03-16T00:00')), true);
});

test('T18 keys in range are inclusive', () => {
  const d = daily({ start_date: '2021-05-01' });
  const now = at('2021-06-01T00:00');
  assert.deepEqual(d.keysInRange('2021-05-01', '2021-05-01', now), ['2021-05-01']);
  assert.deepEqual(d.keysInRange('2021-05-02', '2021-05-05', now), ['2021-05-02', '2021-05-03', '2021-05-04', '2021-05-05']);
  assert.throws(() => d.keysInRange('2021-05-05', '2021-05-02', now), /before its start/);
  assert.throws(() => d.keysInRange('2021-05-02', '2021-06-05', now), /does not exist yet/);
});

test('T19 ranges outside the definition name the bound', () => {
  const d = daily({ start_date: '2020-01-01', end_date: '2020-01-05' });
  const now = at('2021-01-01T00:00');
  assert.throws(() => d.keysInRange('2019-12-12', '2020-01-01', now), (e: Error) => e instanceof PartitionsError && /before the partitions definition start time/.test(e.message));
  assert.throws(() => d.keysInRange('2020-01-01', '2020-01-06', now), /after the partitions definition end time/);
  assert.equal(d.keysInRange('2020-01-01', '2020-01-04', now).length, 4);
});

test('T20–T26 first window with end offsets', () => {
  const first = (start: string, endOffset: number, now: string) => daily({ start_date: start, end_offset: endOffset }).keys(at(now))[0] ?? null;
  assert.equal(first('2023-01-01', 0, '2024-01-01T00:00'), '2023-01-01');
  assert.equal(first('2023-01-01', 1, '2023-01-01T00:00'), '2023-01-01');
  assert.equal(first('2023-02-15', 1, '2023-02-14T00:00'), null);
  assert.equal(first('2023-01-01', 2, '2023-01-02T00:00'), '2023-01-01');
  assert.equal(first('2023-01-15', -1, '2023-01-16T00:00'), null);
  assert.equal(first('2023-01-15', -1, '2023-01-17T00:00'), '2023-01-15');
  assert.equal(first('2023-01-15', -2, '2023-01-17T00:00'), null);
  assert.equal(first('2023-01-15', -2, '2023-01-18T00:00'), '2023-01-15');
  assert.equal(first('2023-01-15', 1, '2023-01-14T00:00'), null);
  assert.equal(first('2023-01-15', 1, '2023-01-15T12:00'), '2023-01-15');
  assert.equal(first('2023-01-15', 1, '2023-01-14T12:00'), '2023-01-15');
  assert.equal(first('2023-01-15', 1, '2023-01-13T12:00'), null);
});

test('custom fmt parses start with that fmt, and bad starts are named', () => {
  assert.deepEqual(daily({ start_date: '2021/05/05', fmt: '%Y/%m/%d' }).keys(at('2021-05-07T00:00')), ['2021/05/05', '2021/05/06']);
  assert.throws(() => daily({ start_date: '2021-13-01' }), /Start '2021-13-01' does not match the format '%Y-%m-%d'/);
  assert.throws(() => daily({ start_date: '2021-02-30' }), /does not match/);
  assert.throws(() => daily({ start_date: '2021-01-01', timezone: 'Mars/Base' }), /Unknown timezone 'Mars\/Base'/);
  assert.throws(() => daily({ start_date: '2021-01-01', fmt: '%Y-%e' }), /'e' is a bad directive in format '%Y-%e'/);
  assert.throws(() => daily({ start_date: '2021-01-01', fmt: '%Y-%j' }), /Start '2021-01-01' does not match the format '%Y-%j'/);
});

test('a Date start keeps its wall-clock time in the definition timezone', () => {
  const d = daily({ start_date: new Date(Date.UTC(2024, 0, 1)), timezone: 'America/New_York' });
  assert.equal(d.toJSON().kind, 'time_window');
  assert.deepEqual(d.toJSON(), { kind: 'time_window', cron: '0 0 * * *', start: '2024-01-01T00:00:00-05:00', end: null,
    timezone: 'America/New_York', fmt: '%Y-%m-%d', endOffset: 0 });
  assert.equal(d.describe(), 'daily from 2024-01-01 (America/New_York)');
});

test('counting a long daily schedule does not depend on listing', () => {
  const d = daily({ start_date: '1900-01-01' });
  const now = at('2100-01-01T00:00');
  assert.equal(d.count(now), 73049);
  assert.equal(d.indexOfKey('2000-01-01', now), 36524);
  assert.equal(d.keyAtIndex(36524, now), '2000-01-01');
  assert.deepEqual(d.keysInRange('1999-12-31', '2000-01-02', now), ['1999-12-31', '2000-01-01', '2000-01-02']);
});
