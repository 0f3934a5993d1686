// A job's step x partition matrix with its backfill filter, as on Dagster's job partitions page.
import { decodePartitionKeyList, type PartitionKeys } from '../../shared/partitionKeyList';
import type { BackfillChoiceModel, StepMatrixModel } from '../../shared/partitionsPanelProtocol';
import { createElement, setText } from '../domElement';
import { toolkitTags } from '../toolkit';
import { stepMatrixGeometry } from './gridGeometry';
import { PartitionGridCanvas, type GridSelection } from './partitionGridCanvas';
import { SKIPPED_CODE, STATUS_LABELS, STATUS_ORDER, stepStatusCode } from './partitionStatusCodes';

export interface StepMatrixActions {
  hover(text: string, clientX: number, clientY: number): void;
  launchColumns(from: string, to: string): void;
  filter(backfillId: string | null): void;
  canLaunch(): boolean;
}

const ALL_RUNS = '';

export class StepMatrixSection {
  readonly element = createElement('section', 'step-matrix');
  private readonly note = createElement('p', 'step-matrix-note');
  private readonly filter = createElement('select', 'step-matrix-filter');
  private readonly selectionBar = createElement('div', 'partition-selection-bar');
  private readonly selectionText = createElement('span', 'partition-selection-text');
  private readonly launchButton = document.createElement(toolkitTags.button) as HTMLElement;
  private readonly grid: PartitionGridCanvas;
  private model: StepMatrixModel | null = null;
  /** The columns' keys, decoded when the columns change. */
  private keys: PartitionKeys = [];
  private codes = new Uint8Array(0);
  private selected: { from: string; to: string } | null = null;
  private filterSignature = '';

  constructor(private readonly actions: StepMatrixActions) {
    this.element.hidden = true;
    this.element.id = 'step-matrix';
    const heading = createElement('h3', 'step-matrix-title', 'Steps × partitions');
    const label = createElement('label', 'step-matrix-filter-label', 'Runs of ');
    this.filter.id = 'step-matrix-filter';
    label.htmlFor = this.filter.id;
    this.filter.addEventListener('change', () => this.actions.filter(this.filter.value === ALL_RUNS ? null : this.filter.value));
    const bar = createElement('div', 'step-matrix-toolbar');
    bar.append(label, this.filter);
    this.grid = new PartitionGridCanvas('steps by partition', {
      hover: (i, x, y) => this.actions.hover(this.describe(i), x, y),
      focus: () => undefined,
      select: (s) => this.selectionChanged(s),
      activate: () => undefined,
    });
    this.launchButton.id = 'launch-step-selection';
    this.launchButton.textContent = 'Launch backfill…';
    this.launchButton.addEventListener('click', () => {
      if (this.selected && this.actions.canLaunch()) this.actions.launchColumns(this.selected.from, this.selected.to);
    });
    this.selectionText.id = 'step-selection-text';
    this.selectionBar.append(this.selectionText, this.launchButton);
    this.selectionChanged(null);
    this.element.append(heading, bar, this.note, this.selectionBar, this.grid.element);
  }

  render(model: StepMatrixModel | null, backfills: readonly BackfillChoiceModel[], backfillFilter: string | null): void {
    this.element.hidden = model === null;
    if (!model) return;
    const previous = this.model?.keys;
    // Same columns exactly when the encodings are equal: no key needs decoding to know.
    const sameKeys = previous !== undefined && previous.count === model.keys.count && previous.runs === model.keys.runs && previous.text === model.keys.text;
    const reshaped = !this.model || !sameKeys || this.model.steps.length !== model.steps.length || this.model.steps.some((s, i) => s.step !== model.steps[i]!.step);
    this.model = model;
    if (reshaped) this.keys = decodePartitionKeyList(model.keys);
    this.renderFilter(backfills, backfillFilter);
    const columns = this.keys.length;
    if (this.codes.length !== columns * model.steps.length) this.codes = new Uint8Array(columns * model.steps.length);
    model.steps.forEach((s, row) => {
      let at = row * columns;
      for (const [status, length] of s.statusRuns) {
        this.codes.fill(stepStatusCode(status), at, at + length);
        at += length;
      }
    });
    if (reshaped) this.grid.setGeometry(stepMatrixGeometry(model.steps.map((s) => s.step), this.keys), this.keys);
    this.grid.setCodes(this.codes);
    const stepCount = `${model.steps.length} step${model.steps.length === 1 ? '' : 's'}`;
    setText(this.note, columns === 0
      ? model.steps.length > 0
        ? `${stepCount} from the job's body, no runs yet: launch a backfill to see each step of each partition.`
        : 'No runs of this job yet: launch a backfill to see each step of each partition.'
      : model.steps.length === 0
        ? `${columns} partition${columns === 1 ? '' : 's'} ran, but their runs reported no steps (only the Dagster launcher reports steps).`
        : `${stepCount} (${model.stepSource === 'definition' ? "from the job's body" : 'as the runs reported them'}) × ${columns} partition${columns === 1 ? '' : 's'} with a run`);
  }

  private renderFilter(backfills: readonly BackfillChoiceModel[], selected: string | null): void {
    const signature = JSON.stringify([backfills, selected]);
    if (signature === this.filterSignature) return;
    this.filterSignature = signature;
    const all = createElement('option', undefined, 'all backfills');
    all.value = ALL_RUNS;
    const options = [all, ...backfills.map((b) => {
      const o = createElement('option', undefined, b.label);
      o.value = b.backfillId;
      return o;
    })];
    this.filter.replaceChildren(...options);
    this.filter.value = selected ?? ALL_RUNS;
  }

  refreshColours(): void {
    this.grid.refreshColours();
  }

  draw(): void {
    if (this.model) this.grid.draw();
  }

  private describe(index: number): string {
    const m = this.model;
    const keys = this.keys;
    if (!m || index < 0 || keys.length === 0) return '';
    const step = m.steps[Math.floor(index / keys.length)];
    const key = keys.at(index % keys.length);
    const code = this.codes[index]!;
    const status = STATUS_ORDER[code];
    const label = code === SKIPPED_CODE ? 'skipped (an upstream step failed)' : status === 'MATERIALIZED' ? 'succeeded' : status === 'MISSING' || !status ? 'did not run' : STATUS_LABELS[status];
    return step && key !== undefined ? `${step.step} · ${key}: ${label}` : '';
  }

  private selectionChanged(s: GridSelection | null): void {
    const m = this.model;
    const keys = this.keys;
    if (!m || !s || keys.length === 0) {
      this.selected = null;
      setText(this.selectionText, 'Drag across the columns to select partitions to backfill.');
      this.launchButton.classList.add('invisible');
      return;
    }
    const [c0, c1] = [s.anchor % keys.length, s.end % keys.length].sort((a, b) => a - b) as [number, number];
    this.selected = { from: keys.at(c0)!, to: keys.at(c1)! };
    setText(this.selectionText, `Selected partitions ${this.selected.from}…${this.selected.to}`);
    this.launchButton.toggleAttribute('disabled', !this.actions.canLaunch());
    this.launchButton.classList.remove('invisible');
  }
}
