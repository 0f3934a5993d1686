// Window arithmetic for mappings on a TimeWindowPartitionsDefinition: windows around instants, offsets, keys in a span.
import type { TimeWindow, TimeWindowPartitionsDefinition } from '../timeWindowPartitionsDefinition';
import { HOUR_MS } from '../wallClock';
import { PartitionMappingError } from './partitionMapping';

/** Dagster's is_basic_daily / is_basic_hourly: the crons its mapping code has shortcuts for. */
export const isBasicDaily = (d: TimeWindowPartitionsDefinition): boolean => d.cron === '0 0 * * *';
export const isBasicHourly = (d: TimeWindowPartitionsDefinition): boolean => d.cron === '0 * * * *';

/** The window holding `instant`; an instant on a boundary belongs to the window starting there. */
export function windowContaining(d: TimeWindowPartitionsDefinition, instant: number): TimeWindow {
  const key = d.keyForTimestamp(instant);
  const w = d.windowOfKey(key);
  // A fmt coarser than the cron (e.g. "%Y-%m-%d" on an hourly cron) names several windows with one key.
  if (!(w.start <= instant && instant < w.end)) {
    throw new PartitionMappingError(`The fmt '${d.fmt}' of ${d.describe()} does not tell its windows apart (key '${key}'), so keys cannot be mapped.`);
  }
  return w;
}

/** Dagster's get_partition_key_for_timestamp(end_closed=True): a boundary belongs to the window ending there. */
export function windowEndingAtOrContaining(d: TimeWindowPartitionsDefinition, instant: number): TimeWindow {
  return windowContaining(d, instant - 1);
}

/** Keys of the windows whose start lies in [start, end), in time order (bounds of the definition not applied). */
export function keysInSpan(d: TimeWindowPartitionsDefinition, start: number, end: number): string[] {
  const keys: string[] = [];
  const first = windowContaining(d, start);
  let t = first.start === start ? start : first.end;
  while (t < end) {
    const key = d.keyForTimestamp(t);
    keys.push(key);
    t = d.windowOfKey(key).end;
  }
  return keys;
}

/** The windows of `keys` sorted and merged where they touch or overlap (a TimeWindowPartitionsSubset). */
export function mergedWindows(d: TimeWindowPartitionsDefinition, keys: readonly string[]): TimeWindow[] {
  return mergeWindows(keys.map((k) => d.windowOfKey(k)));
}

export function mergeWindows(windows: readonly TimeWindow[]): TimeWindow[] {
  const sorted = [...windows].sort((a, b) => a.start - b.start);
  const out: TimeWindow[] = [];
  for (const w of sorted) {
    const last = out[out.length - 1];
    if (last && w.start <= last.end) last.end = Math.max(last.end, w.end);
    else out.push({ start: w.start, end: w.end });
  }
  return out;
}

/** Keys of merged windows, in time order. */
export function keysOfWindows(d: TimeWindowPartitionsDefinition, windows: readonly TimeWindow[]): string[] {
  return windows.flatMap((w) => keysInSpan(d, w.start, w.end));
}

/** First and last existing windows at `now`, or null when the definition has no partitions yet. */
export function existingWindows(d: TimeWindowPartitionsDefinition, now: Date): { first: TimeWindow; last: TimeWindow } | null {
  const count = d.count(now);
  if (count === 0) return null;
  const first = d.keyAtIndex(0, now);
  const last = d.keyAtIndex(count - 1, now);
  if (first === null || last === null) return null;
  return { first: d.windowOfKey(first), last: d.windowOfKey(last) };
}

/**
 * Dagster's _offsetted_datetime: a boundary moved by `offset` windows of `d`. Hourly moves in absolute hours;
 * everything else steps window by window, which for a basic daily cron is Dagster's calendar-day step with its
 * DST correction (both land on the next local midnight tick).
 */
export function offsetBoundary(d: TimeWindowPartitionsDefinition, instant: number, offset: number): number {
  if (offset === 0) return instant;
  if (isBasicHourly(d)) return instant + offset * HOUR_MS;
  let t = instant;
  for (let i = 0; i < Math.abs(offset); i++) t = offset < 0 ? windowEndingAtOrContaining(d, t).start : windowContaining(d, t).end;
  return t;
}

/** _offsetted_datetime_with_bounds: an offset may not push a boundary outside `bounds` (the target's existing span). */
export function offsetBoundaryWithin(d: TimeWindowPartitionsDefinition, instant: number, offset: number, bounds: TimeWindow | null): number {
  let t = offsetBoundary(d, instant, offset);
  if (bounds !== null) {
    if (offset < 0) t = Math.max(bounds.start, t);
    if (offset > 0) t = Math.min(bounds.end, t);
  }
  return t;
}

/** Dagster's equal_except_for_start_or_end. */
export function equalExceptForStartOrEnd(a: TimeWindowPartitionsDefinition, b: TimeWindowPartitionsDefinition): boolean {
  return a.cron === b.cron && a.timezone === b.timezone && a.fmt === b.fmt && a.endOffset === b.endOffset;
}
