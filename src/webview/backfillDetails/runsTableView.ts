// The backfill's runs: partition, target, status, duration, error, and a link to each run's log.
import type { RunRowModel } from '../../shared/protocol';
import { createElement, setAttribute, setText } from '../domElement';
import { KeyedTableRows } from '../keyedTableRows';
import { createDataTable } from './tableElement';

/** Rows drawn at most; a backfill over a huge range can have more runs than a table can usefully show. */
export const MAX_RUN_ROWS = 1000;

export type RunStatusTone = 'success' | 'failed' | 'running' | 'neutral';

/** Maps Dagster run statuses (SUCCESS, FAILURE, STARTED, ...) to the badge colour family. */
export function runStatusTone(status: string): RunStatusTone {
  switch (status.toUpperCase()) {
    case 'SUCCESS':
      return 'success';
    case 'FAILURE':
    case 'FAILED':
      return 'failed';
    case 'STARTING':
    case 'STARTED':
    case 'RUNNING':
    case 'CANCELING':
      return 'running';
    default:
      return 'neutral';
  }
}

interface RunRow {
  row: HTMLTableRowElement;
  partition: HTMLTableCellElement;
  target: HTMLTableCellElement;
  status: HTMLSpanElement;
  duration: HTMLTableCellElement;
  error: HTMLTableCellElement;
}

export class RunsTableView {
  readonly element: HTMLElement;
  private readonly table: HTMLTableElement;
  private readonly overflowNote = createElement('p', 'runs-overflow-note');
  private readonly rows: KeyedTableRows<RunRowModel, RunRow>;

  constructor(onOpenLog: (runId: string) => void) {
    const { table, body } = createDataTable('runs-table', 'Runs', [
      { label: 'Partition', className: 'col-partition' },
      { label: 'Target', className: 'col-target' },
      { label: 'Status', className: 'col-status' },
      { label: 'Duration', className: 'col-numeric' },
      { label: 'Error', className: 'col-error' },
      { label: 'Log', className: 'col-action' },
    ]);
    this.table = table;
    this.overflowNote.hidden = true;
    this.element = createElement('div', 'runs-table-wrapper');
    this.element.append(table, this.overflowNote);
    this.rows = new KeyedTableRows(body, (run) => run.runId, createRunRow, patchRunRow);
    // One listener for all rows: rows come and go with every update.
    body.addEventListener('click', (event) => {
      const button = (event.target as Element).closest('button.run-log-button');
      const runId = button?.closest('tr')?.dataset.runId;
      if (runId) onOpenLog(runId);
    });
  }

  update(runs: readonly RunRowModel[], targetCount: number): void {
    this.table.classList.toggle('single-target', targetCount <= 1);
    this.rows.update(runs.length > MAX_RUN_ROWS ? runs.slice(0, MAX_RUN_ROWS) : runs);
    this.overflowNote.hidden = runs.length <= MAX_RUN_ROWS;
    setText(this.overflowNote, runs.length > MAX_RUN_ROWS ? `Showing the first ${MAX_RUN_ROWS} of ${runs.length} runs.` : '');
  }
}

function createRunRow(run: RunRowModel): RunRow {
  const row = document.createElement('tr');
  row.dataset.runId = run.runId;
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
  const logButton = createElement('button', 'run-log-button', 'Open log');
  logButton.type = 'button';
  logButton.setAttribute('aria-label', `Open log of run ${run.runId}`);
  action.append(logButton);
  return { row, partition, target, status, duration, error };
}

function patchRunRow(refs: RunRow, run: RunRowModel): void {
  setText(refs.partition, run.partitionKey);
  setText(refs.target, run.target);
  setText(refs.status, run.status);
  setAttribute(refs.status, 'data-tone', runStatusTone(run.status));
  setText(refs.duration, run.duration);
  const error = run.error ?? '';
  setText(refs.error, error);
  // Long stack traces are clipped by the stylesheet; the full text stays reachable on hover.
  setAttribute(refs.error, 'title', error);
}
