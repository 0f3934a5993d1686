// Ordinal access to ticks that have no arithmetic form, by stepping from checkpoints kept every 256 ticks.
import type { TickSequence } from './tickSequence';

/** Steps between neighbouring ticks. */
export interface TickStepper {
  /** First tick >= x. */
  atOrAfter(x: number): number;
  /** First tick > t. */
  after(t: number): number;
  /** Last tick < t. */
  before(t: number): number;
}

const SPACING = 256;

/**
 * Ordinal 0 is the first tick at or after the anchor. Checkpoints are filled lazily in both directions, so a
 * lookup costs at most SPACING steps once the range up to it has been walked; memory stays one number per
 * SPACING ticks.
 */
export class IteratedTicks implements TickSequence {
  private readonly forward: number[];
  private readonly backward: number[];

  constructor(private readonly stepper: TickStepper, anchor: number) {
    const first = stepper.atOrAfter(anchor);
    this.forward = [first];
    this.backward = [first];
  }

  after(t: number): number {
    return this.stepper.after(t);
  }

  before(t: number): number {
    return this.stepper.before(t);
  }

  instantOf(ordinal: number): number {
    let k: number;
    let t: number;
    if (ordinal >= 0) {
      k = Math.floor(ordinal / SPACING);
      t = this.forwardCheckpoint(k);
    } else {
      k = -Math.ceil(-ordinal / SPACING);
      t = this.backwardCheckpoint(-k);
    }
    for (let o = k * SPACING; o < ordinal; o++) t = this.stepper.after(t);
    return t;
  }

  ordinalAtOrAfter(x: number): number {
    if (x === this.forward[0]) return 0;
    let k: number;
    if (x > this.forward[0]) {
      while (this.forward[this.forward.length - 1] < x) this.forwardCheckpoint(this.forward.length);
      // Largest checkpoint below x.
      let lo = 0;
      let hi = this.forward.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (this.forward[mid] < x) lo = mid;
        else hi = mid - 1;
      }
      k = lo;
    } else {
      let j = 1;
      while (this.backwardCheckpoint(j) >= x) j++;
      k = -j;
    }
    let t = k >= 0 ? this.forward[k] : this.backward[-k];
    let o = k * SPACING;
    while (t < x) {
      t = this.stepper.after(t);
      o++;
    }
    return o;
  }

  forEach(from: number, to: number, fn: (instant: number) => void): void {
    if (to < from) return;
    let t = this.instantOf(from);
    fn(t);
    for (let o = from + 1; o <= to; o++) {
      t = this.stepper.after(t);
      if (o > 0 && o % SPACING === 0 && o / SPACING === this.forward.length) this.forward.push(t);
      fn(t);
    }
  }

  private forwardCheckpoint(k: number): number {
    while (this.forward.length <= k) {
      let t = this.forward[this.forward.length - 1];
      for (let i = 0; i < SPACING; i++) t = this.stepper.after(t);
      this.forward.push(t);
    }
    return this.forward[k];
  }

  private backwardCheckpoint(k: number): number {
    while (this.backward.length <= k) {
      let t = this.backward[this.backward.length - 1];
      for (let i = 0; i < SPACING; i++) t = this.stepper.before(t);
      this.backward.push(t);
    }
    return this.backward[k];
  }
}
