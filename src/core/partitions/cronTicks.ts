// Cron ticks as a dense ordinal sequence; regular schedules get arithmetic forms, others iteration.
import type { CronSchedule } from './cronSchedule';
import type { CronTimeline } from './cronTimeline';
import { IteratedTicks } from './iteratedTicks';
import type { TickSequence } from './tickSequence';

export type { TickSequence } from './tickSequence';
import { DAY_MS, HOUR_MS, MINUTE_MS, daysFromCivil, isLeapYear, wallAt } from './wallClock';

/** The best sequence for `cron` in its timeline's zone; `anchor` is where the definition starts. */
export function tickSequenceFor(cron: CronSchedule, timeline: CronTimeline, anchor: number): TickSequence {
  const zone = timeline.zone;
  const weekly = !cron.dowStar && !cron.hasNthWeekday;
  const wallPeriodic = cron.domStar && cron.monthStar && (cron.dowStar || weekly);
  if (cron.repeatsEveryHour) {
    // Every hour has the same minutes, so as long as the offset's minutes stay put the ticks are periodic in absolute time.
    const residue = zone.minuteResidueFrom(anchor - DAY_MS);
    if (wallPeriodic && cron.dowStar && residue !== null) {
      return new AbsoluteHourlyTicks([...new Set(cron.minutes.map((m) => (((m - residue) % 60) + 60) % 60))].sort((a, b) => a - b));
    }
    if (wallPeriodic && zone.fixedOffsetFrom(anchor - DAY_MS) !== null) return new WallPeriodicTicks(cron, timeline);
  } else {
    if (wallPeriodic && (zone.fixedOffsetFrom(anchor - DAY_MS) !== null || minSpacing(cron) >= 3 * 60)) {
      return new WallPeriodicTicks(cron, timeline);
    }
    if (cron.dowStar && cron.monthStar && !cron.domStar && !cron.lastDay && cron.days.length === 1 && cron.minutesOfDay.length === 1) {
      return new MonthlyTicks(cron, timeline);
    }
  }
  return new IteratedTicks({
    atOrAfter: (x) => timeline.atOrAfter(x),
    after: (t) => timeline.atOrAfter(t + 1),
    before: (t) => timeline.atOrBefore(t - 1),
  }, anchor);
}

/** Smallest gap in minutes between consecutive ticks of a day, counting the wrap to the next day. */
function minSpacing(cron: CronSchedule): number {
  const m = cron.minutesOfDay;
  let min = m[0] + 1440 - m[m.length - 1];
  for (let i = 1; i < m.length; i++) min = Math.min(min, m[i] - m[i - 1]);
  return min;
}

abstract class ArithmeticTicks implements TickSequence {
  abstract instantOf(ordinal: number): number;
  abstract ordinalAtOrAfter(instant: number): number;

  forEach(from: number, to: number, fn: (instant: number) => void): void {
    for (let o = from; o <= to; o++) fn(this.instantOf(o));
  }

  after(t: number): number {
    return this.instantOf(this.ordinalAtOrAfter(t + 1));
  }

  before(t: number): number {
    return this.instantOf(this.ordinalAtOrAfter(t) - 1);
  }
}

/** Ticks at fixed minutes of every absolute hour (UTC minutes); ordinal 0 is in the hour starting at the epoch. */
class AbsoluteHourlyTicks extends ArithmeticTicks {
  private readonly n: number;
  private readonly firstIndexAtOrAfterMinute = new Int8Array(61);

  constructor(private readonly utcMinutes: number[]) {
    super();
    this.n = utcMinutes.length;
    for (let m = 0, i = 0; m <= 60; m++) {
      while (i < this.n && utcMinutes[i] < m) i++;
      this.firstIndexAtOrAfterMinute[m] = i;
    }
  }

  instantOf(ordinal: number): number {
    const h = Math.floor(ordinal / this.n);
    return h * HOUR_MS + this.utcMinutes[ordinal - h * this.n] * MINUTE_MS;
  }

  ordinalAtOrAfter(instant: number): number {
    const h = Math.floor(instant / HOUR_MS);
    return h * this.n + this.firstIndexAtOrAfterMinute[Math.ceil((instant - h * HOUR_MS) / MINUTE_MS)];
  }

  override forEach(from: number, to: number, fn: (instant: number) => void): void {
    const n = this.n;
    let h = Math.floor(from / n);
    let i = from - h * n;
    let base = h * HOUR_MS;
    for (let o = from; o <= to; o++) {
      fn(base + this.utcMinutes[i] * MINUTE_MS);
      if (++i === n) {
        i = 0;
        h++;
        base = h * HOUR_MS;
      }
    }
  }
}

/**
 * Ticks whose wall times repeat every day (or every week when weekdays are restricted). Each wall tick maps
 * to one instant through the timeline's DST rules, which keeps order while ticks are 3 hours apart or the
 * zone has a fixed offset.
 */
class WallPeriodicTicks extends ArithmeticTicks {
  private readonly period: number;
  private readonly offsets: number[];
  // 1969-12-28, a Sunday, so weekly periods start on Sunday.
  private readonly origin = -4 * DAY_MS;

  constructor(cron: CronSchedule, private readonly timeline: CronTimeline) {
    super();
    const days = cron.dowStar ? [0] : cron.weekdays;
    this.period = cron.dowStar ? DAY_MS : 7 * DAY_MS;
    this.offsets = days.flatMap((d) => cron.minutesOfDay.map((m) => d * DAY_MS + m * MINUTE_MS));
  }

  instantOf(ordinal: number): number {
    const n = this.offsets.length;
    const p = Math.floor(ordinal / n);
    return this.timeline.resolve(this.origin + p * this.period + this.offsets[ordinal - p * n]);
  }

  ordinalAtOrAfter(instant: number): number {
    const n = this.offsets.length;
    const rel = wallAt(this.timeline.zone, instant) - this.origin;
    const p = Math.floor(rel / this.period);
    const r = rel - p * this.period;
    let i = 0;
    while (i < n && this.offsets[i] < r) i++;
    let o = p * n + i;
    while (this.instantOf(o - 1) >= instant) o--;
    while (this.instantOf(o) < instant) o++;
    return o;
  }
}

/** One tick a month on a fixed day; months without that day (29-31) have none. Ordinals count months from year 0. */
class MonthlyTicks extends ArithmeticTicks {
  private readonly day: number;
  private readonly timeOfDay: number;

  constructor(cron: CronSchedule, private readonly timeline: CronTimeline) {
    super();
    this.day = cron.days[0];
    this.timeOfDay = cron.minutesOfDay[0] * MINUTE_MS;
  }

  instantOf(ordinal: number): number {
    const mi = this.monthIndexOf(ordinal);
    const year = Math.floor(mi / 12);
    return this.timeline.resolve(daysFromCivil(year, mi - year * 12 + 1, this.day) * DAY_MS + this.timeOfDay);
  }

  ordinalAtOrAfter(instant: number): number {
    const w = wallAt(this.timeline.zone, instant);
    const d = new Date(w);
    let o = this.validMonthsBefore(d.getUTCFullYear() * 12 + d.getUTCMonth());
    while (this.instantOf(o - 1) >= instant) o--;
    while (this.instantOf(o) < instant) o++;
    return o;
  }

  /** Months (counted from January of year 0) before `monthIndex` that contain the day. */
  private validMonthsBefore(monthIndex: number): number {
    const d = this.day;
    if (d <= 28) return monthIndex;
    const years = Math.floor(monthIndex / 12);
    let n = years * (d === 31 ? 7 : 11);
    if (d === 29) n += leapYearsBefore(years);
    for (let m = years * 12; m < monthIndex; m++) if (daysInMonth(years, (m % 12) + 1) >= d) n++;
    return n;
  }

  private monthIndexOf(ordinal: number): number {
    if (this.day <= 28) return ordinal;
    let lo = Math.floor(ordinal) - 1;
    let hi = Math.ceil(((ordinal + 1) * 12) / 7) + 12;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.validMonthsBefore(mid + 1) > ordinal) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Leap years in [0, years). */
function leapYearsBefore(years: number): number {
  if (years <= 0) return 0;
  const y = years - 1;
  return Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + 1;
}
