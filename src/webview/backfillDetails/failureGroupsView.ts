// Failed runs grouped by error message: how many, which partitions, and a link to one run's log.
import type { FailureGroupModel } from '../../shared/protocol';
import { createElement } from '../domElement';

const SHOWN_PARTITIONS = 12;

export class FailureGroupsView {
  readonly element = createElement('div', 'failure-groups');
  private signature = '';

  constructor(private readonly onOpenLog: (runId: string) => void) {
    this.element.id = 'failure-groups';
  }

  /** Redraws only when the groups changed: they change far less often than run progress. */
  update(groups: readonly FailureGroupModel[], backfillError: string | null): void {
    const signature = JSON.stringify([groups, backfillError]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.element.replaceChildren(
      ...(backfillError === null ? [] : [this.backfillError(backfillError)]),
      ...(groups.length === 0
        ? backfillError === null ? [createElement('p', 'details-empty', 'No failed runs.')] : []
        : groups.map((g) => {
            const item = createElement('article', 'failure-group');
            const head = createElement('div', 'failure-group-head');
            head.append(createElement('span', 'failure-count', `${g.count} failed`), createElement('code', 'failure-error', g.error));
            const more = g.count - Math.min(g.partitions.length, SHOWN_PARTITIONS);
            const partitions = createElement('p', 'failure-partitions', `${g.partitions.slice(0, SHOWN_PARTITIONS).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
            const open = createElement('button', 'run-log-button', 'Open a log');
            open.type = 'button';
            open.setAttribute('aria-label', `Open the log of a run that failed with: ${g.error.slice(0, 80)}`);
            open.addEventListener('click', () => this.onOpenLog(g.sampleRunId));
            item.append(head, partitions, open);
            return item;
          })),
    );
  }

  /** The backfill failed once, before any run: one item, not one per partition. */
  private backfillError(error: string): HTMLElement {
    const item = createElement('article', 'failure-group backfill-error');
    item.setAttribute('role', 'alert');
    const head = createElement('div', 'failure-group-head');
    head.append(createElement('span', 'failure-count', 'Not launched'), createElement('code', 'failure-error', error));
    item.append(head);
    return item;
  }
}
