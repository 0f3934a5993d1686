// The Clock port: the engine asks it for the time, and for timers, so tests can fix "now" and move it by hand.

/** A pending timer; cancel() is harmless after it fired. */
export interface ClockTimer {
  cancel(): void;
}

export interface Clock {
  now(): Date;
  /** Calls `callback` once `delayMs` of this clock's time has passed; absent on clocks that cannot wait (fixedClock): real timers are used then. */
  setTimer?(delayMs: number, callback: () => void): ClockTimer;
}

function realTimer(delayMs: number, callback: () => void): ClockTimer {
  const handle = setTimeout(callback, Math.max(0, delayMs));
  return { cancel: () => clearTimeout(handle) };
}

export const systemClock: Clock = { now: () => new Date(), setTimer: realTimer };

/** A clock that always answers the same instant (for `--now` and tests). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}

/** A timer through the clock when it has them, else a real one. */
export function startTimer(clock: Clock, delayMs: number, callback: () => void): ClockTimer {
  return clock.setTimer ? clock.setTimer(delayMs, callback) : realTimer(delayMs, callback);
}
