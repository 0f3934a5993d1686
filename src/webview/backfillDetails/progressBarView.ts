// The backfill's progress bar: one segment per run outcome (succeeded, failed, canceled, skipped, running), queued runs as the empty track.
import type { BackfillProgressModel } from '../../shared/protocol';
import { createElement, setAttribute } from '../domElement';

/** Outcomes in the order they fill the bar, and how a segment's tooltip names them. */
const SEGMENTS = [
  ['succeeded', 'succeeded'],
  ['failed', 'failed'],
  ['canceled', 'canceled'],
  ['skipped', 'skipped (upstream failed)'],
  ['inProgress', 'running'],
] as const satisfies readonly (readonly [keyof BackfillProgressModel, string])[];

/**
 * A bar that fills only with success would call a canceled backfill done; one that fills with every ended run
 * would too. Each outcome has its own segment and colour (webview.css, .progress-segment[data-outcome]).
 */
export class ProgressBarView {
  readonly element = createElement('div', 'details-progress-bar');
  private readonly segments = SEGMENTS.map(([outcome]) => {
    const segment = createElement('span', 'progress-segment');
    segment.dataset.outcome = outcome;
    return segment;
  });

  constructor(labelledBy: string) {
    this.element.id = 'backfill-progress-bar';
    this.element.setAttribute('role', 'progressbar');
    this.element.setAttribute('aria-valuemin', '0');
    this.element.setAttribute('aria-labelledby', labelledBy);
    this.element.append(...this.segments);
  }

  update(progress: BackfillProgressModel): void {
    const total = Math.max(progress.total, 1);
    setAttribute(this.element, 'aria-valuemax', String(progress.total));
    setAttribute(this.element, 'aria-valuenow', String(Math.min(progress.done, progress.total)));
    SEGMENTS.forEach(([outcome, words], i) => {
      const segment = this.segments[i]!;
      const count = progress[outcome];
      segment.hidden = count === 0;
      segment.style.width = `${(count / total) * 100}%`;
      setAttribute(segment, 'title', `${count.toLocaleString('en-US')} ${words}`);
    });
  }
}
