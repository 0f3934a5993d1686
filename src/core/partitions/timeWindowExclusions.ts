// Exclusions of a TimeWindowPartitionsDefinition: cron strings and datetimes naming window starts to drop.
import { CronSchedule } from './cronSchedule';
import { CronTimeline } from './cronTimeline';
import type { TickSequence } from './tickSequence';
import { InvalidPartitionsDefinitionError, PartitionsError } from './partitionsDefinition';
import type { Zone } from './wallClock';
import { instantForWallFold0 } from './wallClock';

/** A cron string, or a Date whose UTC fields are a wall-clock time in the definition's timezone. */
export type TimeWindowExclusion = string | Date;

/** A run of excluded ticks this long means (nearly) every window is excluded: a definition error, not a hang. */
const MAX_EXCLUDED_RUN = 1_000_000;

/** Dagster's error for exclusions that are not valid crons, listing every bad one. */
export function invalidExclusionsError(bad: readonly string[]): InvalidPartitionsDefinitionError {
  return new InvalidPartitionsDefinitionError(
    `Found invalid cron schedule(s) ${bad.map((c) => `'${c}'`).join(', ')} in the exclusions argument of a TimeWindowPartitionsDefinition.`,
    'cron');
}

export class TimeWindowExclusions {
  private readonly instants = new Set<number>();
  private readonly timelines: CronTimeline[] = [];

  constructor(readonly exclusions: readonly TimeWindowExclusion[], zone: Zone, anchor: number) {
    const bad: string[] = [];
    for (const e of exclusions) {
      if (e instanceof Date) {
        if (Number.isNaN(e.getTime())) throw new InvalidPartitionsDefinitionError('Invalid date in exclusions.', 'cron');
        this.instants.add(instantForWallFold0(zone, e.getTime()));
      } else if (CronSchedule.isValid(e)) {
        this.timelines.push(new CronTimeline(CronSchedule.parse(e), zone, anchor));
      } else {
        bad.push(e);
      }
    }
    if (bad.length > 0) throw invalidExclusionsError(bad);
  }

  /** A window is excluded when its start is an excluded instant or a tick of an exclusion cron. */
  isExcluded(start: number): boolean {
    if (this.instants.has(start)) return true;
    for (const t of this.timelines) if (t.atOrAfter(start) === start) return true;
    return false;
  }

  /** Steps over `base`, skipping excluded ticks. */
  stepperOver(base: TickSequence): { atOrAfter(x: number): number; after(t: number): number; before(t: number): number } {
    const skip = (t: number, step: (u: number) => number): number => {
      for (let i = 0; i < MAX_EXCLUDED_RUN; i++) {
        if (!this.isExcluded(t)) return t;
        t = step(t);
      }
      throw new PartitionsError(`The exclusions remove every window near ${new Date(t).toISOString()}.`);
    };
    const after = (t: number) => base.after(t);
    return {
      atOrAfter: (x) => skip(base.instantOf(base.ordinalAtOrAfter(x)), after),
      after: (t) => skip(base.after(t), after),
      before: (t) => skip(base.before(t), (u) => base.before(u)),
    };
  }
}
