// The strftime/strptime subset Dagster partition formats use (%Y %m %d %H %M %S %z %%), with Python's parsing rules.
import type { WallFields } from './wallClock';
import { pad } from './wallClock';
import { InvalidPartitionsDefinitionError, PartitionsError } from './partitionsDefinition';

const SUPPORTED = new Set(['Y', 'm', 'd', 'H', 'M', 'S', 'z', '%']);

// Python's _strptime regexes: single-digit fields are accepted, %Y needs four digits.
const FIELD_PATTERNS: Record<string, string> = {
  Y: '(\\d\\d\\d\\d)',
  m: '(1[0-2]|0[1-9]|[1-9])',
  d: '(3[01]|[12]\\d|0[1-9]|[1-9]| [1-9])',
  H: '(2[0-3]|[0-1]\\d|\\d)',
  M: '([0-5]\\d|\\d)',
  S: '(6[0-1]|[0-5]\\d|\\d)',
  z: '([+-]\\d\\d:?[0-5]\\d(?::?[0-5]\\d)?|Z)',
};

/** Throws when `fmt` uses a directive outside the supported subset. */
export function validateTimeFormat(fmt: string): void {
  for (let i = 0; i < fmt.length; i++) {
    if (fmt[i] !== '%') continue;
    const d = fmt[i + 1];
    if (d === undefined) throw new InvalidPartitionsDefinitionError(`Invalid fmt '${fmt}': it ends with a lone '%'.`, 'fmt');
    if (!SUPPORTED.has(d)) {
      throw new InvalidPartitionsDefinitionError(`Unsupported directive '%${d}' in fmt '${fmt}' (supported: %Y %m %d %H %M %S %z %%).`, 'fmt');
    }
    i++;
  }
}

export function strftime(fields: WallFields, offsetMinutes: number, fmt: string): string {
  let out = '';
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c !== '%') {
      out += c;
      continue;
    }
    const d = fmt[++i];
    switch (d) {
      case 'Y': out += pad(fields.year, 4); break;
      case 'm': out += pad(fields.month, 2); break;
      case 'd': out += pad(fields.day, 2); break;
      case 'H': out += pad(fields.hour, 2); break;
      case 'M': out += pad(fields.minute, 2); break;
      case 'S': out += pad(fields.second, 2); break;
      case 'z': {
        const abs = Math.abs(offsetMinutes);
        out += `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.floor(abs / 60), 2)}${pad(abs % 60, 2)}`;
        break;
      }
      case '%': out += '%'; break;
      default: throw new PartitionsError(`Unsupported directive '%${d}' in fmt '${fmt}'.`);
    }
  }
  return out;
}

export interface ParsedTime {
  fields: WallFields;
  /** UTC offset in minutes when the text carried %z, else null (a naive time). */
  offsetMinutes: number | null;
}

const regexCache = new Map<string, { re: RegExp; order: string[] }>();

function compile(fmt: string): { re: RegExp; order: string[] } {
  const cached = regexCache.get(fmt);
  if (cached) return cached;
  let src = '';
  const order: string[] = [];
  for (let i = 0; i < fmt.length; i++) {
    const c = fmt[i];
    if (c === '%') {
      const d = fmt[++i];
      if (d === '%') src += '%';
      else {
        const p = FIELD_PATTERNS[d];
        if (p === undefined) throw new PartitionsError(`Unsupported directive '%${d}' in fmt '${fmt}'.`);
        src += p;
        order.push(d);
      }
    } else if (/\s/.test(c)) src += '\\s+';
    else src += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  const compiled = { re: new RegExp(`^${src}$`, 'i'), order };
  regexCache.set(fmt, compiled);
  return compiled;
}

/** Python strptime: null when `text` does not match `fmt` or names an impossible date. */
export function strptime(text: string, fmt: string): ParsedTime | null {
  const { re, order } = compile(fmt);
  const m = re.exec(text);
  if (!m) return null;
  const fields: WallFields = { year: 1900, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let offset: number | null = null;
  order.forEach((d, i) => {
    const v = m[i + 1];
    switch (d) {
      case 'Y': fields.year = Number(v); break;
      case 'm': fields.month = Number(v); break;
      case 'd': fields.day = Number(v.trim()); break;
      case 'H': fields.hour = Number(v); break;
      case 'M': fields.minute = Number(v); break;
      case 'S': fields.second = Math.min(Number(v), 59); break;
      case 'z': offset = parseOffset(v); break;
    }
  });
  if (fields.day > daysInMonth(fields.year, fields.month)) return null;
  return { fields, offsetMinutes: offset };
}

function parseOffset(v: string): number {
  if (v.toUpperCase() === 'Z') return 0;
  const digits = v.slice(1).replace(/:/g, '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
  return v[0] === '-' ? -minutes : minutes;
}

export function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
