// The queue of runs waiting for a slot: higher dagster/priority first, first in first out within a priority.

export interface QueueEntry<T> {
  priority: number;
  /** Arrival order, for FIFO within a priority. */
  seq: number;
  item: T;
}

/** Dagster's dagster/priority tag: an integer, default 0; text that is not one counts as 0. */
export function runPriority(tags: Readonly<Record<string, string>> | undefined): number {
  const text = tags?.['dagster/priority'];
  if (text === undefined || !/^-?\d+$/.test(text.trim())) return 0;
  return Number(text.trim());
}

export class RunQueue<T> {
  private readonly entries: QueueEntry<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.entries.length;
  }

  push(item: T, priority: number): void {
    const entry = { priority, seq: this.nextSeq++, item };
    // Binary search for the first entry of lower priority: equal priorities stay in arrival order.
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.entries[mid]!.priority >= priority) lo = mid + 1;
      else hi = mid;
    }
    this.entries.splice(lo, 0, entry);
  }

  /** Removes and returns the first item in order that `eligible` accepts (blocked ones keep their place, as Dagster skips them). */
  takeFirst(eligible: (item: T) => boolean): T | undefined {
    for (let i = 0; i < this.entries.length; i++) {
      const { item } = this.entries[i]!;
      if (eligible(item)) {
        this.entries.splice(i, 1);
        return item;
      }
    }
    return undefined;
  }

  /** Removes every item `drop` accepts; returns them in queue order. */
  remove(drop: (item: T) => boolean): T[] {
    const removed: T[] = [];
    for (let i = this.entries.length - 1; i >= 0; i--) {
      if (drop(this.entries[i]!.item)) removed.unshift(this.entries.splice(i, 1)[0]!.item);
    }
    return removed;
  }

  some(test: (item: T) => boolean): boolean {
    return this.entries.some((e) => test(e.item));
  }
}
