// Builds PartitionsDefinitions from evaluated Python: *PartitionsDefinition(...) calls and *_partitioned_config decorators.
import type { PartitionsDefinition, PartitionsParameter } from '../partitions/partitionsDefinition';
import { InvalidPartitionsDefinitionError, PartitionsError } from '../partitions/partitionsDefinition';
import { StaticPartitionsDefinition } from '../partitions/staticPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../partitions/timeWindowPartitionsDefinition';
import { DEFAULT_DATE_FORMAT, DEFAULT_HOURLY_FORMAT_WITHOUT_TIMEZONE } from '../partitions/timeWindowSubclasses';
import { daysInMonth } from '../partitions/strptime';
import { CronSchedule } from '../partitions/cronSchedule';
import { invalidExclusionsError } from '../partitions/timeWindowExclusions';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { BoundArguments, PythonCall } from './pythonCallArguments';
import { bindArguments } from './pythonCallArguments';
import { dynamicPartitionsFromPython, multiPartitionsFromPython } from './multiPartitionsFromPython';

/** How names in an expression are understood: which dotted names are Dagster's, and module-level variables. */
export interface PythonNameScope {
  /** The Dagster symbol a dotted name refers to (e.g. "dg.DailyPartitionsDefinition" → "DailyPartitionsDefinition"), or null. */
  dagsterSymbol(dotted: string): string | null;
  /** The value assigned to a module-level variable, when known. */
  variable?(name: string): PythonValue | undefined;
}

/** Without imports to go by, `dg.X`, `dagster.X` and a bare `X` are Dagster's `X`. */
export const defaultNameScope: PythonNameScope = {
  dagsterSymbol(dotted) {
    const m = /^(?:(?:dg|dagster)\.)?([A-Za-z_][A-Za-z0-9_]*)$/.exec(dotted);
    return m ? m[1] : null;
  },
};

type TimeHelper = 'Hourly' | 'Daily' | 'Weekly' | 'Monthly';
const HELPER_PARAMS: Record<TimeHelper, string[]> = {
  Hourly: ['start_date', 'end_date', 'minute_offset', 'timezone', 'fmt', 'end_offset', 'exclusions'],
  Daily: ['start_date', 'end_date', 'minute_offset', 'hour_offset', 'timezone', 'fmt', 'end_offset', 'exclusions'],
  Weekly: ['start_date', 'end_date', 'minute_offset', 'hour_offset', 'day_offset', 'timezone', 'fmt', 'end_offset', 'exclusions'],
  Monthly: ['start_date', 'end_date', 'minute_offset', 'hour_offset', 'day_offset', 'timezone', 'fmt', 'end_offset', 'exclusions'],
};
const TIME_WINDOW_PARAMS = ['start', 'fmt', 'end', 'schedule_type', 'timezone', 'end_offset', 'minute_offset', 'hour_offset', 'day_offset', 'cron_schedule', 'exclusions'];
/** The *_partitioned_config decorators take no end_date, and tags_for_partition_fn comes before exclusions. */
const configParams = (kind: TimeHelper) => [...HELPER_PARAMS[kind].filter((p) => p !== 'end_date' && p !== 'exclusions'), 'tags_for_partition_fn', 'exclusions'];
const CONSTRUCTORS = ['DailyPartitionsDefinition', 'HourlyPartitionsDefinition', 'WeeklyPartitionsDefinition', 'MonthlyPartitionsDefinition', 'TimeWindowPartitionsDefinition', 'StaticPartitionsDefinition', 'MultiPartitionsDefinition', 'DynamicPartitionsDefinition'];

/** Evaluates `value` (a constructor call, or a variable naming one) as a partitions definition. */
export function partitionsFromPython(value: PythonValue, scope: PythonNameScope): PartitionsDefinition {
  const v = resolve(value, scope);
  if (v.kind !== 'call') {
    const what = v.kind === 'name' ? `'${v.name}', which is not defined in this module` : describePythonValue(v);
    throw new PythonEvaluationError(v.from, `expected a partitions definition such as DailyPartitionsDefinition(...), got ${what}`);
  }
  const symbol = scope.dagsterSymbol(v.callee);
  const helper = symbol ? /^(Hourly|Daily|Weekly|Monthly)PartitionsDefinition$/.exec(symbol) : null;
  if (helper) return timeHelper(helper[1] as TimeHelper, bindArguments(v, v.callee, HELPER_PARAMS[helper[1] as TimeHelper], ['start_date']), v, scope);
  if (symbol === 'TimeWindowPartitionsDefinition') return timeWindowClass(bindArguments(v, v.callee, TIME_WINDOW_PARAMS, ['start', 'fmt']), v, scope);
  if (symbol === 'StaticPartitionsDefinition') {
    const args = bindArguments(v, v.callee, ['partition_keys'], ['partition_keys']);
    const keysValue = args.get('partition_keys') as PythonValue;
    return construct(() => new StaticPartitionsDefinition(stringList(keysValue, 'partition_keys', scope)), () => keysValue.from);
  }
  if (symbol === 'MultiPartitionsDefinition' || symbol === 'DynamicPartitionsDefinition') {
    const evaluator = { partitions: (p: PythonValue) => partitionsFromPython(p, scope), resolve: (p: PythonValue) => resolve(p, scope) };
    return symbol === 'MultiPartitionsDefinition' ? multiPartitionsFromPython(v, evaluator) : dynamicPartitionsFromPython(v, evaluator);
  }
  throw new PythonEvaluationError(v.from, `unknown partitions constructor '${v.callee}' (expected one of: ${CONSTRUCTORS.join(', ')})`);
}

/** The partitions of a `@daily_partitioned_config(...)`-style decorator call; `symbol` is its Dagster name. */
export function partitionsFromPartitionedConfig(symbol: string, call: PythonCall, scope: PythonNameScope): PartitionsDefinition {
  const helper = /^(hourly|daily|weekly|monthly)_partitioned_config$/.exec(symbol);
  if (helper) {
    const kind = (helper[1][0].toUpperCase() + helper[1].slice(1)) as TimeHelper;
    return timeHelper(kind, bindArguments(call, symbol, configParams(kind), ['start_date']), call, scope);
  }
  if (symbol === 'static_partitioned_config') {
    const args = bindArguments(call, symbol, ['partition_keys', 'tags_for_partition_fn', 'tags_for_partition_key_fn'], ['partition_keys']);
    const keysValue = args.get('partition_keys') as PythonValue;
    return construct(() => new StaticPartitionsDefinition(stringList(keysValue, 'partition_keys', scope)), () => keysValue.from);
  }
  if (symbol === 'partitioned_config') {
    const args = bindArguments(call, symbol, ['partitions_def', 'tags_for_partition_key_fn'], ['partitions_def']);
    return partitionsFromPython(args.get('partitions_def') as PythonValue, scope);
  }
  if (symbol === 'PartitionedConfig') {
    const params = ['partitions_def', 'run_config_for_partition_fn', 'decorated_fn', 'tags_for_partition_fn', 'run_config_for_partition_key_fn', 'tags_for_partition_key_fn'];
    return partitionsFromPython(bindArguments(call, symbol, params, ['partitions_def']).get('partitions_def') as PythonValue, scope);
  }
  if (symbol === 'dynamic_partitioned_config') {
    bindArguments(call, symbol, ['partition_fn', 'tags_for_partition_fn', 'tags_for_partition_key_fn'], ['partition_fn']);
    throw new PythonEvaluationError(call.from,
      'dynamic_partitioned_config gets its partition keys by running partition_fn, which cannot be known statically; ' +
        'use @partitioned_config(partitions_def=DynamicPartitionsDefinition(name="...")) to give the job dynamic partitions');
  }
  throw new PythonEvaluationError(call.from, `'${symbol}' is not a partitioned config decorator`);
}

function timeHelper(kind: TimeHelper, args: BoundArguments, call: PythonCall, scope: PythonNameScope): PartitionsDefinition {
  const exclusions = exclusionsValue(args, scope);
  const minute = int(args, 'minute_offset', 0, scope);
  const hour = int(args, 'hour_offset', 0, scope);
  const day = int(args, 'day_offset', kind === 'Monthly' ? 1 : 0, scope);
  const cron = { Hourly: `${minute} * * * *`, Daily: `${minute} ${hour} * * *`, Weekly: `${minute} ${hour} * * ${day}`, Monthly: `${minute} ${hour} ${day} * *` }[kind];
  const names: Record<PartitionsParameter, string[]> = {
    start: ['start_date'], end: ['end_date'], timezone: ['timezone'], fmt: ['fmt'], end_offset: ['end_offset'],
    cron: ['day_offset', 'hour_offset', 'minute_offset'], partition_keys: [],
  };
  return construct(() => new TimeWindowPartitionsDefinition({
    cron,
    start: dateValue(args.get('start_date') as PythonValue, 'start_date', scope) ?? missingStart(call, 'start_date'),
    end: optionalDate(args, 'end_date', scope),
    timezone: optionalString(args, 'timezone', scope),
    fmt: optionalString(args, 'fmt', scope) ?? (kind === 'Hourly' ? DEFAULT_HOURLY_FORMAT_WITHOUT_TIMEZONE : DEFAULT_DATE_FORMAT),
    endOffset: int(args, 'end_offset', 0, scope),
    exclusions,
  }), (p) => firstPresent(args, names[p])?.from ?? call.from);
}

function timeWindowClass(args: BoundArguments, call: PythonCall, scope: PythonNameScope): PartitionsDefinition {
  const exclusions = exclusionsValue(args, scope);
  const given = (p: string) => args.has(p) && resolve(args.get(p) as PythonValue, scope).kind !== 'none';
  const cronArg = optionalString(args, 'cron_schedule', scope);
  let cron: string;
  if (cronArg !== null) {
    const conflicting = ['schedule_type', 'minute_offset', 'hour_offset', 'day_offset'].find(given);
    if (conflicting) {
      throw new PythonEvaluationError((args.get(conflicting) as PythonValue).from,
        "If cron_schedule argument is provided, then schedule_type, minute_offset, hour_offset, and day_offset can't also be provided");
    }
    cron = cronArg;
  } else {
    if (!given('schedule_type')) throw new PythonEvaluationError(call.from, 'One of schedule_type and cron_schedule must be provided');
    const st = resolve(args.get('schedule_type') as PythonValue, scope);
    const type = (st.kind === 'name' ? /(?:^|\.)(HOURLY|DAILY|WEEKLY|MONTHLY)$/.exec(st.name)?.[1] : undefined) as
      | 'HOURLY' | 'DAILY' | 'WEEKLY' | 'MONTHLY' | undefined;
    if (!type) throw new PythonEvaluationError(st.from, `schedule_type must be ScheduleType.HOURLY, DAILY, WEEKLY or MONTHLY, got ${describePythonValue(st)}`);
    const m = int(args, 'minute_offset', 0, scope);
    const h = int(args, 'hour_offset', 0, scope);
    const d = int(args, 'day_offset', type === 'MONTHLY' ? 1 : 0, scope);
    cron = { HOURLY: `${m} * * * *`, DAILY: `${m} ${h} * * *`, WEEKLY: `${m} ${h} * * ${d}`, MONTHLY: `${m} ${h} ${d} * *` }[type];
  }
  const names: Record<PartitionsParameter, string[]> = {
    start: ['start'], end: ['end'], timezone: ['timezone'], fmt: ['fmt'], end_offset: ['end_offset'],
    cron: ['cron_schedule', 'day_offset', 'hour_offset', 'minute_offset', 'schedule_type'], partition_keys: [],
  };
  const fmt = optionalString(args, 'fmt', scope);
  if (fmt === null) throw new PythonEvaluationError((args.get('fmt') as PythonValue).from, 'fmt must be a string such as "%Y-%m-%d"');
  return construct(() => new TimeWindowPartitionsDefinition({
    cron, fmt,
    start: dateValue(args.get('start') as PythonValue, 'start', scope) ?? missingStart(call, 'start'),
    end: optionalDate(args, 'end', scope),
    timezone: optionalString(args, 'timezone', scope),
    endOffset: int(args, 'end_offset', 0, scope),
    exclusions,
  }), (p) => firstPresent(args, names[p])?.from ?? call.from);
}

/** Runs a constructor, relocating its InvalidPartitionsDefinitionError to the argument at fault. */
function construct<T>(build: () => T, offsetOf: (p: PartitionsParameter) => number): T {
  try {
    return build();
  } catch (e) {
    if (e instanceof InvalidPartitionsDefinitionError) throw new PythonEvaluationError(offsetOf(e.parameter), e.message);
    if (e instanceof PartitionsError) throw new PythonEvaluationError(offsetOf('start'), e.message);
    throw e;
  }
}

function firstPresent(args: BoundArguments, names: string[]): PythonValue | undefined {
  for (const n of names) if (args.has(n)) return args.get(n);
  return undefined;
}

function missingStart(call: PythonCall, name: string): never {
  throw new PythonEvaluationError(call.from, `${name} must be a date string or a datetime, not None`);
}

/** `exclusions=[...]`: cron strings and datetime(...)/date(...) values; bad crons are all named, as Dagster does. */
function exclusionsValue(args: BoundArguments, scope: PythonNameScope): (string | Date)[] | null {
  const raw = args.get('exclusions');
  const v = raw ? resolve(raw, scope) : null;
  if (!v || v.kind === 'none') return null;
  if (v.kind !== 'list' && v.kind !== 'tuple') throw new PythonEvaluationError(v.from, `exclusions must be a list of cron strings and datetimes, got ${describePythonValue(v)}`);
  const items = v.items.map((item) => {
    const e = resolve(item, scope);
    if (e.kind === 'str') return e.value;
    const d = dateValue(e, 'exclusions', scope);
    if (d === null) throw new PythonEvaluationError(e.from, 'exclusions must contain cron strings and datetimes, not None');
    return d;
  });
  const bad = items.filter((e): e is string => typeof e === 'string' && !CronSchedule.isValid(e));
  if (bad.length > 0) throw new PythonEvaluationError(v.from, invalidExclusionsError(bad).message);
  return items;
}

/** Follows module-level variables (bounded, so `a = b; b = a` cannot loop). */
export function resolve(value: PythonValue, scope: PythonNameScope): PythonValue {
  let v = value;
  for (let i = 0; i < 20 && v.kind === 'name' && scope.variable; i++) {
    const next = scope.variable(v.name);
    if (!next) break;
    v = next;
  }
  return v;
}

function int(args: BoundArguments, name: string, fallback: number, scope: PythonNameScope): number {
  const raw = args.get(name);
  if (!raw) return fallback;
  const v = resolve(raw, scope);
  if (v.kind === 'none') return fallback;
  if (v.kind !== 'int') throw new PythonEvaluationError(v.from, `${name} must be an integer, got ${describePythonValue(v)}`);
  return v.value;
}

function optionalString(args: BoundArguments, name: string, scope: PythonNameScope): string | null {
  const raw = args.get(name);
  if (!raw) return null;
  const v = resolve(raw, scope);
  if (v.kind === 'none') return null;
  if (v.kind !== 'str') throw new PythonEvaluationError(v.from, `${name} must be a string, got ${describePythonValue(v)}`);
  return v.value;
}

function optionalDate(args: BoundArguments, name: string, scope: PythonNameScope): Date | string | null {
  const raw = args.get(name);
  return raw ? dateValue(raw, name, scope) : null;
}

function stringList(raw: PythonValue, name: string, scope: PythonNameScope): string[] {
  const v = resolve(raw, scope);
  if (v.kind !== 'list' && v.kind !== 'tuple') throw new PythonEvaluationError(v.from, `${name} must be a list of strings, got ${describePythonValue(v)}`);
  return v.items.map((item) => {
    const s = resolve(item, scope);
    if (s.kind !== 'str') throw new PythonEvaluationError(s.from, `${name} must contain only strings, got ${describePythonValue(s)}`);
    return s.value;
  });
}

const DATETIME_PARAMS = ['year', 'month', 'day', 'hour', 'minute', 'second', 'microsecond', 'tzinfo', 'fold', 'tz'];

/** A str, a `datetime(...)` / `date(...)` call (its fields as wall-clock time), or null for None. */
function dateValue(raw: PythonValue, name: string, scope: PythonNameScope): Date | string | null {
  const v = resolve(raw, scope);
  if (v.kind === 'none') return null;
  if (v.kind === 'str') return v.value;
  const m = v.kind === 'call' ? /^(?:(?:datetime|dt|pendulum)\.)?(datetime|date)$/.exec(v.callee) : null;
  if (v.kind !== 'call' || !m) {
    throw new PythonEvaluationError(v.from, `${name} must be a date string or datetime(...)/date(...), got ${describePythonValue(v)}`);
  }
  const params = m[1] === 'date' ? DATETIME_PARAMS.slice(0, 3) : DATETIME_PARAMS;
  const args = bindArguments(v, v.callee, params, ['year', 'month', 'day']);
  const f = (p: string, fallback: number) => int(args, p, fallback, scope);
  const [year, month, day, hour, minute, second] = [f('year', 0), f('month', 0), f('day', 0), f('hour', 0), f('minute', 0), f('second', 0)];
  const bad = (field: string, value: number, range: string) =>
    new PythonEvaluationError((args.get(field) as PythonValue).from, `bad date: ${field} ${value} is out of range (${range}) in ${v.callee}(...)`);
  if (year < 1 || year > 9999) throw bad('year', year, '1..9999');
  if (month < 1 || month > 12) throw bad('month', month, '1..12');
  if (day < 1 || day > daysInMonth(year, month)) throw bad('day', day, `1..${daysInMonth(year, month)} for ${year}-${String(month).padStart(2, '0')}`);
  if (hour < 0 || hour > 23) throw bad('hour', hour, '0..23');
  if (minute < 0 || minute > 59) throw bad('minute', minute, '0..59');
  if (second < 0 || second > 59) throw bad('second', second, '0..59');
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d;
}
