// PartitionStripLayout: where a details strip puts each partition: square cells while every partition can have
// one in a few rows, else a few wrapped bars that each cover an equal stretch of partitions.

/** Cells as the grid had them: 12 px with 2 px gaps, then 6 px with 1 px gaps, each up to a number of rows. */
const CELL_SIZES = [
  { size: 12, pitch: 14, maxRows: 4 },
  { size: 6, pitch: 7, maxRows: 12 },
] as const;
/**
 * Past that, wrapped bars: as many rows as give each partition a pixel, at most MAX_BAR_ROWS. 100,000 hourly
 * partitions on 900 px make 8 rows of 12,500 (about 14 per pixel, not 111 as one bar would): a pointer can reach a
 * day and a lone failure is still a pixel, while the strip stays about as tall as the cell grid of a month.
 */
const MAX_BAR_ROWS = 8;
const BAR_HEIGHT = 14;
const BAR_GAP = 4;

export type PartitionStripMode = 'cells' | 'bars';

export class PartitionStripLayout {
  readonly mode: PartitionStripMode;
  readonly rows: number;
  /** Partitions per row (the last row may hold fewer). */
  readonly perRow: number;
  /** Height in CSS pixels of a row's cells or bar, and the distance from one row's top to the next. */
  readonly rowHeight: number;
  readonly rowPitch: number;
  /** Cells only: the distance from one cell's left edge to the next. */
  readonly cellPitch: number;
  readonly height: number;

  constructor(readonly count: number, readonly width: number) {
    const cells = CELL_SIZES.find((c) => Math.ceil(count / Math.max(1, Math.floor((width + c.pitch - c.size) / c.pitch))) <= c.maxRows);
    if (cells || count === 0) {
      const c = cells ?? CELL_SIZES[0];
      this.mode = 'cells';
      this.perRow = Math.max(1, Math.floor((width + c.pitch - c.size) / c.pitch));
      this.rows = Math.ceil(count / this.perRow);
      this.rowHeight = c.size;
      this.rowPitch = c.pitch;
      this.cellPitch = c.pitch;
    } else {
      this.mode = 'bars';
      this.rows = Math.min(MAX_BAR_ROWS, Math.max(2, Math.ceil(count / Math.max(1, width))));
      this.perRow = Math.ceil(count / this.rows);
      this.rowHeight = BAR_HEIGHT;
      this.rowPitch = BAR_HEIGHT + BAR_GAP;
      this.cellPitch = 0;
    }
    this.height = this.rows === 0 ? 0 : (this.rows - 1) * this.rowPitch + this.rowHeight;
  }

  /** The partitions [from, to) of row `row`. */
  rowSpan(row: number): [number, number] {
    return [row * this.perRow, Math.min(this.count, (row + 1) * this.perRow)];
  }

  /** The partition under (x, y) in CSS pixels from the canvas' top left, or -1 where there is none. */
  indexAt(x: number, y: number): number {
    if (this.count === 0 || x < 0 || y < 0 || x >= this.width || y >= this.height) return -1;
    const row = Math.min(this.rows - 1, Math.floor(y / this.rowPitch));
    const column = this.mode === 'cells' ? Math.floor(x / this.cellPitch) : Math.floor((x / this.width) * this.perRow);
    if (column >= this.perRow) return -1;
    const index = row * this.perRow + column;
    return index < this.count ? index : -1;
  }

  /** The box of partition `index` (a cell, or its slice of a bar, at least a pixel wide). */
  boxOf(index: number): { x: number; y: number; width: number; height: number } {
    const row = Math.floor(index / this.perRow);
    const column = index - row * this.perRow;
    const y = row * this.rowPitch;
    if (this.mode === 'cells') return { x: column * this.cellPitch, y, width: this.rowHeight, height: this.rowHeight };
    const x = Math.floor((column / this.perRow) * this.width);
    return { x, y, width: Math.max(1, Math.floor(((column + 1) / this.perRow) * this.width) - x), height: this.rowHeight };
  }
}
