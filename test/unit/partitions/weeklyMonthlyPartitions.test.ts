// Weekly and monthly partitions against Dagster's behaviour (vectors W1–W8, M1–M11).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { monthlyPartitionsDefinition, weeklyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';

const at = (iso: string) => new Date(`${iso}Z`);
const weekly = weeklyPartitionsDefinition;
const monthly = monthlyPartitionsDefinition;

test('W1/W2 first Sunday on or after start, and offsets', () => {
  assert.deepEqual(weekly({ start_date: '2021-05-01' }).keys(at('2021-05-18T00:00')), ['2021-05-02', '2021-05-09']);
  const w2 = weekly({ start_date: '2021-05-01', minute_offset: 15, hour_offset: 4, day_offset: 3 });
  assert.deepEqual(w2.keys(at('2021-05-20T00:00')), ['2021-05-05', '2021-05-12']);
  assert.deepEqual(w2.timeWindow('2021-05-05'), { start: '2021-05-05T04:15:00+00:00', end: '2021-05-12T04:15:00+00:00' });
  assert.deepEqual(weekly({ start_date: '2021-05-01' }).timeWindow('2021-05-01'), { start: '2021-05-02T00:00:00+00:00', end: '2021-05-09T00:00:00+00:00' });
});

test('W3–W7', () => {
  const now = at('2021-01-31T01:20');
  assert.deepEqual(weekly({ start_date: '2021-01-01' }).keys(now), ['2021-01-03', '2021-01-10', '2021-01-17', '2021-01-24']);
  assert.equal(weekly({ start_date: '2021-01-01', end_offset: 1 }).keys(now).at(-1), '2021-01-31');
  assert.equal(weekly({ start_date: '2021-01-01', end_offset: 2 }).keys(now).at(-1), '2021-02-07');
  assert.deepEqual(weekly({ start_date: '2021-01-01', end_offset: -2 }).keys(at('2021-01-24T01:20')), ['2021-01-03']);
  assert.deepEqual(weekly({ start_date: '2021-01-04' }).keys(at('2021-01-09T01:20')), []);
  const w7 = weekly({ start_date: '2022-01-01', end_date: '2022-02-01' }).keys(at('2030-01-01T00:00'));
  assert.deepEqual([w7.length, w7[0], w7.at(-1)], [4, '2022-01-02', '2022-01-23']);
});

test('W8/M11 offsets that make invalid crons', () => {
  assert.throws(() => weekly({ start_date: '2021-01-01', day_offset: 8 }), /Found invalid cron schedule '0 0 \* \* 8' for a TimeWindowPartitionsDefinition\./);
  assert.throws(() => monthly({ start_date: '2021-01-01', day_offset: 32 }), /Found invalid cron schedule '0 0 32 \* \*'/);
});

test('M1–M8', () => {
  assert.deepEqual(monthly({ start_date: '2021-05-01' }).keys(at('2021-07-03T00:00')), ['2021-05-01', '2021-06-01']);
  assert.deepEqual(monthly({ start_date: '2021-05-01', end_offset: 2 }).keys(at('2021-07-03T00:00')), ['2021-05-01', '2021-06-01', '2021-07-01', '2021-08-01']);
  const m3 = monthly({ start_date: '2021-05-01', minute_offset: 15, hour_offset: 3, day_offset: 12 });
  assert.deepEqual(m3.keys(at('2021-07-13T00:00')), ['2021-05-12', '2021-06-12']);
  assert.deepEqual(m3.timeWindow('2021-05-01'), { start: '2021-05-12T03:15:00+00:00', end: '2021-06-12T03:15:00+00:00' });
  const now = at('2021-03-01T01:20');
  assert.deepEqual(monthly({ start_date: '2021-01-01' }).keys(now), ['2021-01-01', '2021-02-01']);
  assert.equal(monthly({ start_date: '2021-01-01', end_offset: 1 }).keys(now).at(-1), '2021-03-01');
  assert.equal(monthly({ start_date: '2021-01-01', end_offset: 2 }).keys(now).at(-1), '2021-04-01');
  assert.deepEqual(monthly({ start_date: '2021-01-01', end_offset: -1 }).keys(at('2021-03-27T00:00')), ['2021-01-01']);
  assert.deepEqual(monthly({ start_date: '2021-01-03' }).keys(at('2021-01-31T00:00')), []);
  const m8 = monthly({ start_date: '2022-01-01', end_date: '2023-01-01' }).keys(at('2030-01-01T00:00'));
  assert.deepEqual([m8.length, m8.at(-1)], [12, '2022-12-01']);
});

test('M9/M10 first window with end offsets', () => {
  const first = (endOffset: number, now: string) => monthly({ start_date: '2023-01-01', end_offset: endOffset }).keys(at(now))[0] ?? null;
  assert.equal(first(1, '2023-01-15T00:00'), '2023-01-01');
  assert.equal(first(-1, '2023-01-15T00:00'), null);
  assert.equal(first(-1, '2023-02-01T00:00'), null);
  assert.equal(first(-1, '2023-03-01T00:00'), '2023-01-01');
});

test('monthly on day 31 skips months without that day', () => {
  const d = monthly({ start_date: '2024-01-01', day_offset: 31 });
  assert.deepEqual(d.keys(at('2024-09-01T00:00')), ['2024-01-31', '2024-03-31', '2024-05-31', '2024-07-31']);
  assert.deepEqual(d.timeWindow('2024-01-31'), { start: '2024-01-31T00:00:00+00:00', end: '2024-03-31T00:00:00+00:00' });
  const leap = monthly({ start_date: '2023-12-01', day_offset: 29 });
  assert.deepEqual(leap.keys(at('2025-03-30T00:00')).filter((k) => k.includes('-02-')), ['2024-02-29']);
  assert.equal(leap.count(at('2025-03-30T00:00')), 14);
  assert.equal(leap.keys(at('2025-03-30T00:00')).at(-1), '2025-01-29');
});

test('base class with a cron, JSON round trip, and invalid crons', () => {
  const d = new TimeWindowPartitionsDefinition({ cron: '0 7 * * *', start: '2021-05-05', fmt: '%Y-%m-%d' });
  assert.deepEqual(d.keys(at('2021-05-08T00:00')), ['2021-05-05', '2021-05-06']);
  assert.deepEqual(d.timeWindow('2021-05-06'), { start: '2021-05-06T07:00:00+00:00', end: '2021-05-07T07:00:00+00:00' });
  const back = TimeWindowPartitionsDefinition.fromJSON(d.toJSON() as Extract<ReturnType<typeof d.toJSON>, { kind: 'time_window' }>);
  assert.deepEqual(back.toJSON(), d.toJSON());
  assert.equal(new TimeWindowPartitionsDefinition({ cron: '0 0,11 * * *', start: '2021-05-05', fmt: '%Y-%m-%d' }).scheduleType, null);
  assert.throws(() => new TimeWindowPartitionsDefinition({ cron: '0 -24 * * *', start: '2021-05-05', fmt: '%Y-%m-%d' }), /Found invalid cron schedule '0 -24 \* \* \*'/);
  assert.throws(() => new TimeWindowPartitionsDefinition({ cron: '0 0 30 2 *', start: '2021-05-05', fmt: '%Y-%m-%d' }), /invalid cron/);
});

test('weekly and monthly keep local midnight across DST', () => {
  const d = weekly({ start_date: '2021-03-01', timezone: 'Europe/Berlin' });
  assert.deepEqual(d.keys(new Date('2021-04-05T00:00:00+02:00')), ['2021-03-07', '2021-03-14', '2021-03-21', '2021-03-28']);
  assert.deepEqual(d.timeWindow('2021-03-28'), { start: '2021-03-28T00:00:00+01:00', end: '2021-04-04T00:00:00+02:00' });
});
