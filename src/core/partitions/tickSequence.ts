// The ticks of a cron schedule as numbered instants, whichever way they are computed (see cronTicks.ts).

/** Ticks numbered by consecutive integers increasing with time (negative ordinals allowed). */
export interface TickSequence {
  instantOf(ordinal: number): number;
  /** Ordinal of the first tick at or after `instant`. */
  ordinalAtOrAfter(instant: number): number;
  /** Calls `fn` with the instants of ordinals `from` … `to` (inclusive), in order. */
  forEach(from: number, to: number, fn: (instant: number) => void): void;
  /** First tick after tick `t`. */
  after(t: number): number;
  /** Last tick before tick `t`. */
  before(t: number): number;
}
