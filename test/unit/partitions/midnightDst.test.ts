// Daily partitions in zones whose clocks change at midnight (America/Havana, Asia/Beirut), and the "now" boundary
// on such a day: keys, windows, counts and index <-> key.
//
// Vectors computed with Python 3.11 zoneinfo following Dagster's cron_string_iterator for "0 0 * * *"
// (_utils/schedules.py): each tick is the day's 00:00 wall time with fold=0, a wall-clock day after the last
// (apply_post_transition and _apply_fold act only in hours 1-3), so a nonexistent midnight keeps the
// pre-transition offset (it is the instant 01:00 after the jump) and an ambiguous one is the first occurrence:
//   datetime(y, m, d, tzinfo=ZoneInfo(zone)).timestamp(), shown with datetime.fromtimestamp(ts, tz).isoformat().
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import type { TimeWindowPartitionsDefinition } from '../../../src/core/partitions/timeWindowPartitionsDefinition';

const farFuture = new Date('2030-01-01T00:00:00Z');

function table(d: TimeWindowPartitionsDefinition, now = farFuture): [string, string, string][] {
  return d.keys(now).map((k) => {
    const w = d.timeWindow(k);
    return [k, w.start, w.end];
  });
}

/** keys(), count(), keyAtIndex() and indexOfKey() must agree at `now`. */
function assertIndexesAgree(d: TimeWindowPartitionsDefinition, now: Date): void {
  const keys = d.keys(now);
  assert.equal(d.count(now), keys.length);
  keys.forEach((k, i) => {
    assert.equal(d.keyAtIndex(i, now), k);
    assert.equal(d.indexOfKey(k, now), i);
  });
}

test('America/Havana: no midnight on 2023-03-12, two on 2023-11-05 (the first one is the tick)', () => {
  const spring = dailyPartitionsDefinition({ start_date: '2023-03-11', end_date: '2023-03-14', timezone: 'America/Havana' });
  assert.deepEqual(table(spring), [
    ['2023-03-11', '2023-03-11T00:00:00-05:00', '2023-03-12T01:00:00-04:00'],
    ['2023-03-12', '2023-03-12T01:00:00-04:00', '2023-03-13T00:00:00-04:00'],
    ['2023-03-13', '2023-03-13T00:00:00-04:00', '2023-03-14T00:00:00-04:00'],
  ]);
  assert.equal(spring.hasKey('2023-03-12', farFuture), true);
  assertIndexesAgree(spring, farFuture);
  const fall = dailyPartitionsDefinition({ start_date: '2023-11-04', end_date: '2023-11-07', timezone: 'America/Havana' });
  assert.deepEqual(table(fall), [
    ['2023-11-04', '2023-11-04T00:00:00-04:00', '2023-11-05T00:00:00-04:00'],
    ['2023-11-05', '2023-11-05T00:00:00-04:00', '2023-11-06T00:00:00-05:00'],
    ['2023-11-06', '2023-11-06T00:00:00-05:00', '2023-11-07T00:00:00-05:00'],
  ]);
  assertIndexesAgree(fall, farFuture);
});

test('Asia/Beirut: no midnight on 2023-03-26, a 25-hour 2023-10-28', () => {
  const spring = dailyPartitionsDefinition({ start_date: '2023-03-25', end_date: '2023-03-28', timezone: 'Asia/Beirut' });
  assert.deepEqual(table(spring), [
    ['2023-03-25', '2023-03-25T00:00:00+02:00', '2023-03-26T01:00:00+03:00'],
    ['2023-03-26', '2023-03-26T01:00:00+03:00', '2023-03-27T00:00:00+03:00'],
    ['2023-03-27', '2023-03-27T00:00:00+03:00', '2023-03-28T00:00:00+03:00'],
  ]);
  const fall = dailyPartitionsDefinition({ start_date: '2023-10-28', end_date: '2023-10-31', timezone: 'Asia/Beirut' });
  assert.deepEqual(table(fall), [
    ['2023-10-28', '2023-10-28T00:00:00+03:00', '2023-10-29T00:00:00+02:00'],
    ['2023-10-29', '2023-10-29T00:00:00+02:00', '2023-10-30T00:00:00+02:00'],
    ['2023-10-30', '2023-10-30T00:00:00+02:00', '2023-10-31T00:00:00+02:00'],
  ]);
  assertIndexesAgree(fall, farFuture);
});

test('now on a day whose midnight does not exist: the window ends at the jump (01:00 local)', () => {
  // America/Sao_Paulo 2018-11-04 00:00 -03:00 became 01:00 -02:00, i.e. 2018-11-04T03:00Z.
  const d = dailyPartitionsDefinition({ start_date: '2018-11-02', timezone: 'America/Sao_Paulo' });
  assert.deepEqual(d.keys(new Date('2018-11-04T02:59:59Z')), ['2018-11-02']);
  assert.deepEqual(d.keys(new Date('2018-11-04T03:00:00Z')), ['2018-11-02', '2018-11-03']);
  // The 23-hour 2018-11-04 ends at 2018-11-05 00:00 -02:00 = 02:00Z.
  assert.deepEqual(d.keys(new Date('2018-11-05T01:59:59Z')), ['2018-11-02', '2018-11-03']);
  assert.deepEqual(d.keys(new Date('2018-11-05T02:00:00Z')), ['2018-11-02', '2018-11-03', '2018-11-04']);
  const offset = dailyPartitionsDefinition({ start_date: '2018-11-02', timezone: 'America/Sao_Paulo', end_offset: 1 });
  assert.deepEqual(offset.keys(new Date('2018-11-04T03:00:00Z')), ['2018-11-02', '2018-11-03', '2018-11-04']);
  const negative = dailyPartitionsDefinition({ start_date: '2018-11-02', timezone: 'America/Sao_Paulo', end_offset: -1 });
  assert.deepEqual(negative.keys(new Date('2018-11-05T02:00:00Z')), ['2018-11-02', '2018-11-03']);
  for (const now of ['2018-11-04T03:00:00Z', '2018-11-05T02:00:00Z', '2018-11-30T00:00:00Z']) assertIndexesAgree(d, new Date(now));
});

test('America/Los_Angeles daily across November: a 25-hour day, counted arithmetically', () => {
  const d = dailyPartitionsDefinition({ start_date: '2024-11-02', end_date: '2024-11-05', timezone: 'America/Los_Angeles' });
  assert.deepEqual(table(d), [
    ['2024-11-02', '2024-11-02T00:00:00-07:00', '2024-11-03T00:00:00-07:00'],
    ['2024-11-03', '2024-11-03T00:00:00-07:00', '2024-11-04T00:00:00-08:00'],
    ['2024-11-04', '2024-11-04T00:00:00-08:00', '2024-11-05T00:00:00-08:00'],
  ]);
  // 2024-11-04 ends at 2024-11-05T08:00Z; a second before, it does not exist yet.
  const open = dailyPartitionsDefinition({ start_date: '2024-11-02', timezone: 'America/Los_Angeles' });
  assert.equal(open.count(new Date('2024-11-05T07:59:59Z')), 2);
  assert.equal(open.count(new Date('2024-11-05T08:00:00Z')), 3);
  assertIndexesAgree(open, new Date('2025-03-20T00:00:00Z'));
});
