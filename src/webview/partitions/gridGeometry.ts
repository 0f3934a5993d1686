// Index <-> cell arithmetic of each grid layout (calendar, day x hour, sequence, matrix, labelled, step matrix).
import type { PartitionKeys } from '../../shared/partitionKeyList';
import type { MatrixLayout, RowsLayout } from '../../shared/partitionsPanelProtocol';

export interface GridGeometry {
  readonly rows: number;
  readonly columns: number;
  readonly count: number;
  /** Cell size in CSS pixels; labelled cells are wide enough for their key. */
  readonly cellWidth: number;
  readonly cellHeight: number;
  /** Whether cells carry their key as text. */
  readonly labelled: boolean;
  /** How far cells may grow to use the panel's width (see fittedGeometry), or null for a fixed size. */
  readonly fit: CellFit | null;
  /** What a brush selects: consecutive keys, a rectangle (multi-partitions) or whole columns (a job's partitions). */
  readonly brush: 'linear' | 'rectangle' | 'columns';
  /** Key index at a cell, or -1 for a blank cell. */
  indexAt(row: number, column: number): number;
  rowOf(index: number): number;
  columnOf(index: number): number;
  rowLabel(row: number): string | null;
  columnLabel(column: number): string | null;
  /** Keys are time windows, oldest first: the grid opens at the last one. */
  readonly timeOrdered: boolean;
  /** Day of the month of a key (calendar), or null where the layout does not number days. */
  dayOf(index: number): number | null;
  /** How many months begin at or before a key (0 for the first month); null without month marks. */
  monthOf(index: number): number | null;
}

/** Marks a layout without days or months carries. */
const NO_MONTHS = { dayOf: () => null, monthOf: () => null } as const;

export const CELL = 14;
/** Space between cells, in CSS pixels. */
export const GAP = 2;

/** Largest cell a layout grows to. */
export interface CellFit {
  maxWidth: number;
  maxHeight: number;
}

/**
 * A calendar's seven days become wide boxes. Denser layouts (hours, matrices, sequences) keep 14 px cells: they
 * hold up to 100,000 keys, where larger cells would only mean more scrolling.
 */
const CALENDAR_FIT: CellFit = { maxWidth: 150, maxHeight: 30 };
/**
 * Hours, months and matrices grow too, less far: a day of 24 hours spans a wide editor instead of 384 px of it,
 * and rows stay short enough to show weeks of days at once.
 */
const DENSE_FIT: CellFit = { maxWidth: 56, maxHeight: 20 };

/**
 * The geometry with cells as large as `width` (CSS pixels for the cells, labels excluded) allows, within its
 * fit: a wide panel gets wide cells instead of a narrow strip of 14 px boxes beside empty space.
 */
export function fittedGeometry(g: GridGeometry, width: number): GridGeometry {
  if (!g.fit || g.columns === 0) return g;
  const cellWidth = Math.max(CELL, Math.min(g.fit.maxWidth, Math.floor(width / g.columns) - GAP));
  const cellHeight = Math.max(CELL, Math.min(g.fit.maxHeight, cellWidth));
  return cellWidth === g.cellWidth && cellHeight === g.cellHeight ? g : { ...g, cellWidth, cellHeight };
}

/** Largest r with starts[r] <= index (0 when none is). */
function rowContaining(starts: readonly number[], index: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= index) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Number of entries of an increasing list at or below index. */
function countAtOrBelow(sorted: readonly number[], index: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function rowsGeometry(layout: RowsLayout, count: number): GridGeometry {
  const { rowStarts, rowOffsets } = layout;
  const labels = new Map(layout.rowLabels);
  const end = (r: number): number => (r + 1 < rowStarts.length ? rowStarts[r + 1]! : count);
  const dayStarts = (layout.dayRuns ?? []).map((d) => d[0]);
  const monthStarts = layout.monthStarts;
  return {
    rows: rowStarts.length,
    columns: layout.columns,
    count,
    cellWidth: CELL,
    cellHeight: CELL,
    labelled: false,
    fit: layout.kind === 'calendar' ? CALENDAR_FIT : DENSE_FIT,
    brush: 'linear',
    timeOrdered: layout.timeOrdered === true,
    dayOf(index) {
      const runs = layout.dayRuns;
      if (!runs || runs.length === 0 || index < runs[0]![0] || index >= count) return null;
      const [start, day] = runs[rowContaining(dayStarts, index)]!;
      return day + index - start;
    },
    monthOf: (index) => (monthStarts ? countAtOrBelow(monthStarts, index) : null),
    indexAt(row, column) {
      if (row < 0 || row >= rowStarts.length || column < rowOffsets[row]! || column >= layout.columns) return -1;
      const i = rowStarts[row]! + column - rowOffsets[row]!;
      return i < end(row) ? i : -1;
    },
    rowOf: (index) => rowContaining(rowStarts, index),
    columnOf(index) {
      const r = rowContaining(rowStarts, index);
      return rowOffsets[r]! + index - rowStarts[r]!;
    },
    rowLabel: (row) => labels.get(row) ?? null,
    columnLabel: (column) => layout.columnLabels[column] ?? null,
  };
}

export function matrixGeometry(layout: MatrixLayout): GridGeometry {
  const rows = layout.rowLabels.length;
  const columns = layout.columnLabels.length;
  return {
    rows,
    columns,
    count: rows * columns,
    cellWidth: CELL,
    cellHeight: CELL,
    labelled: false,
    fit: DENSE_FIT,
    brush: 'rectangle',
    timeOrdered: layout.timeOrdered === true,
    ...NO_MONTHS,
    indexAt: (r, c) => (r < 0 || c < 0 || r >= rows || c >= columns ? -1 : layout.columnMajor ? c * rows + r : r * columns + c),
    rowOf: (i) => (layout.columnMajor ? i % rows : Math.floor(i / columns)),
    columnOf: (i) => (layout.columnMajor ? Math.floor(i / rows) : i % columns),
    rowLabel: (r) => layout.rowLabels[r] ?? null,
    columnLabel: (c) => layout.columnLabels[c] ?? null,
  };
}

/** Keys as wide cells with text, as many per row as fit in `width`. */
export function labelledGeometry(keys: { readonly length: number }, width: number): GridGeometry {
  const cellWidth = 96;
  const columns = Math.max(1, Math.floor((width + 2) / (cellWidth + 2)));
  return {
    rows: Math.ceil(keys.length / columns),
    columns,
    count: keys.length,
    cellWidth,
    cellHeight: 22,
    labelled: true,
    fit: null,
    brush: 'linear',
    timeOrdered: false,
    ...NO_MONTHS,
    indexAt: (r, c) => (r < 0 || c < 0 || c >= columns || r * columns + c >= keys.length ? -1 : r * columns + c),
    rowOf: (i) => Math.floor(i / columns),
    columnOf: (i) => i % columns,
    rowLabel: () => null,
    columnLabel: () => null,
  };
}

/** Steps down, partitions across: index = step * partitions + partition. A brush selects partitions (columns). */
export function stepMatrixGeometry(steps: readonly string[], keys: PartitionKeys): GridGeometry {
  const columns = keys.length;
  return {
    rows: steps.length,
    columns,
    count: steps.length * columns,
    cellWidth: CELL,
    cellHeight: CELL,
    labelled: false,
    // Dagster's job matrix keeps small boxes: columns are partitions, and there can be many.
    fit: null,
    brush: 'columns',
    timeOrdered: false,
    ...NO_MONTHS,
    indexAt: (r, c) => (r < 0 || c < 0 || r >= steps.length || c >= columns ? -1 : r * columns + c),
    rowOf: (i) => Math.floor(i / Math.max(columns, 1)),
    columnOf: (i) => i % Math.max(columns, 1),
    rowLabel: (r) => steps[r] ?? null,
    columnLabel: (c) => keys.at(c) ?? null,
  };
}

export interface GridSelection {
  anchor: number;
  end: number;
}

/** Cells selected by a brush from `anchor` to `end`, by the geometry's brush kind. */
export function isSelected(g: GridGeometry, s: GridSelection | null, index: number): boolean {
  if (!s) return false;
  if (g.brush === 'linear') return index >= Math.min(s.anchor, s.end) && index <= Math.max(s.anchor, s.end);
  const c = g.columnOf(index);
  const [c0, c1] = [g.columnOf(s.anchor), g.columnOf(s.end)].sort((a, b) => a - b) as [number, number];
  if (c < c0 || c > c1) return false;
  if (g.brush === 'columns') return true;
  const r = g.rowOf(index);
  const [r0, r1] = [g.rowOf(s.anchor), g.rowOf(s.end)].sort((a, b) => a - b) as [number, number];
  return r >= r0 && r <= r1;
}
