// Failed runs grouped by error message: how many, which partitions, and a link to one run's log.
import type { FailureGroupModel } from '../../shared/protocol';
import { createElement } from '../domElement';

const SHOWN_PARTITIONS = 12;

export class FailureGroupsView {
  readonly element = createElement('div', 'failure-groups');
  private signature = '';

  constructor(private readonly onOpenLog: (runId: string) => void, private readonly onOpenDagsterRun: (url: string) => void) {
    this.element.id = 'failure-groups';
  }

  /** Redraws only when the groups changed: they change far less often than run progress. */
  update(groups: readonly FailureGroupModel[], backfillError: string | null, remote = false): void {
    const signature = JSON.stringify([groups, backfillError, remote]);
    if (signature === this.signature) return;
    this.signature = signature;
    this.element.replaceChildren(
      ...(backfillError === null ? [] : [this.backfillError(backfillError, remote)]),
      ...(groups.length === 0
        ? backfillError === null ? [createElement('p', 'details-empty', 'No failed runs.')] : []
        : groups.map((g) => {
            const item = createElement('article', 'failure-group');
            const head = createElement('div', 'failure-group-head');
            head.append(createElement('span', 'failure-count', `${g.count} failed`), createElement('code', 'failure-error', g.error));
            const more = g.count - Math.min(g.partitions.length, SHOWN_PARTITIONS);
            const partitions = createElement('p', 'failure-partitions', `${g.partitions.slice(0, SHOWN_PARTITIONS).join(', ')}${more > 0 ? ` and ${more} more` : ''}`);
            const url = g.sampleRunUrl;
            const open = createElement('button', 'run-log-button', url === null ? 'Open a log' : 'Open a run in Dagster');
            open.type = 'button';
            open.setAttribute('aria-label', `${url === null ? 'Open the log of' : 'Open in the Dagster UI'} a run that failed with: ${g.error.slice(0, 80)}`);
            open.addEventListener('click', () => (url === null ? this.onOpenLog(g.sampleRunId) : this.onOpenDagsterRun(url)));
            item.append(head, partitions, open);
            return item;
          })),
    );
  }

  /** The backfill failed once, before any run (or, on a deployment, Dagster's error of the backfill): one item, not one per partition. */
  private backfillError(error: string, remote: boolean): HTMLElement {
    const item = createElement('article', 'failure-group backfill-error');
    item.setAttribute('role', 'alert');
    const head = createElement('div', 'failure-group-head');
    head.append(createElement('span', 'failure-count', remote ? 'Backfill error' : 'Not launched'), createElement('code', 'failure-error', error));
    item.append(head);
    return item;
  }
}
