// Test double for the Clock port: time moves only when a test advances it, and due timers fire in order.
import type { Clock, ClockTimer } from '../../../src/core/clock';

interface PendingTimer {
  at: number;
  seq: number;
  callback: () => void;
}

/** Lets promise chains and I/O callbacks that are ready run before the test looks. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
}

export class ManualClock implements Clock {
  private time: number;
  private timers: PendingTimer[] = [];
  private seq = 0;

  constructor(start: Date) {
    this.time = start.getTime();
  }

  now(): Date {
    return new Date(this.time);
  }

  setTimer(delayMs: number, callback: () => void): ClockTimer {
    const timer = { at: this.time + Math.max(0, delayMs), seq: this.seq++, callback };
    this.timers.push(timer);
    return { cancel: () => (this.timers = this.timers.filter((t) => t !== timer)) };
  }

  /** Pending timers due within `ms` from now (e.g. to check a retry is scheduled and when). */
  dueWithin(ms: number): number {
    return this.timers.filter((t) => t.at <= this.time + ms).length;
  }

  /** Moves time forward by `ms`, firing each timer due on the way at its own time, settling after each. */
  async advance(ms: number): Promise<void> {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= end).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.time = due.at;
      due.callback();
      await settle();
    }
    this.time = end;
    await settle();
  }
}
