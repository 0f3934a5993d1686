// Wall-clock time in an IANA time zone: instants ↔ local date-times, offsets tabulated per year from Intl.
import { IANAZone } from 'luxon';
import { InvalidPartitionsDefinitionError } from './partitionsDefinition';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * A local date-time encoded as the epoch milliseconds it would have in UTC ("wall ms"): plain integer
 * arithmetic on it is calendar arithmetic, and Date's getUTC* accessors read its fields.
 */
export type WallMs = number;

export interface WallFields {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

/** What the partitions code needs of a time zone. */
export interface Zone {
  readonly isUniversal: boolean;
  /** UTC offset in minutes at an instant. */
  offset(instant: number): number;
  /** The one offset in force from `instant` on (through the tz rules' horizon), or null when it changes. */
  fixedOffsetFrom(instant: number): number | null;
  /** The offset modulo 60 when it stays the same from `instant` on, or null (e.g. Lord Howe's +10:30/+11). */
  minuteResidueFrom(instant: number): number | null;
}

const UTC_ZONE: Zone = { isUniversal: true, offset: () => 0, fixedOffsetFrom: () => 0, minuteResidueFrom: () => 0 };

/** Transitions of one UTC year: `starts[i]` is the instant from which `offsets[i]` applies. */
interface YearTable {
  from: number;
  to: number;
  starts: number[];
  offsets: number[];
}

const SECOND_MS = 1000;

/**
 * An Intl offset lookup costs about 10 µs, so each UTC year is sampled on the 1st and 16th of every month and
 * every change is pinned to the second by bisection. Assumes no zone changes offset twice within 16 days,
 * which holds for the tz database since 1900 apart from a few pre-1950 curiosities.
 */
class TabulatedIanaZone implements Zone {
  readonly isUniversal = false;
  private readonly years = new Map<number, YearTable>();
  private last: YearTable | null = null;
  private readonly fixed: Stability = { value: undefined, verifiedFrom: HORIZON_YEAR };
  private readonly residue: Stability = { value: undefined, verifiedFrom: HORIZON_YEAR };

  constructor(private readonly zone: IANAZone) {}

  offset(instant: number): number {
    let t = this.last;
    if (t === null || instant < t.from || instant >= t.to) {
      t = this.table(utcYearOf(instant));
      this.last = t;
    }
    const s = t.starts;
    let i = s.length - 1;
    while (i > 0 && instant < s[i]) i--;
    return t.offsets[i];
  }

  private table(year: number): YearTable {
    const known = this.years.get(year);
    if (known) return known;
    const from = daysFromCivil(year, 1, 1) * DAY_MS;
    const to = daysFromCivil(year + 1, 1, 1) * DAY_MS;
    const samples: number[] = [];
    for (let m = 0; m < 12; m++) samples.push(from + (dayOfYearStart(year, m)) * DAY_MS, from + (dayOfYearStart(year, m) + 15) * DAY_MS);
    samples.push(to);
    const starts = [from];
    const offsets = [this.zone.offset(from)];
    let prev = offsets[0];
    for (let i = 1; i < samples.length; i++) {
      const o = this.zone.offset(samples[i]);
      if (o === prev) continue;
      let lo = samples[i - 1];
      let hi = samples[i];
      while (hi - lo > SECOND_MS) {
        const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
        if (this.zone.offset(mid) === prev) lo = mid;
        else hi = mid;
      }
      if (hi < to) {
        starts.push(hi);
        offsets.push(o);
      }
      prev = o;
    }
    const table = { from, to, starts, offsets };
    this.years.set(year, table);
    return table;
  }

  fixedOffsetFrom(instant: number): number | null {
    return this.stableFrom(this.fixed, utcYearOf(instant), (o) => o);
  }

  minuteResidueFrom(instant: number): number | null {
    return this.stableFrom(this.residue, utcYearOf(instant), mod60);
  }

  /**
   * Whether `key(offset)` stays the same from `year` on: sampled backwards from the rules' horizon (future years
   * repeat the last rule), stopping at the first change; what was verified is kept for later calls.
   */
  private stableFrom(state: Stability, year: number, key: (offset: number) => number): number | null {
    if (state.value === undefined) {
      state.value = key(this.zone.offset(daysFromCivil(HORIZON_YEAR, 1, 1) * DAY_MS));
      state.verifiedFrom = HORIZON_YEAR;
    }
    for (let y = state.verifiedFrom - 1; y >= year && state.value !== null; y--) {
      for (const o of this.sampledOffsets(y)) if (key(o) !== state.value) state.value = null;
      state.verifiedFrom = y;
    }
    return year > HORIZON_YEAR - 2 ? null : state.value;
  }

  private sampledOffsets(year: number): number[] {
    const known = this.years.get(year);
    if (known) return known.offsets;
    const from = daysFromCivil(year, 1, 1) * DAY_MS;
    const out: number[] = [];
    for (let m = 0; m < 12; m++) out.push(this.zone.offset(from + dayOfYearStart(year, m) * DAY_MS), this.zone.offset(from + (dayOfYearStart(year, m) + 15) * DAY_MS));
    return out;
  }
}

interface Stability {
  value: number | null | undefined;
  verifiedFrom: number;
}

const HORIZON_YEAR = 2040;

function mod60(n: number): number {
  return ((n % 60) + 60) % 60;
}

const MONTH_STARTS = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334];
function dayOfYearStart(year: number, month0: number): number {
  return MONTH_STARTS[month0] + (month0 >= 2 && isLeapYear(year) ? 1 : 0);
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

/** Days since 1970-01-01 → proleptic Gregorian [year, month 1-12, day] (Howard Hinnant's civil_from_days). */
export function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

/** Proleptic Gregorian date → days since 1970-01-01. */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function utcYearOf(instant: number): number {
  return civilFromDays(Math.floor(instant / DAY_MS))[0];
}

const zones = new Map<string, Zone>();

/** "UTC"/"utc" (and a missing timezone) map to fixed UTC as in Dagster; other names must be IANA zones. */
export function zoneForName(name: string | null | undefined): { zone: Zone; name: string } {
  if (name === undefined || name === null || name === '' || name.toUpperCase() === 'UTC') {
    return { zone: UTC_ZONE, name: 'UTC' };
  }
  const known = zones.get(name);
  if (known) return { zone: known, name };
  if (!IANAZone.isValidZone(name)) {
    throw new InvalidPartitionsDefinitionError(
      `Unknown timezone '${name}': expected an IANA time zone name such as "UTC" or "America/New_York".`, 'timezone');
  }
  const zone = new TabulatedIanaZone(IANAZone.create(name));
  zones.set(name, zone);
  return { zone, name };
}

export function wallFromFields(f: WallFields): WallMs {
  return daysFromCivil(f.year, f.month, f.day) * DAY_MS + f.hour * HOUR_MS + f.minute * MINUTE_MS + f.second * SECOND_MS;
}

export function fieldsOfWall(w: WallMs): WallFields {
  const days = Math.floor(w / DAY_MS);
  const [year, month, day] = civilFromDays(days);
  const ms = w - days * DAY_MS;
  return {
    year, month, day,
    hour: Math.floor(ms / HOUR_MS), minute: Math.floor((ms % HOUR_MS) / MINUTE_MS), second: Math.floor((ms % MINUTE_MS) / SECOND_MS),
  };
}

export function offsetMinutes(zone: Zone, instant: number): number {
  return zone.offset(instant);
}

export function wallAt(zone: Zone, instant: number): WallMs {
  return instant + zone.offset(instant) * MINUTE_MS;
}

/** Every instant showing wall time `w`: none in a spring-forward gap, two in a fall-back overlap. */
export function instantsForWall(zone: Zone, w: WallMs): number[] {
  if (zone.isUniversal) return [w];
  const a = zone.offset(w - 36 * HOUR_MS);
  const b = zone.offset(w + 36 * HOUR_MS);
  const found: number[] = [];
  // The later offset yields the earlier instant when it is the larger one (an overlap).
  for (const o of a >= b ? [a, b] : [b, a]) {
    const t = w - o * MINUTE_MS;
    if (zone.offset(t) === o && !found.includes(t)) found.push(t);
  }
  return found.sort((x, y) => x - y);
}

/** Offset in force just before the transition nearest to wall time `w`. */
export function offsetBeforeWall(zone: Zone, w: WallMs): number {
  return zone.offset(w - 36 * HOUR_MS);
}

/** Python's fold=0 reading of a naive time: first occurrence, and in a gap the pre-transition offset. */
export function instantForWallFold0(zone: Zone, w: WallMs): number {
  const found = instantsForWall(zone, w);
  if (found.length > 0) return found[0];
  return w - offsetBeforeWall(zone, w) * MINUTE_MS;
}

/** The end of the spring-forward gap containing wall time `w`: the instant of the transition. */
export function endOfGap(zone: Zone, w: WallMs): number {
  const before = offsetBeforeWall(zone, w);
  const after = zone.offset(w + 36 * HOUR_MS);
  // Gap walls are [T + before, T + after), so T lies in (w - after, w - before].
  let lo = w - after * MINUTE_MS;
  let hi = w - before * MINUTE_MS;
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / SECOND_MS) * SECOND_MS;
    if (zone.offset(mid) === before) lo = mid;
    else hi = mid;
  }
  return hi;
}

/** True when `instant` is the second occurrence of a repeated (fall-back) wall time. */
export function isSecondOccurrence(zone: Zone, instant: number): boolean {
  if (zone.isUniversal) return false;
  const o = zone.offset(instant);
  const earlier = zone.offset(instant - 36 * HOUR_MS);
  if (o >= earlier) return false;
  // A smaller offset now: the wall time also showed (earlier - o) minutes ago under the old offset?
  const w = instant + o * MINUTE_MS;
  const first = w - earlier * MINUTE_MS;
  return first < instant && zone.offset(first) === earlier;
}

/** ISO 8601 with the zone's offset at that instant, seconds always shown, e.g. 2024-01-01T00:00:00+00:00. */
export function isoWithOffset(zone: Zone, instant: number): string {
  return isoWithGivenOffset(instant, zone.offset(instant));
}

export function isoWithGivenOffset(instant: number, off: number): string {
  const f = fieldsOfWall(instant + off * MINUTE_MS);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
