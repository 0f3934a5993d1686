// Maps given partition keys (or "A...B" ranges) through a mapping in either direction: what the CLI and views ask.
import type { PartitionsDefinition } from '../partitionsDefinition';
import { PartitionsError } from '../partitionsDefinition';
import { TimeWindowPartitionsDefinition } from '../timeWindowPartitionsDefinition';
import type { PartitionMapping } from './partitionMapping';
import { inferPartitionMapping } from './inferPartitionMapping';
import { keysInSpan } from './timeWindowSpans';

/** "upstream": the given keys are downstream keys and the answer lists their upstream keys; "downstream": the reverse. */
export type MappingDirection = 'upstream' | 'downstream';

export interface MapPartitionKeysRequest {
  upstream: PartitionsDefinition;
  downstream: PartitionsDefinition;
  /** null: the default mapping for these two definitions (Dagster's infer_partition_mapping). */
  mapping: PartitionMapping | null;
  /** Keys of the side mapped from; an item "A...B" is the inclusive range, mapped as one subset. */
  keys: readonly string[];
  direction: MappingDirection;
  now: Date;
}

export interface MappedPartitionKeys {
  mapping: PartitionMapping;
  /** For each given item, in the given order, the keys it maps to. */
  keysByItem: Map<string, string[]>;
  /** Upstream direction only: for items that need them, upstream keys that are required but do not exist at `now`. */
  nonexistentByItem: Map<string, string[]>;
}

export const PARTITION_KEY_RANGE_DELIMITER = '...';

/** Validates the mapping against both definitions, then maps each item on its own. */
export function mapPartitionKeys(request: MapPartitionKeysRequest): MappedPartitionKeys {
  const { upstream, downstream, direction, now } = request;
  const mapping = inferPartitionMapping(request.mapping, downstream, upstream);
  mapping.validate(upstream, downstream);
  const from = direction === 'upstream' ? downstream : upstream;
  const keysByItem = new Map<string, string[]>();
  const nonexistentByItem = new Map<string, string[]>();
  for (const item of request.keys) {
    const keys = keysOfItem(from, item, now, direction === 'upstream' ? 'downstream' : 'upstream');
    if (direction === 'downstream') {
      keysByItem.set(item, mapping.downstreamPartitions(keys, upstream, downstream, now));
      continue;
    }
    const result = mapping.upstreamPartitions(keys, downstream, upstream, now);
    keysByItem.set(item, result.keys);
    if (result.requiredButNonexistent.length > 0) nonexistentByItem.set(item, result.requiredButNonexistent);
  }
  return { mapping, keysByItem, nonexistentByItem };
}

/** The keys an item names; time-window keys must be canonical but may lie outside what exists at `now`. */
export function keysOfItem(definition: PartitionsDefinition, item: string, now: Date, side: string): string[] {
  const parts = item.split(PARTITION_KEY_RANGE_DELIMITER);
  if (parts.length > 2) throw new PartitionsError(`'${item}' is neither a partition key nor a range A...B`);
  if (parts.length === 2) {
    const [start, end] = [parts[0]!, parts[1]!];
    if (!(definition instanceof TimeWindowPartitionsDefinition)) return definition.keysInRange(start, end, now);
    const [a, b] = [canonicalWindow(definition, start, side), canonicalWindow(definition, end, side)];
    if (b.start < a.start) throw new PartitionsError(`Partition key range end ${end} is before its start ${start}.`);
    return keysInSpan(definition, a.start, b.end);
  }
  if (definition instanceof TimeWindowPartitionsDefinition) canonicalWindow(definition, item, side);
  else if (!definition.hasKey(item, now)) throw new PartitionsError(`Partition key '${item}' is not a partition of the ${side} definition (${definition.describe()}).`);
  return [item];
}

function canonicalWindow(definition: TimeWindowPartitionsDefinition, key: string, side: string) {
  const w = definition.windowOfKey(key);
  const canonical = definition.keyForTimestamp(w.start);
  if (canonical !== key) {
    throw new PartitionsError(`Partition key '${key}' is not a partition of the ${side} definition (${definition.describe()}); the window it falls in is keyed '${canonical}'.`);
  }
  return w;
}
