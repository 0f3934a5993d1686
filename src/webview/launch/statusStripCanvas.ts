// A target's partitions as one canvas strip of status colours, drag-selectable: draws runs of equal status,
// never one node per partition, so 100,000 partitions cost one canvas.
import type { PartitionStatusName } from '../../shared/protocol';
import { createElement, setText } from '../domElement';

const STATUS_VARIABLES: Record<PartitionStatusName, string> = {
  MATERIALIZED: '--backfill-status-materialized',
  FAILED: '--backfill-status-failed',
  IN_PROGRESS: '--backfill-status-in-progress',
  MISSING: '--backfill-status-missing',
};
const STATUS_WORDS: Record<PartitionStatusName, string> = { MATERIALIZED: 'materialized', FAILED: 'failed', IN_PROGRESS: 'in progress', MISSING: 'missing' };
const HEIGHT = 28;

export class StatusStripCanvas {
  readonly element = createElement('div', 'status-strip');
  private readonly canvas = createElement('canvas', 'status-strip-canvas');
  private readonly readout = createElement('div', 'status-strip-readout');
  private keys: readonly string[] = [];
  private statusRuns: readonly [PartitionStatusName, number][] = [];
  private selection: [number, number] | null = null;
  private dragFrom: number | null = null;
  /** The readout of the last drag, kept when the pointer leaves so the chosen range stays readable. */
  private selectionText = '';

  constructor(private readonly onSelect: (from: number, to: number) => void) {
    this.canvas.id = 'status-strip';
    this.canvas.height = HEIGHT;
    this.canvas.setAttribute('role', 'img');
    this.readout.id = 'status-strip-readout';
    this.readout.setAttribute('aria-live', 'polite');
    this.element.append(this.canvas, this.readout);
    this.canvas.addEventListener('pointerdown', (e) => {
      if (this.keys.length === 0) return;
      this.canvas.setPointerCapture(e.pointerId);
      this.dragFrom = this.indexAt(e.offsetX);
      this.setSelection(this.dragFrom, this.dragFrom);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (this.keys.length === 0) return;
      const i = this.indexAt(e.offsetX);
      if (this.dragFrom !== null) this.setSelection(Math.min(this.dragFrom, i), Math.max(this.dragFrom, i));
      else setText(this.readout, `${this.keys[i]}: ${STATUS_WORDS[this.statusAt(i)]}`);
    });
    this.canvas.addEventListener('pointerleave', () => {
      if (this.dragFrom === null) setText(this.readout, this.selectionText || this.idleText());
    });
    const finish = (): void => {
      if (this.dragFrom === null || !this.selection) return;
      this.dragFrom = null;
      this.onSelect(this.selection[0], this.selection[1]);
    };
    this.canvas.addEventListener('pointerup', finish);
    this.canvas.addEventListener('pointercancel', finish);
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  update(keys: readonly string[], statusRuns: readonly [PartitionStatusName, number][]): void {
    this.keys = keys;
    this.statusRuns = statusRuns;
    if (this.selection && this.selection[1] >= keys.length) this.selection = null;
    const counts = new Map<PartitionStatusName, number>();
    for (const [s, n] of statusRuns) counts.set(s, (counts.get(s) ?? 0) + n);
    if (!this.selectionText) setText(this.readout, this.idleText());
    this.canvas.setAttribute('aria-label', `${keys.length} partitions: ${[...counts].map(([s, n]) => `${n} ${STATUS_WORDS[s]}`).join(', ') || 'none'}. Drag to select a range.`);
    this.draw();
  }

  /** Highlights a key range (from the range fields), or clears it with null. */
  highlight(range: [number, number] | null): void {
    this.selection = range;
    this.draw();
  }

  private setSelection(from: number, to: number): void {
    this.selection = [from, to];
    this.selectionText = from === to ? this.keys[from]! : `${this.keys[from]}...${this.keys[to]} (${to - from + 1} partitions)`;
    setText(this.readout, this.selectionText);
    this.draw();
  }

  private idleText(): string {
    const n = this.keys.length;
    return n ? `${this.keys[0]} … ${this.keys[n - 1]} · point at the strip for a partition's status, drag to select a range` : 'No partitions yet.';
  }

  private indexAt(x: number): number {
    const width = this.canvas.clientWidth || 1;
    return Math.max(0, Math.min(this.keys.length - 1, Math.floor((x / width) * this.keys.length)));
  }

  private statusAt(index: number): PartitionStatusName {
    let end = 0;
    for (const [s, n] of this.statusRuns) {
      end += n;
      if (index < end) return s;
    }
    return 'MISSING';
  }

  private draw(): void {
    const width = Math.max(1, Math.floor(this.element.clientWidth));
    if (this.canvas.width !== width) this.canvas.width = width;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    const style = getComputedStyle(this.element);
    ctx.clearRect(0, 0, width, HEIGHT);
    const n = this.keys.length;
    if (n === 0) return;
    // One rectangle per run of equal status, at least a pixel wide so a lone failure stays visible.
    let start = 0;
    for (const [status, length] of this.statusRuns) {
      const x0 = Math.floor((start / n) * width);
      const x1 = Math.max(x0 + 1, Math.floor(((start + length) / n) * width));
      ctx.fillStyle = style.getPropertyValue(STATUS_VARIABLES[status]).trim() || 'gray';
      ctx.fillRect(x0, 4, x1 - x0, HEIGHT - 8);
      start += length;
    }
    if (this.selection) {
      const [a, b] = this.selection;
      const x0 = Math.floor((a / n) * width);
      const x1 = Math.max(x0 + 2, Math.ceil(((b + 1) / n) * width));
      ctx.strokeStyle = style.getPropertyValue('--vscode-focusBorder').trim() || style.color;
      ctx.lineWidth = 2;
      ctx.strokeRect(x0 + 1, 1, x1 - x0 - 2, HEIGHT - 2);
    }
  }
}
