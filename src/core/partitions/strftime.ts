// Python's datetime.strftime directives in the C locale (as Dagster runs), compiled once per fmt, and fmt validation.
import { PartitionsError } from './partitionsDefinition';
import { DAY_MS, HOUR_MS, MINUTE_MS, civilFromDays, daysFromCivil } from './wallClock';

export const C_LOCALE = {
  weekdays: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
  weekdaysShort: ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'],
  months: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
  monthsShort: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
} as const;

/** A format Python's strptime cannot read at all; the message is Python's. */
export class StrptimeFormatError extends PartitionsError {
  override name = 'StrptimeFormatError';
}

/** Directives that depend only on the calendar day, and those that depend on the time of day (or the offset). */
const DATE_DIRECTIVES = new Set(['a', 'A', 'w', 'd', 'e', 'b', 'B', 'm', 'y', 'Y', 'j', 'U', 'W', 'G', 'u', 'V']);
const TIME_DIRECTIVES = new Set(['H', 'I', 'p', 'M', 'S', 'f', 'z', 'Z']);
/**
 * glibc's C-locale expansions, for writing (%e is glibc's space-padded day, used only inside %c). Python's strptime
 * reads %c with %d instead, so a day below 10 formatted by %c does not parse back: as in Dagster.
 */
const COMPOSITES: Record<string, string> = { c: '%a %b %e %H:%M:%S %Y', x: '%m/%d/%y', X: '%H:%M:%S' };

/** A compiled fmt: literal text, or one directive letter. */
export type FormatPart = { literal: string } | { directive: string };

export function compileStrftime(fmt: string): FormatPart[] {
  const parts: FormatPart[] = [];
  let literal = '';
  const expand = (f: string): void => {
    for (let i = 0; i < f.length; i++) {
      if (f[i] !== '%') {
        literal += f[i];
        continue;
      }
      const d = f[++i];
      // A lone trailing % is written as is by glibc (validation refuses it first, as strptime does).
      if (d === undefined || d === '%') literal += '%';
      else if (d in COMPOSITES) expand(COMPOSITES[d]!);
      else {
        if (!DATE_DIRECTIVES.has(d) && !TIME_DIRECTIVES.has(d)) throw new PartitionsError(`Unsupported directive '%${d}' in fmt '${fmt}'.`);
        if (literal !== '') parts.push({ literal });
        literal = '';
        parts.push({ directive: d });
      }
    }
  };
  expand(fmt);
  if (literal !== '') parts.push({ literal });
  return parts;
}

export function isTimeDirective(d: string): boolean {
  return TIME_DIRECTIVES.has(d);
}

const PAD2: string[] = Array.from({ length: 100 }, (_, i) => (i < 10 ? `0${i}` : String(i)));

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

/** A directive of the calendar day `day` (days since 1970-01-01), whose date `civil` is [year, month, day]. */
export function formatDateDirective(d: string, day: number, civil: readonly [number, number, number] = civilFromDays(day)): string {
  const [y, m, dd] = civil;
  switch (d) {
    case 'd': return PAD2[dd]!;
    case 'm': return PAD2[m]!;
    case 'Y': return y >= 1000 && y <= 9999 ? String(y) : pad(y, 4);
  }
  const wd = (((day + 4) % 7) + 7) % 7; // Sunday = 0
  const yday = day - daysFromCivil(y, 1, 1); // 0-based
  switch (d) {
    case 'a': return C_LOCALE.weekdaysShort[wd]!;
    case 'A': return C_LOCALE.weekdays[wd]!;
    case 'w': return String(wd);
    case 'e': return dd < 10 ? ` ${dd}` : String(dd);
    case 'b': return C_LOCALE.monthsShort[m - 1]!;
    case 'B': return C_LOCALE.months[m - 1]!;
    case 'y': return PAD2[((y % 100) + 100) % 100]!;
    case 'j': return pad(yday + 1, 3);
    case 'U': return PAD2[Math.floor((yday + 7 - wd) / 7)]!;
    case 'W': return PAD2[Math.floor((yday + 7 - ((wd + 6) % 7)) / 7)]!;
    case 'u': return String(wd === 0 ? 7 : wd);
    case 'G': return pad(isoWeekDate(day)[0], 4);
    case 'V': return PAD2[isoWeekDate(day)[1]]!;
    default: throw new PartitionsError(`'%${d}' is not a date directive.`);
  }
}

/** [ISO year, ISO week] of a day: the year and week of its week's Thursday. */
function isoWeekDate(day: number): [number, number] {
  const isoWeekday = ((((day + 3) % 7) + 7) % 7) + 1; // Monday = 1
  const thursday = day + 4 - isoWeekday;
  const [year] = civilFromDays(thursday);
  return [year, Math.floor((thursday - daysFromCivil(year, 1, 1)) / 7) + 1];
}

/**
 * A directive of the time of day `ms` (milliseconds since local midnight) shown with UTC offset `off` minutes;
 * `zoneName` is what %Z writes (the definition validates that it is known).
 */
export function formatTimeDirective(d: string, ms: number, off: number, zoneName: string): string {
  const hour = Math.floor(ms / HOUR_MS);
  switch (d) {
    case 'H': return PAD2[hour]!;
    case 'I': return PAD2[hour % 12 === 0 ? 12 : hour % 12]!;
    case 'p': return hour < 12 ? 'AM' : 'PM';
    case 'M': return PAD2[Math.floor((ms % HOUR_MS) / MINUTE_MS)]!;
    case 'S': return PAD2[Math.floor((ms % MINUTE_MS) / 1000)]!;
    case 'f': return pad((ms % 1000) * 1000, 6);
    case 'z': {
      const abs = Math.abs(off);
      return `${off < 0 ? '-' : '+'}${PAD2[Math.floor(abs / 60)]}${PAD2[Math.floor(abs % 60)]}`;
    }
    case 'Z': return zoneName;
    default: throw new PartitionsError(`'%${d}' is not a time directive.`);
  }
}

/** The key of wall time `w` (epoch ms of the local date-time read as UTC) with offset `off`: a plain strftime. */
export function strftime(w: number, off: number, fmt: string, zoneName = 'UTC'): string {
  const day = Math.floor(w / DAY_MS);
  return compileStrftime(fmt).map((p) => ('literal' in p ? p.literal
    : isTimeDirective(p.directive) ? formatTimeDirective(p.directive, w - day * DAY_MS, off, zoneName) : formatDateDirective(p.directive, day))).join('');
}
