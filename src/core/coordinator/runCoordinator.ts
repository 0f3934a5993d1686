// The in-process run coordinator (Dagster's QueuedRunCoordinator): a priority queue of runs started under
// max concurrent runs and tag concurrency limits, with groups (backfills) that can be paused and canceled.
import { RunQueue, runPriority } from './runQueue';
import { withinTagLimits, type RunTags, type TagConcurrencyLimit } from './tagConcurrencyLimits';

/** A unit of work the coordinator schedules; it receives an AbortSignal that fires on cancel. */
export type CoordinatedRun = (signal: AbortSignal) => Promise<void>;

export interface EnqueueOptions {
  /** The run's Dagster tags: matched against tag concurrency limits; dagster/priority orders the queue. */
  tags?: RunTags;
}

interface QueuedRun {
  group: string;
  run: CoordinatedRun;
  tags: RunTags;
}

interface RunningRun {
  group: string;
  tags: RunTags;
}

/**
 * Starts queued runs in priority order (higher dagster/priority first, FIFO within a priority) while fewer
 * than max concurrent runs are in progress and the tag concurrency limits allow; a run that a tag limit
 * blocks keeps its place and later runs may pass it, as in Dagster. Runs are grouped (by backfill id) so
 * one backfill can be paused or canceled without touching others. A run that rejects is a bug in the
 * caller; the coordinator reports it to `onError` and goes on.
 */
export class RunCoordinator {
  private readonly queue = new RunQueue<QueuedRun>();
  private readonly running = new Map<AbortController, RunningRun>();
  private readonly paused = new Set<string>();
  /** Per-group caps (a backfill's own concurrency), within maxConcurrent. */
  private readonly groupLimits = new Map<string, number>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    /** Dagster's max_concurrent_runs; -1 is unlimited. */
    private readonly maxConcurrent: number,
    private readonly onError: (error: unknown) => void = () => undefined,
    private readonly tagLimits: readonly TagConcurrencyLimit[] = [],
  ) {
    if (!Number.isInteger(maxConcurrent) || (maxConcurrent < 1 && maxConcurrent !== -1)) {
      throw new RangeError(`max concurrent runs must be a whole number of at least 1 (or -1 for no limit), got ${maxConcurrent}`);
    }
  }

  get runningCount(): number {
    return this.running.size;
  }

  get queuedCount(): number {
    return this.queue.size;
  }

  enqueue(group: string, run: CoordinatedRun, options: EnqueueOptions = {}): void {
    const tags = options.tags ?? {};
    this.queue.push({ group, run, tags }, runPriority(tags));
    this.pump();
  }

  /** At most `limit` runs of the group at a time (null: only the coordinator's own limit). */
  setGroupLimit(group: string, limit: number | null): void {
    if (limit === null) this.groupLimits.delete(group);
    else this.groupLimits.set(group, limit);
    this.pump();
  }

  /** Queued runs of the group wait (they keep their place); running ones go on. */
  pauseGroup(group: string): void {
    this.paused.add(group);
  }

  resumeGroup(group: string): void {
    if (this.paused.delete(group)) this.pump();
  }

  isPaused(group: string): boolean {
    return this.paused.has(group);
  }

  /** Drops the group's queued runs (returned count) and aborts its running ones. */
  cancelGroup(group: string): number {
    const dropped = this.queue.remove((q) => q.group === group).length;
    for (const [controller, r] of this.running) if (r.group === group) controller.abort();
    this.paused.delete(group);
    this.settleIfIdle();
    return dropped;
  }

  /** Resolves when nothing is queued or running (paused runs count as queued). */
  onIdle(): Promise<void> {
    if (this.queue.size === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private hasSlot(): boolean {
    return this.maxConcurrent === -1 || this.running.size < this.maxConcurrent;
  }

  private eligible(q: QueuedRun): boolean {
    if (this.paused.has(q.group)) return false;
    const cap = this.groupLimits.get(q.group);
    if (cap !== undefined && [...this.running.values()].filter((r) => r.group === q.group).length >= cap) return false;
    return this.tagLimits.length === 0 || withinTagLimits(this.tagLimits, q.tags, [...this.running.values()].map((r) => r.tags));
  }

  private pump(): void {
    while (this.hasSlot() && this.queue.size > 0) {
      const next = this.queue.takeFirst((q) => this.eligible(q));
      if (!next) return;
      const controller = new AbortController();
      this.running.set(controller, { group: next.group, tags: next.tags });
      void Promise.resolve()
        .then(() => next.run(controller.signal))
        .catch((e: unknown) => this.onError(e))
        .finally(() => {
          this.running.delete(controller);
          this.pump();
          this.settleIfIdle();
        });
    }
  }

  private settleIfIdle(): void {
    if (this.queue.size === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
