// A virtualized canvas grid of partition cells: draws only the visible cells (one path per status), hit-tests
// the pointer, and keeps the keyboard focus cursor and the brush selection.
import type { PartitionKeys } from '../../shared/partitionKeyList';
import { createElement } from '../domElement';
import { CELL_CODE_COUNT, MISSING_CODE, readStatusColours } from './partitionStatusCodes';
import { fittedGeometry, GAP, isSelected, type GridGeometry, type GridSelection } from './gridGeometry';

export type { GridSelection } from './gridGeometry';
import { drawGridLabels, drawKeyLabels } from './gridLabels';
import { contrastingTextColours, drawDayNumbers, drawMonthBoundaries, drawSelection, type VisibleCells } from './gridOverlays';

/** Height of the grid until the view says how much the editor has (setViewportHeight). */
const DEFAULT_VIEWPORT_HEIGHT = 420;

/**
 * Where the grid is scrolled and what is selected: kept in the webview state, so hiding the tab loses neither.
 * Scroll is in rows and columns, not pixels: cells are sized to the width, which a restored page may not have yet.
 */
export interface GridViewState {
  topRow: number;
  leftColumn: number;
  /** Scrolled to the end (the newest of a time series): stays there as the grid grows or cells resize. */
  atEnd: boolean;
  selection: GridSelection | null;
  focus: number;
}

export interface GridEvents {
  hover(index: number, clientX: number, clientY: number): void;
  focus(index: number): void;
  select(selection: GridSelection | null): void;
  activate(index: number): void;
}

export class PartitionGridCanvas {
  readonly element: HTMLElement;
  private readonly content: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly ctx: CanvasRenderingContext2D;
  /** The layout as set, and as fitted to the width it was last drawn at. */
  private base: GridGeometry | null = null;
  private geometry: GridGeometry | null = null;
  private fittedWidth = -1;
  private codes: Uint8Array = new Uint8Array(0);
  private keys: PartitionKeys = [];
  private colours: string[] = [];
  /** Text colour readable on each status colour (day numbers). */
  private dayTextColours: string[] = [];
  /** Theme-derived drawing styles, read once per theme change: getComputedStyle on every draw would force a style recalculation. */
  private theme = { font: '11px sans-serif', text: '#888', border: '#8884', selection: '#fff', focus: '#0078d4', background: 'transparent', month: '#888' };
  private viewportHeight = DEFAULT_VIEWPORT_HEIGHT;
  private gutter = 0;
  private header = 0;
  private verticalHeader = false;
  private frame = 0;
  private dragging = false;
  focusIndex = -1;
  selection: GridSelection | null = null;

  constructor(label: string, private readonly events: GridEvents) {
    this.element = createElement('div', 'partition-grid-scroller');
    this.element.tabIndex = 0;
    // Cells are fitted to clientWidth: a scrollbar that came and went with their height would refit them back and forth.
    this.element.style.setProperty('scrollbar-gutter', 'stable');
    this.element.setAttribute('role', 'application');
    this.element.setAttribute('aria-roledescription', 'partition grid');
    this.element.setAttribute('aria-label', `${label}: arrow keys move, Shift extends the selection, Enter opens the last run's log`);
    this.content = createElement('div', 'partition-grid-content');
    this.canvas = createElement('canvas', 'partition-grid-canvas');
    this.content.append(this.canvas);
    this.element.append(this.content);
    this.ctx = this.canvas.getContext('2d')!;
    this.element.addEventListener('scroll', () => this.scheduleDraw());
    this.element.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.element.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.element.addEventListener('pointerup', () => this.pointerUp());
    this.element.addEventListener('pointerleave', () => this.events.hover(-1, 0, 0));
    this.element.addEventListener('dblclick', (e) => {
      const i = this.indexAtPoint(e.clientX, e.clientY);
      if (i >= 0) this.events.activate(i);
    });
    this.element.addEventListener('keydown', (e) => this.keyDown(e));
    this.element.addEventListener('focus', () => this.draw());
    this.element.addEventListener('blur', () => this.draw());
  }

  /** New layout (and keys, for labels): sizes the scrollable area; call draw() after setting statuses. */
  setGeometry(geometry: GridGeometry, keys: PartitionKeys): void {
    this.base = geometry;
    this.keys = keys;
    if (this.colours.length === 0) this.refreshColours();
    this.ctx.font = this.theme.font;
    let widest = 0;
    for (let r = 0; r < Math.min(geometry.rows, 400); r++) {
      const l = geometry.rowLabel(r);
      if (l) widest = Math.max(widest, this.ctx.measureText(l).width);
    }
    this.gutter = widest > 0 ? Math.min(200, Math.ceil(widest) + 10) : 0;
    let tallest = 0;
    let longest = 0;
    for (let c = 0; c < Math.min(geometry.columns, 400); c++) {
      const l = geometry.columnLabel(c);
      if (l) {
        tallest = Math.max(tallest, this.ctx.measureText(l).width);
        longest = Math.max(longest, l.length);
      }
    }
    this.verticalHeader = longest > 3;
    this.header = tallest === 0 ? 0 : this.verticalHeader ? Math.min(120, Math.ceil(tallest) + 8) : 16;
    if (this.focusIndex >= geometry.count) this.focusIndex = -1;
    this.selection = null;
    // Smallest cells for now: the draw that follows fits them to the width it reads anyway (reading it here
    // would force one more layout of the page on every render).
    this.fit(-1);
  }

  /** Cells sized to a scroller width (for layouts that grow; -1 for the smallest); the content area follows. */
  private fit(width: number): void {
    const base = this.base!;
    const before = this.geometry ? this.viewState : null;
    this.fittedWidth = width;
    const g = fittedGeometry(base, width - this.gutter);
    const resized = !this.geometry || this.geometry.cellWidth !== g.cellWidth || this.geometry.cellHeight !== g.cellHeight;
    this.geometry = g;
    // The geometry is published for tests and for anyone inspecting the page: cells themselves are pixels.
    Object.assign(this.element.dataset, { gutter: String(this.gutter), header: String(this.header), pitchX: String(g.cellWidth + GAP),
      pitchY: String(g.cellHeight + GAP), columns: String(g.columns), rows: String(g.rows) });
    this.content.style.width = `${this.gutter + g.columns * (g.cellWidth + GAP)}px`;
    this.content.style.height = `${this.header + g.rows * (g.cellHeight + GAP)}px`;
    // New cell sizes move every row: keep the same rows in view (or the end) rather than the same pixel offset.
    if (before && resized) this.scrollTo(before);
  }

  private scrollTo(v: Pick<GridViewState, 'topRow' | 'leftColumn' | 'atEnd'>): void {
    const g = this.geometry!;
    this.element.scrollTop = v.atEnd ? this.element.scrollHeight : v.topRow * (g.cellHeight + GAP);
    this.element.scrollLeft = v.leftColumn * (g.cellWidth + GAP);
  }

  setCodes(codes: Uint8Array): void {
    this.codes = codes;
  }

  /** Theme colours are read again on every theme change. */
  refreshColours(): void {
    this.colours = readStatusColours(this.element);
    const style = getComputedStyle(this.element);
    const read = (name: string, fallback: string): string => style.getPropertyValue(name).trim() || fallback;
    this.theme = {
      font: `11px ${getComputedStyle(document.body).fontFamily || 'sans-serif'}`,
      text: read('--partition-text', '#888'),
      border: read('--partition-cell-border', '#8884'),
      selection: read('--partition-selection', '#fff'),
      focus: read('--partition-focus', '#0078d4'),
      background: read('--partition-background', 'transparent'),
      month: read('--partition-month-boundary', '#888'),
    };
    this.dayTextColours = contrastingTextColours(this.colours, this.theme.background);
  }

  /** The tallest the grid may be (the editor's height below the header); it scrolls past that. */
  setViewportHeight(height: number): void {
    const h = Math.max(160, Math.floor(height));
    if (h === this.viewportHeight) return;
    const atEnd = this.geometry !== null && this.viewState.atEnd;
    this.viewportHeight = h;
    this.element.style.maxHeight = `${h}px`;
    if (atEnd) this.element.scrollTop = this.element.scrollHeight;
  }

  get viewState(): GridViewState {
    const g = this.geometry;
    const e = this.element;
    return {
      topRow: g ? e.scrollTop / (g.cellHeight + GAP) : 0,
      leftColumn: g ? e.scrollLeft / (g.cellWidth + GAP) : 0,
      atEnd: e.scrollTop > 0 && e.scrollTop + e.clientHeight >= e.scrollHeight - 2,
      selection: this.selection,
      focus: this.focusIndex,
    };
  }

  /** Puts back a saved scroll position and selection (after the geometry is set and drawn once). */
  restoreViewState(state: GridViewState): void {
    const g = this.geometry;
    if (!g) return;
    const valid = (i: number): boolean => Number.isSafeInteger(i) && i >= 0 && i < g.count;
    this.selection = state.selection && valid(state.selection.anchor) && valid(state.selection.end) ? state.selection : null;
    this.focusIndex = valid(state.focus) ? state.focus : -1;
    this.scrollTo(state);
    this.events.select(this.selection);
    this.draw();
  }

  /** Scrolls so the key's cell is in view, at the bottom-right when it is the last (the newest of a time series). */
  reveal(index: number): void {
    const g = this.geometry;
    if (!g || index < 0 || index >= g.count) return;
    const x = g.columnOf(index) * (g.cellWidth + GAP);
    const y = g.rowOf(index) * (g.cellHeight + GAP);
    this.element.scrollTop = Math.max(0, y + g.cellHeight + GAP + this.header - this.element.clientHeight);
    this.element.scrollLeft = Math.max(0, x + g.cellWidth + GAP + this.gutter - this.element.clientWidth);
    this.draw();
  }

  private scheduleDraw(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  /** Draws the visible part: a few thousand cells at most, whatever the partition count. */
  draw(): void {
    if (!this.base) return;
    const clientWidth = this.element.clientWidth;
    // A new or resized panel (or one shown after being hidden at width 0) refits before drawing.
    if (this.base.fit && clientWidth !== this.fittedWidth) this.fit(clientWidth);
    const g = this.geometry!;
    if (this.colours.length === 0) this.refreshColours();
    const width = Math.max(1, clientWidth);
    const contentHeight = this.header + g.rows * (g.cellHeight + GAP);
    const height = Math.max(1, Math.min(contentHeight, this.viewportHeight));
    const dpr = window.devicePixelRatio || 1;
    if (this.canvas.width !== Math.round(width * dpr) || this.canvas.height !== Math.round(height * dpr)) {
      this.canvas.width = Math.round(width * dpr);
      this.canvas.height = Math.round(height * dpr);
      this.canvas.style.width = `${width}px`;
      this.canvas.style.height = `${height}px`;
    }
    const ctx = this.ctx;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    ctx.font = this.theme.font;
    const px = g.cellWidth + GAP;
    const py = g.cellHeight + GAP;
    const x0 = this.element.scrollLeft;
    const y0 = this.element.scrollTop;
    const c0 = Math.max(0, Math.floor(x0 / px));
    const c1 = Math.min(g.columns - 1, Math.floor((x0 + width - this.gutter) / px));
    const r0 = Math.max(0, Math.floor(y0 / py));
    const r1 = Math.min(g.rows - 1, Math.floor((y0 + height - this.header) / py));
    // Cell origins grouped by status, then one fillStyle per status and plain fillRects (Skia's fast path).
    const byStatus: number[][] = Array.from({ length: CELL_CODE_COUNT }, () => []);
    const selected: number[] = [];
    const cellX = (c: number): number => this.gutter + c * px - x0;
    const cellY = (r: number): number => this.header + r * py - y0;
    const bar = g.labelled ? 4 : g.cellWidth;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const i = g.indexAt(r, c);
        if (i < 0) continue;
        const x = cellX(c);
        const y = cellY(r);
        byStatus[this.codes[i] ?? MISSING_CODE]!.push(x, y);
        if (this.selection && isSelected(g, this.selection, i)) selected.push(x, y);
      }
    }
    for (let s = 0; s < CELL_CODE_COUNT; s++) {
      const cells = byStatus[s]!;
      if (cells.length === 0) continue;
      ctx.fillStyle = this.colours[s]!;
      for (let k = 0; k < cells.length; k += 2) ctx.fillRect(cells[k]!, cells[k + 1]!, bar, g.cellHeight);
    }
    const theme = this.theme;
    const visible: VisibleCells = { r0, r1, c0, c1, cellX, cellY };
    if (g.labelled) drawKeyLabels(ctx, g, visible, this.keys, theme.text, theme.border);
    drawDayNumbers(ctx, g, visible, this.codes, this.dayTextColours);
    drawMonthBoundaries(ctx, g, visible, theme.month);
    drawSelection(ctx, g, selected, theme.selection, theme.background);
    if (this.focusIndex >= 0 && document.activeElement === this.element) {
      const r = g.rowOf(this.focusIndex);
      const c = g.columnOf(this.focusIndex);
      ctx.strokeStyle = theme.focus;
      ctx.lineWidth = 2;
      ctx.strokeRect(cellX(c) - 2, cellY(r) - 2, g.cellWidth + 4, g.cellHeight + 4);
    }
    drawGridLabels(ctx, g, visible, { gutter: this.gutter, header: this.header, verticalHeader: this.verticalHeader, width, height }, theme.text, theme.background);
  }

  /** The key index under a viewport point, or -1 (gaps, labels and blank cells). */
  indexAtPoint(clientX: number, clientY: number): number {
    const g = this.geometry;
    if (!g) return -1;
    const box = this.canvas.getBoundingClientRect();
    const x = clientX - box.left - this.gutter + this.element.scrollLeft;
    const y = clientY - box.top - this.header + this.element.scrollTop;
    if (clientX - box.left < this.gutter || clientY - box.top < this.header || x < 0 || y < 0) return -1;
    const c = Math.floor(x / (g.cellWidth + GAP));
    const r = Math.floor(y / (g.cellHeight + GAP));
    if (x - c * (g.cellWidth + GAP) > g.cellWidth || y - r * (g.cellHeight + GAP) > g.cellHeight) return -1;
    return g.indexAt(r, c);
  }

  private pointerDown(e: PointerEvent): void {
    const i = this.indexAtPoint(e.clientX, e.clientY);
    if (i < 0 || e.button !== 0) return;
    this.element.setPointerCapture?.(e.pointerId);
    this.dragging = true;
    this.focusIndex = i;
    this.selection = { anchor: i, end: i };
    this.events.focus(i);
    this.events.select(this.selection);
    this.draw();
  }

  private pointerMove(e: PointerEvent): void {
    const i = this.indexAtPoint(e.clientX, e.clientY);
    this.events.hover(i, e.clientX, e.clientY);
    if (this.dragging && i >= 0 && this.selection && this.selection.end !== i) {
      this.selection = { anchor: this.selection.anchor, end: i };
      this.focusIndex = i;
      this.events.select(this.selection);
      this.scheduleDraw();
    }
  }

  private pointerUp(): void {
    this.dragging = false;
  }

  /** Moves the cursor to a cell, scrolling it into view; with `extend`, the selection follows it. */
  moveFocus(index: number, extend: boolean): void {
    const g = this.geometry;
    if (!g || index < 0 || index >= g.count) return;
    if (extend) {
      this.selection = { anchor: this.selection?.anchor ?? (this.focusIndex >= 0 ? this.focusIndex : index), end: index };
      this.events.select(this.selection);
    }
    this.focusIndex = index;
    const px = g.cellWidth + GAP;
    const py = g.cellHeight + GAP;
    const x = g.columnOf(index) * px;
    const y = g.rowOf(index) * py;
    const viewW = this.element.clientWidth - this.gutter;
    const viewH = Math.min(this.element.clientHeight, this.viewportHeight) - this.header;
    if (x < this.element.scrollLeft) this.element.scrollLeft = x;
    else if (x + px > this.element.scrollLeft + viewW) this.element.scrollLeft = x + px - viewW;
    if (y < this.element.scrollTop) this.element.scrollTop = y;
    else if (y + py > this.element.scrollTop + viewH) this.element.scrollTop = y + py - viewH;
    this.events.focus(index);
    this.draw();
  }

  /** The nearest key in a row to a column (rows of a calendar may start or end part way). */
  private nearestInRow(row: number, column: number): number {
    const g = this.geometry!;
    for (let d = 0; d < g.columns; d++) {
      const left = g.indexAt(row, column - d);
      if (left >= 0) return left;
      const right = g.indexAt(row, column + d);
      if (right >= 0) return right;
    }
    return -1;
  }

  private keyDown(e: KeyboardEvent): void {
    const g = this.geometry;
    if (!g || g.count === 0) return;
    const at = this.focusIndex >= 0 ? this.focusIndex : 0;
    const r = g.rowOf(at);
    const c = g.columnOf(at);
    let next = -2;
    switch (e.key) {
      case 'ArrowRight': next = g.brush === 'linear' ? Math.min(g.count - 1, at + 1) : g.indexAt(r, c + 1); break;
      case 'ArrowLeft': next = g.brush === 'linear' ? Math.max(0, at - 1) : g.indexAt(r, c - 1); break;
      case 'ArrowDown': next = this.nearestInRow(Math.min(g.rows - 1, r + 1), c); break;
      case 'ArrowUp': next = this.nearestInRow(Math.max(0, r - 1), c); break;
      case 'PageDown': next = this.nearestInRow(Math.min(g.rows - 1, r + 10), c); break;
      case 'PageUp': next = this.nearestInRow(Math.max(0, r - 10), c); break;
      case 'Home': next = 0; break;
      case 'End': next = g.count - 1; break;
      case 'Enter':
        if (this.focusIndex >= 0) this.events.activate(this.focusIndex);
        e.preventDefault();
        return;
      case 'Escape':
        this.selection = null;
        this.events.select(null);
        this.draw();
        return;
      default:
        return;
    }
    e.preventDefault();
    if (this.focusIndex < 0 && e.key.startsWith('Arrow')) next = 0;
    if (next >= 0) this.moveFocus(next, e.shiftKey);
  }
}
