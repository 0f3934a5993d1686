// TimeWindowPartitionMapping: downstream windows map to the upstream windows overlapping them, shifted by offsets.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { TimeWindow } from '../timeWindowPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../timeWindowPartitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { PartitionMappingError, partitionsDefinitionsEqual } from './partitionMapping';
import {
  equalExceptForStartOrEnd, existingWindows, isBasicDaily, isBasicHourly, keysInSpan, keysOfWindows, mergeWindows, mergedWindows,
  offsetBoundaryWithin, windowContaining, windowEndingAtOrContaining,
} from './timeWindowSpans';

export interface TimeWindowPartitionMappingOptions {
  startOffset?: number;
  endOffset?: number;
  allowNonexistentUpstreamPartitions?: boolean;
}

const empty = (): UpstreamPartitionsResult => ({ keys: [], requiredButNonexistent: [] });

export class TimeWindowPartitionMapping implements PartitionMapping {
  readonly kind = 'TimeWindowPartitionMapping' as const;
  readonly startOffset: number;
  readonly endOffset: number;
  readonly allowNonexistentUpstreamPartitions: boolean;

  constructor(options: TimeWindowPartitionMappingOptions = {}) {
    this.startOffset = options.startOffset ?? 0;
    this.endOffset = options.endOffset ?? 0;
    this.allowNonexistentUpstreamPartitions = options.allowNonexistentUpstreamPartitions ?? false;
    for (const [name, v] of [['start_offset', this.startOffset], ['end_offset', this.endOffset]] as const) {
      if (!Number.isInteger(v)) throw new PartitionMappingError(`Param "${name}" is not a int. Got ${v} which is type <class 'float'>.`);
    }
  }

  get description(): string {
    const base = 'Maps a downstream partition to any upstream partition with an overlapping time window.';
    if (this.startOffset === 0 && this.endOffset === 0) return base;
    return `${base} The start and end of the upstream time window is offsetted by ${this.startOffset} and ${this.endOffset} partitions respectively.`;
  }

  toString(): string {
    const args: string[] = [];
    if (this.startOffset !== 0) args.push(`start_offset=${this.startOffset}`);
    if (this.endOffset !== 0) args.push(`end_offset=${this.endOffset}`);
    if (this.allowNonexistentUpstreamPartitions) args.push('allow_nonexistent_upstream_partitions=True');
    return `TimeWindowPartitionMapping(${args.join(', ')})`;
  }

  validate(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): void {
    if (!(downstream instanceof TimeWindowPartitionsDefinition)) {
      throw new PartitionMappingError('Downstream partitions definition must be a TimeWindowPartitionsDefinition');
    }
    if (!(upstream instanceof TimeWindowPartitionsDefinition)) {
      throw new PartitionMappingError('Upstream partitions definition must be a TimeWindowPartitionsDefinition');
    }
    if (upstream.timezone !== downstream.timezone) throw new PartitionMappingError(`Timezones ${upstream.timezone} and ${downstream.timezone} don't match`);
  }

  upstreamPartitions(downstreamKeys: readonly string[] | null, downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    const [from, to] = [timeWindowDef(downstream, 'downstream'), timeWindowDef(upstream, 'upstream')];
    if (downstreamKeys === null) throw new PartitionMappingError('TimeWindowPartitionMapping needs a partitioned downstream asset');
    return this.map(from, to, mergedWindows(from, downstreamKeys), this.startOffset, this.endOffset, now, true);
  }

  downstreamPartitions(upstreamKeys: readonly string[], upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    const [from, to] = [timeWindowDef(upstream, 'upstream'), timeWindowDef(downstream, 'downstream')];
    // The inverse mapping: offsets negated and swapped, applied on the downstream side after aligning.
    return this.map(from, to, mergedWindows(from, upstreamKeys), -this.endOffset, -this.startOffset, now, false).keys;
  }

  /** Dagster's _map_partitions, with its cheap cases first since they decide results for keys beyond `now`. */
  private map(
    from: TimeWindowPartitionsDefinition, to: TimeWindowPartitionsDefinition, fromWindows: TimeWindow[],
    startOffset: number, endOffset: number, now: Date, downstreamToUpstream: boolean,
  ): UpstreamPartitionsResult {
    if (to.timezone !== from.timezone) throw new PartitionMappingError(`Timezones ${to.timezone} and ${from.timezone} don't match`);
    const cheap = this.cheapMapping(from, to, fromWindows, startOffset, endOffset, now);
    if (cheap) return cheap;

    const existing = existingWindows(to, now);
    const full = existing ? { start: existing.first.start, end: existing.last.end } : null;
    const aligned = from.cron === to.cron || (isBasicDaily(from) && isBasicHourly(to));
    const windows: TimeWindow[] = [];
    for (const w of fromWindows) {
      const fromStart = downstreamToUpstream ? offsetBoundaryWithin(from, w.start, startOffset, full) : w.start;
      const fromEnd = downstreamToUpstream ? offsetBoundaryWithin(from, w.end, endOffset, full) : w.end;
      let start = aligned ? fromStart : windowContaining(to, fromStart).start;
      let end = aligned ? fromEnd : windowEndingAtOrContaining(to, fromEnd).end;
      if (!downstreamToUpstream) {
        start = offsetBoundaryWithin(to, start, startOffset, full);
        end = offsetBoundaryWithin(to, end, endOffset, full);
      }
      if (start < end) windows.push({ start, end });
    }

    const kept: TimeWindow[] = [];
    const invalid: TimeWindow[] = [];
    for (const w of windows) {
      if (existing && w.start <= existing.last.start && w.end >= existing.first.end) {
        kept.push({ start: Math.max(w.start, existing.first.start), end: Math.min(w.end, existing.last.end) });
      }
      if (this.allowNonexistentUpstreamPartitions) continue;
      if (!existing || (w.start < existing.first.start && w.end > existing.last.end)) invalid.push(w);
      else if (w.start < existing.first.start) invalid.push({ start: w.start, end: Math.min(w.end, existing.first.start) });
      else if (w.end > existing.last.end) invalid.push({ start: Math.max(w.start, existing.last.end), end: w.end });
    }
    return { keys: keysOfWindows(to, mergeWindows(kept)), requiredButNonexistent: keysOfWindows(to, mergeWindows(invalid)) };
  }

  /** Dagster's _do_cheap_partition_mapping_if_possible: these cases return the input windows without clipping to `now`. */
  private cheapMapping(
    from: TimeWindowPartitionsDefinition, to: TimeWindowPartitionsDefinition, fromWindows: TimeWindow[],
    startOffset: number, endOffset: number, now: Date,
  ): UpstreamPartitionsResult | null {
    if (fromWindows.length === 0) return empty();
    if (startOffset !== 0 || endOffset !== 0) return null;
    const asIs = (): UpstreamPartitionsResult => ({ keys: keysOfWindows(to, fromWindows), requiredButNonexistent: [] });
    if (partitionsDefinitionsEqual(from, to)) return asIs();
    const firstStart = fromWindows[0]!.start;
    const startsInside = from.startInstant >= to.startInstant || firstStart >= to.startInstant;
    const endsInside = to.endInstant === null || (from.endInstant !== null && to.endInstant >= from.endInstant);
    if (equalExceptForStartOrEnd(from, to) && startsInside && endsInside) return asIs();
    if (isBasicDaily(from) && isBasicHourly(to) && startsInside) {
      const fromLast = existingWindows(from, now)?.last;
      const toLast = existingWindows(to, now)?.last;
      if (fromLast && toLast && fromLast.end <= toLast.end) return asIs();
    }
    if (fromWindows[fromWindows.length - 1]!.end <= to.startInstant) {
      if (this.allowNonexistentUpstreamPartitions) return empty();
      return { keys: [], requiredButNonexistent: fromWindows.flatMap((w) => keysInSpan(to, w.start, w.end)) };
    }
    return null;
  }
}

function timeWindowDef(d: PartitionsDefinition | null, side: 'upstream' | 'downstream'): TimeWindowPartitionsDefinition {
  if (d instanceof TimeWindowPartitionsDefinition) return d;
  throw new PartitionMappingError(`${side === 'upstream' ? 'Upstream' : 'Downstream'} partitions definition must be a TimeWindowPartitionsDefinition`);
}
