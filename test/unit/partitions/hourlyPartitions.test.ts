// Hourly partitions against Dagster's behaviour: keys, ranges and DST transitions (vectors H1–H16).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dailyPartitionsDefinition, hourlyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';

const hourly = hourlyPartitionsDefinition;
const farFuture = new Date('2030-01-01T00:00:00Z');

test('H1 hourly keys use %Y-%m-%d-%H:%M', () => {
  assert.deepEqual(hourly({ start_date: '2021-05-05-01:00' }).keys(new Date('2021-05-05T03:00Z')), ['2021-05-05-01:00', '2021-05-05-02:00']);
});

test('H2 minute_offset and rounding up to the tick', () => {
  const d = hourly({ start_date: '2021-05-05-01:00', minute_offset: 15 });
  assert.deepEqual(d.keys(new Date('2021-05-05T03:30Z')), ['2021-05-05-01:15', '2021-05-05-02:15']);
  assert.deepEqual(d.timeWindow('2021-05-05-01:00'), { start: '2021-05-05T01:15:00+00:00', end: '2021-05-05T02:15:00+00:00' });
});

test('H3–H5 end_offset', () => {
  const now = new Date('2021-01-01T04:01Z');
  assert.deepEqual(hourly({ start_date: '2021-01-01-00:00' }).keys(now).map((k) => k.slice(11)), ['00:00', '01:00', '02:00', '03:00']);
  assert.equal(hourly({ start_date: '2021-01-01-00:00', end_offset: 1 }).keys(now).at(-1), '2021-01-01-04:00');
  assert.equal(hourly({ start_date: '2021-01-01-00:00', end_offset: 2 }).keys(now).at(-1), '2021-01-01-05:00');
  assert.deepEqual(hourly({ start_date: '2021-01-01-00:00', end_offset: -1 }).keys(new Date('2021-01-01T03:30Z')), ['2021-01-01-00:00', '2021-01-01-01:00']);
});

test('H6 a start between ticks rounds up', () => {
  assert.deepEqual(hourly({ start_date: '2021-01-01-00:02' }).keys(new Date('2021-01-01T00:59Z')), []);
  assert.deepEqual(hourly({ start_date: '2021-01-01-00:02' }).keys(new Date('2021-01-01T02:00Z')), ['2021-01-01-01:00']);
});

test('H7/H8 spring forward: the missing hour has no key', () => {
  assert.deepEqual(hourly({ start_date: '2021-03-14-01:00' }).keys(new Date('2021-03-14T04:01Z')).map((k) => k.slice(11)), ['01:00', '02:00', '03:00']);
  const central = hourly({ start_date: '2021-03-14-01:00', timezone: 'US/Central' });
  assert.deepEqual(central.keys(new Date('2021-03-14T04:01:00-05:00')), ['2021-03-14-01:00', '2021-03-14-03:00']);
  assert.deepEqual(central.timeWindow('2021-03-14-01:00'), { start: '2021-03-14T01:00:00-06:00', end: '2021-03-14T03:00:00-05:00' });
});

test('H9/H10 fall back: the repeated hour gets the offset suffix', () => {
  assert.equal(hourly({ start_date: '2021-11-07-00:00' }).count(new Date('2021-11-07T04:01Z')), 4);
  const central = hourly({ start_date: '2021-11-07-00:00', timezone: 'US/Central' });
  assert.deepEqual(central.keys(new Date('2021-11-07T04:01:00-06:00')),
    ['2021-11-07-00:00', '2021-11-07-01:00', '2021-11-07-01:00-0600', '2021-11-07-02:00', '2021-11-07-03:00']);
  assert.deepEqual(central.timeWindow('2021-11-07-01:00-0600'), { start: '2021-11-07T01:00:00-06:00', end: '2021-11-07T02:00:00-06:00' });
});

test('H11 lenient single-digit hour in end_date, fall back in US/Pacific', () => {
  const d = hourly({ start_date: '2020-10-31-23:00', end_date: '2020-11-01-5:00', timezone: 'US/Pacific' });
  assert.deepEqual(d.keys(farFuture), ['2020-10-31-23:00', '2020-11-01-00:00', '2020-11-01-01:00', '2020-11-01-01:00-0800',
    '2020-11-01-02:00', '2020-11-01-03:00', '2020-11-01-04:00']);
});

test('H12 a fmt with %z gets no extra suffix', () => {
  const d = hourly({ start_date: '2020-10-31-23:00:00-0700', end_date: '2020-11-01-5:00:00-0800', fmt: '%Y-%m-%d-%H:%M:%S%z', timezone: 'US/Pacific' });
  assert.deepEqual(d.keys(farFuture), ['2020-10-31-23:00:00-0700', '2020-11-01-00:00:00-0700', '2020-11-01-01:00:00-0700',
    '2020-11-01-01:00:00-0800', '2020-11-01-02:00:00-0800', '2020-11-01-03:00:00-0800', '2020-11-01-04:00:00-0800']);
});

test('H13/H14 has_partition_key around fall back', () => {
  const pacific = hourly({ start_date: '2020-10-01-00:00', timezone: 'US/Pacific' });
  const utc = hourly({ start_date: '2020-10-01-00:00' });
  const cases: [string, boolean, boolean][] = [
    ['2020-11-01-01:00', true, true], ['2020-11-01-01:00-0800', true, false], ['2020-11-01-02:00', true, true],
    ['2020-11-01-01:00-0700', false, false], ['2020-11-01-02:00-0800', false, false],
  ];
  for (const [key, inPacific, inUtc] of cases) {
    assert.equal(pacific.hasKey(key, farFuture), inPacific, `US/Pacific ${key}`);
    assert.equal(utc.hasKey(key, farFuture), inUtc, `UTC ${key}`);
  }
});

test('H15 a month of hours', () => {
  const d = hourly({ start_date: '2022-01-01-00:00', end_date: '2022-02-01-00:00' });
  const keys = d.keys(farFuture);
  assert.deepEqual([keys.length, keys[0], keys.at(-1), d.count(farFuture)], [744, '2022-01-01-00:00', '2022-01-31-23:00', 744]);
});

test('H16 daily crons never get the DST suffix', () => {
  const d = dailyPartitionsDefinition({ start_date: '2020-10-30-01:00', end_date: '2020-11-03-01:00', hour_offset: 1,
    fmt: '%Y-%m-%d-%H:%M', timezone: 'US/Pacific' });
  assert.deepEqual(d.keys(farFuture), ['2020-10-30-01:00', '2020-10-31-01:00', '2020-11-01-01:00', '2020-11-02-01:00']);
});

test('an hourly start string without a time is rejected', () => {
  assert.throws(() => hourly({ start_date: '2022-01-01' }), /does not match the format '%Y-%m-%d-%H:%M'/);
});
