// Text on the partition grid: keys inside labelled cells, row labels in the left gutter, column labels in the header.
import type { PartitionKeys } from '../../shared/partitionKeyList';
import { GAP, type GridGeometry } from './gridGeometry';
import type { VisibleCells } from './gridOverlays';

/** The canvas frame the labels sit in: gutter and header sizes in CSS pixels. */
export interface LabelFrame {
  gutter: number;
  header: number;
  verticalHeader: boolean;
  width: number;
  height: number;
}

/** Labelled layouts: each cell outlined and carrying its key, clipped to the cell. */
export function drawKeyLabels(ctx: CanvasRenderingContext2D, g: GridGeometry, v: VisibleCells, keys: PartitionKeys, text: string, border: string): void {
  ctx.strokeStyle = border;
  ctx.lineWidth = 1;
  ctx.fillStyle = text;
  ctx.textBaseline = 'middle';
  for (let r = v.r0; r <= v.r1; r++) {
    for (let c = v.c0; c <= v.c1; c++) {
      const i = g.indexAt(r, c);
      if (i < 0) continue;
      ctx.strokeRect(v.cellX(c) + 0.5, v.cellY(r) + 0.5, g.cellWidth - 1, g.cellHeight - 1);
      ctx.save();
      ctx.beginPath();
      ctx.rect(v.cellX(c) + 7, v.cellY(r), g.cellWidth - 10, g.cellHeight);
      ctx.clip();
      ctx.fillText(keys.at(i) ?? '', v.cellX(c) + 8, v.cellY(r) + g.cellHeight / 2);
      ctx.restore();
    }
  }
}

/** Row labels in the left gutter and column labels in the header stay put while the cells scroll. */
export function drawGridLabels(ctx: CanvasRenderingContext2D, g: GridGeometry, v: VisibleCells, f: LabelFrame, text: string, background: string): void {
  ctx.textBaseline = 'middle';
  if (f.gutter > 0) {
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, f.gutter, f.height);
    ctx.fillStyle = text;
    ctx.textAlign = 'left';
    for (let r = v.r0; r <= v.r1; r++) {
      const l = g.rowLabel(r);
      if (l && v.cellY(r) >= f.header - 2) ctx.fillText(l, 0, v.cellY(r) + g.cellHeight / 2, f.gutter - 6);
    }
  }
  if (f.header > 0) {
    ctx.fillStyle = background;
    ctx.fillRect(0, 0, f.width, f.header);
    ctx.fillStyle = text;
    // Dense headers (hours, many keys) get a label every few columns so they never overlap.
    const every = f.verticalHeader ? 1 : Math.max(1, Math.ceil(24 / (g.cellWidth + GAP)));
    for (let c = v.c0; c <= v.c1; c++) {
      const l = g.columnLabel(c);
      if (!l || c % every !== 0 || v.cellX(c) < f.gutter - 1) continue;
      if (f.verticalHeader) {
        ctx.save();
        ctx.translate(v.cellX(c) + g.cellWidth / 2, f.header - 4);
        ctx.rotate(-Math.PI / 2);
        ctx.textAlign = 'left';
        ctx.fillText(l, 0, 0, f.header - 6);
        ctx.restore();
      } else {
        ctx.textAlign = 'left';
        ctx.fillText(l, v.cellX(c), f.header / 2);
      }
    }
  }
}
