// Dagster's Hourly/Daily/Weekly/MonthlyPartitionsDefinition helpers, with their parameter names and defaults.
import { TimeWindowPartitionsDefinition } from './timeWindowPartitionsDefinition';
import { InvalidPartitionsDefinitionError } from './partitionsDefinition';
import type { TimeWindowExclusion } from './timeWindowExclusions';

export const DEFAULT_DATE_FORMAT = '%Y-%m-%d';
export const DEFAULT_HOURLY_FORMAT_WITHOUT_TIMEZONE = '%Y-%m-%d-%H:%M';

interface CommonArgs {
  start_date: Date | string;
  end_date?: Date | string | null;
  timezone?: string | null;
  fmt?: string | null;
  end_offset?: number;
  /** Cron strings and datetimes (wall-clock in `timezone`) whose windows are dropped. */
  exclusions?: readonly TimeWindowExclusion[] | null;
}

export interface HourlyPartitionsArgs extends CommonArgs {
  minute_offset?: number;
}
export interface DailyPartitionsArgs extends HourlyPartitionsArgs {
  hour_offset?: number;
}
export interface WeeklyPartitionsArgs extends DailyPartitionsArgs {
  /** 0 = Sunday (default) … 6 = Saturday. */
  day_offset?: number;
}
export interface MonthlyPartitionsArgs extends DailyPartitionsArgs {
  /** Day of the month, default 1. */
  day_offset?: number;
}

function offset(value: number | undefined, fallback: number, name: string): string {
  const v = value ?? fallback;
  if (!Number.isInteger(v)) throw new InvalidPartitionsDefinitionError(`${name} must be an integer, got ${v}.`, 'cron');
  return String(v);
}

function build(cron: string, args: CommonArgs, defaultFmt: string): TimeWindowPartitionsDefinition {
  return new TimeWindowPartitionsDefinition({
    cron,
    start: args.start_date,
    end: args.end_date ?? null,
    timezone: args.timezone ?? null,
    fmt: args.fmt ?? defaultFmt,
    endOffset: args.end_offset ?? 0,
    exclusions: args.exclusions ?? null,
  });
}

export function hourlyPartitionsDefinition(args: HourlyPartitionsArgs): TimeWindowPartitionsDefinition {
  return build(`${offset(args.minute_offset, 0, 'minute_offset')} * * * *`, args, DEFAULT_HOURLY_FORMAT_WITHOUT_TIMEZONE);
}

export function dailyPartitionsDefinition(args: DailyPartitionsArgs): TimeWindowPartitionsDefinition {
  const m = offset(args.minute_offset, 0, 'minute_offset');
  const h = offset(args.hour_offset, 0, 'hour_offset');
  return build(`${m} ${h} * * *`, args, DEFAULT_DATE_FORMAT);
}

export function weeklyPartitionsDefinition(args: WeeklyPartitionsArgs): TimeWindowPartitionsDefinition {
  const m = offset(args.minute_offset, 0, 'minute_offset');
  const h = offset(args.hour_offset, 0, 'hour_offset');
  const d = offset(args.day_offset, 0, 'day_offset');
  return build(`${m} ${h} * * ${d}`, args, DEFAULT_DATE_FORMAT);
}

export function monthlyPartitionsDefinition(args: MonthlyPartitionsArgs): TimeWindowPartitionsDefinition {
  const m = offset(args.minute_offset, 0, 'minute_offset');
  const h = offset(args.hour_offset, 0, 'hour_offset');
  const d = offset(args.day_offset, 1, 'day_offset');
  return build(`${m} ${h} ${d} * *`, args, DEFAULT_DATE_FORMAT);
}
