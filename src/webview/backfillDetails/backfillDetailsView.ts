// The Backfill Details panel: loading, not-found and error states, and the details sections updated in place.
import type { BackfillDetailsModel } from '../../shared/protocol';
import { createElement, setText } from '../domElement';
import { toolkitTags } from '../toolkit';
import { DetailsHeaderView, type RerunKind } from './detailsHeaderView';
import { FailureGroupsView } from './failureGroupsView';
import { createPartitionLegend } from './partitionLegendView';
import { PartitionStripView } from './partitionStripView';
import { RunsTableView } from './runsTableView';
import { TargetCountsTableView } from './targetCountsTableView';

export interface BackfillDetailsActions {
  cancelBackfill(backfillId: string): void;
  openRunLog(runId: string): void;
  openDagsterRun(url: string): void;
  rerunBackfill(backfillId: string, how: RerunKind): void;
}

const NO_PARTITIONS = 'This backfill targets no partitions.';

function section(heading: string, id: string): { element: HTMLElement; heading: HTMLElement } {
  const element = createElement('section', 'details-section');
  element.id = id;
  const h = createElement('h2', 'details-section-title', heading);
  element.append(h);
  return { element, heading: h };
}

export class BackfillDetailsView {
  private readonly errorBanner = createElement('div', 'error-banner');
  private readonly errorText = createElement('span', 'error-banner-text');
  private readonly loading = createElement('div', 'details-loading');
  private readonly notFound = createElement('p', 'details-not-found');
  private readonly content = createElement('div', 'details-content');
  private readonly header: DetailsHeaderView;
  private readonly targets = new TargetCountsTableView();
  private readonly runs: RunsTableView;
  private readonly failures: FailureGroupsView;
  private readonly failuresCount = createElement('span', 'count-badge');
  private readonly runsCount = createElement('span', 'count-badge');
  private readonly strips = new Map<string, PartitionStripView>();
  private readonly stripContainer = createElement('div', 'partition-strips');
  private readonly noPartitions = createElement('p', 'details-empty', NO_PARTITIONS);

  constructor(root: HTMLElement, actions: BackfillDetailsActions) {
    this.errorBanner.setAttribute('role', 'alert');
    this.errorBanner.hidden = true;
    const dismiss = createElement('button', 'error-banner-dismiss', 'Dismiss');
    dismiss.type = 'button';
    dismiss.addEventListener('click', () => (this.errorBanner.hidden = true));
    this.errorBanner.append(this.errorText, dismiss);

    this.loading.append(document.createElement(toolkitTags.progressRing), createElement('span', undefined, 'Loading backfill…'));
    this.notFound.hidden = true;
    this.content.hidden = true;

    this.header = new DetailsHeaderView((id) => actions.cancelBackfill(id), (id, how) => actions.rerunBackfill(id, how));
    this.runs = new RunsTableView((runId) => actions.openRunLog(runId), (url) => actions.openDagsterRun(url));
    this.failures = new FailureGroupsView((runId) => actions.openRunLog(runId), (url) => actions.openDagsterRun(url));

    const targetsSection = section('Targets', 'targets-section');
    targetsSection.element.append(this.targets.element);
    const partitionsSection = section('Partitions', 'partitions-section');
    this.noPartitions.id = 'partitions-note';
    this.noPartitions.hidden = true;
    partitionsSection.element.append(createPartitionLegend(), this.noPartitions, this.stripContainer);
    const runsSection = section('Runs', 'runs-section');
    this.runsCount.id = 'runs-count';
    runsSection.heading.append(this.runsCount);
    runsSection.element.append(this.runs.element);
    const failuresSection = section('Failures by error', 'failures-section');
    this.failuresCount.id = 'failures-count';
    failuresSection.heading.append(this.failuresCount);
    failuresSection.element.append(this.failures.element);

    this.content.append(
      this.header.element,
      document.createElement(toolkitTags.divider),
      targetsSection.element,
      partitionsSection.element,
      failuresSection.element,
      runsSection.element,
    );
    root.replaceChildren(this.errorBanner, this.loading, this.notFound, this.content);
  }

  render(model: BackfillDetailsModel): void {
    this.loading.hidden = true;
    this.notFound.hidden = true;
    this.content.hidden = false;
    this.header.update(model);
    this.targets.update(model.targets);
    this.renderPartitions(model);
    setText(this.runsCount, String(model.runs.length));
    this.runs.update(model.runs, model.targets.length);
    setText(this.failuresCount, String(model.failureGroups.reduce((n, g) => n + g.count, 0) + (model.error === null ? 0 : 1)));
    this.failures.update(model.failureGroups, model.error, model.remote !== null);
  }

  showNotFound(backfillId: string): void {
    this.loading.hidden = true;
    this.content.hidden = true;
    this.notFound.hidden = false;
    setText(this.notFound, `Backfill ${backfillId} was not found in this workspace's state store.`);
  }

  showError(message: string): void {
    setText(this.errorText, message);
    this.errorBanner.hidden = false;
    this.header.cancelFailed();
  }

  private renderPartitions(model: BackfillDetailsModel): void {
    const seen = new Set<string>();
    let position = 0;
    for (const strip of model.partitions) {
      if (seen.has(strip.target)) continue;
      seen.add(strip.target);
      let view = this.strips.get(strip.target);
      if (!view) {
        view = new PartitionStripView(strip.target);
        this.strips.set(strip.target, view);
      }
      // In place before drawing: the strip sizes its canvas to the width it has there.
      const current = this.stripContainer.children[position];
      if (current !== view.element) this.stripContainer.insertBefore(view.element, current ?? null);
      view.update(strip);
      position++;
    }
    for (const [target, view] of this.strips) {
      if (!seen.has(target)) {
        view.dispose();
        this.strips.delete(target);
      }
    }
    setText(this.noPartitions, model.remote?.partitionsNote ?? NO_PARTITIONS);
    this.noPartitions.hidden = seen.size > 0;
  }
}
