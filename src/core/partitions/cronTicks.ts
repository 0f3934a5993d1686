// Cron ticks of a regular schedule as a dense integer sequence, so index ↔ instant needs no enumeration.
import type { RegularCron } from './cronSchedule';
import type { Zone } from './wallClock';
import { DAY_MS, HOUR_MS, MINUTE_MS, fieldsOfWall, instantForWallFold0, tickInstantForWall, wallAt, wallFromFields } from './wallClock';
import { daysInMonth } from './strftime';

/**
 * Ordinals are consecutive integers with one tick each, increasing with time. Hourly ticks step in absolute
 * hours (so a fall-back hour yields both instances and a spring-forward hour none, as Dagster's hourly cron
 * does); the other shapes step in calendar units of the zone's wall clock.
 */
export class CronTicks {
  private readonly hourlyBase: number;

  constructor(private readonly cron: RegularCron, private readonly zone: Zone, anchor: number) {
    if (cron.scheduleType === 'hourly') {
      const f = fieldsOfWall(wallAt(zone, anchor));
      this.hourlyBase = instantForWallFold0(zone, wallFromFields({ ...f, minute: cron.minute, second: 0 }));
    } else {
      this.hourlyBase = 0;
    }
  }

  instantOf(ordinal: number): number {
    const c = this.cron;
    const timeOfDay = c.hour * HOUR_MS + c.minute * MINUTE_MS;
    switch (c.scheduleType) {
      case 'hourly':
        return this.hourlyBase + ordinal * HOUR_MS;
      case 'daily':
        return tickInstantForWall(this.zone, ordinal * DAY_MS + timeOfDay);
      case 'weekly':
        return tickInstantForWall(this.zone, (ordinal * 7 + this.weekPhase()) * DAY_MS + timeOfDay);
      case 'monthly': {
        const mi = this.monthIndexOf(ordinal);
        const year = Math.floor(mi / 12);
        return tickInstantForWall(this.zone, wallFromFields({ year, month: (mi % 12) + 1, day: c.dayOfMonth, hour: c.hour, minute: c.minute, second: 0 }));
      }
    }
  }

  /** Ordinal of the first tick at or after `instant`. */
  ordinalAtOrAfter(instant: number): number {
    let o = this.estimate(instant);
    while (this.instantOf(o - 1) >= instant) o--;
    while (this.instantOf(o) < instant) o++;
    return o;
  }

  /** Ordinal of the last tick at or before `instant`. */
  ordinalAtOrBefore(instant: number): number {
    return this.ordinalAtOrAfter(instant + 1) - 1;
  }

  private estimate(instant: number): number {
    const w = wallAt(this.zone, instant);
    switch (this.cron.scheduleType) {
      case 'hourly':
        return Math.ceil((instant - this.hourlyBase) / HOUR_MS);
      case 'daily':
        return Math.floor(w / DAY_MS);
      case 'weekly':
        return Math.floor((Math.floor(w / DAY_MS) - this.weekPhase()) / 7);
      case 'monthly': {
        const f = fieldsOfWall(w);
        return this.validMonthsBefore(f.year * 12 + f.month - 1);
      }
    }
  }

  // Day 0 (1970-01-01) was a Thursday, cron weekday 4.
  private weekPhase(): number {
    return (((this.cron.dayOfWeek - 4) % 7) + 7) % 7;
  }

  /** Months (counted from January of year 0) before `monthIndex` that contain the cron's day of month. */
  private validMonthsBefore(monthIndex: number): number {
    const d = this.cron.dayOfMonth;
    if (d <= 28) return monthIndex;
    const years = Math.floor(monthIndex / 12);
    let n = years * (d === 31 ? 7 : 11);
    if (d === 29) n += leapYearsBefore(years);
    for (let m = years * 12; m < monthIndex; m++) if (daysInMonth(years, (m % 12) + 1) >= d) n++;
    return n;
  }

  private monthIndexOf(ordinal: number): number {
    if (this.cron.dayOfMonth <= 28) return ordinal;
    // validMonthsBefore is monotonic: find the month m holding the ordinal-th valid month.
    let lo = ordinal;
    let hi = Math.ceil((ordinal + 1) * 12 / 7) + 12;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      if (this.validMonthsBefore(mid + 1) > ordinal) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/** Leap years in [0, years). */
function leapYearsBefore(years: number): number {
  if (years <= 0) return 0;
  const y = years - 1;
  return Math.floor(y / 4) - Math.floor(y / 100) + Math.floor(y / 400) + 1;
}
