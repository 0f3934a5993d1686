// Python's datetime.strptime (Lib/_strptime.py, 3.11, C locale): every directive it reads, with its regexes and rules.
import type { WallFields } from './wallClock';
import { daysFromCivil, civilFromDays, isLeapYear } from './wallClock';
import { C_LOCALE, StrptimeFormatError } from './strftime';

export interface ParsedTime {
  fields: WallFields;
  /** Microseconds (%f). */
  microsecond: number;
  /** UTC offset in minutes when the text carried %z, else null (a naive time). */
  offsetMinutes: number | null;
}

/** Python builds the name alternations longest first (so "May" cannot cut "Mayday" short), escaped. */
function names(list: readonly string[]): string {
  return `(${[...list].sort((a, b) => b.length - a.length).map(escapeRegex).join('|')})`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

// _strptime.TimeRE: single-digit fields are accepted, %Y and %G need four digits, %y two.
const FIELD_PATTERNS: Record<string, string> = {
  d: '(3[0-1]|[1-2]\\d|0[1-9]|[1-9]| [1-9])',
  f: '([0-9]{1,6})',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  I: '(1[0-2]|0[1-9]|[1-9])',
  G: '(\\d\\d\\d\\d)',
  j: '(36[0-6]|3[0-5]\\d|[1-2]\\d\\d|0[1-9]\\d|00[1-9]|[1-9]\\d|0[1-9]|[1-9])',
  m: '(1[0-2]|0[1-9]|[1-9])',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  U: '(5[0-3]|[0-4]\\d|\\d)',
  W: '(5[0-3]|[0-4]\\d|\\d)',
  w: '([0-6])',
  u: '([1-7])',
  V: '(5[0-3]|0[1-9]|[1-4]\\d|\\d)',
  y: '(\\d\\d)',
  Y: '(\\d\\d\\d\\d)',
  // Python matches only an upper-case Z here ((?-i:Z)); a lower-case one is turned away after the match.
  z: '([+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d(?:\\.\\d{1,6})?)?|Z)',
  A: names(C_LOCALE.weekdays),
  a: names(C_LOCALE.weekdaysShort),
  B: names(C_LOCALE.months),
  b: names(C_LOCALE.monthsShort),
  p: names(['am', 'pm']),
  // time.tzname of a process in UTC is ('UTC', 'UTC'); Python adds utc and gmt.
  Z: names(['utc', 'gmt']),
};

/** %c, %x and %X read as their C-locale expansions (_strptime.LocaleTime: LC_date_time, LC_date, LC_time). */
const COMPOSITES: Record<string, string> = { c: '%a %b %d %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' };

interface Compiled {
  re: RegExp;
  order: string[];
}

const cache = new Map<string, Compiled>();

/** The regex Python's TimeRE.compile builds for `fmt`; throws StrptimeFormatError where Python raises. */
export function compileStrptime(fmt: string): Compiled {
  const cached = cache.get(fmt);
  if (cached) return cached;
  const order: string[] = [];
  let src = '';
  const expand = (f: string): void => {
    for (let i = 0; i < f.length; i++) {
      const c = f[i]!;
      if (c !== '%') {
        if (/\s/.test(c)) {
          while (i + 1 < f.length && /\s/.test(f[i + 1]!)) i++;
          src += '\\s+';
        } else src += escapeRegex(c);
        continue;
      }
      const d = f[++i];
      if (d === undefined) throw new StrptimeFormatError(`stray % in format '${fmt}'`);
      if (d === '%') src += '%';
      else if (d in COMPOSITES) expand(COMPOSITES[d]!);
      else if (d in FIELD_PATTERNS) {
        if (order.includes(d)) {
          throw new StrptimeFormatError(`redefinition of group name '${d}' as group ${order.length + 1}; was group ${order.indexOf(d) + 1}`);
        }
        order.push(d);
        src += FIELD_PATTERNS[d];
      } else {
        // Python escapes regex characters before looking directives up, so "%+" is reported as '%'.
        throw new StrptimeFormatError(`'${/[\\.^$*+?(){}[\]|]/.test(d) ? '%' : d}' is a bad directive in format '${fmt}'`);
      }
    }
  };
  expand(fmt);
  checkIsoDirectives(order);
  // Python's re.match anchors only the start, then refuses leftover text: no backtracking into a longer match.
  const compiled = { re: new RegExp(`^(?:${src})`, 'i'), order };
  cache.set(fmt, compiled);
  return compiled;
}

/**
 * Python raises these for every text once the directives are read, so a format holding them can never be parsed:
 * refused with its message, as Dagster fails to parse a start string in it.
 */
function checkIsoDirectives(order: readonly string[]): void {
  const has = (d: string) => order.includes(d);
  const weekday = has('A') || has('a') || has('w') || has('u');
  if (has('G')) {
    if (has('j')) throw new StrptimeFormatError("Day of the year directive '%j' is not compatible with ISO year directive '%G'. Use '%Y' instead.");
    if (!has('V') || !weekday) {
      throw new StrptimeFormatError("ISO year directive '%G' must be used with the ISO week directive '%V' and a weekday directive ('%A', '%a', '%w', or '%u').");
    }
  } else if (has('V')) {
    if (!(has('Y') || has('y')) || !weekday) {
      throw new StrptimeFormatError("ISO week directive '%V' must be used with the ISO year directive '%G' and a weekday directive ('%A', '%a', '%w', or '%u').");
    }
    throw new StrptimeFormatError("ISO week directive '%V' is incompatible with the year directive '%Y'. Use the ISO year '%G' instead.");
  }
}

/** Python's datetime.strptime: null where it raises ValueError for this text (no match, leftovers, impossible dates). */
export function strptime(text: string, fmt: string): ParsedTime | null {
  const { re, order } = compileStrptime(fmt);
  const m = re.exec(text);
  if (!m || m[0].length !== text.length) return null;
  let year: number | null = null;
  let month = 1;
  let day = 1;
  let hour = 0;
  let minute = 0;
  let second = 0;
  let microsecond = 0;
  let offset: number | null = null;
  let isoYear: number | null = null;
  let isoWeek: number | null = null;
  let weekOfYear: number | null = null;
  let weekStartsMonday = false;
  let weekday: number | null = null; // Monday = 0, as Python's tm_wday
  let julian: number | null = null;
  for (let i = 0; i < order.length; i++) {
    const d = order[i]!;
    const v = m[i + 1]!;
    switch (d) {
      case 'y': { const y = Number(v); year = y <= 68 ? y + 2000 : y + 1900; break; }
      case 'Y': year = Number(v); break;
      case 'G': isoYear = Number(v); break;
      case 'm': month = Number(v); break;
      case 'B': month = indexOfName(C_LOCALE.months, v) + 1; break;
      case 'b': month = indexOfName(C_LOCALE.monthsShort, v) + 1; break;
      case 'd': day = Number(v.trim()); break;
      case 'H': hour = Number(v); break;
      case 'I': {
        hour = Number(v);
        const p = order.indexOf('p');
        const ampm = p < 0 ? '' : m[p + 1]!.toLowerCase();
        if (ampm === '' || ampm === 'am') { if (hour === 12) hour = 0; } else if (hour !== 12) hour += 12;
        break;
      }
      case 'M': minute = Number(v); break;
      case 'S': second = Number(v); break;
      case 'f': microsecond = Number(v.padEnd(6, '0')); break;
      case 'A': weekday = (indexOfName(C_LOCALE.weekdays, v) + 6) % 7; break;
      case 'a': weekday = (indexOfName(C_LOCALE.weekdaysShort, v) + 6) % 7; break;
      case 'w': weekday = (Number(v) + 6) % 7; break;
      case 'u': weekday = Number(v) - 1; break;
      case 'j': julian = Number(v); break;
      case 'U': case 'W': weekOfYear = Number(v); weekStartsMonday = d === 'W'; break;
      case 'V': isoWeek = Number(v); break;
      case 'z': {
        if (v === 'z') return null;
        const parsed = parseOffset(v);
        if (parsed === null) return null;
        offset = parsed;
        break;
      }
    }
  }
  let leapYearFix = false;
  if (year === null && month === 2 && day === 29) { year = 1904; leapYearFix = true; } else if (year === null) year = 1900;
  if (julian === null && weekday !== null) {
    if (weekOfYear !== null) julian = julianFromWeek(year, weekOfYear, weekday, weekStartsMonday);
    else if (isoYear !== null && isoWeek !== null) [year, julian] = julianFromIsoWeek(isoYear, isoWeek, weekday + 1);
    if (julian !== null && julian <= 0) {
      year -= 1;
      julian += isLeapYear(year) ? 366 : 365;
    }
  }
  if (julian === null) {
    if (day > daysInMonth(year, month)) return null;
  } else {
    [year, month, day] = civilFromDays(daysFromCivil(year, 1, 1) + julian - 1);
  }
  // Python then builds datetime(1900, 2, 29): "day is out of range for month".
  if (leapYearFix) return null;
  if (second > 59) return null; // datetime() refuses the leap seconds 60 and 61 that the regex lets through
  return { fields: { year, month, day, hour, minute, second }, microsecond, offsetMinutes: offset };
}

function indexOfName(list: readonly string[], v: string): number {
  return list.findIndex((n) => n.toLowerCase() === v.toLowerCase());
}

/** Python 3.11's %z reading; null for "Inconsistent use of :" (a ValueError). Seconds of an offset are dropped to minutes' precision. */
function parseOffset(v: string): number | null {
  if (v === 'Z') return 0;
  let z = v;
  if (z[3] === ':') {
    z = z.slice(0, 3) + z.slice(4);
    if (z.length > 5) {
      if (z[5] !== ':') return null;
      z = z.slice(0, 5) + z.slice(6);
    }
  }
  const minutes = Number(z.slice(1, 3)) * 60 + Number(z.slice(3, 5)) + (z.length > 5 ? Number(z.slice(5, 7)) / 60 : 0);
  return z[0] === '-' ? -minutes : minutes;
}

/** _strptime._calc_julian_from_U_or_W: day of the year from a week number and a weekday (Monday = 0). */
function julianFromWeek(year: number, weekOfYear: number, weekday: number, weekStartsMonday: boolean): number {
  let firstWeekday = (((daysFromCivil(year, 1, 1) + 3) % 7) + 7) % 7; // Monday = 0
  let wd = weekday;
  if (!weekStartsMonday) {
    firstWeekday = (firstWeekday + 1) % 7;
    wd = (wd + 1) % 7;
  }
  const weekZeroLength = (7 - firstWeekday) % 7;
  return weekOfYear === 0 ? 1 + wd - firstWeekday : weekZeroLength + 7 * (weekOfYear - 1) + 1 + wd;
}

/** _strptime._calc_julian_from_V: [year, day of the year] of an ISO year, week and weekday (Monday = 1). */
function julianFromIsoWeek(isoYear: number, isoWeek: number, isoWeekday: number): [number, number] {
  const correction = ((((daysFromCivil(isoYear, 1, 4) + 3) % 7) + 7) % 7 + 1) + 3;
  let ordinal = isoWeek * 7 + isoWeekday - correction;
  let year = isoYear;
  if (ordinal < 1) {
    ordinal += daysFromCivil(year, 1, 1) - daysFromCivil(year - 1, 1, 1);
    year -= 1;
  }
  return [year, ordinal];
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
