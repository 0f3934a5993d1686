// The live plan preview: how many runs, partitions per target, what is skipped and why, or why there is no plan.
import type { PlanPreviewModel, RemotePlanPreview } from '../../shared/launchPanelModel';
import { createElement, setText } from '../domElement';
import { KeyedTableRows } from '../keyedTableRows';
import { createDataTable } from '../backfillDetails/tableElement';

interface TargetRow {
  row: HTMLTableRowElement;
  cells: HTMLTableCellElement[];
}

export class PlanPreviewView {
  readonly element = createElement('section', 'launch-section plan-preview');
  private readonly headline = createElement('p', 'plan-headline');
  private readonly status = createElement('p', 'plan-status');
  private readonly blocked = createElement('p', 'plan-blocked');
  private readonly skipped = createElement('ul', 'plan-skipped');
  /** What a deployment will be asked for (label, value rows) and the options its version cannot take. */
  private readonly asked = createElement('dl', 'plan-remote');
  private readonly notSent = createElement('ul', 'plan-not-sent');
  private readonly targets: KeyedTableRows<{ target: string; partitions: number; runs: number; span: string }, TargetRow>;
  private readonly table: HTMLTableElement;

  constructor() {
    this.element.id = 'plan-preview';
    this.element.setAttribute('aria-live', 'polite');
    this.headline.id = 'plan-headline';
    this.status.id = 'plan-status';
    this.blocked.id = 'plan-blocked';
    this.skipped.id = 'plan-skipped';
    this.asked.id = 'plan-remote';
    this.notSent.id = 'plan-not-sent';
    const { table, body } = createDataTable('plan-targets', 'Runs and partitions per target', [
      { label: 'Target', className: 'col-target' },
      { label: 'Partitions', className: 'col-numeric' },
      { label: 'Runs', className: 'col-numeric' },
      { label: 'Span', className: 'col-partition' },
    ]);
    this.table = table;
    this.targets = new KeyedTableRows(body, (t) => t.target, () => {
      const row = document.createElement('tr');
      const cells = ['col-target', 'col-numeric', 'col-numeric', 'col-partition'].map((c) => {
        const cell = row.insertCell();
        cell.className = c;
        return cell;
      });
      return { row, cells };
    }, (r, t) => {
      setText(r.cells[0]!, t.target);
      setText(r.cells[1]!, t.partitions.toLocaleString('en-US'));
      setText(r.cells[2]!, t.runs.toLocaleString('en-US'));
      setText(r.cells[3]!, t.span);
    });
    this.element.append(createElement('h2', 'details-section-title', 'Plan'), this.status, this.headline, this.blocked, this.asked, this.notSent, table, this.skipped);
    this.showPending();
  }

  showPending(): void {
    setText(this.status, 'Planning…');
  }

  /** No plan to show yet, and what to do about it (no partitions chosen). */
  showPrompt(text: string): void {
    setText(this.status, '');
    setText(this.headline, 'No plan yet');
    setText(this.blocked, text);
    this.blocked.hidden = false;
    this.table.hidden = true;
    this.skipped.replaceChildren();
    this.showRemote(null);
  }

  render(preview: PlanPreviewModel): void {
    setText(this.status, '');
    if (!preview.ok) {
      setText(this.headline, 'No plan');
      setText(this.blocked, preview.message);
      this.blocked.hidden = false;
      this.table.hidden = true;
      this.skipped.replaceChildren();
      this.showRemote(null);
      return;
    }
    this.showRemote(preview.remote);
    if (preview.remote) {
      const partitions = `${preview.partitionCount.toLocaleString('en-US')} partition${preview.partitionCount === 1 ? '' : 's'}`;
      setText(this.headline, `On ${preview.remote.deployment}: ${partitions} · ${preview.selection}`);
      this.blocked.hidden = preview.launchBlockedBy === null;
      setText(this.blocked, preview.launchBlockedBy ?? '');
      this.table.hidden = true;
      this.skipped.replaceChildren();
      return;
    }
    const runs = `${preview.runCount.toLocaleString('en-US')} run${preview.runCount === 1 ? '' : 's'}`;
    setText(this.headline, `${runs} over ${preview.partitionCount.toLocaleString('en-US')} partitions · ${preview.selection}`);
    this.blocked.hidden = preview.launchBlockedBy === null;
    setText(this.blocked, preview.launchBlockedBy ?? '');
    this.table.hidden = preview.targets.length === 0;
    this.targets.update(preview.targets);
    this.skipped.replaceChildren(
      ...preview.skipped.map((s) => createElement('li', undefined, `${s.target}: ${s.count.toLocaleString('en-US')} skipped, ${s.reason} (${s.ranges})`)),
    );
  }

  private showRemote(remote: RemotePlanPreview | null): void {
    this.asked.hidden = remote === null;
    this.asked.replaceChildren(...(remote ? remote.asked.flatMap((a) => [createElement('dt', undefined, a.label), createElement('dd', undefined, a.value)]) : []));
    this.notSent.hidden = !remote || remote.notSent.length === 0;
    this.notSent.replaceChildren(...(remote ? remote.notSent.map((n) => createElement('li', undefined, `Not sent: ${n}`)) : []));
  }
}
