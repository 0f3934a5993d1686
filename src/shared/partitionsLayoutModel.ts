// How the partitions panel lays keys out on its grid: the layouts' schema and their agreement with the key count.
import * as v from 'valibot';
import { arrayOf, count, flag, oneOf, record, text, texts } from './messageSchema';

/**
 * How partitions sit on the grid. Rows hold consecutive key indexes: row r holds rowStarts[r] up to (not
 * including) rowStarts[r + 1] (the last row ends at the key count), its first key at column rowOffsets[r].
 * The host does every date computation; the webview only maps indexes to cells.
 */
const rowsLayout = record({
  /** calendar: weeks x weekdays (daily); dayHour: days x hours (hourly); sequence: any other order of keys. */
  kind: oneOf(['calendar', 'dayHour', 'sequence']),
  columns: v.pipe(count, v.minValue(1, 'must be an integer from 1 to 1000'), v.maxValue(1000, 'must be an integer from 1 to 1000')),
  columnLabels: texts,
  rowStarts: arrayOf(count),
  rowOffsets: arrayOf(count),
  /** Sparse row labels, e.g. the month beside the week it starts in: [row, label]. */
  rowLabels: arrayOf(v.strictTuple([count, text], 'must be [row, label]')),
  /** Keys are time windows, oldest first: the panel opens scrolled to the newest. */
  timeOrdered: v.optional(flag),
  /** Day of the month of each key (calendar): [key index, day] starts a run counting up by one per key. */
  dayRuns: v.optional(arrayOf(v.strictTuple([count, v.pipe(count, v.minValue(1, 'must be a day 1-31'), v.maxValue(31, 'must be a day 1-31'))], 'must be [key index, day 1-31]'))),
  /** Key indexes where a new month begins (after the first key): the grid draws month boundaries there. */
  monthStarts: v.optional(arrayOf(count)),
});
export type RowsLayout = v.InferOutput<typeof rowsLayout>;

/** Two dimensions of a multi-partitions definition: key index = rowIndex * columns + column, or transposed. */
const matrixLayout = record({
  kind: v.literal('matrix'),
  rowDimension: text,
  columnDimension: text,
  rowLabels: texts,
  columnLabels: texts,
  /** false: keys run along a row (row-major); true: keys run down a column (column-major). */
  columnMajor: flag,
  /** A dimension is a time window: the panel opens scrolled to the last key. */
  timeOrdered: v.optional(flag),
});
export type MatrixLayout = v.InferOutput<typeof matrixLayout>;

/** Static (or dynamic) keys drawn as wide cells carrying their key as text, wrapped to the panel width. */
const labelledLayout = record({ kind: v.literal('labelled') });

export const partitionsLayout = v.variant('kind', [rowsLayout, matrixLayout, labelledLayout], 'must be an object of a known layout kind');
export type PartitionsLayout = v.InferOutput<typeof partitionsLayout>;

/** What is wrong with a layout for `keyCount` keys, worded from its owner (".layout ..."), or null. */
export function layoutProblem(layout: PartitionsLayout, keyCount: number): string | null {
  if (layout.kind === 'labelled') return null;
  if (layout.kind === 'matrix') {
    const cells = layout.rowLabels.length * layout.columnLabels.length;
    return cells === keyCount ? null : `.layout has ${cells} cells but there are ${keyCount} keys`;
  }
  const { rowStarts: starts, rowOffsets: offsets, columns } = layout;
  if (starts.length !== offsets.length) return '.layout.rowOffsets must have one entry per row';
  if (keyCount > 0 && starts[0] !== 0) return '.layout.rowStarts must begin at 0';
  for (let r = 0; r < starts.length; r++) {
    const end = r + 1 < starts.length ? starts[r + 1]! : keyCount;
    if (end <= starts[r]! || end - starts[r]! + offsets[r]! > columns) return `.layout row ${r} is empty, out of order or wider than ${columns} columns`;
  }
  const label = layout.rowLabels.findIndex(([row]) => row >= starts.length);
  if (label >= 0) return `.layout.rowLabels[${label}] must be [row, label] of one of the ${starts.length} rows`;
  if (layout.monthStarts?.some((m, i, all) => m >= keyCount || (i > 0 && m <= all[i - 1]!))) return '.layout.monthStarts must be increasing key indexes';
  const day = layout.dayRuns?.findIndex(([k]) => k >= keyCount) ?? -1;
  return day >= 0 ? `.layout.dayRuns[${day}] must be [key index, day 1-31] of one of the ${keyCount} keys` : null;
}
