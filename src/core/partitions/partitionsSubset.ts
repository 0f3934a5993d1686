// PartitionsSubset: a set of a definition's keys held as sorted, merged [start, end) ranges of key indexes.
import type { PartitionKeyIndex, PartitionsDefinition } from './partitionsDefinition';
import { PartitionsError } from './partitionsDefinition';
import { MultiPartitionsDefinition } from './multiPartitionsDefinition';
import { partitionKeyIndex } from './partitionKeyIndex';
import { PartitionKeyRange } from './partitionKeyRange';
import { pythonRepr } from './staticPartitionsDefinition';

/** Half-open [start, end) over key indexes. */
export type IndexRange = readonly [start: number, end: number];

/**
 * Immutable. The index space is the definition's keys at `now`, so a subset of a million contiguous keys is
 * one range and set algebra costs O(ranges), never O(keys). Subsets combine only over the same keys.
 */
export class PartitionsSubset {
  private constructor(
    readonly definition: PartitionsDefinition,
    readonly now: Date,
    private readonly index: PartitionKeyIndex,
    private readonly ranges: readonly IndexRange[],
  ) {}

  static empty(definition: PartitionsDefinition, now: Date): PartitionsSubset {
    return new PartitionsSubset(definition, now, partitionKeyIndex(definition, now), []);
  }

  static all(definition: PartitionsDefinition, now: Date): PartitionsSubset {
    const index = partitionKeyIndex(definition, now);
    return new PartitionsSubset(definition, now, index, index.count > 0 ? [[0, index.count]] : []);
  }

  /** Throws PartitionsError naming every key the definition does not have at `now`. */
  static fromKeys(definition: PartitionsDefinition, keys: Iterable<string>, now: Date): PartitionsSubset {
    const index = partitionKeyIndex(definition, now);
    const positions: number[] = [];
    const unknown: string[] = [];
    for (const key of keys) {
      const i = index.indexOf(key);
      if (i < 0) unknown.push(key);
      else positions.push(i);
    }
    if (unknown.length > 0) {
      const shown = unknown.slice(0, 10).map(pythonRepr).join(', ') + (unknown.length > 10 ? `, … (${unknown.length} in all)` : '');
      throw new PartitionsError(`Partition keys not in ${definition.describe()}: [${shown}]`);
    }
    positions.sort((a, b) => a - b);
    const ranges: [number, number][] = [];
    for (const p of positions) {
      const last = ranges[ranges.length - 1];
      if (last && p <= last[1]) last[1] = Math.max(last[1], p + 1);
      else ranges.push([p, p + 1]);
    }
    return new PartitionsSubset(definition, now, index, ranges);
  }

  /** Inclusive key ranges; a multi-partitions range is a rectangle. Missing endpoints fail; reversed ones add nothing. */
  static fromKeyRanges(definition: PartitionsDefinition, keyRanges: Iterable<PartitionKeyRange>, now: Date): PartitionsSubset {
    const index = partitionKeyIndex(definition, now);
    const ranges: [number, number][] = [];
    for (const r of keyRanges) {
      if (definition instanceof MultiPartitionsDefinition) {
        ranges.push(...definition.indexRangesOfKeyRange(r, now));
        continue;
      }
      const a = index.indexOf(r.start);
      const b = index.indexOf(r.end);
      const missing = [...new Set([a < 0 ? r.start : null, b < 0 ? r.end : null])].filter((k): k is string => k !== null);
      if (missing.length > 0) {
        throw new PartitionsError(`Partition range ${r.start} to ${r.end} is not a valid range. Nonexistent partition keys: [${missing.map(pythonRepr).join(', ')}]`);
      }
      if (a <= b) ranges.push([a, b + 1]);
    }
    return new PartitionsSubset(definition, now, index, normalize(ranges, index.count));
  }

  /** Ranges are clipped to the keys that exist, sorted and merged. */
  static fromIndexRanges(definition: PartitionsDefinition, ranges: Iterable<IndexRange>, now: Date): PartitionsSubset {
    const index = partitionKeyIndex(definition, now);
    return new PartitionsSubset(definition, now, index, normalize([...ranges], index.count));
  }

  /** Number of keys, from the ranges alone. */
  get count(): number {
    let n = 0;
    for (const [s, e] of this.ranges) n += e - s;
    return n;
  }

  get isEmpty(): boolean {
    return this.ranges.length === 0;
  }

  /** Number of keys of the definition at `now` (the size of the index space). */
  get totalCount(): number {
    return this.index.count;
  }

  contains(key: string): boolean {
    const i = this.index.indexOf(key);
    if (i < 0) return false;
    let lo = 0;
    let hi = this.ranges.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const [s, e] = this.ranges[mid]!;
      if (i < s) hi = mid - 1;
      else if (i >= e) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** The keys in definition order. */
  keys(): string[] {
    const out: string[] = [];
    for (const [s, e] of this.ranges) for (let i = s; i < e; i++) out.push(this.index.keyAt(i));
    return out;
  }

  indexRanges(): IndexRange[] {
    return this.ranges.map(([s, e]) => [s, e] as const);
  }

  /** One inclusive range per contiguous run; for multi-partitions, per run within one row, so each is a valid rectangle. */
  keyRanges(): PartitionKeyRange[] {
    const row = this.definition instanceof MultiPartitionsDefinition ? this.definition.rowLength(this.now) : 0;
    const out: PartitionKeyRange[] = [];
    for (const [s, e] of this.ranges) {
      let from = s;
      while (from < e) {
        const to = row > 0 ? Math.min(e, (Math.floor(from / row) + 1) * row) : e;
        out.push(new PartitionKeyRange(this.index.keyAt(from), this.index.keyAt(to - 1)));
        from = to;
      }
    }
    return out;
  }

  union(other: PartitionsSubset): PartitionsSubset {
    this.checkCompatible(other);
    return this.with(normalize([...this.ranges, ...other.ranges], this.index.count));
  }

  intersection(other: PartitionsSubset): PartitionsSubset {
    this.checkCompatible(other);
    const out: [number, number][] = [];
    let i = 0;
    let j = 0;
    while (i < this.ranges.length && j < other.ranges.length) {
      const [as, ae] = this.ranges[i]!;
      const [bs, be] = other.ranges[j]!;
      const s = Math.max(as, bs);
      const e = Math.min(ae, be);
      if (s < e) out.push([s, e]);
      if (ae <= be) i++;
      else j++;
    }
    return this.with(out);
  }

  difference(other: PartitionsSubset): PartitionsSubset {
    this.checkCompatible(other);
    return this.intersection(other.complement());
  }

  /** The keys of the definition not in this subset (Dagster's get_partition_keys_not_in_subset), as a subset. */
  complement(): PartitionsSubset {
    const out: [number, number][] = [];
    let from = 0;
    for (const [s, e] of this.ranges) {
      if (s > from) out.push([from, s]);
      from = e;
    }
    if (from < this.index.count) out.push([from, this.index.count]);
    return this.with(out);
  }

  keysNotInSubset(): string[] {
    return this.complement().keys();
  }

  equals(other: PartitionsSubset): boolean {
    return sameKeySpace(this, other) && this.ranges.length === other.ranges.length &&
      this.ranges.every(([s, e], i) => s === other.ranges[i]![0] && e === other.ranges[i]![1]);
  }

  private with(ranges: readonly IndexRange[]): PartitionsSubset {
    return new PartitionsSubset(this.definition, this.now, this.index, ranges);
  }

  private checkCompatible(other: PartitionsSubset): void {
    if (!sameKeySpace(this, other)) {
      throw new PartitionsError(
        `Cannot combine subsets of different partitions: ${this.definition.describe()} with ${this.index.count} keys and ${other.definition.describe()} with ${other.index.count} keys.`);
    }
  }
}

function sameKeySpace(a: PartitionsSubset, b: PartitionsSubset): boolean {
  if (a.totalCount !== b.totalCount) return false;
  return a.definition === b.definition || JSON.stringify(a.definition.toJSON()) === JSON.stringify(b.definition.toJSON());
}

/** Clips to [0, count), drops empty ranges, sorts, and merges overlapping or adjacent ones. */
function normalize(ranges: IndexRange[], count: number): IndexRange[] {
  const clipped = ranges
    .map(([s, e]) => [Math.max(0, Math.ceil(s)), Math.min(count, Math.floor(e))] as [number, number])
    .filter(([s, e]) => s < e)
    .sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [s, e] of clipped) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}
