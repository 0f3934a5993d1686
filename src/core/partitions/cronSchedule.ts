// Parsing and validation of five-field cron schedules with croniter's grammar, and day matching.
import { InvalidPartitionsDefinitionError } from './partitionsDefinition';
import { isLeapYear } from './wallClock';

export type ScheduleType = 'hourly' | 'daily' | 'weekly' | 'monthly';

const RANGES: [number, number][] = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]];
const LEN_MEANS_ALL = [60, 24, 31, 12, 7];
const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const DOW_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
const ALIASES: Record<string, string> = {
  '@midnight': '0 0 * * *', '@hourly': '0 * * * *', '@daily': '0 0 * * *', '@weekly': '0 0 * * 0',
  '@monthly': '0 0 1 * *', '@yearly': '0 0 1 1 *', '@annually': '0 0 1 1 *',
};
const SPECIAL_DOW = new RegExp(`^(?:((?:(?:${DOW_NAMES.join('|')})(?:-(?:${DOW_NAMES.join('|')}))?|(?:${MONTH_NAMES.join('|')})(?:-(?:${MONTH_NAMES.join('|')}))?|\\w+))#|(l))(\\d+)$`);
const STEP = /^([^-]+)-([^-/]+)(\/(\d+))?$/;
const LAST_WEEK = 6;

export function invalidCronError(cron: string): InvalidPartitionsDefinitionError {
  return new InvalidPartitionsDefinitionError(`Found invalid cron schedule '${cron}' for a TimeWindowPartitionsDefinition.`, 'cron');
}

class CronSyntaxError extends Error {}

/**
 * A parsed cron. Field semantics follow croniter (which Dagster uses): names JAN-DEC / SUN-SAT, ranges,
 * steps, 7 = Sunday, `L` (last day of month), `D#n` and `LD` (nth / last weekday of the month), the
 * `@daily`-style aliases, and day-of-month OR day-of-week when both are restricted.
 */
export class CronSchedule {
  /** Sorted minutes of the hour and hours of the day that match. */
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** Sorted minutes of the day (hour × 60 + minute) that match. */
  readonly minutesOfDay: readonly number[];
  readonly domStar: boolean;
  readonly dowStar: boolean;
  /** Sorted days of the month and weekdays (0 = Sunday) listed; every value when the field is `*`. */
  readonly days: readonly number[];
  readonly weekdays: readonly number[];
  /** `L` in the day-of-month field. */
  readonly lastDay: boolean;
  readonly hasNthWeekday: boolean;
  readonly monthStar: boolean;
  /** Dagster's cron_string_repeats_every_hour: every hour of the day matches. */
  readonly repeatsEveryHour: boolean;
  /** The shape Dagster's cron_string_iterator special-cases (its DST choices differ slightly from croniter's). */
  readonly iterationShape: ScheduleType | null;
  /** Dagster's `schedule_type` property: a regex on the cron text. */
  readonly scheduleType: ScheduleType | null;
  private readonly domMask = new Uint8Array(32);
  private readonly monthMask = new Uint8Array(13);
  private readonly dowMask = new Uint8Array(7);
  /** Per weekday: bit n (1..5) for `D#n`, bit 6 for `LD`; 0 = every such weekday. */
  private readonly nthMask = new Uint8Array(7);

  private constructor(readonly text: string, fields: Field[]) {
    const [mi, h, dom, mon, dow] = fields;
    this.minutes = mi.values;
    this.hours = h.values;
    this.minutesOfDay = this.hours.flatMap((hh) => this.minutes.map((m) => hh * 60 + m));
    this.domStar = dom.star;
    this.dowStar = dow.star;
    this.monthStar = mon.star;
    for (const d of dom.values) this.domMask[d] = 1;
    for (const m of mon.values) this.monthMask[m] = 1;
    for (const d of dow.values) this.dowMask[d] = 1;
    for (const [d, bits] of dow.nth) this.nthMask[d] = bits;
    this.lastDay = dom.last;
    this.days = dom.values;
    this.weekdays = dow.values;
    this.hasNthWeekday = dow.nth.size > 0 && !dow.star;
    this.repeatsEveryHour = h.star;
    this.iterationShape = iterationShapeOf(fields);
    this.scheduleType = scheduleTypeOf(text);
  }

  /** Parses `cron`, throwing Dagster's "Found invalid cron schedule" error for anything it would reject. */
  static parse(cron: string): CronSchedule {
    const text = cron.trim();
    let fields: Field[];
    try {
      fields = expand(text);
    } catch (e) {
      if (e instanceof CronSyntaxError) throw invalidCronError(cron);
      throw e;
    }
    const [, , dom, mon] = fields;
    // Dagster's own extra rule: the 30th or 31st of February alone is rejected.
    if (!mon.star && mon.values.length === 1 && mon.values[0] === 2 && !dom.star && !dom.last && dom.values.length === 1 && dom.values[0] >= 30) {
      throw invalidCronError(cron);
    }
    const schedule = new CronSchedule(text, fields);
    // croniter would search for 50 years and fail; a schedule that never fires cannot delimit windows.
    if (!schedule.canFire()) throw invalidCronError(cron);
    return schedule;
  }

  static isValid(cron: string): boolean {
    try {
      CronSchedule.parse(cron);
      return true;
    } catch {
      return false;
    }
  }

  /** Whether the date (month 1-12, weekday 0 = Sunday) is a day of the schedule. */
  matchesDay(year: number, month: number, day: number, weekday: number): boolean {
    if (!this.monthStar && this.monthMask[month] === 0) return false;
    const dim = this.lastDay || this.nthMask[weekday] !== 0 ? daysInMonthOf(year, month) : 0;
    const domOk = this.domStar || this.domMask[day] === 1 || (this.lastDay && day === dim);
    let dowOk = this.dowStar || this.dowMask[weekday] === 1;
    if (dowOk && !this.dowStar && this.nthMask[weekday] !== 0) {
      const bits = this.nthMask[weekday];
      dowOk = (bits & (1 << Math.ceil(day / 7))) !== 0 || ((bits & (1 << LAST_WEEK)) !== 0 && day + 7 > dim);
    }
    return !this.domStar && !this.dowStar ? domOk || dowOk : domOk && dowOk;
  }

  private canFire(): boolean {
    if (!this.dowStar && !this.domStar) return true;
    if (!this.dowStar) return true;
    // Only day of month and month restrict: some month must have one of the days (Feb 29 counts).
    for (let m = 1; m <= 12; m++) {
      if (!this.monthStar && this.monthMask[m] === 0) continue;
      const max = m === 2 ? 29 : daysInMonthOf(2001, m);
      if (this.lastDay || this.domStar) return true;
      for (let d = 1; d <= max; d++) if (this.domMask[d] === 1) return true;
    }
    return false;
  }
}

function daysInMonthOf(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

interface Field {
  star: boolean;
  values: number[];
  /** Day of month only: `L` was given. */
  last: boolean;
  /** Day of week only: weekday → nth bits. */
  nth: Map<number, number>;
}

function alpha(i: number, name: string): number | 'l' {
  if (i === 2 && name === 'l') return 'l';
  const list = i === 3 ? MONTH_NAMES : i === 4 ? DOW_NAMES : [];
  const idx = list.indexOf(name);
  if (idx < 0) throw new CronSyntaxError(name);
  return i === 3 ? idx + 1 : idx;
}

/** croniter's expand(): each field to its sorted set of values, or "*". */
function expand(cron: string): Field[] {
  const lower = cron.toLowerCase();
  const parts = (ALIASES[lower] ?? lower).split(/\s+/).filter((p) => p !== '');
  if (parts.length !== 5) throw new CronSyntaxError('five fields');
  const fields = parts.map((expr, i) => expandField(expr, i));
  // croniter widens a full list to "*", except day of month / week when the other field has no "*".
  fields.forEach((f, i) => {
    const size = f.values.length + (f.last ? 1 : 0);
    if (!f.star && size === LEN_MEANS_ALL[i]) {
      const keep = (i === 2 && !parts[4].includes('*')) || (i === 4 && !parts[2].includes('*'));
      if (!keep && !(i === 4 && f.nth.size > 0)) f.star = true;
    }
    if (f.star) {
      f.values = range(RANGES[i][0], i === 4 ? 6 : RANGES[i][1]);
      f.last = false;
    }
  });
  const dow = fields[4];
  if (dow.nth.size > 0 && !dow.star) {
    const plain = dow.values.filter((d) => !dow.nth.has(d));
    if (plain.length > 0 && dow.values.length !== 7) throw new CronSyntaxError('mixed nth weekday');
  }
  return fields;
}

function range(lo: number, hi: number, step = 1): number[] {
  const out: number[] = [];
  for (let v = lo; v <= hi; v += step) out.push(v);
  return out;
}

function expandField(expr: string, i: number): Field {
  if (/^[hr](\(|\/|$)/.test(expr)) throw new CronSyntaxError('hashed or random expressions are not supported');
  const field: Field = { star: false, values: [], last: false, nth: new Map() };
  const values = new Set<number>();
  const pending = expr.split(',');
  while (pending.length > 0) {
    let e = pending.pop() as string;
    let nth: number | 'l' | null = null;
    if (i === 4) {
      const m = SPECIAL_DOW.exec(e);
      if (m) {
        if (m[1] !== undefined) {
          e = m[1];
          nth = Number(m[3]);
          if (!(nth >= 1 && nth <= 5)) throw new CronSyntaxError('nth');
        } else {
          e = m[3];
          nth = 'l';
        }
      }
    }
    let t = e.replace(/^\*(\/.+)$/, `${RANGES[i][0]}-${RANGES[i][1]}$1`);
    let m = STEP.exec(t);
    if (!m) {
      t = e.replace(/^(.+)\/(.+)$/, `$1-${RANGES[i][1]}/$2`);
      m = STEP.exec(t);
    }
    if (m) {
      let low = m[1];
      let high = i === 2 && m[2] === 'l' ? '31' : m[2];
      const step = m[4] ?? '1';
      if (!/^\d+$/.test(low)) low = String(alpha(i, low));
      if (!/^\d+$/.test(high)) high = String(alpha(i, high));
      if (!/^\d+$/.test(low) || !/^\d+$/.test(high)) throw new CronSyntaxError('range');
      if (Number(low) > Number(high)) {
        if (i === 4 && high === '0') high = '7';
        else throw new CronSyntaxError('range');
      }
      const [lo, hi, st] = [Number(low), Number(high), Number(step)];
      if (Math.max(lo, hi) > RANGES[i][1] || st === 0) throw new CronSyntaxError('range');
      for (const v of range(lo, hi, st)) pending.push(nth !== null && nth !== 'l' ? `${v}#${nth}` : String(v));
      if (nth === 'l') for (const v of range(lo, hi, st)) addNth(field, v % 7, 'l');
      continue;
    }
    if (t.startsWith('-')) throw new CronSyntaxError('negative');
    if (t === '*') {
      field.star = true;
      continue;
    }
    const v: number | 'l' = /^\d+$/.test(t) ? Number(t) : alpha(i, t);
    if (v === 'l') {
      field.last = true;
      continue;
    }
    const value = i === 4 && v === 7 ? 0 : v;
    if (value < RANGES[i][0] || value > RANGES[i][1]) throw new CronSyntaxError('out of range');
    values.add(value);
    if (i === 4 && nth !== null) addNth(field, value, nth);
  }
  field.values = [...values].sort((a, b) => a - b);
  return field;
}

function addNth(field: Field, weekday: number, nth: number | 'l'): void {
  field.nth.set(weekday, (field.nth.get(weekday) ?? 0) | (1 << (nth === 'l' ? LAST_WEEK : nth)));
}

/** Dagster's cron_string_iterator special cases, decided on the expanded fields. */
function iterationShapeOf(fields: Field[]): ScheduleType | null {
  const [mi, h, dom, mon, dow] = fields;
  const single = (f: Field) => !f.star && !f.last && f.values.length === 1 && f.nth.size === 0;
  if (dow.nth.size > 0) return null;
  if (single(mi) && single(h) && single(dom) && mon.star && dow.star && dom.values[0] <= 28) return 'monthly';
  if (single(mi) && single(h) && single(dow) && dom.star && mon.star) return 'weekly';
  if (single(mi) && single(h) && dom.star && mon.star && dow.star) return 'daily';
  if (!mi.star && h.star && dom.star && mon.star && dow.star) return 'hourly';
  return null;
}

/** Dagster's TimeWindowPartitionsDefinition.schedule_type: a regex on the cron text. */
export function scheduleTypeOf(cron: string): ScheduleType | null {
  if (/^\d+ \* \* \* \*$/.test(cron)) return 'hourly';
  if (/^\d+ \d+ \* \* \*$/.test(cron)) return 'daily';
  if (/^\d+ \d+ \* \* \d+$/.test(cron)) return 'weekly';
  if (/^\d+ \d+ \d+ \* \*$/.test(cron)) return 'monthly';
  return null;
}
