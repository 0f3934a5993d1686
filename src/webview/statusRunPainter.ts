// StatusRunPainter: draws partition statuses on a canvas one fill per run of equal status, in the theme's
// --backfill-status-* colours; the launch strip and the details panel's strips both draw through it.
import type { PartitionStatusName } from '../shared/protocol';

const STATUS_VARIABLES: Record<PartitionStatusName, string> = {
  MATERIALIZED: '--backfill-status-materialized',
  FAILED: '--backfill-status-failed',
  CANCELED: '--backfill-status-canceled',
  IN_PROGRESS: '--backfill-status-in-progress',
  MISSING: '--backfill-status-missing',
};

const DRAW_ORDER: readonly PartitionStatusName[] = ['MISSING', 'MATERIALIZED', 'CANCELED', 'IN_PROGRESS', 'FAILED'];

export type StatusRuns = readonly (readonly [PartitionStatusName, number])[];

/**
 * Missing partitions are drawn faded, as the legend's swatch is (webview.css, .partition-cell[data-status='MISSING']):
 * canceled ones are the same neutral grey at full strength, so the two read apart without canceled looking failed.
 */
const FADED: Readonly<Partial<Record<PartitionStatusName, number>>> = { MISSING: 0.45 };

export class StatusRunPainter {
  private readonly colours = new Map<PartitionStatusName, string>();

  /** Reads the colours from `style` now: the theme can change between draws, so a painter lives for one draw. */
  constructor(private readonly ctx: CanvasRenderingContext2D, style: CSSStyleDeclaration, private readonly alphas: Partial<Record<PartitionStatusName, number>> = FADED) {
    for (const [status, variable] of Object.entries(STATUS_VARIABLES) as [PartitionStatusName, string][]) {
      this.colours.set(status, style.getPropertyValue(variable).trim() || 'gray');
    }
  }

  /**
   * Draws partitions [from, to) of `runs` as one bar across the box at (x, y), one rectangle per run, each at least
   * a pixel wide so a lone failure among 100,000 partitions stays visible. `scale` is partitions per bar width
   * (defaults to to - from; a larger one leaves a short last row on the same scale as the rows above it).
   */
  fillBar(runs: StatusRuns, from: number, to: number, x: number, y: number, width: number, height: number, scale = to - from): void {
    if (to <= from) return;
    // Where runs share a pixel the later-drawn one shows: statuses are drawn by how much they need seeing, so a
    // lone failure among materialized partitions is never painted over by its neighbours.
    for (const pass of DRAW_ORDER) {
      let start = 0;
      for (const [status, length] of runs) {
        const end = start + length;
        if (start >= to) break;
        if (end > from && status === pass) {
          const x0 = x + Math.floor(((Math.max(start, from) - from) / scale) * width);
          const x1 = Math.max(x0 + 1, x + Math.floor(((Math.min(end, to) - from) / scale) * width));
          this.fill(status, () => this.ctx.fillRect(x0, y, x1 - x0, height));
        }
        start = end;
      }
    }
  }

  /** Draws partitions [from, to) as square cells `size` wide, `pitch` apart, from (x, y): one path fill per run. */
  fillCells(runs: StatusRuns, from: number, to: number, x: number, y: number, size: number, pitch: number): void {
    let start = 0;
    for (const [status, length] of runs) {
      const end = start + length;
      if (end > from) {
        if (start >= to) break;
        this.fill(status, () => {
          this.ctx.beginPath();
          for (let i = Math.max(start, from), last = Math.min(end, to); i < last; i++) this.ctx.rect(x + (i - from) * pitch, y, size, size);
          this.ctx.fill();
        });
      }
      start = end;
    }
  }

  private fill(status: PartitionStatusName, draw: () => void): void {
    this.ctx.fillStyle = this.colours.get(status)!;
    this.ctx.globalAlpha = this.alphas[status] ?? 1;
    draw();
    this.ctx.globalAlpha = 1;
  }
}

/** The status of partition `index` in `runs` (MISSING past their end). */
export function statusAt(runs: StatusRuns, index: number): PartitionStatusName {
  let end = 0;
  for (const [status, length] of runs) {
    end += length;
    if (index < end) return status;
  }
  return 'MISSING';
}
