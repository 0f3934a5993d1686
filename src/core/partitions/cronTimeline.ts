// Cron ticks of any five-field cron as instants in a time zone, with Dagster's DST choices, found by search.
import type { CronSchedule } from './cronSchedule';
import type { WallMs, Zone } from './wallClock';
import {
  DAY_MS, HOUR_MS, MINUTE_MS, civilFromDays, endOfGap, instantsForWall, offsetBeforeWall,
} from './wallClock';
import { PartitionsError } from './partitionsDefinition';

const MINUTES_PER_DAY = 1440;
/** Transitions are assumed at least this far apart (see TabulatedIanaZone). */
const QUIET_MS = 16 * DAY_MS;
/** A DST shift moves a tick by less than this. */
const SHIFT_MS = 3 * HOUR_MS;
/** No valid cron goes longer than eight years (Feb 29 around 2100) without a matching day. */
const MAX_DAYS_SEARCHED = 366 * 30;

/**
 * Ticks follow Dagster's `cron_string_iterator`. Crons whose hour field is `*` tick at every instant whose
 * wall time matches: a spring-forward time has no tick, a fall-back time has two. Other crons tick once per
 * matching wall time: in a gap at 01:00-03:59 the tick moves to the end of the gap, elsewhere it keeps its
 * pre-transition offset (Python's fold=0); an ambiguous time takes the later instant, except that Dagster's
 * daily/weekly/monthly special case takes the earlier one outside 01:00-03:59.
 */
export class CronTimeline {
  private readonly firstMinuteAtOrAfter = new Int16Array(MINUTES_PER_DAY + 1);
  private readonly lastMinuteAtOrBefore = new Int16Array(MINUTES_PER_DAY);
  private readonly minuteMask = new Uint8Array(MINUTES_PER_DAY);
  private readonly everyInstant: boolean;
  private readonly fixedOffset: number | null;

  constructor(readonly cron: CronSchedule, readonly zone: Zone, anchor: number) {
    const mins = cron.minutesOfDay;
    for (const m of mins) this.minuteMask[m] = 1;
    let next = -1;
    for (let m = MINUTES_PER_DAY; m >= 0; m--) {
      if (m < MINUTES_PER_DAY && this.minuteMask[m] === 1) next = m;
      this.firstMinuteAtOrAfter[m] = next;
    }
    let prev = -1;
    for (let m = 0; m < MINUTES_PER_DAY; m++) {
      if (this.minuteMask[m] === 1) prev = m;
      this.lastMinuteAtOrBefore[m] = prev;
    }
    this.everyInstant = cron.repeatsEveryHour;
    this.fixedOffset = zone.fixedOffsetFrom(anchor - DAY_MS);
  }

  matchesDayNumber(day: number): boolean {
    const [y, m, d] = civilFromDays(day);
    return this.cron.matchesDay(y, m, d, (((day + 4) % 7) + 7) % 7);
  }

  matchesWall(w: WallMs): boolean {
    if (w % MINUTE_MS !== 0) return false;
    const day = Math.floor(w / DAY_MS);
    return this.minuteMask[(w - day * DAY_MS) / MINUTE_MS] === 1 && this.matchesDayNumber(day);
  }

  /** Smallest matching wall time >= w. */
  nextWall(w: WallMs): WallMs {
    const minute = Math.ceil(w / MINUTE_MS);
    let day = Math.floor(minute / MINUTES_PER_DAY);
    let mod = minute - day * MINUTES_PER_DAY;
    for (let i = 0; i < MAX_DAYS_SEARCHED; i++, day++, mod = 0) {
      const m = this.firstMinuteAtOrAfter[mod];
      if (m >= 0 && this.matchesDayNumber(day)) return (day * MINUTES_PER_DAY + m) * MINUTE_MS;
    }
    throw new PartitionsError(`Cron schedule '${this.cron.text}' has no tick within 30 years.`);
  }

  /** Largest matching wall time <= w. */
  prevWall(w: WallMs): WallMs {
    const minute = Math.floor(w / MINUTE_MS);
    let day = Math.floor(minute / MINUTES_PER_DAY);
    let mod = minute - day * MINUTES_PER_DAY;
    for (let i = 0; i < MAX_DAYS_SEARCHED; i++, day--, mod = MINUTES_PER_DAY - 1) {
      const m = this.lastMinuteAtOrBefore[mod];
      if (m >= 0 && this.matchesDayNumber(day)) return (day * MINUTES_PER_DAY + m) * MINUTE_MS;
    }
    throw new PartitionsError(`Cron schedule '${this.cron.text}' has no tick within 30 years.`);
  }

  /** The one instant a wall tick of a cron that does not repeat every hour maps to. */
  resolve(w: WallMs): number {
    if (this.fixedOffset !== null) return w - this.fixedOffset * MINUTE_MS;
    const found = instantsForWall(this.zone, w);
    if (found.length === 1) return found[0];
    const hour = Math.floor((w - Math.floor(w / DAY_MS) * DAY_MS) / HOUR_MS);
    const earlyMorning = hour >= 1 && hour <= 3;
    if (found.length === 2) return this.cron.iterationShape !== null && !earlyMorning ? found[0] : found[1];
    return earlyMorning ? endOfGap(this.zone, w) : w - offsetBeforeWall(this.zone, w) * MINUTE_MS;
  }

  /** Smallest tick >= x. */
  atOrAfter(x: number): number {
    const o = this.zone.offset(x);
    const t = this.nextWall(x + o * MINUTE_MS) - o * MINUTE_MS;
    // Without a transition between x and t (widened by a shift, for moved ticks), wall time runs straight.
    if (this.fixedOffset !== null || (t - x < QUIET_MS && this.zone.offset(t) === o && (this.everyInstant || (this.zone.offset(x - SHIFT_MS) === o && this.zone.offset(t + SHIFT_MS) === o)))) {
      return t;
    }
    let best = Number.POSITIVE_INFINITY;
    for (let w = this.nextWall(x + o * MINUTE_MS - SHIFT_MS); ; w = this.nextWall(w + MINUTE_MS)) {
      for (const c of this.instantsOfWall(w)) if (c >= x && c < best) best = c;
      if (best !== Number.POSITIVE_INFINITY && w > best + this.zone.offset(best) * MINUTE_MS + SHIFT_MS) return best;
    }
  }

  /** Largest tick <= x. */
  atOrBefore(x: number): number {
    const o = this.zone.offset(x);
    const t = this.prevWall(x + o * MINUTE_MS) - o * MINUTE_MS;
    if (this.fixedOffset !== null || (x - t < QUIET_MS && this.zone.offset(t) === o && (this.everyInstant || (this.zone.offset(x + SHIFT_MS) === o && this.zone.offset(t - SHIFT_MS) === o)))) {
      return t;
    }
    let best = Number.NEGATIVE_INFINITY;
    for (let w = this.prevWall(x + o * MINUTE_MS + SHIFT_MS); ; w = this.prevWall(w - MINUTE_MS)) {
      for (const c of this.instantsOfWall(w)) if (c <= x && c > best) best = c;
      if (best !== Number.NEGATIVE_INFINITY && w < best + this.zone.offset(best) * MINUTE_MS - SHIFT_MS) return best;
    }
  }

  private instantsOfWall(w: WallMs): number[] {
    return this.everyInstant ? instantsForWall(this.zone, w) : [this.resolve(w)];
  }

  /**
   * The UTC offset a key is formatted with. Dagster formats the datetime its iterator produced, which for a
   * tick kept at a nonexistent time (outside 01:00-03:59) still shows that wall time with the old offset.
   */
  displayOffset(t: number): number {
    if (this.fixedOffset !== null) return this.fixedOffset;
    const o = this.zone.offset(t);
    if (this.everyInstant) return o;
    const before = this.zone.offset(t - DAY_MS);
    if (o <= before) return o;
    const w = t + before * MINUTE_MS;
    const hour = Math.floor((w - Math.floor(w / DAY_MS) * DAY_MS) / HOUR_MS);
    if (hour >= 1 && hour <= 3) return o;
    return this.matchesWall(w) && instantsForWall(this.zone, w).length === 0 ? before : o;
  }
}
