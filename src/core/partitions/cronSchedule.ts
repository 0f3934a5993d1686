// Parsing and validation of five-field cron schedules, and recognition of Dagster's four regular shapes.
import { InvalidPartitionsDefinitionError } from './partitionsDefinition';

export type ScheduleType = 'hourly' | 'daily' | 'weekly' | 'monthly';

/** A cron of one of the shapes Dagster's helpers produce: `M * * * *`, `M H * * *`, `M H * * D`, `M H D * *`. */
export interface RegularCron {
  scheduleType: ScheduleType;
  minute: number;
  hour: number;
  /** 0 = Sunday … 6 = Saturday (weekly only). */
  dayOfWeek: number;
  /** 1 … 31 (monthly only). */
  dayOfMonth: number;
}

const FIELDS: { name: string; min: number; max: number; names?: string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

export function invalidCronError(cron: string): InvalidPartitionsDefinitionError {
  return new InvalidPartitionsDefinitionError(`Found invalid cron schedule '${cron}' for a TimeWindowPartitionsDefinition.`, 'cron');
}

function validValue(v: string, field: (typeof FIELDS)[number]): boolean {
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    return n >= field.min && n <= field.max;
  }
  return field.names !== undefined && field.names.includes(v.toUpperCase());
}

function validItem(item: string, field: (typeof FIELDS)[number]): boolean {
  const [range, step, ...rest] = item.split('/');
  if (rest.length > 0) return false;
  if (step !== undefined && !(/^\d+$/.test(step) && Number(step) > 0)) return false;
  if (range === '*') return true;
  const bounds = range.split('-');
  if (bounds.length > 2) return false;
  return bounds.every((b) => validValue(b, field));
}

/** Dagster accepts only valid five-field crons, and rejects "30/31 of February". */
export function isValidCron(cron: string): boolean {
  const parts = cron.trim().split(/\s+/);
  if (parts.length !== 5) return false;
  if (!parts.every((p, i) => p.split(',').every((item) => item !== '' && validItem(item, FIELDS[i])))) return false;
  const isFeb = parts[3] === '2' || parts[3].toUpperCase() === 'FEB';
  return !(isFeb && /^(30|31)$/.test(parts[2]));
}

/** The regular shape of `cron`; throws for invalid crons and for valid crons of other shapes. */
export function parseRegularCron(cron: string): RegularCron {
  if (!isValidCron(cron)) throw invalidCronError(cron);
  const [mi, h, dom, mon, dow] = cron.trim().split(/\s+/);
  const num = (s: string) => (/^\d+$/.test(s) ? Number(s) : null);
  const minute = num(mi);
  const hour = num(h);
  if (minute !== null && mon === '*') {
    if (h === '*' && dom === '*' && dow === '*') return { scheduleType: 'hourly', minute, hour: 0, dayOfWeek: 0, dayOfMonth: 1 };
    if (hour !== null && dom === '*' && dow === '*') return { scheduleType: 'daily', minute, hour, dayOfWeek: 0, dayOfMonth: 1 };
    const dowN = num(dow);
    if (hour !== null && dom === '*' && dowN !== null) {
      return { scheduleType: 'weekly', minute, hour, dayOfWeek: dowN % 7, dayOfMonth: 1 };
    }
    const domN = num(dom);
    if (hour !== null && domN !== null && dow === '*') return { scheduleType: 'monthly', minute, hour, dayOfWeek: 0, dayOfMonth: domN };
  }
  throw new InvalidPartitionsDefinitionError(
    `Unsupported cron schedule '${cron}': only the regular shapes "M * * * *" (hourly), "M H * * *" (daily), ` +
      `"M H * * D" (weekly) and "M H D * *" (monthly) are supported.`,
    'cron',
  );
}
