// The backfills overview: every backfill with status, target and text filters; a row opens its details.
import { backfillsOverviewModel, type BackfillSummaryModel, type BackfillsOverviewModel } from '../../shared/backfillsOverviewModel';
import { parseWith } from '../../shared/messageSchema';
import { parseHostToWebviewMessage } from '../../shared/hostToWebviewMessage';
import { createElement, setAttribute, setText } from '../domElement';
import type { HostBridge } from '../hostBridge';
import { KeyedTableRows } from '../keyedTableRows';
import { createDataTable } from '../backfillDetails/tableElement';

interface OverviewState {
  view: 'backfills';
  model: BackfillsOverviewModel;
  filters: { status: string; target: string; text: string };
}

interface Row {
  row: HTMLTableRowElement;
  cells: HTMLTableCellElement[];
  badge: HTMLSpanElement;
  open: HTMLButtonElement;
}

const STATUS_FILTERS: readonly [string, string][] = [['', 'All statuses'], ['inProgress', 'In progress'], ['paused', 'Paused'], ['success', 'Success'], ['failed', 'Failed'], ['canceled', 'Canceled']];

function select(id: string, label: string): { wrapper: HTMLElement; control: HTMLSelectElement } {
  const wrapper = createElement('label', 'form-field');
  const control = createElement('select', 'form-input');
  control.id = id;
  wrapper.append(createElement('span', 'form-label', label), control);
  return { wrapper, control };
}

function setOptions(control: HTMLSelectElement, options: readonly [string, string][]): void {
  const current = control.value;
  if ([...control.options].map((o) => o.value).join('\n') === options.map((o) => o[0]).join('\n')) return;
  control.replaceChildren(...options.map(([value, label]) => Object.assign(createElement('option', undefined, label), { value })));
  control.value = options.some((o) => o[0] === current) ? current : '';
}

export function matchesOverviewFilters(b: BackfillSummaryModel, f: OverviewState['filters']): boolean {
  if (f.status && b.statusTone !== f.status) return false;
  if (f.target && !b.targets.includes(f.target)) return false;
  const text = f.text.trim().toLowerCase();
  return !text || [b.backfillId, b.statusLabel, b.selection, ...b.targets, ...(b.deployment === null ? [] : [b.deployment])].some((s) => s.toLowerCase().includes(text));
}

export function startBackfillsOverviewPage(root: HTMLElement, bridge: HostBridge): void {
  const heading = createElement('h1', 'details-title', 'Backfills');
  const filters = createElement('div', 'form-row overview-filters');
  const status = select('filter-status', 'Status');
  setOptions(status.control, STATUS_FILTERS);
  const target = select('filter-target', 'Target');
  const textWrapper = createElement('label', 'form-field');
  const text = createElement('input', 'form-input');
  text.id = 'filter-text';
  text.type = 'search';
  text.placeholder = 'id, target or partitions';
  textWrapper.append(createElement('span', 'form-label', 'Search'), text);
  filters.append(status.wrapper, target.wrapper, textWrapper);
  const count = createElement('p', 'form-hint');
  count.id = 'backfills-count';
  count.setAttribute('aria-live', 'polite');
  const empty = createElement('p', 'details-empty', 'No backfills yet. Launch one from a code lens or the Definitions view.');
  const { table, body } = createDataTable('backfills-table', 'Backfills', [
    { label: 'Backfill', className: 'col-id' },
    { label: 'Status', className: 'col-status' },
    { label: 'Targets', className: 'col-target' },
    { label: 'Partitions', className: 'col-partition' },
    { label: 'Runs', className: 'col-progress' },
    { label: 'Created', className: 'col-created' },
    { label: 'Duration', className: 'col-numeric' },
  ]);
  root.replaceChildren(heading, filters, count, empty, table);

  const rows = new KeyedTableRows<BackfillSummaryModel, Row>(body, (b) => b.backfillId, (b) => {
    const row = document.createElement('tr');
    row.dataset.backfillId = b.backfillId;
    const cells = Array.from({ length: 7 }, () => row.insertCell());
    const open = createElement('button', 'run-log-button');
    open.type = 'button';
    cells[0]!.append(open);
    const badge = createElement('span', 'run-status');
    cells[1]!.append(badge);
    return { row, cells, badge, open };
  }, (r, b) => {
    setText(r.open, b.backfillId);
    setAttribute(r.open, 'aria-label', `Open backfill ${b.backfillId}, ${b.statusLabel}${b.deployment === null ? '' : `, on deployment ${b.deployment}`}`);
    setText(r.badge, b.statusLabel);
    setAttribute(r.badge, 'data-tone', b.statusTone);
    setText(r.cells[2]!, b.targets.join(', '));
    setText(r.cells[3]!, b.selection);
    setText(r.cells[4]!, b.progress);
    setText(r.cells[5]!, b.createdAt);
    setText(r.cells[6]!, b.duration);
  });
  body.addEventListener('click', (event) => {
    const id = (event.target as Element).closest('tr')?.dataset.backfillId;
    if (id) bridge.post({ type: 'openBackfill', backfillId: id });
  });

  let model: BackfillsOverviewModel | null = null;
  const render = (): void => {
    if (!model) return;
    const targets = [...new Set(model.backfills.flatMap((b) => b.targets))].sort();
    setOptions(target.control, [['', 'All targets'], ...targets.map((t): [string, string] => [t, t])]);
    const f = { status: status.control.value, target: target.control.value, text: text.value };
    const shown = model.backfills.filter((b) => matchesOverviewFilters(b, f));
    rows.update(shown);
    empty.hidden = model.backfills.length > 0;
    table.hidden = model.backfills.length === 0;
    setText(count, `${shown.length} of ${model.backfills.length} backfills`);
    bridge.setState({ view: 'backfills', model, filters: f } satisfies OverviewState);
  };
  filters.addEventListener('input', render);
  filters.addEventListener('change', render);

  const saved = bridge.getState() as Partial<OverviewState> | undefined;
  const restored = parseWith(backfillsOverviewModel, saved?.model, 'state.model');
  if (saved?.view === 'backfills' && restored.ok && saved.filters) {
    model = restored.value;
    render();
    status.control.value = String(saved.filters.status ?? '');
    target.control.value = String(saved.filters.target ?? '');
    text.value = String(saved.filters.text ?? '');
    render();
  }

  bridge.onMessage((raw) => {
    const parsed = parseHostToWebviewMessage(raw);
    if (!parsed.ok) {
      console.warn(`Backfill Studio: ignored a message from the extension: ${parsed.reason}`);
      return;
    }
    if (parsed.value.type === 'backfillsListed') {
      model = parsed.value.model;
      render();
    } else if (parsed.value.type === 'errorShown') setText(count, parsed.value.message);
  });
  bridge.post({ type: 'ready' });
}
