// Wall-clock time in an IANA time zone: instants ↔ local date-times, with Dagster's DST choices.
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

/** What the partitions code needs of a time zone: its UTC offset in minutes at an instant. */
export interface Zone {
  readonly isUniversal: boolean;
  offset(instant: number): number;
}

const UTC_ZONE: Zone = { isUniversal: true, offset: () => 0 };
const BUCKET_MS = 86_400_000;
const MAX_CACHED_BUCKETS = 200_000;

/**
 * Intl-based offset lookups cost microseconds each and key listing makes several per key, so offsets are
 * memoized per day-long bucket whose two boundaries agree (tz data never has two transitions within a day).
 */
class CachedIanaZone implements Zone {
  readonly isUniversal = false;
  private readonly boundaries = new Map<number, number>();

  constructor(private readonly zone: IANAZone) {}

  private boundary(b: number): number {
    let o = this.boundaries.get(b);
    if (o === undefined) {
      if (this.boundaries.size >= MAX_CACHED_BUCKETS) this.boundaries.clear();
      o = this.zone.offset(b * BUCKET_MS);
      this.boundaries.set(b, o);
    }
    return o;
  }

  offset(instant: number): number {
    const b = Math.floor(instant / BUCKET_MS);
    const start = this.boundary(b);
    return start === this.boundary(b + 1) ? start : this.zone.offset(instant);
  }
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
  const zone = new CachedIanaZone(IANAZone.create(name));
  zones.set(name, zone);
  return { zone, name };
}

export function wallFromFields(f: WallFields): WallMs {
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  const d = new Date(0);
  d.setUTCFullYear(f.year, f.month - 1, f.day);
  d.setUTCHours(f.hour, f.minute, f.second, 0);
  return d.getTime();
}

export function fieldsOfWall(w: WallMs): WallFields {
  const d = new Date(w);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}

export function offsetMinutes(zone: Zone, instant: number): number {
  return zone.offset(instant);
}

export function wallAt(zone: Zone, instant: number): WallMs {
  return instant + offsetMinutes(zone, instant) * MINUTE_MS;
}

/** Every instant showing wall time `w`: none in a spring-forward gap, two in a fall-back overlap. */
export function instantsForWall(zone: Zone, w: WallMs): number[] {
  if (zone.isUniversal) return [w - zone.offset(0) * MINUTE_MS];
  // Offsets in force a day and a half around w cover any single transition near it.
  const candidates = new Set([zone.offset(w - 36 * HOUR_MS), zone.offset(w), zone.offset(w + 36 * HOUR_MS)]);
  const found: number[] = [];
  for (const o of candidates) {
    const t = w - o * MINUTE_MS;
    if (zone.offset(t) === o && !found.includes(t)) found.push(t);
  }
  return found.sort((a, b) => a - b);
}

/** Python's fold=0 reading of a naive time: first occurrence, and in a gap the pre-transition offset. */
export function instantForWallFold0(zone: Zone, w: WallMs): number {
  const found = instantsForWall(zone, w);
  if (found.length > 0) return found[0];
  return w - zone.offset(w - 36 * HOUR_MS) * MINUTE_MS;
}

/**
 * Where Dagster's cron iterator puts a tick at wall time `w`: a nonexistent time moves to the end of the
 * gap, an ambiguous one takes the later instant (the non-hourly rule; hourly ticks never come here).
 */
export function tickInstantForWall(zone: Zone, w: WallMs): number {
  const found = instantsForWall(zone, w);
  if (found.length > 0) return found[found.length - 1];
  const before = zone.offset(w - 36 * HOUR_MS);
  const after = zone.offset(w + 36 * HOUR_MS);
  let lo = w - after * MINUTE_MS;
  let hi = w - before * MINUTE_MS;
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (zone.offset(mid) === after) hi = mid;
    else lo = mid;
  }
  return zone.offset(lo) === after ? lo : hi;
}

/** True when `instant` is the second occurrence of a repeated (fall-back) wall time. */
export function isSecondOccurrence(zone: Zone, instant: number): boolean {
  if (zone.isUniversal) return false;
  if (zone.offset(instant) === zone.offset(instant - 36 * HOUR_MS)) return false;
  const found = instantsForWall(zone, wallAt(zone, instant));
  return found.length === 2 && found[1] === instant;
}

/** ISO 8601 with the zone's offset at that instant, seconds always shown, e.g. 2024-01-01T00:00:00+00:00. */
export function isoWithOffset(zone: Zone, instant: number): string {
  const off = offsetMinutes(zone, instant);
  const f = fieldsOfWall(instant + off * MINUTE_MS);
  const sign = off < 0 ? '-' : '+';
  const abs = Math.abs(off);
  return `${pad(f.year, 4)}-${pad(f.month, 2)}-${pad(f.day, 2)}T${pad(f.hour, 2)}:${pad(f.minute, 2)}:${pad(f.second, 2)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`;
}

export function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
