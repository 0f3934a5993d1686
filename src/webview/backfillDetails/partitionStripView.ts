// One target's partition status grid: a wrapping grid of coloured cells plus a readable text summary.
import type { PartitionStatusName, PartitionStripModel } from '../../shared/protocol';
import { createElement, setAttribute, setText } from '../domElement';
import { PARTITION_STATUS_LABELS, PARTITION_STATUS_ORDER } from './partitionStatusLabels';

/** Above this many cells the grid switches to smaller cells so large definitions stay scannable. */
const DENSE_CELL_THRESHOLD = 1500;

/** Id of the summary element for a target; whitespace is not allowed in ids, so it becomes "_". */
export function partitionSummaryId(target: string): string {
  return `partition-summary-${target.replace(/\s/g, '_')}`;
}

/** The counts part of a strip's summary, e.g. "27 materialized, 2 in progress, 1 failed". */
export function describePartitionCounts(strip: PartitionStripModel): string {
  if (strip.keys.length === 0) return 'no partitions selected';
  const counts = new Map<PartitionStatusName, number>();
  for (const [status, length] of strip.statusRuns) counts.set(status, (counts.get(status) ?? 0) + length);
  return PARTITION_STATUS_ORDER.filter((s) => counts.has(s)).map((s) => `${counts.get(s)} ${PARTITION_STATUS_LABELS[s]}`).join(', ');
}

function cellTitle(key: string, status: PartitionStatusName): string {
  return `${key}: ${PARTITION_STATUS_LABELS[status]}`;
}

export class PartitionStripView {
  readonly element: HTMLElement;
  private readonly counts = createElement('span', 'partition-summary-counts');
  private readonly grid: HTMLElement;
  private cells: HTMLElement[] = [];
  private keys: readonly string[] = [];
  private statuses: PartitionStatusName[] = [];

  constructor(target: string) {
    this.element = createElement('section', 'partition-strip');
    // The heading doubles as the text summary: its whole text reads "daily_counts: 31 materialized".
    const summary = createElement('h3', 'partition-summary');
    summary.id = partitionSummaryId(target);
    summary.append(createElement('span', 'partition-strip-title', target), ': ', this.counts);
    this.grid = createElement('div', 'partition-grid');
    this.grid.setAttribute('role', 'group');
    this.grid.setAttribute('aria-label', `${target} partitions`);
    this.grid.setAttribute('aria-describedby', summary.id);
    this.element.append(summary, this.grid);
  }

  update(strip: PartitionStripModel): void {
    setText(this.counts, describePartitionCounts(strip));
    if (strip.keys.length !== this.cells.length) this.rebuild(strip);
    else this.patch(strip);
    this.keys = strip.keys;
  }

  /** A different partition count means a different selection: drawing afresh is simpler than diffing. */
  private rebuild(strip: PartitionStripModel): void {
    const fragment = document.createDocumentFragment();
    const cells: HTMLElement[] = new Array<HTMLElement>(strip.keys.length);
    const statuses: PartitionStatusName[] = new Array<PartitionStatusName>(strip.keys.length);
    let index = 0;
    for (const [status, length] of strip.statusRuns) {
      for (let end = index + length; index < end; index++) {
        const key = strip.keys[index] as string;
        const cell = document.createElement('span');
        cell.className = 'partition-cell';
        cell.dataset.key = key;
        cell.dataset.status = status;
        cell.title = cellTitle(key, status);
        fragment.appendChild(cell);
        cells[index] = cell;
        statuses[index] = status;
      }
    }
    this.grid.classList.toggle('partition-grid-dense', strip.keys.length > DENSE_CELL_THRESHOLD);
    this.grid.replaceChildren(fragment);
    this.cells = cells;
    this.statuses = statuses;
  }

  /** Same count: touch only the cells whose key or status changed. */
  private patch(strip: PartitionStripModel): void {
    let index = 0;
    for (const [status, length] of strip.statusRuns) {
      for (let end = index + length; index < end; index++) {
        const key = strip.keys[index] as string;
        const keyChanged = key !== this.keys[index];
        if (!keyChanged && status === this.statuses[index]) continue;
        const cell = this.cells[index] as HTMLElement;
        if (keyChanged) cell.dataset.key = key;
        setAttribute(cell, 'data-status', status);
        cell.title = cellTitle(key, status);
        this.statuses[index] = status;
      }
    }
  }
}
