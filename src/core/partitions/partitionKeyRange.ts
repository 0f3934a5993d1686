// PartitionKeyRange: an inclusive pair of partition keys, the keys it spans and its time window.
import type { PartitionKeyIndex, PartitionsDefinition, TimeWindowJson } from './partitionsDefinition';
import { PartitionsError } from './partitionsDefinition';
import { partitionKeyIndex } from './partitionKeyIndex';
import { pythonRepr } from './staticPartitionsDefinition';
import type { TimeWindow, TimeWindowPartitionsDefinition } from './timeWindowPartitionsDefinition';

/** Both ends are inclusive, as in Dagster; a single key is the range (key, key). */
export class PartitionKeyRange {
  constructor(readonly start: string, readonly end: string) {}

  /** Dagster's UI syntax "start...end" ("..." may not appear inside a key, so it is unambiguous). */
  toString(): string {
    return `${this.start}...${this.end}`;
  }

  equals(other: PartitionKeyRange): boolean {
    return this.start === other.start && this.end === other.end;
  }

  toJSON(): { start: string; end: string } {
    return { start: this.start, end: this.end };
  }
}

/** Parses "A...B" (or a single key "A" as A...A); throws PartitionsError naming the text otherwise. */
export function parsePartitionKeyRange(text: string): PartitionKeyRange {
  const parts = text.split('...');
  if (parts.length === 1 && text !== '') return new PartitionKeyRange(text, text);
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') {
    throw new PartitionsError(`Invalid partition key range '${text}': expected START...END, e.g. 2024-01-01...2024-01-31.`);
  }
  return new PartitionKeyRange(parts[0]!, parts[1]!);
}

/**
 * Keys of `range` in `definition` at `now`. Static and dynamic definitions follow Dagster's generic rule
 * (both ends must exist; start after end gives no keys); time windows and multi-partitions have their own.
 */
export function keysInPartitionKeyRange(definition: PartitionsDefinition, range: PartitionKeyRange, now: Date): string[] {
  if (definition.kind === 'static' || definition.kind === 'dynamic') {
    return keysInRangeOfIndex(partitionKeyIndex(definition, now), range.start, range.end);
  }
  return definition.keysInRange(range.start, range.end, now);
}

/** Dagster's generic get_partition_keys_in_range over an index: an inclusive slice, empty when start comes after end. */
export function keysInRangeOfIndex(index: PartitionKeyIndex, start: string, end: string): string[] {
  const a = index.indexOf(start);
  const b = index.indexOf(end);
  const missing = [...new Set([a < 0 ? start : null, b < 0 ? end : null])].filter((k): k is string => k !== null);
  if (missing.length > 0) {
    throw new PartitionsError(`Partition range ${start} to ${end} is not a valid range. Nonexistent partition keys: [${missing.map(pythonRepr).join(', ')}]`);
  }
  if (a === b) return [start];
  const out: string[] = [];
  for (let i = a; i <= b; i++) out.push(index.keyAt(i));
  return out;
}

/** From the start of the first key's window to the end of the last key's; null for definitions without time. */
export function timeWindowOfPartitionKeyRange(definition: PartitionsDefinition, range: PartitionKeyRange): TimeWindowJson | null {
  const first = definition.timeWindow(range.start);
  const last = definition.timeWindow(range.end);
  if (first === null || last === null) return null;
  return { start: first.start, end: last.end };
}

/** Dagster's get_partition_key_range_for_time_window: the key at the window's start to the key of the window ending at its end. */
export function partitionKeyRangeForTimeWindow(definition: TimeWindowPartitionsDefinition, window: TimeWindow): PartitionKeyRange {
  if (!(window.end > window.start)) {
    throw new PartitionsError(`Time window [${new Date(window.start).toISOString()}, ${new Date(window.end).toISOString()}) is empty.`);
  }
  return new PartitionKeyRange(definition.keyForTimestamp(window.start), definition.keyForTimestamp(window.end - 1));
}
