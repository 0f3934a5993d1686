// A target's partitions as one canvas strip of status colours, selectable by dragging or from the keyboard: draws
// runs of equal status, never one node per partition, so 100,000 partitions cost one canvas.
import type { PartitionKeys } from '../../shared/partitionKeyList';
import type { PartitionStatusName } from '../../shared/protocol';
import { createElement, setText } from '../domElement';
import { StatusRunPainter } from '../statusRunPainter';
import { StatusStripCursor } from './statusStripCursor';

const STATUS_WORDS: Record<PartitionStatusName, string> = { MATERIALIZED: 'materialized', FAILED: 'failed', CANCELED: 'canceled', IN_PROGRESS: 'in progress', MISSING: 'missing' };
/** The canvas is taller than the status bar so the range frame and the cursor's notches sit clear of it. */
const HEIGHT = 36;
const BAR_TOP = 8;
const BAR_HEIGHT = 20;
const KEYS_HELP = 'Left and Right move, Shift extends a range, Page Up and Page Down jump a tenth, Enter applies, Escape clears';

export class StatusStripCanvas {
  readonly element = createElement('div', 'status-strip');
  private readonly canvas = createElement('canvas', 'status-strip-canvas');
  private readonly readout = createElement('div', 'status-strip-readout');
  private keys: PartitionKeys = [];
  private statusRuns: readonly [PartitionStatusName, number][] = [];
  /** The range the form's fields hold, drawn while no drag or keyboard range is pending. */
  private applied: [number, number] | null = null;
  /** A range being dragged, or extended with Shift, that the form does not hold yet. */
  private pending: [number, number] | null = null;
  private dragFrom: number | null = null;
  private readonly cursor = new StatusStripCursor();
  private counts = '';
  /** The readout of the last chosen range, kept when the pointer leaves so it stays readable. */
  private selectionText = '';

  constructor(private readonly onSelect: (from: number, to: number) => void) {
    this.canvas.id = 'status-strip';
    this.canvas.height = HEIGHT;
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'slider');
    this.canvas.setAttribute('aria-roledescription', 'partition strip');
    this.canvas.setAttribute('aria-valuemin', '0');
    this.readout.id = 'status-strip-readout';
    this.readout.setAttribute('aria-live', 'polite');
    this.element.append(this.canvas, this.readout);
    this.canvas.addEventListener('pointerdown', (e) => {
      if (this.keys.length === 0) return;
      this.canvas.setPointerCapture(e.pointerId);
      this.dragFrom = this.indexAt(e.offsetX);
      this.cursor.moveTo(this.dragFrom, false);
      this.showPending(this.dragFrom, this.dragFrom);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (this.keys.length === 0) return;
      const i = this.indexAt(e.offsetX);
      if (this.dragFrom === null) setText(this.readout, this.describeKey(i));
      else {
        // The keyboard takes over where a drag ends: Shift+arrows go on from its far end.
        this.cursor.moveTo(i, i !== this.dragFrom);
        this.showPending(Math.min(this.dragFrom, i), Math.max(this.dragFrom, i));
      }
    });
    this.canvas.addEventListener('pointerleave', () => {
      if (this.dragFrom === null) setText(this.readout, this.selectionText || this.idleText());
    });
    const finish = (): void => {
      if (this.dragFrom === null || !this.pending) return;
      this.dragFrom = null;
      this.apply(this.pending);
    };
    this.canvas.addEventListener('pointerup', finish);
    this.canvas.addEventListener('pointercancel', finish);
    this.canvas.addEventListener('keydown', (e) => this.keyDown(e));
    this.canvas.addEventListener('focus', () => {
      this.cursor.fit(this.keys.length, this.applied?.[0] ?? 0);
      this.describeState();
      this.draw();
    });
    this.canvas.addEventListener('blur', () => this.draw());
    new ResizeObserver(() => this.draw()).observe(this.element);
  }

  update(keys: PartitionKeys, statusRuns: readonly [PartitionStatusName, number][]): void {
    this.keys = keys;
    this.statusRuns = statusRuns;
    if (this.applied && this.applied[1] >= keys.length) this.applied = null;
    if (this.pending && this.pending[1] >= keys.length) this.pending = null;
    this.cursor.fit(keys.length, this.applied?.[0] ?? 0);
    const counts = new Map<PartitionStatusName, number>();
    for (const [s, n] of statusRuns) counts.set(s, (counts.get(s) ?? 0) + n);
    this.counts = `${keys.length} partitions: ${[...counts].map(([s, n]) => `${n} ${STATUS_WORDS[s]}`).join(', ') || 'none'}`;
    if (!this.selectionText) setText(this.readout, this.idleText());
    this.canvas.setAttribute('aria-valuemax', String(Math.max(0, keys.length - 1)));
    this.describeState();
    this.draw();
  }

  /** Shows the range the form's fields hold, or none with null. */
  highlight(range: [number, number] | null): void {
    this.applied = range;
    this.describeState();
    this.draw();
  }

  private keyDown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    const n = this.keys.length;
    const action = this.cursor.key(e.key, e.shiftKey, n);
    if (action === null) return;
    e.preventDefault();
    e.stopPropagation();
    const i = this.cursor.index;
    if (action === 'apply') {
      this.apply(this.cursor.range ?? [i, i]);
      return;
    }
    const range = this.cursor.range;
    this.pending = range;
    setText(this.readout, range ? `${this.rangeText(range[0], range[1])} · Enter applies, Escape clears` : this.describeKey(i));
    this.describeState();
    this.draw();
  }

  private showPending(from: number, to: number): void {
    this.pending = [from, to];
    setText(this.readout, this.rangeText(from, to));
    this.describeState();
    this.draw();
  }

  /** Hands a range to the form, as a drag's release does; the form answers with highlight(). */
  private apply([from, to]: [number, number]): void {
    this.pending = null;
    this.selectionText = this.rangeText(from, to);
    setText(this.readout, this.selectionText);
    this.onSelect(from, to);
    this.describeState();
    this.draw();
  }

  /** The accessible name and value: what is selected, and where the cursor is. */
  private describeState(): void {
    const shown = this.pending ?? this.applied;
    const selection = !shown ? 'No range selected' : `${this.pending ? 'Extending' : 'Selected'} ${this.rangeText(shown[0], shown[1])}`;
    this.canvas.setAttribute('aria-label', `Partition strip, ${this.counts}. ${selection}. ${KEYS_HELP}.`);
    const i = this.cursor.index;
    if (i >= 0 && i < this.keys.length) {
      this.canvas.setAttribute('aria-valuenow', String(i));
      this.canvas.setAttribute('aria-valuetext', this.describeKey(i));
    } else {
      this.canvas.removeAttribute('aria-valuenow');
      this.canvas.removeAttribute('aria-valuetext');
    }
  }

  private rangeText(from: number, to: number): string {
    return from === to ? this.keys.at(from)! : `${this.keys.at(from)}...${this.keys.at(to)} (${to - from + 1} partitions)`;
  }

  private describeKey(i: number): string {
    return `${this.keys.at(i)}: ${STATUS_WORDS[this.statusAt(i)]}`;
  }

  private idleText(): string {
    const n = this.keys.length;
    return n ? `${this.keys.at(0)} … ${this.keys.at(n - 1)} · point for a status; drag, or Shift+arrows, to select a range` : 'No partitions yet.';
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
    new StatusRunPainter(ctx, style).fillBar(this.statusRuns, 0, n, 0, BAR_TOP, width, BAR_HEIGHT);
    const focus = style.getPropertyValue('--vscode-focusBorder').trim() || style.color;
    ctx.strokeStyle = focus;
    ctx.fillStyle = focus;
    const shown = this.pending ?? this.applied;
    if (shown) {
      const [a, b] = shown;
      const x0 = Math.floor((a / n) * width);
      const x1 = Math.max(x0 + 2, Math.ceil(((b + 1) / n) * width));
      ctx.lineWidth = 2;
      // A range not applied yet is dashed; the one the form holds is solid.
      ctx.setLineDash(this.pending ? [4, 3] : []);
      ctx.strokeRect(x0 + 1, BAR_TOP - 3, x1 - x0 - 2, BAR_HEIGHT + 6);
      ctx.setLineDash([]);
    }
    const i = this.cursor.index;
    if (i >= 0 && i < n && document.activeElement === this.canvas && this.canvas.matches(':focus-visible')) {
      // The cursor: a needle through its partition and a notch above and below, haloed in the editor background so
      // it stands out from the range frame and from any status colour, and shows on a one-pixel partition too.
      const mid = Math.round(((i + 0.5) / n) * width);
      const halo = style.getPropertyValue('--vscode-editor-background').trim() || 'transparent';
      ctx.fillStyle = halo;
      ctx.fillRect(mid - 2, BAR_TOP, 4, BAR_HEIGHT);
      ctx.fillStyle = focus;
      ctx.fillRect(mid - 1, BAR_TOP, 2, BAR_HEIGHT);
      ctx.lineWidth = 1;
      ctx.strokeStyle = halo;
      for (const [edge, tip] of [[0, BAR_TOP], [HEIGHT, BAR_TOP + BAR_HEIGHT]] as const) {
        ctx.beginPath();
        ctx.moveTo(mid - 6, edge);
        ctx.lineTo(mid + 6, edge);
        ctx.lineTo(mid, tip);
        ctx.closePath();
        ctx.fill();
        ctx.stroke();
      }
    }
  }
}
