// The in-process run coordinator: a queue of runs executed with at most N at a time.

/** A unit of work the coordinator schedules; it receives an AbortSignal that fires on cancel. */
export type CoordinatedRun = (signal: AbortSignal) => Promise<void>;

interface QueuedRun {
  group: string;
  run: CoordinatedRun;
}

/**
 * Runs queued work in FIFO order with a concurrency limit (Dagster's max_concurrent_runs).
 * Runs are grouped (by backfill id) so one backfill can be canceled without touching others.
 * A run that rejects is a bug in the caller; the coordinator reports it to `onError` and goes on.
 */
export class RunCoordinator {
  private readonly queue: QueuedRun[] = [];
  private readonly running = new Map<AbortController, string>();
  private idleWaiters: (() => void)[] = [];

  constructor(
    private maxConcurrent: number,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError(`max concurrent runs must be a whole number of at least 1, got ${maxConcurrent}`);
    }
  }

  get runningCount(): number {
    return this.running.size;
  }

  get queuedCount(): number {
    return this.queue.length;
  }

  enqueue(group: string, run: CoordinatedRun): void {
    this.queue.push({ group, run });
    this.pump();
  }

  /** Drops the group's queued runs (returned count) and aborts its running ones. */
  cancelGroup(group: string): number {
    let dropped = 0;
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i]!.group === group) {
        this.queue.splice(i, 1);
        dropped++;
      }
    }
    for (const [controller, g] of this.running) if (g === group) controller.abort();
    this.settleIfIdle();
    return dropped;
  }

  /** Resolves when nothing is queued or running. */
  onIdle(): Promise<void> {
    if (this.queue.length === 0 && this.running.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    while (this.running.size < this.maxConcurrent && this.queue.length > 0) {
      const next = this.queue.shift()!;
      const controller = new AbortController();
      this.running.set(controller, next.group);
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
    if (this.queue.length === 0 && this.running.size === 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const w of waiters) w();
    }
  }
}
