// Top of the details panel: title, status badge, id, times, overall progress and the Cancel, Resume and Re-execute actions.
import type { BackfillDetailsModel } from '../../shared/protocol';
import { createElement, setAttribute, setText } from '../domElement';
import { toolkitTags } from '../toolkit';
import { ProgressBarView } from './progressBarView';

export type RerunKind = 'resume' | 'reexecute' | 'reexecuteFromFailure';

interface ToolkitButton extends HTMLElement {
  disabled: boolean;
}

function fact(list: HTMLElement, label: string, id: string): HTMLElement {
  const value = createElement('dd', 'details-fact-value');
  value.id = id;
  list.append(createElement('dt', 'details-fact-label', label), value);
  return value;
}

export class DetailsHeaderView {
  readonly element: HTMLElement;
  private readonly title = createElement('h1', 'details-title');
  private readonly badge = createElement('span', 'status-badge');
  private readonly cancelButton: ToolkitButton;
  private readonly backfillId: HTMLElement;
  private readonly createdAt: HTMLElement;
  private readonly duration: HTMLElement;
  private readonly progressText = createElement('span', 'details-progress-text');
  private readonly progressBar: ProgressBarView;
  private currentId = '';
  /** Id of the backfill whose cancel was requested, so a double click cannot send it twice. */
  private cancelRequestedFor: string | null = null;

  private readonly rerunButtons: { button: ToolkitButton; show: (m: BackfillDetailsModel) => boolean }[] = [];

  constructor(onCancel: (backfillId: string) => void, onRerun: (backfillId: string, how: RerunKind) => void = () => undefined) {
    this.element = createElement('header', 'details-header');
    this.badge.id = 'backfill-status';
    this.badge.setAttribute('role', 'status');
    this.cancelButton = document.createElement(toolkitTags.button) as ToolkitButton;
    this.cancelButton.className = 'details-cancel';
    this.cancelButton.id = 'cancel-backfill';
    this.cancelButton.setAttribute('appearance', 'secondary');
    this.cancelButton.textContent = 'Cancel backfill';
    this.cancelButton.hidden = true;
    this.cancelButton.addEventListener('click', () => {
      if (this.cancelButton.disabled || !this.currentId) return;
      this.cancelRequestedFor = this.currentId;
      this.showCancelPending(true);
      onCancel(this.currentId);
    });

    const titleRow = createElement('div', 'details-title-row');
    // The actions wrap as one group, so a narrow panel never splits them across the title.
    const actions = createElement('div', 'details-actions');
    actions.append(this.cancelButton);
    titleRow.append(this.title, this.badge, createElement('span', 'details-title-spacer'), actions);
    const reruns: [RerunKind, string, (m: BackfillDetailsModel) => boolean][] = [
      ['resume', 'Resume', (m) => m.canResume],
      ['reexecute', 'Re-execute', (m) => m.canReexecute],
      ['reexecuteFromFailure', 'Re-execute from failure', (m) => m.canReexecuteFromFailure],
    ];
    for (const [how, label, show] of reruns) {
      const button = document.createElement(toolkitTags.button) as ToolkitButton;
      button.id = `${how.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}-backfill`;
      button.setAttribute('appearance', 'secondary');
      button.textContent = label;
      button.hidden = true;
      button.addEventListener('click', () => {
        if (!button.disabled && this.currentId) onRerun(this.currentId, how);
      });
      this.rerunButtons.push({ button, show });
      actions.append(button);
    }

    const facts = createElement('dl', 'details-facts');
    this.backfillId = fact(facts, 'Backfill', 'backfill-id');
    this.createdAt = fact(facts, 'Created', 'backfill-created');
    this.duration = fact(facts, 'Duration', 'backfill-duration');

    const progress = createElement('div', 'details-progress');
    this.progressText.id = 'backfill-progress';
    this.progressBar = new ProgressBarView(this.progressText.id);
    progress.append(this.progressBar.element, this.progressText);

    this.element.append(titleRow, facts, progress);
  }

  update(model: BackfillDetailsModel): void {
    if (model.backfillId !== this.currentId || !model.canCancel) this.cancelRequestedFor = null;
    this.currentId = model.backfillId;
    setText(this.title, model.title);
    setText(this.badge, model.statusLabel);
    setAttribute(this.badge, 'data-tone', model.statusTone);
    setAttribute(this.badge, 'title', `${model.statusLabel}: ${model.statusDetail}`);
    setText(this.backfillId, model.backfillId);
    setText(this.createdAt, model.createdAt);
    setText(this.duration, model.duration);
    this.progressBar.update(model.progress);
    setText(this.progressText, model.progress.summary);
    this.cancelButton.hidden = !model.canCancel;
    for (const { button, show } of this.rerunButtons) button.hidden = !show(model);
    this.showCancelPending(this.cancelRequestedFor === model.backfillId);
  }

  /** The host answered the cancel with an error: let the user try again. */
  cancelFailed(): void {
    this.cancelRequestedFor = null;
    this.showCancelPending(false);
  }

  private showCancelPending(pending: boolean): void {
    this.cancelButton.disabled = pending;
    setText(this.cancelButton, pending ? 'Canceling…' : 'Cancel backfill');
  }
}
