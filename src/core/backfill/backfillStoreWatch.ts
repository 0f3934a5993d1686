// Polls the store while backfills run in this process: cancel, pause and resume requests other processes wrote, and the owner heartbeat.
import { startTimer, type Clock, type ClockTimer } from '../clock';
import type { StateStore } from '../storage/stateStore';
import type { ActiveBackfill } from './activeBackfill';
import { HEARTBEAT_INTERVAL_MS, describeOwner, isThisProcess, ownerOfThisProcess } from './backfillOwnership';

export interface BackfillStoreWatchOptions {
  store: StateStore;
  clock: Clock;
  origin: string;
  pollIntervalMs: number;
  onError?: (error: unknown) => void;
}

/**
 * Another process reaches a backfill running here only through the store (`backfill cancel`, `pause`,
 * `resume` write it), so while any runs here the store is re-read every poll and the requests applied;
 * the same tick refreshes the heartbeat that tells other processes this owner is alive.
 */
export class BackfillStoreWatch {
  private timer: ClockTimer | undefined;
  private lastHeartbeat = 0;

  constructor(private readonly active: ReadonlyMap<string, ActiveBackfill>, private readonly options: BackfillStoreWatchOptions) {}

  /** Starts polling when something runs here and it is not polling yet. */
  start(): void {
    if (this.timer || this.active.size === 0) return;
    this.timer = startTimer(this.options.clock, this.options.pollIntervalMs, () => {
      this.timer = undefined;
      void this.tick().finally(() => this.start());
    });
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async tick(): Promise<void> {
    const { store, clock } = this.options;
    try {
      await store.reloadIfChanged();
      const now = clock.now().getTime();
      for (const a of [...this.active.values()]) {
        const stored = store.getBackfill(a.id);
        if (stored?.owner && !isThisProcess(stored.owner)) {
          // We went unheard past the owner's stale bound (suspended, frozen) and another process adopted it.
          const reason = `backfill ${a.id} was taken over by ${describeOwner(stored.owner, now)} while this process was not heard from; it stopped running it here`;
          a.relinquish(reason);
          this.options.onError?.(new Error(reason));
          continue;
        }
        if (a.record.status !== 'REQUESTED' || !stored) continue;
        if (stored.status === 'CANCELING' || stored.status === 'CANCELED') a.cancel();
        else if (stored.pausedAt != null && !a.paused) a.pause(stored.pausedAt);
        else if (stored.pausedAt == null && a.paused) a.unpause();
      }
      if (now - this.lastHeartbeat >= HEARTBEAT_INTERVAL_MS) {
        this.lastHeartbeat = now;
        for (const a of this.active.values()) {
          const previous = a.record.owner ?? null;
          a.record.owner = ownerOfThisProcess(this.options.origin, now);
          // Only over our own last heartbeat: an adopter's claim made since we read is kept, and seen next tick.
          try {
            store.setBackfillOwner(a.id, a.record.owner, previous);
          } catch (e) {
            if ((e as Error).name !== 'OwnerClaimConflict') throw e;
          }
        }
      }
    } catch (e) {
      this.options.onError?.(e);
    }
  }
}
