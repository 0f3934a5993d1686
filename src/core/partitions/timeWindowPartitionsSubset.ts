// Time-window views of a PartitionsSubset: from and to merged [start, end) windows, and Dagster's serialized form.
import { PartitionsError } from './partitionsDefinition';
import { PartitionsSubset } from './partitionsSubset';
import type { IndexRange } from './partitionsSubset';
import type { TimeWindow, TimeWindowPartitionsDefinition } from './timeWindowPartitionsDefinition';

/** The keys whose windows lie wholly inside one of `windows` (epoch ms, [start, end)). */
export function timeWindowPartitionsSubset(definition: TimeWindowPartitionsDefinition, windows: readonly TimeWindow[], now: Date): PartitionsSubset {
  const count = definition.count(now);
  const windowAt = (i: number): TimeWindow => definition.windows(now, i, i + 1)[0]!;
  const ranges: IndexRange[] = windows.map((w) => [
    firstIndexWhere(count, (i) => windowAt(i).start >= w.start),
    firstIndexWhere(count, (i) => windowAt(i).end > w.end),
  ]);
  return PartitionsSubset.fromIndexRanges(definition, ranges, now);
}

/** The subset as merged windows, one per contiguous run of keys. */
export function timeWindowsOfSubset(subset: PartitionsSubset): TimeWindow[] {
  const definition = timeWindowDefinition(subset);
  return subset.indexRanges().map(([s, e]) => ({
    start: definition.windows(subset.now, s, s + 1)[0]!.start,
    end: definition.windows(subset.now, e - 1, e)[0]!.end,
  }));
}

/** Dagster's TimeWindowPartitionsSubset serialization: {"version": 1, "time_windows": [[startSeconds, endSeconds], ...], "num_partitions": n}. */
export function serializeTimeWindowPartitionsSubset(subset: PartitionsSubset): string {
  const windows = timeWindowsOfSubset(subset).map((w) => [w.start / 1000, w.end / 1000]);
  return JSON.stringify({ version: 1, time_windows: windows, num_partitions: subset.count });
}

/** Reads the versioned form or the older bare list of [startSeconds, endSeconds] pairs. */
export function deserializeTimeWindowPartitionsSubset(definition: TimeWindowPartitionsDefinition, serialized: string, now: Date): PartitionsSubset {
  let data: unknown;
  try {
    data = JSON.parse(serialized);
  } catch (e) {
    throw new PartitionsError(`Serialized time window subset is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const pairs = Array.isArray(data) ? data : (data as { time_windows?: unknown } | null)?.time_windows;
  if (!Array.isArray(pairs)) throw new PartitionsError('Serialized time window subset has no "time_windows" list.');
  const windows = pairs.map((p, i): TimeWindow => {
    if (!Array.isArray(p) || p.length !== 2 || !p.every((t) => typeof t === 'number' && Number.isFinite(t))) {
      throw new PartitionsError(`Serialized time window ${i + 1} is not a [start, end] pair of epoch seconds: ${JSON.stringify(p)}`);
    }
    return { start: Math.round(p[0] * 1000), end: Math.round(p[1] * 1000) };
  });
  return timeWindowPartitionsSubset(definition, windows, now);
}

function timeWindowDefinition(subset: PartitionsSubset): TimeWindowPartitionsDefinition {
  if (subset.definition.kind !== 'time_window') {
    throw new PartitionsError(`Time windows exist only for time-window partitions, not ${subset.definition.describe()}.`);
  }
  return subset.definition as TimeWindowPartitionsDefinition;
}

/** The least i in [0, count] with pred(i) true, for pred false-then-true over indexes (count when never true). */
function firstIndexWhere(count: number, pred: (i: number) => boolean): number {
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
