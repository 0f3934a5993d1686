// Cross-checks the arithmetic tick sequences and the cron search against brute force over every minute near DST transitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CronSchedule } from '../../../src/core/partitions/cronSchedule';
import { CronTimeline } from '../../../src/core/partitions/cronTimeline';
import { tickSequenceFor } from '../../../src/core/partitions/cronTicks';
import { DAY_MS, MINUTE_MS, zoneForName } from '../../../src/core/partitions/wallClock';

/** Ticks in [from, to] by brute force: every minute instant (hour-repeating crons) or every resolved wall tick. */
function bruteForce(timeline: CronTimeline, from: number, to: number): number[] {
  const zone = timeline.zone;
  const out: number[] = [];
  if (timeline.cron.repeatsEveryHour) {
    for (let t = from; t <= to; t += MINUTE_MS) if (timeline.matchesWall(t + zone.offset(t) * MINUTE_MS)) out.push(t);
    return out;
  }
  let last = Number.NEGATIVE_INFINITY;
  for (let w = from - 2 * DAY_MS; w <= to + 2 * DAY_MS; w += MINUTE_MS) {
    if (!timeline.matchesWall(w)) continue;
    const t = timeline.resolve(w);
    // Dagster's iterator only yields strictly increasing times.
    if (t > last) {
      if (t >= from && t <= to) out.push(t);
      last = t;
    }
  }
  return out;
}

const cases: [string, string, string, number][] = [
  ['0 * * * *', 'America/Los_Angeles', '2024-11-02T00:00:00Z', 4],
  ['*/15 * * * *', 'America/Los_Angeles', '2024-03-09T00:00:00Z', 3],
  ['0 * * * 1-5', 'America/Los_Angeles', '2024-11-01T00:00:00Z', 5],
  ['* * * * *', 'Europe/Berlin', '2024-10-26T20:00:00Z', 1],
  ['0 0 * * *', 'America/Sao_Paulo', '2018-11-01T00:00:00Z', 6],
  ['0 0,11 * * *', 'America/Sao_Paulo', '2018-02-15T00:00:00Z', 5],
  ['30 2 * * *', 'America/Los_Angeles', '2024-03-08T00:00:00Z', 4],
  ['30 1 * * *', 'America/Los_Angeles', '2024-11-01T00:00:00Z', 4],
  ['0 0,2,4 * * *', 'Europe/Berlin', '2024-03-30T00:00:00Z', 3],
  ['0 2 * * 1-5', 'Europe/Berlin', '2024-10-24T00:00:00Z', 5],
  ['0 0 * * 0', 'Australia/Sydney', '2024-03-20T00:00:00Z', 30],
  ['0 0 15 * *', 'Europe/Berlin', '2024-01-01T00:00:00Z', 100],
  ['0 0 31 * *', 'UTC', '2024-01-01T00:00:00Z', 200],
  ['15 * * * *', 'Asia/Kolkata', '2024-01-01T00:00:00Z', 2],
  ['0 23 * * *', 'America/Sao_Paulo', '2018-02-15T00:00:00Z', 5],
  ['0 23 17 2 *', 'America/Sao_Paulo', '2017-01-01T00:00:00Z', 800],
];

for (const [cron, tz, fromIso, days] of cases) {
  test(`${cron} in ${tz}: sequence, search and brute force agree`, () => {
    const { zone } = zoneForName(tz);
    const from = Date.parse(fromIso);
    const to = from + days * DAY_MS;
    const timeline = new CronTimeline(CronSchedule.parse(cron), zone, from);
    const expected = bruteForce(timeline, from, to);
    assert.ok(expected.length > 0);

    const searched: number[] = [];
    for (let t = timeline.atOrAfter(from); t <= to; t = timeline.atOrAfter(t + 1)) searched.push(t);
    assert.deepEqual(searched.map(iso), expected.map(iso), 'search forward');
    const backward: number[] = [];
    for (let t = timeline.atOrBefore(to); t >= from; t = timeline.atOrBefore(t - 1)) backward.unshift(t);
    assert.deepEqual(backward.map(iso), expected.map(iso), 'search backward');

    const seq = tickSequenceFor(timeline.cron, timeline, from);
    const first = seq.ordinalAtOrAfter(from);
    const listed: number[] = [];
    seq.forEach(first, first + expected.length - 1, (t) => listed.push(t));
    assert.deepEqual(listed.map(iso), expected.map(iso), 'sequence');
    expected.forEach((t, i) => {
      assert.equal(seq.instantOf(first + i), t);
      assert.equal(seq.ordinalAtOrAfter(t), first + i);
      assert.equal(seq.ordinalAtOrAfter(t + 1), first + i + 1);
    });
  });
}

function iso(t: number): string {
  return new Date(t).toISOString();
}
