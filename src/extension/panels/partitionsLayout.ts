// Where each partition of a definition sits on the partitions panel's grid: calendar, day x hour, matrix or labels.
import type { MultiPartitionsDefinition } from '../../core/partitions/multiPartitionsDefinition';
import type { PartitionsDefinition } from '../../core/partitions/partitionsDefinition';
import type { TimeWindowPartitionsDefinition } from '../../core/partitions/timeWindowPartitionsDefinition';
import type { PartitionsLayout, RowsLayout } from '../../shared/partitionsPanelProtocol';

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const HOURS = Array.from({ length: 24 }, (_, h) => String(h).padStart(2, '0'));
/** Keys per row when nothing better is known (weekly, custom crons). */
const SEQUENCE_COLUMNS = 24;

/** A key's place: which row it belongs to (keys of one row share rowKey) and its column in that row. */
interface Cell {
  rowKey: string;
  column: number;
  /** Label of the row when this key starts it, or of the row it falls in (e.g. the month starting mid-week). */
  label: string | null;
}

/**
 * Builds rows from consecutive keys. A row ends where rowKey changes or a column is skipped (an excluded day,
 * a daylight-saving hour), so every row holds consecutive key indexes and the webview needs no date math.
 */
function rowsOf(kind: RowsLayout['kind'], count: number, columns: number, columnLabels: string[], cellOf: (i: number) => Cell): RowsLayout {
  const rowStarts: number[] = [];
  const rowOffsets: number[] = [];
  const rowLabels: [number, string][] = [];
  let previous: Cell | null = null;
  for (let i = 0; i < count; i++) {
    const cell = cellOf(i);
    if (!previous || previous.rowKey !== cell.rowKey || cell.column !== previous.column + 1) {
      rowStarts.push(i);
      rowOffsets.push(cell.column);
    }
    if (cell.label !== null && (rowLabels.length === 0 || rowLabels[rowLabels.length - 1]![1] !== cell.label)) rowLabels.push([rowStarts.length - 1, cell.label]);
    previous = cell;
  }
  return { kind, columns, columnLabels, rowStarts, rowOffsets, rowLabels };
}

/** Local date and hour of a time-window key, read from its window start (ISO 8601 in the definition's zone). */
function localParts(d: PartitionsDefinition, key: string): { y: number; m: number; day: number; hour: number } {
  const start = d.timeWindow(key)!.start;
  return { y: Number(start.slice(0, 4)), m: Number(start.slice(5, 7)), day: Number(start.slice(8, 10)), hour: Number(start.slice(11, 13)) };
}

/**
 * Where months begin, and (for a calendar) each key's day of the month as runs: [index, day] counts up by one
 * per key until the next run, so a daily definition of any length sends one run per month.
 */
function monthMarks(d: PartitionsDefinition, keys: readonly string[], withDays: boolean): Pick<RowsLayout, 'monthStarts' | 'dayRuns'> {
  const monthStarts: number[] = [];
  const dayRuns: [number, number][] = [];
  let before: ReturnType<typeof localParts> | null = null;
  for (let i = 0; i < keys.length; i++) {
    const p = localParts(d, keys[i]!);
    if (before && (p.y !== before.y || p.m !== before.m)) monthStarts.push(i);
    if (withDays && (!before || p.day !== before.day + 1)) dayRuns.push([i, p.day]);
    before = p;
  }
  return withDays ? { monthStarts, dayRuns } : { monthStarts };
}

function timeWindowLayout(d: TimeWindowPartitionsDefinition, keys: readonly string[]): PartitionsLayout {
  return { ...timeWindowRows(d, keys), timeOrdered: true };
}

function timeWindowRows(d: TimeWindowPartitionsDefinition, keys: readonly string[]): RowsLayout {
  if (d.scheduleType === 'daily') {
    const rows = rowsOf('calendar', keys.length, 7, WEEKDAYS, (i) => {
      const p = localParts(d, keys[i]!);
      const weekday = (new Date(Date.UTC(p.y, p.m - 1, p.day)).getUTCDay() + 6) % 7;
      const monday = new Date(Date.UTC(p.y, p.m - 1, p.day - weekday)).toISOString().slice(0, 10);
      // A month is named beside the week holding its first day (or the first week shown).
      const label = p.day === 1 || i === 0 ? `${MONTHS[p.m - 1]} ${p.y}` : null;
      return { rowKey: monday, column: weekday, label };
    });
    return { ...rows, ...monthMarks(d, keys, true) };
  }
  if (d.scheduleType === 'hourly') {
    const rows = rowsOf('dayHour', keys.length, 24, HOURS, (i) => {
      const p = localParts(d, keys[i]!);
      const date = `${p.y}-${String(p.m).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`;
      return { rowKey: date, column: p.hour, label: date };
    });
    return { ...rows, ...monthMarks(d, keys, false) };
  }
  if (d.scheduleType === 'monthly') {
    return rowsOf('sequence', keys.length, 12, MONTHS, (i) => {
      const p = localParts(d, keys[i]!);
      return { rowKey: String(p.y), column: p.m - 1, label: String(p.y) };
    });
  }
  return sequenceLayout(keys);
}

function sequenceLayout(keys: readonly string[]): RowsLayout {
  return rowsOf('sequence', keys.length, SEQUENCE_COLUMNS, [], (i) => {
    const row = Math.floor(i / SEQUENCE_COLUMNS);
    return { rowKey: String(row), column: i % SEQUENCE_COLUMNS, label: keys[row * SEQUENCE_COLUMNS]! };
  });
}

function multiLayout(d: MultiPartitionsDefinition, keys: readonly string[]): PartitionsLayout {
  // Keys come in product order: the first dimension (by name) outer. The longer dimension runs down the rows,
  // so the panel scrolls vertically and its columns stay few.
  const [first, second] = d.dimensions;
  const outer: string[] = [];
  const inner: string[] = [];
  const innerCount = new Set<string>();
  for (const key of keys) {
    const [a, b] = key.split('|') as [string, string];
    if (outer[outer.length - 1] !== a) outer.push(a);
    if (!innerCount.has(b)) {
      innerCount.add(b);
      inner.push(b);
    }
  }
  const outerIsRows = outer.length >= inner.length;
  return {
    kind: 'matrix',
    timeOrdered: d.dimensions.some((dimension) => dimension.partitions.kind === 'time_window'),
    rowDimension: outerIsRows ? first.name : second.name,
    columnDimension: outerIsRows ? second.name : first.name,
    rowLabels: outerIsRows ? outer : inner,
    columnLabels: outerIsRows ? inner : outer,
    columnMajor: !outerIsRows,
  };
}

/** The layout for a definition's keys at one time; `keys` must be `d.keys(now)`. */
export function partitionsLayout(d: PartitionsDefinition, keys: readonly string[]): PartitionsLayout {
  switch (d.kind) {
    case 'time_window':
      return timeWindowLayout(d as TimeWindowPartitionsDefinition, keys);
    case 'multi':
      return multiLayout(d as MultiPartitionsDefinition, keys);
    case 'static':
    case 'dynamic':
      // Static and dynamic sets are usually small and their keys are the information: show them as text.
      return keys.length <= 2000 ? { kind: 'labelled' } : sequenceLayout(keys);
  }
}
