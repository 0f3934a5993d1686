// The Clock port: the engine asks it for the time so tests can fix "now".

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that always answers the same instant (for `--now` and tests). */
export function fixedClock(at: Date): Clock {
  return { now: () => new Date(at.getTime()) };
}
