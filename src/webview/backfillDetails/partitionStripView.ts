// One target's partition strip in the details panel: a text summary of the counts, a canvas drawing runs of equal
// status (never one node per partition), and a readout of the partition under the pointer or the keyboard cursor.
import { decodePartitionKeyList, type PartitionKeys } from '../../shared/partitionKeyList';
import type { PartitionStatusName, PartitionStripModel } from '../../shared/protocol';
import { createElement, setText } from '../domElement';
import { StatusRunPainter, statusAt, type StatusRuns } from '../statusRunPainter';
import { PARTITION_STATUS_LABELS, PARTITION_STATUS_ORDER } from './partitionStatusLabels';
import { PartitionStripLayout } from './partitionStripLayout';

/** Room around the partitions for the cursor's outline, so it is not clipped at the canvas edges (panels.css sets
 * the canvas this much wider than its section on each side, so the partitions line up with the text). */
const PAD = 3;
const KEYS_HELP = 'Arrow keys move between partitions, Up and Down by a row, Page Up and Page Down a tenth, Home and End to the ends';

/** Id of a strip's element of one kind for a target; whitespace is not allowed in ids, so it becomes "_". */
export function partitionStripElementId(kind: 'summary' | 'canvas' | 'readout', target: string): string {
  return `partition-${kind}-${target.replace(/\s/g, '_')}`;
}

/** The counts part of a strip's summary, e.g. "27 materialized, 2 in progress, 1 failed". */
export function describePartitionCounts(statusRuns: StatusRuns): string {
  if (statusRuns.length === 0) return 'no partitions selected';
  const counts = new Map<PartitionStatusName, number>();
  for (const [status, length] of statusRuns) counts.set(status, (counts.get(status) ?? 0) + length);
  return PARTITION_STATUS_ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)!.toLocaleString('en-US')} ${PARTITION_STATUS_LABELS[s]}`).join(', ');
}

export class PartitionStripView {
  readonly element = createElement('section', 'partition-strip');
  private readonly counts = createElement('span', 'partition-summary-counts');
  private readonly canvas = createElement('canvas', 'partition-strip-canvas');
  private readonly readout = createElement('div', 'partition-strip-readout');
  private readonly resize = new ResizeObserver(() => this.drawSoon());
  private readonly themeChange = new MutationObserver(() => this.drawSoon());
  private keys: PartitionKeys = [];
  private statusRuns: StatusRuns = [];
  private layout = new PartitionStripLayout(0, 0);
  /** The keyboard cursor's partition, or -1 before the strip was first focused. */
  private cursor = -1;
  private hovered = -1;
  private drawRequested = false;

  constructor(target: string) {
    // The heading doubles as the text summary: its whole text reads "daily_counts: 31 materialized".
    const summary = createElement('h3', 'partition-summary');
    summary.id = partitionStripElementId('summary', target);
    summary.append(createElement('span', 'partition-strip-title', target), ': ', this.counts);
    this.canvas.id = partitionStripElementId('canvas', target);
    // Sized by its first draw: an undrawn canvas would take the default 300 x 150 at full width, a tall blank.
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.canvas.tabIndex = 0;
    this.canvas.setAttribute('role', 'slider');
    this.canvas.setAttribute('aria-readonly', 'true');
    this.canvas.setAttribute('aria-roledescription', 'partition strip');
    this.canvas.setAttribute('aria-label', `${target} partitions. ${KEYS_HELP}.`);
    this.canvas.setAttribute('aria-describedby', summary.id);
    this.canvas.setAttribute('aria-valuemin', '0');
    this.readout.id = partitionStripElementId('readout', target);
    this.readout.setAttribute('aria-live', 'polite');
    this.element.append(summary, this.canvas, this.readout);

    this.canvas.addEventListener('pointermove', (e) => {
      const box = this.canvas.getBoundingClientRect();
      this.hovered = this.layout.indexAt(e.clientX - box.left - PAD, e.clientY - box.top - PAD);
      this.showReadout();
    });
    this.canvas.addEventListener('pointerleave', () => {
      this.hovered = -1;
      this.showReadout();
    });
    this.canvas.addEventListener('keydown', (e) => this.keyDown(e));
    this.canvas.addEventListener('focus', () => {
      if (this.cursor < 0 && this.keys.length > 0) this.moveCursor(0);
      this.showReadout();
      this.draw();
    });
    this.canvas.addEventListener('blur', () => {
      this.showReadout();
      this.draw();
    });
    this.resize.observe(this.element);
    // VS Code swaps the theme by restyling <html> and renaming <body>'s class; the canvas takes colours only when drawn.
    this.themeChange.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    this.themeChange.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  update(strip: PartitionStripModel): void {
    this.keys = decodePartitionKeyList(strip.keys);
    this.statusRuns = strip.statusRuns;
    const n = this.keys.length;
    setText(this.counts, describePartitionCounts(strip.statusRuns));
    this.canvas.hidden = n === 0;
    this.canvas.setAttribute('aria-valuemax', String(Math.max(0, n - 1)));
    if (this.cursor >= n) this.cursor = n - 1;
    if (this.hovered >= n) this.hovered = -1;
    this.describeCursor();
    this.showReadout();
    this.draw();
  }

  /** Stops watching the page: the strip's target left the backfill. */
  dispose(): void {
    this.resize.disconnect();
    this.themeChange.disconnect();
    this.element.remove();
  }

  private keyDown(e: KeyboardEvent): void {
    if (e.altKey || e.ctrlKey || e.metaKey || e.isComposing) return;
    const n = this.keys.length;
    if (n === 0) return;
    const at = Math.max(0, this.cursor);
    // A tenth of the strip, so ten presses of Page Down cross it whatever its length.
    const page = Math.max(1, Math.ceil(n / 10));
    const row = this.layout.perRow;
    const target: Record<string, number> = {
      ArrowLeft: at - 1, ArrowRight: at + 1, ArrowUp: at - row, ArrowDown: at + row, Home: 0, End: n - 1, PageUp: at - page, PageDown: at + page,
    };
    if (!(e.key in target)) return;
    e.preventDefault();
    this.moveCursor(Math.max(0, Math.min(n - 1, target[e.key]!)));
    this.draw();
  }

  private moveCursor(index: number): void {
    this.cursor = index;
    this.hovered = -1;
    this.describeCursor();
    this.showReadout();
  }

  private describeCursor(): void {
    if (this.cursor >= 0) {
      this.canvas.setAttribute('aria-valuenow', String(this.cursor));
      this.canvas.setAttribute('aria-valuetext', this.describeKey(this.cursor));
    } else {
      this.canvas.removeAttribute('aria-valuenow');
      this.canvas.removeAttribute('aria-valuetext');
    }
  }

  /** The partition pointed at, else the keyboard cursor's while focused, else the span of keys. */
  private showReadout(): void {
    const n = this.keys.length;
    const focused = document.activeElement === this.canvas && this.cursor >= 0;
    let text = '';
    if (this.hovered >= 0) text = this.describeKey(this.hovered);
    else if (focused) text = this.describeKey(this.cursor);
    else if (n > 0) text = n === 1 ? `${this.keys.at(0)} (1 partition)` : `${this.keys.at(0)} … ${this.keys.at(n - 1)} (${n.toLocaleString('en-US')} partitions)`;
    setText(this.readout, text);
  }

  private describeKey(i: number): string {
    return `${this.keys.at(i)}: ${PARTITION_STATUS_LABELS[statusAt(this.statusRuns, i)]}`;
  }

  /** Resizes and theme changes arrive in bursts, some from inside a ResizeObserver callback: draw once, next frame. */
  private drawSoon(): void {
    if (this.drawRequested) return;
    this.drawRequested = true;
    requestAnimationFrame(() => {
      this.drawRequested = false;
      this.draw();
    });
  }

  private draw(): void {
    const n = this.keys.length;
    const inner = Math.floor(this.element.clientWidth);
    if (n === 0 || inner <= 0) return;
    const width = inner + 2 * PAD;
    this.layout = new PartitionStripLayout(n, inner);
    const height = this.layout.height + 2 * PAD;
    // Drawn at the device's pixel density; the stylesheet sizes the canvas to its CSS pixels.
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr)) this.canvas.width = Math.round(width * dpr);
    if (this.canvas.height !== Math.round(height * dpr)) this.canvas.height = Math.round(height * dpr);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const style = getComputedStyle(this.element);
    const painter = new StatusRunPainter(ctx, style);
    const layout = this.layout;
    for (let row = 0; row < layout.rows; row++) {
      const [from, to] = layout.rowSpan(row);
      const y = PAD + row * layout.rowPitch;
      if (layout.mode === 'cells') painter.fillCells(this.statusRuns, from, to, PAD, y, layout.rowHeight, layout.cellPitch);
      else painter.fillBar(this.statusRuns, from, to, PAD, y, layout.width, layout.rowHeight, layout.perRow);
    }
    if (this.cursor >= 0 && this.cursor < n && document.activeElement === this.canvas && this.canvas.matches(':focus-visible')) {
      // The cursor: a frame round its cell, or a needle through its slice of a bar, haloed in the editor background
      // so it stands out from any status colour.
      const box = layout.boxOf(this.cursor);
      const focus = style.getPropertyValue('--vscode-focusBorder').trim() || style.color;
      const halo = style.getPropertyValue('--vscode-editor-background').trim() || 'transparent';
      const x = PAD + box.x;
      const y = PAD + box.y;
      if (layout.mode === 'cells') {
        ctx.lineWidth = 2;
        ctx.strokeStyle = halo;
        ctx.strokeRect(x, y, box.width, box.height);
        ctx.strokeStyle = focus;
        ctx.strokeRect(x - 2, y - 2, box.width + 4, box.height + 4);
      } else {
        const mid = Math.round(x + box.width / 2);
        ctx.fillStyle = halo;
        ctx.fillRect(mid - 2, y - PAD, 4, box.height + 2 * PAD);
        ctx.fillStyle = focus;
        ctx.fillRect(mid - 1, y - PAD, 2, box.height + 2 * PAD);
      }
    }
  }
}
