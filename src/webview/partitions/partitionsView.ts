// The Partitions panel's page: header and counts, status strip, partition grid, a job's step matrix,
// the hover card and the selection bar. Text only through textContent.
import { decodePartitionKeyList, type PartitionKeys } from '../../shared/partitionKeyList';
import type { LastRunModel, PartitionsPanelModel, PartitionStatusesUpdate, StepMatrixModel } from '../../shared/partitionsPanelProtocol';
import { createElement, setText } from '../domElement';
import { toolkitTags } from '../toolkit';
import { labelledGeometry, matrixGeometry, rowsGeometry, type GridGeometry } from './gridGeometry';
import { PartitionGridCanvas, type GridSelection, type GridViewState } from './partitionGridCanvas';
import { PartitionStatusCodes, STATUS_LABELS, STATUS_ORDER } from './partitionStatusCodes';
import { PartitionStatusStrip } from './partitionStatusStrip';
import { StepMatrixSection } from './stepMatrixSection';

const NUMBER = new Intl.NumberFormat('en-US');
export const SELECTION_HINT = 'Drag across cells, or Shift+arrow keys, to select partitions to backfill.';

export interface PartitionsViewActions {
  launchRange(target: string, from: string, to: string): void;
  openRunLog(runId: string): void;
  filterByBackfill(target: string, backfillId: string | null): void;
  addDynamicPartitions(target: string): void;
  /** The grid scrolled or its selection changed: worth saving so hiding the tab keeps it. */
  gridViewChanged(): void;
}

/** A grid position saved for one target. */
export interface SavedGridView {
  target: string;
  grid: GridViewState;
}

export class PartitionsView {
  private readonly content = createElement('div', 'partitions-content');
  private readonly message = createElement('p', 'partitions-message');
  private readonly title = createElement('h2', 'partitions-title');
  private readonly description = createElement('span', 'partitions-description');
  private readonly summary = createElement('p', 'partitions-summary');
  private readonly source = createElement('p', 'partitions-source');
  private readonly emptyHint = createElement('p', 'partitions-empty');
  private readonly addButton = document.createElement(toolkitTags.button) as HTMLElement;
  private readonly tooltip = createElement('div', 'partition-tooltip');
  private readonly announcer = createElement('div', 'visually-hidden');
  private readonly selectionBar = createElement('div', 'partition-selection-bar');
  private readonly selectionText = createElement('span', 'partition-selection-text');
  private readonly launchButton = document.createElement(toolkitTags.button) as HTMLElement;
  private readonly strip: PartitionStatusStrip;
  private readonly grid: PartitionGridCanvas;
  private readonly steps: StepMatrixSection;
  private readonly codes = new PartitionStatusCodes();
  private model: PartitionsPanelModel | null = null;
  /** The model's keys, decoded lazily: a key is built only when a label, the hover card or a selection needs it. */
  private keys: PartitionKeys = [];
  private geometry: GridGeometry | null = null;
  private lastRuns = new Map<number, LastRunModel>();
  private selection: { from: string; to: string } | null = null;

  constructor(private readonly root: HTMLElement, private readonly actions: PartitionsViewActions) {
    root.classList.add('partitions-panel');
    this.message.textContent = 'Loading partitions…';
    this.tooltip.hidden = true;
    this.tooltip.setAttribute('role', 'tooltip');
    this.announcer.setAttribute('aria-live', 'polite');
    this.announcer.id = 'partition-announcer';
    this.strip = new PartitionStatusStrip('partitions', (i, x, y, clicked) => {
      if (clicked && i >= 0) this.grid.moveFocus(i, false);
      else this.showTooltip(i, x, y);
    });
    this.grid = new PartitionGridCanvas('partitions', {
      hover: (i, x, y) => this.showTooltip(i, x, y),
      focus: (i) => setText(this.announcer, this.describe(i)),
      select: (s) => {
        this.selectionChanged(s);
        this.actions.gridViewChanged();
      },
      activate: (i) => this.openLastRun(i),
    });
    this.steps = new StepMatrixSection({
      hover: (text, x, y) => this.showText(text, x, y),
      launchColumns: (from, to) => this.model && this.actions.launchRange(this.model.target, from, to),
      filter: (backfillId) => this.model && this.actions.filterByBackfill(this.model.target, backfillId),
      canLaunch: () => this.model?.canLaunch ?? false,
    });
    this.launchButton.id = 'launch-selection';
    this.launchButton.textContent = 'Launch backfill…';
    this.launchButton.addEventListener('click', () => {
      if (this.model && this.selection && this.model.canLaunch) this.actions.launchRange(this.model.target, this.selection.from, this.selection.to);
    });
    this.selectionText.id = 'partition-selection-text';
    this.selectionBar.append(this.selectionText, this.launchButton);
    this.selectionChanged(null);
    this.addButton.id = 'add-dynamic-partitions';
    this.addButton.textContent = 'Add partitions…';
    this.addButton.setAttribute('appearance', 'secondary');
    this.addButton.addEventListener('click', () => {
      if (this.model?.dynamicPartitionsName) this.actions.addDynamicPartitions(this.model.target);
    });
    const heading = createElement('header', 'partitions-header');
    heading.append(this.title, this.description, this.addButton);
    const legend = createElement('ul', 'partition-legend');
    for (const s of STATUS_ORDER) {
      const item = createElement('li', 'partition-legend-item');
      const swatch = createElement('span', 'partition-swatch');
      swatch.dataset.status = s;
      item.append(swatch, STATUS_LABELS[s]);
      legend.append(item);
    }
    const stripBox = createElement('div', 'partition-strip-box');
    stripBox.append(this.strip.element);
    this.content.append(heading, this.summary, this.source, this.emptyHint, legend, stripBox, this.selectionBar, this.grid.element, this.steps.element);
    this.content.hidden = true;
    root.replaceChildren(this.message, this.content, this.tooltip, this.announcer);
    this.grid.element.addEventListener('scroll', () => this.actions.gridViewChanged(), { passive: true });
    new ResizeObserver(() => this.redraw(true)).observe(root);
    // The grid's height follows the window's, which a resize of the editor alone may not change the root's size for.
    window.addEventListener('resize', () => this.redraw(true));
    // VS Code swaps the theme by changing the variables on <html> and the class of <body>.
    const themeObserver = new MutationObserver(() => {
      this.strip.refreshColours();
      this.grid.refreshColours();
      this.steps.refreshColours();
      this.redraw(false);
    });
    themeObserver.observe(document.documentElement, { attributes: true, attributeFilter: ['style', 'class'] });
    themeObserver.observe(document.body, { attributes: true, attributeFilter: ['class'] });
  }

  get shown(): { target: string; keyCount: number } | null {
    return this.model ? { target: this.model.target, keyCount: this.keys.length } : null;
  }

  /** Where the grid is scrolled and what it selects, for the webview state. */
  get gridView(): SavedGridView | null {
    return this.model ? { target: this.model.target, grid: this.grid.viewState } : null;
  }

  /**
   * Draws a model. The same grid again (a refresh) keeps its scroll and selection; a new one takes `saved` (a
   * tab shown again, a window reloaded) or opens at the newest partitions of a time series.
   */
  render(model: PartitionsPanelModel, saved?: SavedGridView | null): void {
    const keys = decodePartitionKeyList(model.keys);
    const sameGrid = this.model !== null && this.keys.length === keys.length && this.model.layout.kind === model.layout.kind && this.model.target === model.target;
    this.model = model;
    this.keys = keys;
    setText(this.title, model.target);
    setText(this.description, `${model.targetKind} · ${model.description}`);
    setText(this.source, model.statusSource);
    this.addButton.hidden = model.dynamicPartitionsName === null;
    // A dynamic definition with no keys yet is a start, not an error: say how to add the first ones.
    this.emptyHint.hidden = keys.length > 0;
    setText(this.emptyHint, keys.length > 0 ? '' : model.dynamicPartitionsName !== null
      ? `"${model.dynamicPartitionsName}" has no partitions yet. Add partitions… adds keys to it on the Dagster instance; then select them here and launch.`
      : 'This definition has no partitions yet.');
    this.lastRuns = new Map(model.lastRuns.map((r) => [r[0], r]));
    this.geometry = this.geometryFor(model);
    const kept = sameGrid ? this.grid.viewState : saved && saved.target === model.target ? saved.grid : null;
    this.grid.setGeometry(this.geometry, keys);
    this.selectionChanged(null);
    this.message.hidden = true;
    this.content.hidden = false;
    this.fitHeight(model);
    this.applyStatuses(model.statusRuns, model.stepMatrix, model);
    if (kept) this.grid.restoreViewState(kept);
    else if (this.geometry.timeOrdered) this.grid.reveal(keys.length - 1);
  }

  /** The grid takes the editor's height below the header; a job's step matrix below it keeps about half. */
  private fitHeight(model: PartitionsPanelModel): void {
    const top = this.grid.element.getBoundingClientRect().top + window.scrollY;
    const room = window.innerHeight - top - 16;
    this.grid.setViewportHeight(model.stepMatrix ? Math.min(room, Math.max(240, window.innerHeight * 0.5)) : room);
  }

  /** A live update: refill the status bytes and redraw only what is visible (no DOM rebuilt). */
  update(u: PartitionStatusesUpdate): void {
    const model = this.model;
    if (!model) return;
    model.statusRuns = u.statusRuns;
    for (const r of u.lastRuns) this.lastRuns.set(r[0], r);
    if (u.lastRuns.length) model.lastRuns = [...this.lastRuns.values()];
    model.stepMatrix = u.stepMatrix;
    this.applyStatuses(u.statusRuns, u.stepMatrix, model);
  }

  private applyStatuses(statusRuns: PartitionsPanelModel['statusRuns'], stepMatrix: StepMatrixModel | null, model: PartitionsPanelModel): void {
    this.codes.fill(statusRuns, this.keys.length);
    setText(this.summary, `${NUMBER.format(this.keys.length)} partitions: ${this.codes.describe()}`);
    this.strip.set(statusRuns, this.keys.length);
    this.grid.setCodes(this.codes.codes);
    this.steps.render(stepMatrix, model.backfills, model.backfillFilter);
    this.redraw(false);
    if (this.grid.focusIndex >= 0) setText(this.announcer, this.describe(this.grid.focusIndex));
  }

  private geometryFor(model: PartitionsPanelModel): GridGeometry {
    const l = model.layout;
    if (l.kind === 'matrix') return matrixGeometry(l);
    if (l.kind === 'labelled') return labelledGeometry(this.keys, Math.max(200, this.root.clientWidth - 8));
    return rowsGeometry(l, this.keys.length);
  }

  private redraw(resized: boolean): void {
    const model = this.model;
    if (!model || !this.geometry) return;
    if (resized) this.fitHeight(model);
    if (resized && model.layout.kind === 'labelled') {
      const kept = this.grid.viewState;
      this.geometry = this.geometryFor(model);
      this.grid.setGeometry(this.geometry, this.keys);
      this.grid.restoreViewState(kept);
    }
    this.strip.draw();
    this.grid.draw();
    this.steps.draw();
  }

  showNotFound(reason: string): void {
    this.model = null;
    this.keys = [];
    setText(this.message, reason);
    this.message.hidden = false;
    this.content.hidden = true;
  }

  showError(text: string): void {
    setText(this.message, text);
    this.message.hidden = false;
  }

  /**
   * "2024-01-05: failed · last run abc123, Jan 5, 2024, 10:00:00, 1.2s", then the run's error on its own line
   * when it failed: the hover card answers "why is this red" without opening the log.
   */
  describe(index: number): string {
    const model = this.model;
    if (!model || index < 0 || index >= this.keys.length) return '';
    const run = this.lastRuns.get(index);
    const status = this.codes.statusAt(index);
    const head = `${this.keys.at(index)}: ${STATUS_LABELS[status]}`;
    if (!run) return status === 'FAILED' ? `${head} · failed on the Dagster instance, not in a run of this project (Dagster's UI has its error)` : `${head} · no run yet`;
    const facts = `${head} · last run ${run[1]}, ${run[2]}${run[3] ? `, ${run[3]}` : ''}`;
    return run[4] ? `${facts}\n${run[4]}` : facts;
  }

  private showTooltip(index: number, x: number, y: number): void {
    this.showText(index >= 0 ? this.describe(index) : '', x, y);
  }

  private showText(text: string, x: number, y: number): void {
    if (!text) {
      this.tooltip.hidden = true;
      return;
    }
    setText(this.tooltip, text);
    this.tooltip.hidden = false;
    const left = Math.min(x + 12, window.innerWidth - this.tooltip.offsetWidth - 4);
    this.tooltip.style.left = `${Math.max(0, left)}px`;
    this.tooltip.style.top = `${Math.max(0, Math.min(y + 16, window.innerHeight - this.tooltip.offsetHeight - 4))}px`;
  }

  private openLastRun(index: number): void {
    const run = this.lastRuns.get(index);
    if (run) this.actions.openRunLog(run[1]);
    else setText(this.announcer, `${this.keys.at(index) ?? ''} has no run yet`);
  }

  private selectionChanged(s: GridSelection | null): void {
    const model = this.model;
    const g = this.geometry;
    if (!model || !g || !s) {
      // The bar keeps its place when empty: a bar appearing above the grid mid-drag would move the cells under the pointer.
      this.selection = null;
      setText(this.selectionText, SELECTION_HINT);
      this.launchButton.classList.add('invisible');
      return;
    }
    let from = Math.min(s.anchor, s.end);
    let to = Math.max(s.anchor, s.end);
    let count = to - from + 1;
    if (g.brush === 'rectangle') {
      const [r0, r1] = [g.rowOf(s.anchor), g.rowOf(s.end)].sort((a, b) => a - b) as [number, number];
      const [c0, c1] = [g.columnOf(s.anchor), g.columnOf(s.end)].sort((a, b) => a - b) as [number, number];
      from = g.indexAt(r0, c0);
      to = g.indexAt(r1, c1);
      count = (r1 - r0 + 1) * (c1 - c0 + 1);
    }
    this.selection = { from: this.keys.at(from)!, to: this.keys.at(to)! };
    setText(this.selectionText, `Selected ${this.selection.from}…${this.selection.to} (${count.toLocaleString('en-US')} partition${count === 1 ? '' : 's'})`);
    this.launchButton.toggleAttribute('disabled', !model.canLaunch);
    this.launchButton.classList.remove('invisible');
  }
}
