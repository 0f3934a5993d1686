// The backfill's runs as a virtualized table: only the rows in view (plus a margin) are in the DOM, so 10,000
// runs scroll as smoothly as 10. Rows are recycled by position and patched in place.
import type { RunRowModel } from '../../shared/protocol';
import { createElement, setAttribute, setText } from '../domElement';
import { createDataTable } from './tableElement';

/** Fixed row height in CSS pixels (the stylesheet pins .runs-table rows to it); virtualization relies on it. */
export const RUN_ROW_HEIGHT = 26;
/** Widest the partition column grows, in characters; longer keys are clipped (their row's title has them whole). */
const MAX_PARTITION_CHARS = 40;
/** Rows drawn beyond each edge of the view, so fast scrolling shows no blank band. */
const OVERSCAN = 8;

interface RunRow {
  row: HTMLTableRowElement;
  partition: HTMLTableCellElement;
  target: HTMLTableCellElement;
  status: HTMLSpanElement;
  duration: HTMLTableCellElement;
  error: HTMLTableCellElement;
  log: HTMLButtonElement;
}

export class RunsTableView {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly body: HTMLTableSectionElement;
  private readonly topSpacer = document.createElement('tr');
  private readonly bottomSpacer = document.createElement('tr');
  private readonly pool: RunRow[] = [];
  private runs: readonly RunRowModel[] = [];
  private frameRequested = false;

  constructor(onOpenLog: (runId: string) => void, onOpenDagsterRun: (url: string) => void) {
    const { table, body } = createDataTable('runs-table', 'Runs', [
      { label: 'Partition', className: 'col-partition' },
      { label: 'Target', className: 'col-target' },
      { label: 'Status', className: 'col-status' },
      { label: 'Duration', className: 'col-numeric' },
      { label: 'Error', className: 'col-error' },
      { label: 'Log', className: 'col-action' },
    ]);
    this.table = table;
    this.body = body;
    this.topSpacer.className = 'runs-spacer';
    this.bottomSpacer.className = 'runs-spacer';
    this.topSpacer.setAttribute('aria-hidden', 'true');
    this.bottomSpacer.setAttribute('aria-hidden', 'true');
    this.element = createElement('div', 'runs-table-viewport');
    this.element.id = 'runs-viewport';
    this.element.tabIndex = 0;
    this.element.setAttribute('role', 'region');
    this.element.setAttribute('aria-label', 'Runs (scroll to see more)');
    this.element.append(table);
    this.body.append(this.topSpacer, this.bottomSpacer);
    this.element.addEventListener('scroll', () => this.scheduleDraw(), { passive: true });
    new ResizeObserver(() => this.scheduleDraw()).observe(this.element);
    // One listener for all rows: rows are recycled as the view scrolls.
    body.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button.run-log-button');
      const row = button?.closest('tr');
      // A remote run has no log here: its button opens the run's page in the Dagster UI.
      if (row?.dataset.runUrl) onOpenDagsterRun(row.dataset.runUrl);
      else if (row?.dataset.runId) onOpenLog(row.dataset.runId);
    });
  }

  update(runs: readonly RunRowModel[], targetCount: number): void {
    this.table.classList.toggle('single-target', targetCount <= 1);
    // Runs on a deployment have no log here: the column opens their page in the Dagster UI.
    const remote = runs.length > 0 && runs[0]!.runUrl !== null;
    this.table.classList.toggle('remote-runs', remote);
    const heading = this.table.tHead?.querySelector('th.col-action');
    if (heading) setText(heading, remote ? 'Dagster' : 'Log');
    // The partition column is as wide as the longest key (capped): a split editor must not cut "2024-01-01-00:00" to "2024-01-…".
    let longest = 9;
    for (const r of runs) longest = Math.max(longest, r.partitionKey.length);
    const chars = String(Math.min(longest, MAX_PARTITION_CHARS));
    if (this.table.style.getPropertyValue('--run-partition-chars') !== chars) this.table.style.setProperty('--run-partition-chars', chars);
    this.runs = runs;
    this.draw();
  }

  private scheduleDraw(): void {
    if (this.frameRequested) return;
    this.frameRequested = true;
    requestAnimationFrame(() => {
      this.frameRequested = false;
      this.draw();
    });
  }

  /** Shows rows [first, last) of the runs around the scroll position; spacer rows stand in for the rest. */
  private draw(): void {
    const n = this.runs.length;
    const header = this.table.tHead?.offsetHeight ?? 0;
    const top = Math.max(0, this.element.scrollTop - header);
    const height = this.element.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / RUN_ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(n, Math.ceil((top + height) / RUN_ROW_HEIGHT) + OVERSCAN);
    const count = Math.max(0, last - first);
    while (this.pool.length < count) this.pool.push(createRunRow());
    for (let i = 0; i < this.pool.length; i++) {
      const refs = this.pool[i]!;
      if (i < count) {
        patchRunRow(refs, this.runs[first + i]!, first + i);
        if (refs.row.parentElement !== this.body) this.body.insertBefore(refs.row, this.bottomSpacer);
      } else if (refs.row.parentElement) refs.row.remove();
    }
    setSpacer(this.topSpacer, first * RUN_ROW_HEIGHT);
    setSpacer(this.bottomSpacer, (n - last) * RUN_ROW_HEIGHT);
    this.table.setAttribute('aria-rowcount', String(n + 1));
  }
}

function setSpacer(row: HTMLTableRowElement, height: number): void {
  row.hidden = height === 0;
  // CSSOM, not a style attribute: the panel's CSP allows the former only.
  const px = `${height}px`;
  if (row.style.height !== px) row.style.height = px;
}

function createRunRow(): RunRow {
  const row = document.createElement('tr');
  row.className = 'run-row';
  const partition = row.insertCell();
  partition.className = 'col-partition';
  const target = row.insertCell();
  target.className = 'col-target';
  const statusCell = row.insertCell();
  statusCell.className = 'col-status';
  const status = createElement('span', 'run-status');
  statusCell.append(status);
  const duration = row.insertCell();
  duration.className = 'col-numeric';
  const error = row.insertCell();
  error.className = 'col-error';
  const action = row.insertCell();
  action.className = 'col-action';
  const log = createElement('button', 'run-log-button', 'Open log');
  log.type = 'button';
  action.append(log);
  return { row, partition, target, status, duration, error, log };
}

function patchRunRow(refs: RunRow, run: RunRowModel, index: number): void {
  if (refs.row.dataset.runId !== run.runId) refs.row.dataset.runId = run.runId;
  if (run.runUrl === null) delete refs.row.dataset.runUrl;
  else if (refs.row.dataset.runUrl !== run.runUrl) refs.row.dataset.runUrl = run.runUrl;
  setAttribute(refs.row, 'aria-rowindex', String(index + 2));
  setText(refs.partition, run.partitionKey);
  setAttribute(refs.partition, 'title', run.partitionKey);
  setText(refs.target, run.target);
  setText(refs.status, run.statusLabel);
  setAttribute(refs.status, 'data-tone', run.statusTone);
  setText(refs.duration, run.duration);
  const error = run.error ?? '';
  setText(refs.error, error);
  // Long stack traces are clipped by the stylesheet; the full text stays reachable on hover.
  setAttribute(refs.error, 'title', error);
  setText(refs.log, run.runUrl === null ? 'Open log' : 'Open in Dagster');
  setAttribute(refs.log, 'aria-label', run.runUrl === null ? `Open log of run ${run.runId}` : `Open run ${run.runId} in the Dagster UI`);
}
