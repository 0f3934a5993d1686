// The launch form: target summary, partition picker with a drag-selectable strip, reprocess mode, run options.
import type { LaunchFieldErrors, LaunchFieldName, LaunchFormValues, LaunchPartitionMode, LaunchReprocessMode, LaunchRunOrder } from '../../shared/launchForm';
import type { LaunchTargetModel } from '../../shared/launchPanelModel';
import { decodePartitionKeyList, type PartitionKeys } from '../../shared/partitionKeyList';
import { createElement, setText } from '../domElement';
import { field, radioGroup, selectedRadio, showFieldError, textInput, type Field } from './formControls';
import { RunOnField } from './runOnField';
import { StatusStripCanvas } from './statusStripCanvas';

export class LaunchFormView {
  readonly element = createElement('div', 'launch-form-fields');
  private readonly title = createElement('h1', 'launch-title');
  private readonly facts = createElement('p', 'launch-facts');
  private readonly policy = createElement('p', 'launch-policy');
  private readonly source = createElement('p', 'launch-source');
  private readonly addPartitions = createElement('button', 'launch-add-partitions', 'Add partitions…');
  private readonly downstream = createElement('input');
  private readonly downstreamLabel = createElement('span');
  // All comes last: a radio group is entered on its first button, and arrowing through it must not land on All by default.
  private readonly modes = radioGroup<Exclude<LaunchPartitionMode, 'none'>>('partition-mode', 'Partitions', [
    { value: 'range', label: 'Range' },
    { value: 'latest', label: 'Latest N' },
    { value: 'selection', label: 'Keys and ranges' },
    { value: 'all', label: 'All' },
  ]);
  private readonly partitionsError = createElement('span', 'form-error');
  private readonly rangeFrom = field('range-from', 'From', textInput());
  private readonly rangeTo = field('range-to', 'To', textInput());
  private readonly latestCount = field('latest-count', 'Latest', textInput('7'));
  private readonly selectionText = field('selection-text', 'Keys and ranges', textInput('[2024-01-01...2024-01-07], 2024-02-01, "a,quoted key"'), 'Dagster syntax: keys, a...b or [a...b] ranges, "quoted keys", separated by commas');
  private readonly strip: StatusStripCanvas;
  private readonly reprocess = radioGroup<LaunchReprocessMode>('reprocess', 'Reprocess', [
    { value: 'missing', label: 'Missing only' },
    { value: 'failed-and-missing', label: 'Failed and missing' },
    { value: 'all', label: 'All selected partitions' },
  ]);
  private readonly concurrency = field('concurrency', 'Concurrency', textInput());
  private readonly order = field('run-order', 'Order', createElement('select', 'form-input'));
  private readonly retries = field('retries', 'Retries per run', textInput('0'));
  private readonly tags = field('tags', 'Tags', textInput('team=analytics, reason=late data'), 'key=value pairs separated by commas');
  private readonly runOn = new RunOnField();
  private readonly remoteTitle = field('remote-title', 'Title', textInput('Orders November'), 'Shown in Dagster\'s backfill list, where its version has titles');
  private readonly remoteDescription = field('remote-description', 'Description', textInput('Re-run after the upstream fix'));
  private readonly remoteNote = createElement('p', 'form-hint launch-remote-note');
  private readonly localOptions = createElement('div', 'form-row');
  private model: LaunchTargetModel | null = null;
  private keys: PartitionKeys = [];

  constructor(private readonly onChange: () => void, private readonly onAddPartitions: (target: string) => void = () => undefined) {
    this.strip = new StatusStripCanvas((from, to) => {
      if (!this.model) return;
      this.modes.inputs.get('range')!.checked = true;
      this.rangeFrom.control.value = this.keys.at(from)!;
      this.rangeTo.control.value = this.keys.at(to)!;
      this.syncModeFields();
      this.onChange();
    });
    this.downstream.type = 'checkbox';
    this.downstream.id = 'include-downstream';
    const downstreamLabel = createElement('label', 'form-check');
    downstreamLabel.append(this.downstream, ' ', this.downstreamLabel);
    this.partitionsError.id = 'partitions-error';
    this.partitionsError.setAttribute('aria-live', 'polite');
    for (const [value, label] of [['oldest-first', 'Oldest first'], ['newest-first', 'Newest first']] as const) {
      const option = createElement('option', undefined, label);
      option.value = value;
      this.order.control.append(option);
    }
    this.addPartitions.type = 'button';
    this.addPartitions.id = 'add-dynamic-partitions';
    this.addPartitions.hidden = true;
    this.addPartitions.addEventListener('click', () => {
      if (this.model?.dynamicPartitionsName) this.onAddPartitions(this.model.target);
    });
    const summary = createElement('section', 'launch-section launch-summary');
    summary.append(this.title, this.facts, this.source, this.policy, downstreamLabel, this.addPartitions);
    const rangeRow = createElement('div', 'form-row');
    rangeRow.append(this.rangeFrom.wrapper, this.rangeTo.wrapper);
    const partitions = createElement('section', 'launch-section');
    partitions.append(this.modes.element, this.partitionsError, rangeRow, this.latestCount.wrapper, this.selectionText.wrapper, this.strip.element);
    const options = createElement('section', 'launch-section');
    this.localOptions.append(this.concurrency.wrapper, this.order.wrapper, this.retries.wrapper);
    this.remoteNote.id = 'run-on-note';
    this.remoteNote.hidden = true;
    const remoteRow = createElement('div', 'form-row remote-options');
    remoteRow.append(this.remoteTitle.wrapper, this.remoteDescription.wrapper);
    remoteRow.id = 'remote-options';
    options.append(this.runOn.wrapper, this.remoteNote, this.reprocess.element, this.localOptions, remoteRow, this.tags.wrapper);
    this.element.append(summary, partitions, options);
    this.element.addEventListener('input', () => {
      this.syncModeFields();
      this.onChange();
    });
    this.element.addEventListener('change', () => {
      this.syncModeFields();
      this.onChange();
    });
  }

  /** Shows a target; `form` (when given) replaces the fields' values. */
  setTarget(model: LaunchTargetModel, form: LaunchFormValues | null): void {
    this.model = model;
    this.keys = decodePartitionKeyList(model.keys);
    setText(this.title, `Launch a backfill of ${model.target}`);
    setText(this.facts, `${model.kind === 'command' ? 'Command target' : model.kind === 'job' ? 'Job' : 'Asset'} · ${this.keys.length.toLocaleString('en-US')} partitions · ${model.partitionsDescription}`);
    setText(this.source, model.statusSource);
    this.addPartitions.hidden = model.dynamicPartitionsName === null;
    setText(this.policy, `Backfill policy: ${model.policy} (set in code; the planner applies it as defined)`);
    setText(this.downstreamLabel, model.downstream.length ? `Include downstream (${model.downstream.join(', ')})` : 'Include downstream (none)');
    this.downstream.disabled = model.downstream.length === 0;
    this.concurrency.control.placeholder = `${model.defaultConcurrency} (workspace setting)`;
    this.strip.update(this.keys, model.statusRuns);
    this.runOn.setChoices(model.deployments, form ? form.runOn : this.runOn.value);
    if (form) this.setValues(form);
    this.syncModeFields();
  }

  values(): LaunchFormValues {
    return {
      target: this.model?.target ?? '',
      includeDownstream: this.downstream.checked && !this.downstream.disabled,
      partitionMode: selectedRadio<LaunchPartitionMode>(this.modes.inputs, 'none'),
      rangeFrom: this.rangeFrom.control.value,
      rangeTo: this.rangeTo.control.value,
      latestCount: this.latestCount.control.value,
      selectionText: this.selectionText.control.value,
      reprocess: selectedRadio(this.reprocess.inputs, 'missing'),
      concurrency: this.concurrency.control.value,
      order: this.order.control.value as LaunchRunOrder,
      retries: this.retries.control.value,
      tagsText: this.tags.control.value,
      runOn: this.runOn.value,
      title: this.remoteTitle.control.value,
      description: this.remoteDescription.control.value,
    };
  }

  showErrors(errors: LaunchFieldErrors): void {
    const fields: [LaunchFieldName, Field<HTMLElement>][] = [
      ['rangeFrom', this.rangeFrom], ['rangeTo', this.rangeTo], ['latestCount', this.latestCount], ['selectionText', this.selectionText],
      ['concurrency', this.concurrency], ['retries', this.retries], ['tagsText', this.tags],
      ['runOn', this.runOn.field], ['title', this.remoteTitle], ['description', this.remoteDescription],
    ];
    for (const [name, f] of fields) showFieldError(f, errors[name]);
    setText(this.partitionsError, errors.partitions ?? errors.target ?? '');
  }

  /** The partition modes get focus (on the chosen one, else the first, Range): never a button, so Enter cannot launch. */
  focusFirst(): void {
    selectedRadioInput(this.modes.inputs)?.focus();
  }

  /** True while no partitions are chosen (the panel opens so unless prefilled). */
  nothingChosen(): boolean {
    return this.values().partitionMode === 'none';
  }

  private setValues(v: LaunchFormValues): void {
    this.downstream.checked = v.includeDownstream;
    for (const input of this.modes.inputs.values()) input.checked = input.value === v.partitionMode;
    this.rangeFrom.control.value = v.rangeFrom;
    this.rangeTo.control.value = v.rangeTo;
    this.latestCount.control.value = v.latestCount;
    this.selectionText.control.value = v.selectionText;
    this.reprocess.inputs.get(v.reprocess)!.checked = true;
    this.concurrency.control.value = v.concurrency;
    this.order.control.value = v.order;
    this.retries.control.value = v.retries;
    this.tags.control.value = v.tagsText;
    this.runOn.value = v.runOn;
    this.remoteTitle.control.value = v.title;
    this.remoteDescription.control.value = v.description;
  }

  /** Only the chosen mode's fields are shown (hidden fields leave the tab order too). */
  private syncModeFields(): void {
    const mode = selectedRadio<LaunchPartitionMode>(this.modes.inputs, 'none');
    this.rangeFrom.wrapper.parentElement!.hidden = mode !== 'range';
    this.latestCount.wrapper.hidden = mode !== 'latest';
    this.selectionText.wrapper.hidden = mode !== 'selection';
    this.syncRunOnFields();
    if (!this.model) return;
    const keys = this.keys;
    if (mode === 'range') {
      const a = keys.indexOf(this.rangeFrom.control.value.trim());
      const b = keys.indexOf(this.rangeTo.control.value.trim());
      this.strip.highlight(a >= 0 && b >= a ? [a, b] : null);
    } else if (mode === 'latest' && /^\d+$/.test(this.latestCount.control.value.trim())) {
      const n = Math.min(keys.length, Number(this.latestCount.control.value.trim()));
      this.strip.highlight(n > 0 ? [keys.length - n, keys.length - 1] : null);
    } else if (mode === 'all' && keys.length) this.strip.highlight([0, keys.length - 1]);
    else this.strip.highlight(null);
  }

  /**
   * On a deployment, Dagster's daemon and run queue decide concurrency, order and retries, and launchPartitionBackfill
   * has no reprocess mode: those fields are hidden (not just ignored) and the note says why; title and description appear.
   */
  private syncRunOnFields(): void {
    const remote = this.runOn.value;
    this.localOptions.hidden = remote !== '';
    this.reprocess.element.hidden = remote !== '';
    this.remoteTitle.wrapper.parentElement!.hidden = remote === '';
    this.remoteNote.hidden = remote === '';
    setText(this.remoteNote, remote === '' ? '' : `${remote} gets every selected partition: Dagster's launch has no reprocess mode, and its daemon and run queue decide concurrency, order and retries. The strip shows this project's statuses.`);
  }
}

function selectedRadioInput(inputs: Map<string, HTMLInputElement>): HTMLInputElement | undefined {
  return [...inputs.values()].find((i) => i.checked) ?? inputs.values().next().value;
}
