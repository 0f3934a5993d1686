// DST in five zones, hourly and daily, spring and fall: exact keys and windows (ISO with the window's offset).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';

const farFuture = new Date('2030-01-01T00:00:00Z');
type Def = TimeWindowPartitionsDefinition;

/** Keys with their windows, as [key, start, end]. */
function table(d: Def, now = farFuture): [string, string, string][] {
  return d.keys(now).map((k) => {
    const w = d.timeWindow(k);
    return [k, w.start, w.end];
  });
}

/** The windows listed by `windows()` must be the windows of the listed keys. */
function assertWindowsAgree(d: Def, now = farFuture): void {
  const byKey = d.keys(now).map((k) => d.windowOfKey(k));
  assert.deepEqual(d.windows(now), byKey);
  d.keys(now).forEach((k, i) => {
    assert.equal(d.indexOfKey(k, now), i, k);
    assert.equal(d.keyAtIndex(i, now), k);
  });
}

test('America/Los_Angeles hourly: the spring-forward hour has no key, its predecessor lasts one real hour', () => {
  const d = hourlyPartitionsDefinition({ start_date: '2024-03-10-00:00', end_date: '2024-03-10-05:00', timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(d), [
    ['2024-03-10-00:00', '2024-03-10T00:00:00-08:00', '2024-03-10T01:00:00-08:00'],
    ['2024-03-10-01:00', '2024-03-10T01:00:00-08:00', '2024-03-10T03:00:00-07:00'],
    ['2024-03-10-03:00', '2024-03-10T03:00:00-07:00', '2024-03-10T04:00:00-07:00'],
    ['2024-03-10-04:00', '2024-03-10T04:00:00-07:00', '2024-03-10T05:00:00-07:00'],
  ]);
  assert.equal(d.hasKey('2024-03-10-02:00', farFuture), false);
  assertWindowsAgree(d);
});

test('America/Los_Angeles hourly: the fall-back hour appears twice, the second with -0800', () => {
  const d = hourlyPartitionsDefinition({ start_date: '2024-11-03-00:00', end_date: '2024-11-03-03:00', timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(d), [
    ['2024-11-03-00:00', '2024-11-03T00:00:00-07:00', '2024-11-03T01:00:00-07:00'],
    ['2024-11-03-01:00', '2024-11-03T01:00:00-07:00', '2024-11-03T01:00:00-08:00'],
    ['2024-11-03-01:00-0800', '2024-11-03T01:00:00-08:00', '2024-11-03T02:00:00-08:00'],
    ['2024-11-03-02:00', '2024-11-03T02:00:00-08:00', '2024-11-03T03:00:00-08:00'],
  ]);
  assertWindowsAgree(d);
});

test('America/Los_Angeles daily: windows of 23 and 25 hours', () => {
  const spring = dailyPartitionsDefinition({ start_date: '2024-03-09', end_date: '2024-03-12', timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(spring), [
    ['2024-03-09', '2024-03-09T00:00:00-08:00', '2024-03-10T00:00:00-08:00'],
    ['2024-03-10', '2024-03-10T00:00:00-08:00', '2024-03-11T00:00:00-07:00'],
    ['2024-03-11', '2024-03-11T00:00:00-07:00', '2024-03-12T00:00:00-07:00'],
  ]);
  const fall = dailyPartitionsDefinition({ start_date: '2024-11-02', end_date: '2024-11-05', timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(fall), [
    ['2024-11-02', '2024-11-02T00:00:00-07:00', '2024-11-03T00:00:00-07:00'],
    ['2024-11-03', '2024-11-03T00:00:00-07:00', '2024-11-04T00:00:00-08:00'],
    ['2024-11-04', '2024-11-04T00:00:00-08:00', '2024-11-05T00:00:00-08:00'],
  ]);
  assertWindowsAgree(spring);
  assertWindowsAgree(fall);
});

test('America/Los_Angeles daily at a time inside the transitions: end of the gap, later of the repeat', () => {
  const gap = dailyPartitionsDefinition({ start_date: '2024-03-09', end_date: '2024-03-12', hour_offset: 2, minute_offset: 30, timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(gap), [
    ['2024-03-09', '2024-03-09T02:30:00-08:00', '2024-03-10T03:00:00-07:00'],
    ['2024-03-10', '2024-03-10T03:00:00-07:00', '2024-03-11T02:30:00-07:00'],
  ]);
  const repeat = dailyPartitionsDefinition({ start_date: '2024-11-02', end_date: '2024-11-05', hour_offset: 1, minute_offset: 30, timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(repeat), [
    ['2024-11-02', '2024-11-02T01:30:00-07:00', '2024-11-03T01:30:00-08:00'],
    ['2024-11-03', '2024-11-03T01:30:00-08:00', '2024-11-04T01:30:00-08:00'],
  ]);
});

test('Europe/Berlin hourly and daily, spring and fall', () => {
  const spring = hourlyPartitionsDefinition({ start_date: '2024-03-31-00:00', end_date: '2024-03-31-05:00', timezone: 'Europe/Berlin' });
  assert.deepEqual(table(spring), [
    ['2024-03-31-00:00', '2024-03-31T00:00:00+01:00', '2024-03-31T01:00:00+01:00'],
    ['2024-03-31-01:00', '2024-03-31T01:00:00+01:00', '2024-03-31T03:00:00+02:00'],
    ['2024-03-31-03:00', '2024-03-31T03:00:00+02:00', '2024-03-31T04:00:00+02:00'],
    ['2024-03-31-04:00', '2024-03-31T04:00:00+02:00', '2024-03-31T05:00:00+02:00'],
  ]);
  const fall = hourlyPartitionsDefinition({ start_date: '2024-10-27-01:00', end_date: '2024-10-27-04:00', timezone: 'Europe/Berlin' });
  assert.deepEqual(table(fall), [
    ['2024-10-27-01:00', '2024-10-27T01:00:00+02:00', '2024-10-27T02:00:00+02:00'],
    ['2024-10-27-02:00', '2024-10-27T02:00:00+02:00', '2024-10-27T02:00:00+01:00'],
    ['2024-10-27-02:00+0100', '2024-10-27T02:00:00+01:00', '2024-10-27T03:00:00+01:00'],
    ['2024-10-27-03:00', '2024-10-27T03:00:00+01:00', '2024-10-27T04:00:00+01:00'],
  ]);
  const daily = dailyPartitionsDefinition({ start_date: '2024-03-30', timezone: 'Europe/Berlin' });
  assert.deepEqual(daily.timeWindow('2024-03-31'), { start: '2024-03-31T00:00:00+01:00', end: '2024-04-01T00:00:00+02:00' });
  assert.deepEqual(daily.timeWindow('2024-10-27'), { start: '2024-10-27T00:00:00+02:00', end: '2024-10-28T00:00:00+01:00' });
  assert.equal(daily.keys(new Date('2024-11-01T00:00:00+01:00')).length, 216);
  assertWindowsAgree(spring);
  assertWindowsAgree(fall);
});

test('Australia/Sydney: fall back in April, spring forward in October', () => {
  const fall = hourlyPartitionsDefinition({ start_date: '2024-04-07-01:00', end_date: '2024-04-07-04:00', timezone: 'Australia/Sydney' });
  assert.deepEqual(table(fall), [
    ['2024-04-07-01:00', '2024-04-07T01:00:00+11:00', '2024-04-07T02:00:00+11:00'],
    ['2024-04-07-02:00', '2024-04-07T02:00:00+11:00', '2024-04-07T02:00:00+10:00'],
    ['2024-04-07-02:00+1000', '2024-04-07T02:00:00+10:00', '2024-04-07T03:00:00+10:00'],
    ['2024-04-07-03:00', '2024-04-07T03:00:00+10:00', '2024-04-07T04:00:00+10:00'],
  ]);
  const spring = hourlyPartitionsDefinition({ start_date: '2024-10-06-00:00', end_date: '2024-10-06-05:00', timezone: 'Australia/Sydney' });
  assert.deepEqual(spring.keys(farFuture), ['2024-10-06-00:00', '2024-10-06-01:00', '2024-10-06-03:00', '2024-10-06-04:00']);
  assert.deepEqual(spring.timeWindow('2024-10-06-01:00'), { start: '2024-10-06T01:00:00+10:00', end: '2024-10-06T03:00:00+11:00' });
  const daily = dailyPartitionsDefinition({ start_date: '2024-04-01', timezone: 'Australia/Sydney' });
  assert.deepEqual(daily.timeWindow('2024-04-07'), { start: '2024-04-07T00:00:00+11:00', end: '2024-04-08T00:00:00+10:00' });
  assert.deepEqual(daily.timeWindow('2024-10-06'), { start: '2024-10-06T00:00:00+10:00', end: '2024-10-07T00:00:00+11:00' });
  assertWindowsAgree(fall);
  assertWindowsAgree(spring);
});

test('America/Sao_Paulo 2018: a daily schedule meets a missing midnight', () => {
  // Clocks went from 2018-11-04 00:00 -03 to 01:00 -02: the tick keeps its wall time and old offset, so it
  // falls at 01:00 -02, and a key with hours still shows 00:00 (Dagster formats the nonexistent datetime).
  const d = dailyPartitionsDefinition({ start_date: '2018-11-02', end_date: '2018-11-06', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(table(d), [
    ['2018-11-02', '2018-11-02T00:00:00-03:00', '2018-11-03T00:00:00-03:00'],
    ['2018-11-03', '2018-11-03T00:00:00-03:00', '2018-11-04T01:00:00-02:00'],
    ['2018-11-04', '2018-11-04T01:00:00-02:00', '2018-11-05T00:00:00-02:00'],
    ['2018-11-05', '2018-11-05T00:00:00-02:00', '2018-11-06T00:00:00-02:00'],
  ]);
  const withHours = dailyPartitionsDefinition({ start_date: '2018-11-03-00:00', end_date: '2018-11-06-00:00', fmt: '%Y-%m-%d-%H:%M', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(withHours.keys(farFuture), ['2018-11-03-00:00', '2018-11-04-00:00', '2018-11-05-00:00']);
  assert.equal(withHours.hasKey('2018-11-04-00:00', farFuture), true);
  assert.equal(withHours.hasKey('2018-11-04-01:00', farFuture), false);
  // The repeated hour 23:00-23:59 of 2018-02-17 does not touch midnight: that day is 25 hours long.
  const fall = dailyPartitionsDefinition({ start_date: '2018-02-16', end_date: '2018-02-19', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(fall.timeWindow('2018-02-17'), { start: '2018-02-17T00:00:00-02:00', end: '2018-02-18T00:00:00-03:00' });
  assertWindowsAgree(d);
});

test('America/Sao_Paulo 2018 hourly: midnight hour missing in November, 23:00 twice in February', () => {
  const spring = hourlyPartitionsDefinition({ start_date: '2018-11-03-22:00', end_date: '2018-11-04-03:00', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(table(spring), [
    ['2018-11-03-22:00', '2018-11-03T22:00:00-03:00', '2018-11-03T23:00:00-03:00'],
    ['2018-11-03-23:00', '2018-11-03T23:00:00-03:00', '2018-11-04T01:00:00-02:00'],
    ['2018-11-04-01:00', '2018-11-04T01:00:00-02:00', '2018-11-04T02:00:00-02:00'],
    ['2018-11-04-02:00', '2018-11-04T02:00:00-02:00', '2018-11-04T03:00:00-02:00'],
  ]);
  const fall = hourlyPartitionsDefinition({ start_date: '2018-02-17-22:00', end_date: '2018-02-18-01:00', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(table(fall), [
    ['2018-02-17-22:00', '2018-02-17T22:00:00-02:00', '2018-02-17T23:00:00-02:00'],
    ['2018-02-17-23:00', '2018-02-17T23:00:00-02:00', '2018-02-17T23:00:00-03:00'],
    ['2018-02-17-23:00-0300', '2018-02-17T23:00:00-03:00', '2018-02-18T00:00:00-03:00'],
    ['2018-02-18-00:00', '2018-02-18T00:00:00-03:00', '2018-02-18T01:00:00-03:00'],
  ]);
  assertWindowsAgree(spring);
  assertWindowsAgree(fall);
});

test('America/Sao_Paulo: an ambiguous 23:00 tick, earlier for daily shapes and later for other crons', () => {
  // Dagster's daily/weekly/monthly path only moves to the later instant between 01:00 and 03:59; croniter's
  // path (any other cron) always takes the later one.
  const daily = dailyPartitionsDefinition({ start_date: '2018-02-16', end_date: '2018-02-19', hour_offset: 23, timezone: 'America/Sao_Paulo' });
  assert.deepEqual(daily.timeWindow('2018-02-17'), { start: '2018-02-17T23:00:00-02:00', end: '2018-02-18T23:00:00-03:00' });
  const yearly = new TimeWindowPartitionsDefinition({ cron: '0 23 17 2 *', start: '2017-01-01', fmt: '%Y-%m-%d', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(yearly.timeWindow('2018-02-17'), { start: '2018-02-17T23:00:00-03:00', end: '2019-02-17T23:00:00-03:00' });
  assert.deepEqual(yearly.timeWindow('2017-02-17'), { start: '2017-02-17T23:00:00-02:00', end: '2018-02-17T23:00:00-03:00' });
});

test('Asia/Kolkata (+05:30): hourly keys fall on the local hour', () => {
  const d = hourlyPartitionsDefinition({ start_date: '2024-01-01-00:00', timezone: 'Asia/Kolkata' });
  const now = new Date('2024-01-01T03:00:00+05:30');
  assert.deepEqual(table(d, now), [
    ['2024-01-01-00:00', '2024-01-01T00:00:00+05:30', '2024-01-01T01:00:00+05:30'],
    ['2024-01-01-01:00', '2024-01-01T01:00:00+05:30', '2024-01-01T02:00:00+05:30'],
    ['2024-01-01-02:00', '2024-01-01T02:00:00+05:30', '2024-01-01T03:00:00+05:30'],
  ]);
  assert.deepEqual(d.keys(new Date('2024-01-01T03:29:00+05:30')).length, 3);
  const quarter = hourlyPartitionsDefinition({ start_date: '2024-01-01-00:00', minute_offset: 15, timezone: 'Asia/Kolkata' });
  assert.deepEqual(quarter.keys(now), ['2024-01-01-00:15', '2024-01-01-01:15']);
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01', timezone: 'Asia/Kolkata' });
  assert.deepEqual(table(daily, new Date('2024-01-03T00:00:00+05:30')), [
    ['2024-01-01', '2024-01-01T00:00:00+05:30', '2024-01-02T00:00:00+05:30'],
    ['2024-01-02', '2024-01-02T00:00:00+05:30', '2024-01-03T00:00:00+05:30'],
  ]);
  assert.equal(d.keyForTimestamp(Date.parse('2024-01-01T01:59:00+05:30')), '2024-01-01-01:00');
});

test('a long hourly listing in a DST zone counts the same as listing', () => {
  const d = hourlyPartitionsDefinition({ start_date: '2015-01-01-00:00', timezone: 'America/Los_Angeles' });
  const now = new Date('2026-01-01T00:00:00Z');
  const keys = d.keys(now);
  assert.equal(d.count(now), keys.length);
  assert.equal(keys.filter((k) => k.endsWith('-0800')).length, 11);
  const springDays = ['2015-03-08', '2016-03-13', '2017-03-12', '2018-03-11', '2019-03-10', '2020-03-08', '2021-03-14',
    '2022-03-13', '2023-03-12', '2024-03-10', '2025-03-09'];
  const keySet = new Set(keys);
  assert.deepEqual(springDays.filter((day) => keySet.has(`${day}-02:00`) || !keySet.has(`${day}-03:00`)), []);
  // One key per elapsed absolute hour from 2015-01-01T08:00Z.
  assert.equal(keys.length, (now.getTime() - Date.parse('2015-01-01T08:00:00Z')) / 3_600_000);
  for (const i of [0, 1, 7000, 50_000, keys.length - 1]) {
    assert.equal(d.keyAtIndex(i, now), keys[i]);
    assert.equal(d.indexOfKey(keys[i], now), i);
  }
});
