// Top of the details panel: title, status badge, id, times (and for a remote backfill its deployment, Dagster's id and
// how following it goes), overall progress and the Cancel, Resume and Re-execute actions.
import type { BackfillDetailsModel } from '../../shared/protocol';
import { createElement, setAttribute, setText } from '../domElement';
import { toolkitTags } from '../toolkit';
import { ProgressBarView } from './progressBarView';

export type RerunKind = 'resume' | 'reexecute' | 'reexecuteFromFailure';

interface ToolkitButton extends HTMLElement {
  disabled: boolean;
}

function fact(list: HTMLElement, label: string, id: string): HTMLElement {
  return factPair(list, label, id).value;
}

/** A fact whose label hides with it (facts of remote backfills only). */
function factPair(list: HTMLElement, label: string, id: string): { label: HTMLElement; value: HTMLElement } {
  const value = createElement('dd', 'details-fact-value');
  value.id = id;
  const term = createElement('dt', 'details-fact-label', label);
  list.append(term, value);
  return { label: term, value };
}

export class DetailsHeaderView {
  readonly element: HTMLElement;
  private readonly title = createElement('h1', 'details-title');
  private readonly badge = createElement('span', 'status-badge');
  private readonly cancelButton: ToolkitButton;
  private readonly backfillId: HTMLElement;
  private readonly createdAt: HTMLElement;
  private readonly duration: HTMLElement;
  private readonly remoteFacts: { label: HTMLElement; value: HTMLElement }[];
  private readonly deployment: HTMLElement;
  private readonly dagsterId: HTMLElement;
  private readonly checkedAt: HTMLElement;
  /** The last look at the deployment failed: said beside what it said before, which stays shown. */
  private readonly followError = createElement('p', 'follow-error');
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
    const deployment = factPair(facts, 'Runs on', 'backfill-deployment');
    const dagsterId = factPair(facts, 'Dagster id', 'backfill-dagster-id');
    const checked = factPair(facts, 'Checked', 'backfill-checked');
    this.remoteFacts = [deployment, dagsterId, checked];
    this.deployment = deployment.value;
    this.dagsterId = dagsterId.value;
    this.checkedAt = checked.value;
    this.followError.id = 'follow-error';
    this.followError.setAttribute('role', 'status');
    this.followError.hidden = true;

    const progress = createElement('div', 'details-progress');
    this.progressText.id = 'backfill-progress';
    this.progressBar = new ProgressBarView(this.progressText.id);
    progress.append(this.progressBar.element, this.progressText);

    this.element.append(titleRow, facts, this.followError, progress);
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
    this.updateRemote(model);
    this.progressBar.update(model.progress);
    setText(this.progressText, model.progress.summary);
    this.cancelButton.hidden = !model.canCancel;
    for (const { button, show } of this.rerunButtons) button.hidden = !show(model);
    this.showCancelPending(this.cancelRequestedFor === model.backfillId);
  }

  private updateRemote(model: BackfillDetailsModel): void {
    const remote = model.remote;
    for (const { label, value } of this.remoteFacts) label.hidden = value.hidden = remote === null;
    this.element.classList.toggle('remote-backfill', remote !== null);
    if (!remote) {
      this.followError.hidden = true;
      return;
    }
    setText(this.deployment, remote.deployment);
    setAttribute(this.deployment, 'title', remote.deploymentUrl);
    setText(this.dagsterId, remote.dagsterBackfillId);
    setText(this.checkedAt, remote.checkedAt || 'not yet');
    this.followError.hidden = remote.followError === null;
    setText(this.followError, remote.followError ?? '');
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
