// What the partition grid draws over its cells: month boundaries, day numbers and the brush selection.
import { GAP, type GridGeometry } from './gridGeometry';

/** Visible cells of one frame: rows r0..r1, columns c0..c1, and where each sits on the canvas. */
export interface VisibleCells {
  r0: number;
  r1: number;
  c0: number;
  c1: number;
  cellX(c: number): number;
  cellY(r: number): number;
}

/**
 * A line between cells of different months: above a cell whose upper neighbour is in an earlier month, and
 * left of one whose left neighbour is (a calendar's month then reads as a stepped outline, as on paper).
 */
export function drawMonthBoundaries(ctx: CanvasRenderingContext2D, g: GridGeometry, v: VisibleCells, colour: string): void {
  if (g.monthOf(0) === null) return;
  ctx.beginPath();
  const half = GAP / 2;
  for (let r = v.r0; r <= v.r1; r++) {
    for (let c = v.c0; c <= v.c1; c++) {
      const i = g.indexAt(r, c);
      if (i < 0) continue;
      const month = g.monthOf(i);
      const above = g.indexAt(r - 1, c);
      const x = v.cellX(c);
      const y = v.cellY(r);
      if (above >= 0 && g.monthOf(above) !== month) {
        ctx.moveTo(x - half, y - half);
        ctx.lineTo(x + g.cellWidth + half, y - half);
      }
      const left = g.indexAt(r, c - 1);
      if (left >= 0 && g.monthOf(left) !== month) {
        ctx.moveTo(x - half, y - half);
        ctx.lineTo(x - half, y + g.cellHeight + half);
      }
    }
  }
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2;
  ctx.stroke();
}

/** Cells wide enough for two digits carry their day of the month, in a colour readable on their status. */
export function drawDayNumbers(ctx: CanvasRenderingContext2D, g: GridGeometry, v: VisibleCells, codes: Uint8Array, textColours: readonly string[]): void {
  if (g.cellWidth < 18 || g.cellHeight < 14 || g.dayOf(0) === null) return;
  ctx.save();
  ctx.font = `${Math.min(11, g.cellHeight - 4)}px ${ctx.font.split(' ').slice(1).join(' ') || 'sans-serif'}`;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'top';
  for (let r = v.r0; r <= v.r1; r++) {
    for (let c = v.c0; c <= v.c1; c++) {
      const i = g.indexAt(r, c);
      const day = i < 0 ? null : g.dayOf(i);
      if (day === null) continue;
      ctx.fillStyle = textColours[codes[i] ?? 0] ?? '#000';
      ctx.fillText(String(day), v.cellX(c) + 3, v.cellY(r) + 2);
    }
  }
  ctx.restore();
}

/**
 * The brush selection: each selected cell outlined twice, in the selection colour outside and the editor
 * background just inside, so it reads on every status colour in dark, light and high contrast themes, while
 * the cell's own colour (its status) still shows in the middle.
 */
export function drawSelection(ctx: CanvasRenderingContext2D, g: GridGeometry, cells: readonly number[], colour: string, background: string): void {
  if (cells.length === 0) return;
  const outer = new Path2D();
  const inner = new Path2D();
  for (let k = 0; k < cells.length; k += 2) {
    outer.rect(cells[k]! - 1, cells[k + 1]! - 1, g.cellWidth + 2, g.cellHeight + 2);
    inner.rect(cells[k]! + 1.5, cells[k + 1]! + 1.5, g.cellWidth - 3, g.cellHeight - 3);
  }
  ctx.save();
  ctx.strokeStyle = colour;
  ctx.lineWidth = 2.5;
  ctx.stroke(outer);
  ctx.strokeStyle = background;
  ctx.lineWidth = 1.5;
  ctx.stroke(inner);
  ctx.restore();
}

/** Black or white text for each fill colour, by the luminance of the colour as painted over the background. */
export function contrastingTextColours(fills: readonly string[], background: string): string[] {
  const probe = document.createElement('canvas');
  probe.width = 1;
  probe.height = 1;
  const ctx = probe.getContext('2d', { willReadFrequently: true });
  if (!ctx) return fills.map(() => '#000');
  return fills.map((fill) => {
    ctx.clearRect(0, 0, 1, 1);
    ctx.fillStyle = background === 'transparent' ? '#808080' : background;
    ctx.fillRect(0, 0, 1, 1);
    ctx.fillStyle = fill;
    ctx.fillRect(0, 0, 1, 1);
    const [r, g, b] = ctx.getImageData(0, 0, 1, 1).data;
    const luminance = (0.2126 * r! + 0.7152 * g! + 0.0722 * b!) / 255;
    return luminance > 0.55 ? '#000000' : '#ffffff';
  });
}
