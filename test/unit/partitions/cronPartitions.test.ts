// Custom crons (vectors C1–C8), croniter's cron grammar, Dagster's cron errors, and excluded dates and crons.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';
import type { TimeWindowPartitionsOptions } from '../../../src/core/partitions/timeWindowPartitionsDefinition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { evaluatePartitionsExpression } from '../../../src/core/definitions/evaluatePartitionsExpression';

const at = (iso: string) => new Date(iso.endsWith('Z') || /[+-]\d\d:\d\d$/.test(iso) ? iso : `${iso}Z`);
const farFuture = at('2030-01-01T00:00');
const def = (o: Partial<TimeWindowPartitionsOptions> & { cron: string; start: string }) =>
  new TimeWindowPartitionsDefinition({ fmt: '%Y-%m-%d', ...o });
const windows = (d: TimeWindowPartitionsDefinition, now: Date) => d.keys(now).map((k) => [k, d.timeWindow(k).start, d.timeWindow(k).end]);

test('C1/C2 twice a day', () => {
  const d = def({ cron: '0 0,11 * * *', fmt: '%Y-%m-%d-%H:%M', start: '2021-05-05-00:00' });
  assert.deepEqual(windows(d, at('2021-05-07T00:00')), [
    ['2021-05-05-00:00', '2021-05-05T00:00:00+00:00', '2021-05-05T11:00:00+00:00'],
    ['2021-05-05-11:00', '2021-05-05T11:00:00+00:00', '2021-05-06T00:00:00+00:00'],
    ['2021-05-06-00:00', '2021-05-06T00:00:00+00:00', '2021-05-06T11:00:00+00:00'],
    ['2021-05-06-11:00', '2021-05-06T11:00:00+00:00', '2021-05-07T00:00:00+00:00'],
  ]);
  assert.deepEqual(d.timeWindow('2021-05-08-11:00'), { start: '2021-05-08T11:00:00+00:00', end: '2021-05-09T00:00:00+00:00' });
  assert.equal(d.scheduleType, null);
});

test('C3 a daily cron at 07:00 keyed by date', () => {
  const d = def({ cron: '0 7 * * *', start: '2021-05-05' });
  assert.deepEqual(windows(d, at('2021-05-08T00:00')), [
    ['2021-05-05', '2021-05-05T07:00:00+00:00', '2021-05-06T07:00:00+00:00'],
    ['2021-05-06', '2021-05-06T07:00:00+00:00', '2021-05-07T07:00:00+00:00'],
  ]);
});

test('C4 every 15 minutes through a fall-back hour', () => {
  const d = def({ cron: '*/15 * * * *', fmt: '%Y-%m-%d-%H:%M', start: '2020-11-01-00:30', end: '2020-11-01-2:30', timezone: 'US/Pacific' });
  const times = ['00:30', '00:45', '01:00', '01:15', '01:30', '01:45', '01:00-0800', '01:15-0800', '01:30-0800', '01:45-0800', '02:00', '02:15'];
  assert.deepEqual(d.keys(farFuture), times.map((t) => `2020-11-01-${t}`));
  assert.deepEqual(d.timeWindow('2020-11-01-01:45'), { start: '2020-11-01T01:45:00-07:00', end: '2020-11-01T01:00:00-08:00' });
  assert.equal(d.hasKey('2020-11-01-01:15-0800', farFuture), true);
  assert.equal(d.indexOfKey('2020-11-01-02:00', farFuture), 10);
});

test('C5 weekdays: Friday\'s window runs to Monday', () => {
  const d = def({ cron: '0 0 * * 1-5', start: '2023-03-27' });
  assert.deepEqual(d.keys(at('2023-04-04T12:00')), ['2023-03-27', '2023-03-28', '2023-03-29', '2023-03-30', '2023-03-31', '2023-04-03']);
  assert.deepEqual(d.timeWindow('2023-03-31'), { start: '2023-03-31T00:00:00+00:00', end: '2023-04-03T00:00:00+00:00' });
  assert.equal(d.scheduleType, null);
  assert.equal(d.hasKey('2023-04-01', farFuture), false);
  assert.deepEqual(d.keysInRange('2023-03-30', '2023-04-03', farFuture), ['2023-03-30', '2023-03-31', '2023-04-03']);
});

test('C6 exclusions drop weekend windows; the others keep their natural end', () => {
  const d = dailyPartitionsDefinition({ start_date: '2024-01-01', exclusions: ['0 0 * * 6,0'] });
  const now = at('2024-01-09T00:00');
  assert.deepEqual(d.keys(now), ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05', '2024-01-08']);
  assert.deepEqual(d.timeWindow('2024-01-05'), { start: '2024-01-05T00:00:00+00:00', end: '2024-01-06T00:00:00+00:00' });
  assert.deepEqual(d.windows(now).map((w) => (w.end - w.start) / 86_400_000), [1, 1, 1, 1, 1, 1]);
  assert.equal(d.count(now), 6);
  assert.equal(d.hasKey('2024-01-06', now), false);
  assert.equal(d.indexOfKey('2024-01-08', now), 5);
  assert.equal(d.keyAtIndex(5, now), '2024-01-08');
  assert.deepEqual(d.keysInRange('2024-01-04', '2024-01-08', now), ['2024-01-04', '2024-01-05', '2024-01-08']);
  // The window containing now (2024-01-08 at 12:00) is not elapsed; a Sunday now ends with Friday.
  assert.equal(d.keys(at('2024-01-08T12:00')).at(-1), '2024-01-05');
  assert.equal(d.keys(at('2024-01-07T12:00')).at(-1), '2024-01-05');
});

test('exclusions by datetime, and invalid exclusion crons listed in one error', () => {
  const d = dailyPartitionsDefinition({ start_date: '2024-01-01', exclusions: [new Date(Date.UTC(2024, 0, 3)), new Date(Date.UTC(2024, 0, 3, 12))] });
  assert.deepEqual(d.keys(at('2024-01-06T00:00')), ['2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05']);
  assert.deepEqual(d.timeWindow('2024-01-02'), { start: '2024-01-02T00:00:00+00:00', end: '2024-01-03T00:00:00+00:00' });
  assert.throws(() => dailyPartitionsDefinition({ start_date: '2024-01-01', exclusions: ['0 0 * * 6', 'bad', '0 0 * * 9'] }),
    { message: "Found invalid cron schedule(s) 'bad', '0 0 * * 9' in the exclusions argument of a TimeWindowPartitionsDefinition." });
  const berlin = dailyPartitionsDefinition({ start_date: '2024-03-29', timezone: 'Europe/Berlin', exclusions: [new Date(Date.UTC(2024, 2, 31))] });
  assert.deepEqual(berlin.keys(at('2024-04-03T00:00:00+02:00')), ['2024-03-29', '2024-03-30', '2024-04-01', '2024-04-02']);
  assert.deepEqual(berlin.timeWindow('2024-03-30'), { start: '2024-03-30T00:00:00+01:00', end: '2024-03-31T00:00:00+01:00' });
});

test('C7/W8-style invalid crons give Dagster\'s message', () => {
  const bad = ['0 -24 * * *', '0 0 30 2 *', '0 0 31 2 *', '61 * * * *', '0 24 * * *', '0 0 0 * *', '0 0 * 13 *', '0 0 * * 8',
    '* * * *', '0 * * * * *', '0 0 * * MON#6', '*/0 * * * *', '5-1 * * * *', 'H * * * *', '0 0 * * 1,2#1', '0 0 * JANUARY *',
    '0 0 31 4,6 *'];
  for (const cron of bad) {
    assert.throws(() => def({ cron, start: '2024-01-01' }),
      { message: `Found invalid cron schedule '${cron}' for a TimeWindowPartitionsDefinition.` }, cron);
  }
});

test('C8 a custom fmt with slashes', () => {
  assert.deepEqual(dailyPartitionsDefinition({ start_date: '2021/05/07', fmt: '%Y/%m/%d' }).keys(at('2021-05-10T00:00')),
    ['2021/05/07', '2021/05/08', '2021/05/09']);
});

test('cron grammar: names, 7 = Sunday, ranges with steps, aliases', () => {
  const keysOf = (cron: string, start: string, now: string, fmt = '%Y-%m-%d') => def({ cron, start, fmt }).keys(at(now));
  const weekdays = keysOf('30 9 * * MON-FRI', '2024-01-01', '2024-01-15T00:00');
  assert.deepEqual(weekdays, keysOf('30 9 * * 1-5', '2024-01-01', '2024-01-15T00:00'));
  assert.equal(weekdays.length, 9);
  assert.deepEqual(keysOf('0 0 * * 7', '2024-01-01', '2024-01-29T00:00'), keysOf('0 0 * * sun', '2024-01-01', '2024-01-29T00:00'));
  assert.deepEqual(keysOf('0 0 * * 7', '2024-01-01', '2024-01-29T00:00'), ['2024-01-07', '2024-01-14', '2024-01-21']);
  assert.deepEqual(keysOf('0 0 1 JAN,jul *', '2023-01-01', '2025-01-02T00:00'), ['2023-01-01', '2023-07-01', '2024-01-01', '2024-07-01']);
  assert.deepEqual(keysOf('0 1-5/2 * * *', '2024-01-01-00:00', '2024-01-02T00:00', '%Y-%m-%d-%H:%M'), ['2024-01-01-01:00', '2024-01-01-03:00']);
  assert.deepEqual(keysOf('10/20 0 * * *', '2024-01-01-00:00', '2024-01-02T00:00', '%Y-%m-%d-%H:%M'), ['2024-01-01-00:10', '2024-01-01-00:30']);
  assert.deepEqual(keysOf('0 0 * * 5-0', '2024-01-01', '2024-01-08T00:00'), ['2024-01-05', '2024-01-06']);
  assert.deepEqual(keysOf('@daily', '2024-01-01', '2024-01-03T00:00'), ['2024-01-01', '2024-01-02']);
  assert.equal(def({ cron: '@daily', start: '2024-01-01' }).cron, '@daily');
});

test('day of month OR day of week when both are restricted', () => {
  const d = def({ cron: '0 12 1,15 * 5', start: '2024-05-01' });
  assert.deepEqual(d.keys(at('2024-06-01T00:00')), ['2024-05-01', '2024-05-03', '2024-05-10', '2024-05-15', '2024-05-17', '2024-05-24']);
  // With one field "*" the other alone decides.
  assert.deepEqual(def({ cron: '0 0 * * 5', start: '2024-05-01' }).keys(at('2024-05-20T00:00')), ['2024-05-03', '2024-05-10']);
  // croniter keeps "1-31" as a list when the weekday field has no "*", so the OR makes it every day.
  assert.equal(def({ cron: '0 0 1-31 * 1', start: '2024-05-01' }).count(at('2024-05-11T00:00')), 10);
});

test('last day of month, nth and last weekday', () => {
  assert.deepEqual(def({ cron: '0 0 L * *', start: '2024-01-01' }).keys(at('2024-06-01T00:00')), ['2024-01-31', '2024-02-29', '2024-03-31', '2024-04-30']);
  assert.deepEqual(def({ cron: '0 0 * * 5#3', start: '2024-01-01' }).keys(at('2024-04-01T00:00')), ['2024-01-19', '2024-02-16']);
  assert.deepEqual(def({ cron: '0 0 * * L5', start: '2024-01-01' }).keys(at('2024-04-01T00:00')), ['2024-01-26', '2024-02-23']);
  assert.deepEqual(def({ cron: '0 0 29 2 *', start: '2019-01-01' }).keys(at('2029-01-01T00:00')), ['2020-02-29', '2024-02-29']);
});

test('schedule_type recognises only the four regular shapes', () => {
  const type = (cron: string) => def({ cron, start: '2024-01-01' }).scheduleType;
  assert.deepEqual(['15 * * * *', '0 3 * * *', '0 0 * * 1', '0 0 12 * *', '*/15 * * * *', '0 0 * * 1-5', '0 0 1 1 *'].map(type),
    ['hourly', 'daily', 'weekly', 'monthly', null, null, null]);
});

test('arbitrary crons and exclusions from Python', () => {
  const tw = evaluatePartitionsExpression('TimeWindowPartitionsDefinition(cron_schedule="*/30 9-10 * * MON-FRI", start="2024-01-05-00:00", fmt="%Y-%m-%d-%H:%M")');
  assert.deepEqual(tw.keys(at('2024-01-09T00:00')), ['2024-01-05-09:00', '2024-01-05-09:30', '2024-01-05-10:00', '2024-01-05-10:30',
    '2024-01-08-09:00', '2024-01-08-09:30', '2024-01-08-10:00']);
  const daily = evaluatePartitionsExpression('DailyPartitionsDefinition(start_date="2024-01-01", exclusions=["0 0 * * 6,0", datetime(2024, 1, 3)])');
  assert.deepEqual(daily.keys(at('2024-01-09T00:00')), ['2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05', '2024-01-08']);
  assert.throws(() => evaluatePartitionsExpression('DailyPartitionsDefinition(start_date="2024-01-01", exclusions=["nope"])'),
    /Found invalid cron schedule\(s\) 'nope' in the exclusions argument/);
  assert.throws(() => evaluatePartitionsExpression('TimeWindowPartitionsDefinition(cron_schedule="0 0 30 2 *", start="2024-01-01", fmt="%Y-%m-%d")'),
    /Found invalid cron schedule '0 0 30 2 \*' for a TimeWindowPartitionsDefinition\./);
});

test('exclusions are part of the JSON form and survive a round trip', () => {
  const def = new TimeWindowPartitionsDefinition({ cron: '0 0 * * *', start: '2024-01-01', fmt: '%Y-%m-%d', exclusions: ['0 0 * * 6,0', new Date(Date.UTC(2024, 0, 3))] });
  const json = def.toJSON();
  assert.deepEqual(json.kind === 'time_window' ? json.exclusions : null, ['0 0 * * 6,0', '2024-01-03T00:00:00+00:00']);
  const back = TimeWindowPartitionsDefinition.fromJSON(json as Extract<typeof json, { kind: 'time_window' }>);
  const now = new Date('2024-01-10T00:00:00Z');
  assert.deepEqual(back.keys(now), def.keys(now));
  assert.deepEqual(def.keys(now), ['2024-01-01', '2024-01-02', '2024-01-04', '2024-01-05', '2024-01-08', '2024-01-09']);
});
