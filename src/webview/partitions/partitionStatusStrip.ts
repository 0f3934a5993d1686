// The status strip: every partition of a target squeezed into one bar, drawn run by run (one path per status).
import type { PartitionStatusName } from '../../shared/protocol';
import { createElement } from '../domElement';
import { STATUS_ORDER, readStatusColours } from './partitionStatusCodes';

const HEIGHT = 14;
const BY_URGENCY: readonly PartitionStatusName[] = ['FAILED', 'IN_PROGRESS', 'CANCELED', 'MATERIALIZED', 'MISSING'];
const URGENCY: Readonly<Record<PartitionStatusName, number>> = { FAILED: 0, IN_PROGRESS: 1, CANCELED: 2, MATERIALIZED: 3, MISSING: 4 };

export class PartitionStatusStrip {
  readonly element: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  private runs: readonly [PartitionStatusName, number][] = [];
  private count = 0;
  private colours: string[] = [];

  constructor(label: string, onPoint: (index: number, clientX: number, clientY: number, clicked: boolean) => void) {
    this.element = createElement('canvas', 'partition-status-strip');
    this.element.setAttribute('role', 'img');
    this.element.setAttribute('aria-label', `${label} status strip`);
    this.ctx = this.element.getContext('2d')!;
    const at = (e: MouseEvent): number => {
      const box = this.element.getBoundingClientRect();
      return this.count === 0 ? -1 : Math.min(this.count - 1, Math.max(0, Math.floor(((e.clientX - box.left) / box.width) * this.count)));
    };
    this.element.addEventListener('mousemove', (e) => onPoint(at(e), e.clientX, e.clientY, false));
    this.element.addEventListener('mouseleave', () => onPoint(-1, 0, 0, false));
    this.element.addEventListener('click', (e) => onPoint(at(e), e.clientX, e.clientY, true));
  }

  refreshColours(): void {
    this.colours = readStatusColours(this.element);
  }

  set(runs: readonly [PartitionStatusName, number][], count: number): void {
    this.runs = runs;
    this.count = count;
  }

  draw(): void {
    if (this.colours.length === 0) this.refreshColours();
    const width = Math.max(1, this.element.parentElement?.clientWidth ?? 1);
    const dpr = window.devicePixelRatio || 1;
    if (this.element.width !== Math.round(width * dpr)) {
      this.element.width = Math.round(width * dpr);
      this.element.height = Math.round(HEIGHT * dpr);
      this.element.style.width = `${width}px`;
      this.element.style.height = `${HEIGHT}px`;
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, HEIGHT);
    if (this.count === 0) return;
    // One rectangle per pixel column at most: each column shows the most urgent status among its partitions
    // (failed, then in progress, canceled, materialized, missing), so a single failure among 100,000 partitions stays visible.
    const columns = Math.ceil(width);
    const column = new Uint8Array(columns).fill(255);
    const scale = columns / this.count;
    let at = 0;
    for (const [status, length] of this.runs) {
      const rank = URGENCY[status];
      const last = Math.min(columns - 1, Math.floor((at + length) * scale - 1e-9));
      for (let x = Math.floor(at * scale); x <= last; x++) if (rank < column[x]!) column[x] = rank;
      at += length;
    }
    let start = 0;
    for (let x = 1; x <= columns; x++) {
      if (x < columns && column[x] === column[start]) continue;
      ctx.fillStyle = this.colours[STATUS_ORDER.indexOf(BY_URGENCY[column[start]!]!)]!;
      ctx.fillRect(start, 0, x - start, HEIGHT);
      start = x;
    }
  }
}
