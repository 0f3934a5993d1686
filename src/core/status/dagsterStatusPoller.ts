// DagsterStatusPoller: refreshes Dagster's statuses while some view shows them, fast after a change (or a poke),
// backing off while nothing changes; one refresh at a time, on the Clock's timers.
import { startTimer, type Clock, type ClockTimer } from '../clock';
import type { Disposable } from '../emitter';

export interface DagsterStatusPollerOptions {
  clock: Clock;
  /** One refresh; resolves true when statuses changed. Never called again before it settles. */
  refresh(): Promise<boolean>;
  /** The first delay, and the delay after a change (default 1 s). */
  minDelayMs?: number;
  /** The longest delay while nothing changes (default 30 s). */
  maxDelayMs?: number;
  onError?(error: unknown): void;
}

export class DagsterStatusPoller {
  private started = false;
  private views = 0;
  private delay: number;
  private timer: ClockTimer | undefined;
  private inFlight = false;
  /** A poke that came while a refresh ran: one more refresh follows it at once. */
  private poked = false;

  constructor(private readonly options: DagsterStatusPollerOptions) {
    this.delay = this.min;
  }

  /** Polls from now on whenever a view is visible; the first refresh is immediate. */
  start(): void {
    if (this.started) return;
    this.started = true;
    this.delay = this.min;
    if (this.views > 0) this.schedule(0);
  }

  /** No refresh is started after this (one that runs finishes). */
  stop(): void {
    this.started = false;
    this.cancel();
  }

  /**
   * A view showing statuses became visible: polling runs while at least one is (a first one refreshes at once).
   * Dispose the result when it is hidden or closed.
   */
  viewVisible(): Disposable {
    this.views++;
    if (this.views === 1) {
      this.delay = this.min;
      if (this.active && !this.inFlight) this.schedule(0);
    }
    let disposed = false;
    return {
      dispose: () => {
        if (disposed) return;
        disposed = true;
        this.views--;
        if (this.views === 0) this.cancel();
      },
    };
  }

  /** Something probably changed (a run ended, a window got focus): refresh now and poll fast again. */
  poke(): void {
    this.delay = this.min;
    if (!this.active) return;
    if (this.inFlight) this.poked = true;
    else this.schedule(0);
  }

  get visibleViews(): number {
    return this.views;
  }

  /** The delay the next unchanged refresh waits (tests, diagnostics). */
  get currentDelayMs(): number {
    return this.delay;
  }

  private get active(): boolean {
    return this.started && this.views > 0;
  }

  private get min(): number {
    return this.options.minDelayMs ?? 1000;
  }

  private schedule(ms: number): void {
    this.cancel();
    this.timer = startTimer(this.options.clock, ms, () => void this.poll());
  }

  private cancel(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  private async poll(): Promise<void> {
    this.timer = undefined;
    if (!this.active || this.inFlight) return;
    this.inFlight = true;
    let changed = false;
    try {
      changed = await this.options.refresh();
    } catch (e) {
      this.options.onError?.(e);
    }
    this.inFlight = false;
    if (!this.active) return;
    if (this.poked) {
      this.poked = false;
      this.delay = this.min;
      return this.schedule(0);
    }
    if (changed) this.delay = this.min;
    const wait = this.delay;
    this.delay = Math.min(this.delay * 2, this.options.maxDelayMs ?? 30_000);
    this.schedule(wait);
  }
}
