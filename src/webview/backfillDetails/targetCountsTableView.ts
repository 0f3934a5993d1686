// Per-target counts of the backfill: targeted, in progress, materialized, failed, canceled, queued, skipped (upstream failed).
import type { TargetCountsModel } from '../../shared/protocol';
import { setText } from '../domElement';
import { KeyedTableRows } from '../keyedTableRows';
import { createDataTable } from './tableElement';

const COUNT_FIELDS = ['targeted', 'inProgress', 'materialized', 'failed', 'canceled', 'queued', 'skipped'] as const;

interface TargetCountsRow {
  row: HTMLTableRowElement;
  cells: HTMLTableCellElement[];
}

export class TargetCountsTableView {
  readonly element: HTMLTableElement;
  private readonly rows: KeyedTableRows<TargetCountsModel, TargetCountsRow>;

  constructor() {
    const { table, body } = createDataTable('target-counts', 'Runs per target', [
      { label: 'Target', className: 'col-target' },
      { label: 'Targeted', className: 'col-numeric' },
      { label: 'In progress', className: 'col-numeric' },
      { label: 'Materialized', className: 'col-numeric' },
      { label: 'Failed', className: 'col-numeric' },
      { label: 'Canceled', className: 'col-numeric' },
      { label: 'Queued', className: 'col-numeric' },
      { label: 'Skipped', className: 'col-numeric', title: 'Never launched: an upstream run failed' },
    ]);
    this.element = table;
    this.rows = new KeyedTableRows(
      body,
      (counts) => counts.target,
      (counts) => {
        const row = document.createElement('tr');
        row.dataset.target = counts.target;
        const name = row.insertCell();
        name.className = 'col-target';
        name.textContent = counts.target;
        const cells = COUNT_FIELDS.map((field) => {
          const cell = row.insertCell();
          cell.className = 'col-numeric';
          cell.dataset.field = field;
          return cell;
        });
        return { row, cells };
      },
      (refs, counts) => {
        COUNT_FIELDS.forEach((field, i) => setText(refs.cells[i] as HTMLTableCellElement, String(counts[field])));
        // A failure count is the one number that needs attention at a glance.
        refs.cells[3]?.classList.toggle('count-failed', counts.failed > 0);
      },
    );
  }

  update(targets: readonly TargetCountsModel[]): void {
    this.rows.update(targets);
  }
}
