// Constant folding of binary expressions: str/list concatenation, arithmetic, and datetime ± timedelta.
import type { PythonValue } from './pythonExpression';

type Binary = Extract<PythonValue, { kind: 'binary' }>;
type Call = Extract<PythonValue, { kind: 'call' }>;

/** The folded value of `left op right` (already closed), or null when it is not a constant expression. */
export function foldBinary(v: Binary, left: PythonValue, right: PythonValue): PythonValue | null {
  const at = { from: v.from, to: v.to };
  const { op } = v;
  if (op === '+' && left.kind === 'str' && right.kind === 'str') return { ...at, kind: 'str', value: left.value + right.value };
  if (op === '+' && (left.kind === 'list' || left.kind === 'tuple') && right.kind === left.kind) {
    return { ...at, kind: left.kind, items: [...left.items, ...right.items] };
  }
  if (op === '*' && left.kind === 'str' && right.kind === 'int' && right.value >= 0 && right.value < 10_000) {
    return { ...at, kind: 'str', value: left.value.repeat(right.value) };
  }
  const isNumber = (x: PythonValue): x is Extract<PythonValue, { kind: 'int' | 'float' }> => x.kind === 'int' || x.kind === 'float';
  if (isNumber(left) && isNumber(right)) {
    const kind = left.kind === 'float' || right.kind === 'float' || op === '/' ? 'float' : 'int';
    const value = op === '+' ? left.value + right.value : op === '-' ? left.value - right.value : op === '*' ? left.value * right.value
      : op === '/' && right.value !== 0 ? left.value / right.value : null;
    return value === null ? null : { ...at, kind, value };
  }
  if ((op === '+' || op === '-') && left.kind === 'call' && right.kind === 'call' && right.callee === 'datetime.timedelta') {
    const date = dateFields(left);
    const delta = timedeltaMilliseconds(right);
    if (!date || delta === null) return null;
    const t = new Date(Date.UTC(date.year, date.month - 1, date.day, date.hour, date.minute, date.second) + (op === '+' ? delta : -delta));
    if (Number.isNaN(t.getTime())) return null;
    const int = (value: number): PythonValue => ({ ...at, kind: 'int', value });
    const fields = [t.getUTCFullYear(), t.getUTCMonth() + 1, t.getUTCDate()];
    if (date.isDatetime) fields.push(t.getUTCHours(), t.getUTCMinutes(), t.getUTCSeconds());
    return { ...at, kind: 'call', callee: left.callee, args: fields.map(int), kwargs: left.kwargs.filter((k) => k.name === 'tzinfo' || k.name === 'tz'), hasSplat: false };
  }
  return null;
}

const DATE_FIELDS = ['year', 'month', 'day', 'hour', 'minute', 'second'];

function dateFields(call: Call): { year: number; month: number; day: number; hour: number; minute: number; second: number; isDatetime: boolean } | null {
  if (call.callee !== 'datetime.datetime' && call.callee !== 'datetime.date' || call.hasSplat) return null;
  const isDatetime = call.callee === 'datetime.datetime';
  const values = [0, 0, 0, 0, 0, 0];
  for (let i = 0; i < call.args.length; i++) {
    const a = call.args[i];
    if (i >= 6) return null;
    if (a.kind !== 'int') return null;
    values[i] = a.value;
  }
  for (const k of call.kwargs) {
    const i = DATE_FIELDS.indexOf(k.name);
    if (i < 0) {
      if (k.name === 'tzinfo' || k.name === 'tz') continue;
      return null;
    }
    if (k.value.kind !== 'int') return null;
    values[i] = k.value.value;
  }
  const [year, month, day, hour, minute, second] = values;
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { year, month, day, hour, minute, second, isDatetime };
}

const TIMEDELTA_UNITS: [string, number][] = [
  ['days', 86_400_000], ['seconds', 1000], ['microseconds', 0.001], ['milliseconds', 1], ['minutes', 60_000], ['hours', 3_600_000], ['weeks', 604_800_000],
];

function timedeltaMilliseconds(call: Call): number | null {
  if (call.hasSplat) return null;
  let total = 0;
  const add = (unit: string, v: PythonValue) => {
    const scale = TIMEDELTA_UNITS.find(([u]) => u === unit)?.[1];
    if (scale === undefined || (v.kind !== 'int' && v.kind !== 'float')) return false;
    total += v.value * scale;
    return true;
  };
  for (let i = 0; i < call.args.length; i++) if (i >= TIMEDELTA_UNITS.length || !add(TIMEDELTA_UNITS[i][0], call.args[i])) return null;
  for (const k of call.kwargs) if (!add(k.name, k.value)) return null;
  return total;
}
