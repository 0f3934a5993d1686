// TimeWindowPartitionsDefinition: cron-delimited windows in a time zone, keyed by their formatted start.
import type { PartitionsDefinition, PartitionsJson, TimeWindowJson } from './partitionsDefinition';
import { InvalidPartitionsDefinitionError, PartitionsError } from './partitionsDefinition';
import type { ScheduleType } from './cronSchedule';
import { CronSchedule } from './cronSchedule';
import { CronTimeline } from './cronTimeline';
import type { TickSequence } from './tickSequence';
import { tickSequenceFor } from './cronTicks';
import { IteratedTicks } from './iteratedTicks';
import { PartitionKeyFormatter } from './partitionKeyFormatter';
import type { TimeWindowExclusion } from './timeWindowExclusions';
import { TimeWindowExclusions } from './timeWindowExclusions';
import type { Zone } from './wallClock';
import { StrptimeFormatError } from './strftime';
import { compileStrptime, strptime } from './strptime';
import { DAY_MS, MINUTE_MS, instantForWallFold0, isSecondOccurrence, isoWithOffset, wallAt, wallFromFields, zoneForName } from './wallClock';

export interface TimeWindowPartitionsOptions {
  cron: string;
  /**
   * A string is parsed with `fmt` (then `fmt` + "%z"). A Date's UTC fields are taken as the wall-clock time
   * in `timezone`, as Dagster replaces a datetime's tzinfo with the definition's timezone. `{ instant }` (epoch
   * ms) is exact: fromJSON uses it, since a wall-clock time in a fall-back hour names two instants.
   */
  start: Date | string | { instant: number };
  /** Exclusive end, same forms as `start`; null/undefined/"" for none. */
  end?: Date | string | { instant: number } | null;
  timezone?: string | null;
  fmt: string;
  endOffset?: number;
  /** Cron strings and datetimes (wall-clock, like `start`) whose windows are dropped. */
  exclusions?: readonly TimeWindowExclusion[] | null;
}

/** A window as epoch milliseconds, [start, end). */
export interface TimeWindow {
  start: number;
  end: number;
}

/**
 * Refuses a fmt Python's strptime cannot read (Dagster could parse neither a start string nor a key in it), with
 * Python's reason, and %Z outside UTC: zone names such as "EST" are not among those strptime reads back.
 */
function validateFormat(fmt: string, zone: Zone): void {
  try {
    compileStrptime(fmt);
  } catch (e) {
    if (!(e instanceof StrptimeFormatError)) throw e;
    throw new InvalidPartitionsDefinitionError(`Invalid fmt '${fmt}': ${e.message} (Python's strptime, with which Dagster reads partition keys back).`, 'fmt');
  }
  if (!zone.isUniversal && /%Z/.test(fmt.replace(/%%/g, ''))) {
    throw new InvalidPartitionsDefinitionError(
      `Invalid fmt '${fmt}': %Z writes the zone's abbreviation (such as "EST"), which Python's strptime cannot read back (it knows only UTC and GMT), so Dagster could not parse its own partition keys. Use %z.`, 'fmt');
  }
}

/** The second attempt of dst_safe_strptime; a fmt already holding %z cannot take another (Python raises re.error). */
function strptimeWithOffset(text: string, fmt: string): ReturnType<typeof strptime> {
  try {
    return strptime(text, fmt + '%z');
  } catch (e) {
    if (e instanceof StrptimeFormatError) return null;
    throw e;
  }
}

export class TimeWindowPartitionsDefinition implements PartitionsDefinition {
  readonly kind = 'time_window' as const;
  readonly cron: string;
  readonly timezone: string;
  readonly fmt: string;
  readonly endOffset: number;
  /** The start and exclusive end instants (epoch ms) as given, before aligning to ticks. */
  readonly startInstant: number;
  readonly endInstant: number | null;
  readonly schedule: CronSchedule;
  /** Dagster's schedule_type: hourly/daily/weekly/monthly for crons of those shapes, else null. */
  readonly scheduleType: ScheduleType | null;
  readonly exclusions: readonly TimeWindowExclusion[];
  private readonly zone: Zone;
  private readonly timeline: CronTimeline;
  /** Every cron tick (window boundaries), and the ticks that start a window (those not excluded). */
  private readonly boundaries: TickSequence;
  private readonly ticks: TickSequence;
  private readonly excluded: boolean;
  private readonly firstOrdinal: number;
  private readonly lastOrdinalByEnd: number;
  private readonly formatter: PartitionKeyFormatter;
  private readonly suffixFormatter: PartitionKeyFormatter | null;
  private readonly constantOffset: number | null;

  constructor(options: TimeWindowPartitionsOptions) {
    this.fmt = options.fmt;
    this.cron = options.cron.trim();
    this.schedule = CronSchedule.parse(this.cron);
    this.scheduleType = this.schedule.scheduleType;
    const { zone, name } = zoneForName(options.timezone);
    this.zone = zone;
    this.timezone = name;
    validateFormat(this.fmt, zone);
    this.formatter = new PartitionKeyFormatter(this.fmt);
    this.endOffset = options.endOffset ?? 0;
    if (!Number.isInteger(this.endOffset)) throw new InvalidPartitionsDefinitionError(`end_offset must be an integer, got ${this.endOffset}.`, 'end_offset');
    this.startInstant = this.instantOfBound(options.start, 'start');
    const end = options.end === '' || options.end === undefined ? null : options.end;
    this.endInstant = end === null ? null : this.instantOfBound(end, 'end');
    this.exclusions = options.exclusions ?? [];
    this.timeline = new CronTimeline(this.schedule, zone, this.startInstant);
    this.boundaries = tickSequenceFor(this.schedule, this.timeline, this.startInstant);
    this.excluded = this.exclusions.length > 0;
    this.ticks = this.excluded
      ? new IteratedTicks(new TimeWindowExclusions(this.exclusions, zone, this.startInstant).stepperOver(this.boundaries), this.startInstant)
      : this.boundaries;
    // Only crons repeating every hour can meet a time twice; Dagster then suffixes the second with its offset.
    this.suffixFormatter = !this.fmt.includes('%z') && this.schedule.repeatsEveryHour && !zone.isUniversal
      ? new PartitionKeyFormatter(this.fmt + '%z') : null;
    this.constantOffset = zone.fixedOffsetFrom(this.startInstant - DAY_MS);
    this.firstOrdinal = this.ticks.ordinalAtOrAfter(this.startInstant);
    this.lastOrdinalByEnd = this.endInstant === null ? Number.POSITIVE_INFINITY : this.lastOrdinalEndingBy(this.endInstant);
  }

  private instantOfBound(value: Date | string | { instant: number }, what: 'start' | 'end'): number {
    if (typeof value === 'object' && !(value instanceof Date)) {
      if (!Number.isFinite(value.instant)) throw new InvalidPartitionsDefinitionError(`Invalid ${what} instant.`, what);
      return value.instant;
    }
    if (value instanceof Date) {
      if (Number.isNaN(value.getTime())) throw new InvalidPartitionsDefinitionError(`Invalid ${what} date.`, what);
      return instantForWallFold0(this.zone, value.getTime());
    }
    const instant = this.parseInstant(value);
    if (instant === null) {
      throw new InvalidPartitionsDefinitionError(`${what === 'start' ? 'Start' : 'End'} '${value}' does not match the format '${this.fmt}'.`, what);
    }
    return instant;
  }

  /** Dagster's dst_safe_strptime: fmt, then fmt + "%z"; naive times take the first occurrence. */
  private parseInstant(text: string): number | null {
    const parsed = strptime(text, this.fmt) ?? strptimeWithOffset(text, this.fmt);
    if (!parsed) return null;
    // Milliseconds are what an instant holds; Python keeps microseconds, which only ever round a key up to a tick.
    const w = wallFromFields(parsed.fields) + Math.ceil(parsed.microsecond / 1000);
    return parsed.offsetMinutes === null ? instantForWallFold0(this.zone, w) : w - Math.round(parsed.offsetMinutes * MINUTE_MS);
  }

  /** Dagster's dst_safe_strftime of a window start. */
  formatInstant(instant: number): string {
    const off = this.constantOffset ?? this.timeline.displayOffset(instant);
    const w = instant + off * MINUTE_MS;
    if (this.suffixFormatter !== null && isSecondOccurrence(this.zone, instant)) return this.suffixFormatter.format(w, off);
    return this.formatter.format(w, off);
  }

  private keyOf(ordinal: number): string {
    return this.formatInstant(this.ticks.instantOf(ordinal));
  }

  /** Ordinal of the last window starting before the boundary at or before `instant`: the last one ended by then. */
  private lastOrdinalEndingBy(instant: number): number {
    const b = this.boundaries;
    if (!this.excluded) return b.ordinalAtOrAfter(instant + 1) - 2;
    return this.ticks.ordinalAtOrAfter(b.instantOf(b.ordinalAtOrAfter(instant + 1) - 1)) - 1;
  }

  /**
   * Ordinal of the last existing window at `now` (below firstOrdinal when there is none), as Dagster's
   * get_first_partition_window / get_last_partition_window (which its count and has_partition_key use):
   * - the first window exists when it ends by now (offset 0), by the start of the window `end_offset` after the
   *   first one starting at or after now (offset > 0), or by the start of the |offset|-th window back (< 0);
   * - the last is the last key of get_partition_keys(min(now, end)): listed from the start, `end_offset` windows
   *   past now counted from there (so from the start while it is ahead), stopped at the end, and then, for a
   *   negative offset, |offset| keys dropped from what the end left.
   */
  private lastOrdinal(now: Date): number {
    const t = now.getTime();
    const byNow = this.lastOrdinalEndingBy(t);
    const first = this.firstOrdinal;
    const n = this.endOffset;
    const firstExists = n === 0 ? first <= byNow : n > 0 ? first <= this.ticks.ordinalAtOrAfter(t) + n - 1 : first <= byNow + n;
    if (!firstExists) return first - 1;
    if (n > 0) return Math.min(Math.max(byNow, first - 1) + n, this.lastOrdinalByEnd);
    return Math.min(byNow, this.lastOrdinalByEnd) + n;
  }

  /** Ordinal of the window a key names (keys between ticks round up to the next tick), or null if unparseable. */
  private ordinalOfKey(key: string): number | null {
    const instant = this.parseInstant(key);
    return instant === null ? null : this.ticks.ordinalAtOrAfter(instant);
  }

  private canonicalOrdinal(key: string): number | null {
    const o = this.ordinalOfKey(key);
    return o !== null && this.keyOf(o) === key ? o : null;
  }

  keys(now: Date): string[] {
    const first = this.firstOrdinal;
    const last = this.lastOrdinal(now);
    const out: string[] = new Array(Math.max(0, last - first + 1));
    let i = 0;
    this.ticks.forEach(first, last, (t) => {
      out[i++] = this.formatInstant(t);
    });
    return out;
  }

  count(now: Date): number {
    return Math.max(0, this.lastOrdinal(now) - this.firstOrdinal + 1);
  }

  hasKey(key: string, now: Date): boolean {
    return this.indexOfKey(key, now) >= 0;
  }

  /** The key at a 0-based index among the keys existing at `now`, or null when out of range. */
  keyAtIndex(index: number, now: Date): string | null {
    if (!Number.isInteger(index) || index < 0 || index >= this.count(now)) return null;
    return this.keyOf(this.firstOrdinal + index);
  }

  /** The 0-based index of an existing key at `now`, or -1. */
  indexOfKey(key: string, now: Date): number {
    const o = this.canonicalOrdinal(key);
    return o !== null && o >= this.firstOrdinal && o <= this.lastOrdinal(now) ? o - this.firstOrdinal : -1;
  }

  keysInRange(start: string, end: string, now: Date): string[] {
    const a = this.checkedRangeOrdinal(start, 'start', now);
    const b = this.checkedRangeOrdinal(end, 'end', now);
    if (b < a) throw new PartitionsError(`Partition key range end ${end} is before its start ${start}.`);
    const out: string[] = [];
    this.ticks.forEach(a, b, (t) => out.push(this.formatInstant(t)));
    return out;
  }

  private checkedRangeOrdinal(key: string, which: 'start' | 'end', now: Date): number {
    const o = this.canonicalOrdinal(key);
    if (o === null) throw new PartitionsError(`Partition key range ${which} '${key}' is not a partition key of ${this.describe()}.`);
    if (o < this.firstOrdinal) {
      throw new PartitionsError(`Partition key range ${which} ${key} is before the partitions definition start time ${isoWithOffset(this.zone, this.startInstant)}.`);
    }
    if (o > this.lastOrdinalByEnd) {
      throw new PartitionsError(`Partition key range ${which} ${key} is after the partitions definition end time ${isoWithOffset(this.zone, this.endInstant as number)}.`);
    }
    if (o > this.lastOrdinal(now)) {
      throw new PartitionsError(`Partition key range ${which} ${key} does not exist yet at ${now.toISOString()} (only fully elapsed windows exist).`);
    }
    return o;
  }

  private windowAt(ordinal: number): TimeWindow {
    const start = this.ticks.instantOf(ordinal);
    // An excluded neighbour does not stretch a window: it keeps its natural end at the next cron tick.
    return { start, end: this.excluded ? this.boundaries.after(start) : this.ticks.instantOf(ordinal + 1) };
  }

  /** Window of a key, ignoring `now`; a parseable key between ticks resolves to the next tick's window, as in Dagster. */
  windowOfKey(key: string): TimeWindow {
    const o = this.ordinalOfKey(key);
    if (o === null) throw new PartitionsError(`Partition key '${key}' does not match the format '${this.fmt}' of ${this.describe()}.`);
    return this.windowAt(o);
  }

  timeWindow(key: string): TimeWindowJson {
    const w = this.windowOfKey(key);
    return { start: isoWithOffset(this.zone, w.start), end: isoWithOffset(this.zone, w.end) };
  }

  /** Key of the window containing `instant` (a boundary belongs to the window starting there). */
  keyForTimestamp(instant: number): string {
    return this.keyOf(this.ticks.ordinalAtOrAfter(instant + 1) - 1);
  }

  /** Windows of the keys existing at `now`, from `fromIndex` (inclusive) to `toIndex` (exclusive). */
  windows(now: Date, fromIndex = 0, toIndex = this.count(now)): TimeWindow[] {
    const out: TimeWindow[] = [];
    const lo = this.firstOrdinal + Math.max(0, fromIndex);
    const hi = this.firstOrdinal + Math.min(toIndex, this.count(now)) - 1;
    if (hi < lo) return out;
    let prev: number | null = null;
    this.ticks.forEach(lo, hi + 1, (t) => {
      if (prev !== null) out.push({ start: prev, end: this.excluded ? this.boundaries.after(prev) : t });
      prev = t;
    });
    return out;
  }

  describe(): string {
    const end = this.endInstant === null ? '' : ` to ${this.formatInstant(this.endInstant)} (exclusive)`;
    const offset = this.endOffset === 0 ? '' : `, end_offset ${this.endOffset}`;
    const what = this.scheduleType ?? `cron '${this.cron}'`;
    return `${what} from ${this.formatInstant(this.startInstant)}${end} (${this.timezone}${offset})`;
  }

  toJSON(): PartitionsJson {
    const json: PartitionsJson = {
      kind: 'time_window',
      cron: this.cron,
      start: isoWithOffset(this.zone, this.startInstant),
      end: this.endInstant === null ? null : isoWithOffset(this.zone, this.endInstant),
      timezone: this.timezone,
      fmt: this.fmt,
      endOffset: this.endOffset,
    };
    // Exclusions change which keys exist, so two definitions differing only there must not compare equal.
    if (this.exclusions.length > 0) {
      json.exclusions = this.exclusions.map((e) => (typeof e === 'string' ? e : isoWithOffset(this.zone, instantForWallFold0(this.zone, e.getTime()))));
    }
    return json;
  }

  /** Rebuilds a definition from its JSON form (start/end are ISO 8601 instants). */
  static fromJSON(json: Extract<PartitionsJson, { kind: 'time_window' }>): TimeWindowPartitionsDefinition {
    const { zone } = zoneForName(json.timezone);
    const instant = (iso: string, what: string): number => {
      const t = Date.parse(iso);
      if (Number.isNaN(t)) throw new PartitionsError(`Invalid ${what} '${iso}' in partitions JSON: expected ISO 8601.`);
      return t;
    };
    const asWall = (iso: string, what: string): Date => new Date(wallAt(zone, instant(iso, what)));
    const exclusions = (json.exclusions ?? []).map((e) => (/^\d{4}-\d{2}-\d{2}T/.test(e) ? asWall(e, 'exclusion') : e));
    return new TimeWindowPartitionsDefinition({
      cron: json.cron, fmt: json.fmt, timezone: json.timezone, endOffset: json.endOffset,
      // Start and end as the instants they name: a wall-clock time would lose which of a fall-back hour's two it was.
      start: { instant: instant(json.start, 'start') }, end: json.end === null ? null : { instant: instant(json.end, 'end') },
      ...(exclusions.length > 0 ? { exclusions } : {}),
    });
  }
}
