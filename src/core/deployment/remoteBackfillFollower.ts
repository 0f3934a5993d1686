// Follows one backfill on a Dagster deployment: polls partitionBackfillOrError only while something shows it,
// fast after a change and backing off while nothing changes (DagsterStatusPoller), until the backfill settles.
import type { Clock } from '../clock';
import type { Disposable } from '../emitter';
import { DagsterStatusPoller } from '../status/dagsterStatusPoller';
import type { DeploymentBackfills } from './deploymentBackfills';
import { isBackfillSettled, type RemoteBackfill } from './remoteBackfill';

export interface RemoteBackfillFollowerOptions {
  clock: Clock;
  /** Each answer that differs from the last one (status, counts, runs). */
  onChange(backfill: RemoteBackfill): void;
  /** A failed poll (the deployment unreachable, a timeout…): polling goes on, backing off. */
  onError?(error: unknown): void;
  minDelayMs?: number;
  maxDelayMs?: number;
}

/** What a view shows of a remote backfill; an answer equal to the last one on these is not a change. */
function shown(b: RemoteBackfill): string {
  return JSON.stringify([b.status, b.numCancelable, b.partitionStatusCounts, b.assetStatuses, b.runs?.map((r) => [r.runId, r.status]), b.error]);
}

export class RemoteBackfillFollower {
  private readonly poller: DagsterStatusPoller;
  private last: string | undefined;
  private latestBackfill: RemoteBackfill | undefined;

  constructor(private readonly backfills: Pick<DeploymentBackfills, 'getBackfill'>, readonly backfillId: string, private readonly options: RemoteBackfillFollowerOptions) {
    this.poller = new DagsterStatusPoller({
      clock: options.clock,
      refresh: () => this.refresh(),
      ...(options.onError ? { onError: options.onError } : {}),
      ...(options.minDelayMs !== undefined ? { minDelayMs: options.minDelayMs } : {}),
      ...(options.maxDelayMs !== undefined ? { maxDelayMs: options.maxDelayMs } : {}),
    });
    this.poller.start();
  }

  /** The last answer, if any. */
  get latest(): RemoteBackfill | undefined {
    return this.latestBackfill;
  }

  /** A view showing this backfill became visible; dispose when it is hidden or closed. */
  viewVisible(): Disposable {
    return this.poller.viewVisible();
  }

  /** After a cancel, resume or re-execute of ours: poll now and fast again (and again after settling). */
  poke(): void {
    this.poller.start();
    this.poller.poke();
  }

  dispose(): void {
    this.poller.stop();
  }

  private async refresh(): Promise<boolean> {
    const backfill = await this.backfills.getBackfill(this.backfillId);
    this.latestBackfill = backfill;
    const now = shown(backfill);
    const changed = now !== this.last;
    this.last = now;
    if (changed) this.options.onChange(backfill);
    // Nothing more happens on the deployment without a new request of ours (which pokes).
    if (isBackfillSettled(backfill)) this.poller.stop();
    return changed;
  }
}
