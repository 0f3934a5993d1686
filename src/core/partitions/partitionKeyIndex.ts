// partitionKeyIndex: index <-> key over one definition's keys at one `now`, without listing keys where avoidable.
import type { PartitionKeyIndex, PartitionsDefinition } from './partitionsDefinition';
import { PartitionsError } from './partitionsDefinition';

/**
 * Prefers the definition's own index (multi, dynamic), then its keyAtIndex/indexOfKey (time windows answer
 * those arithmetically, static from its map), and only lists the keys, once, for anything else.
 */
export function partitionKeyIndex(definition: PartitionsDefinition, now: Date): PartitionKeyIndex {
  if (definition.keyIndex) return definition.keyIndex(now);
  const { keyAtIndex, indexOfKey } = definition;
  if (keyAtIndex && indexOfKey) {
    const count = definition.count(now);
    return {
      count,
      keyAt(index) {
        const key = keyAtIndex.call(definition, index, now);
        if (key === null) throw outOfRange(index, count, definition);
        return key;
      },
      indexOf: (key) => indexOfKey.call(definition, key, now),
    };
  }
  return partitionKeyIndexOfList(definition.keys(now), definition.describe());
}

/** An index over an explicit key list (first occurrence wins, as keys are unique in every definition). */
export function partitionKeyIndexOfList(keys: readonly string[], description: string): PartitionKeyIndex {
  const positions = new Map<string, number>();
  keys.forEach((k, i) => {
    if (!positions.has(k)) positions.set(k, i);
  });
  return {
    count: keys.length,
    keyAt(index) {
      if (!Number.isInteger(index) || index < 0 || index >= keys.length) throw outOfRange(index, keys.length, description);
      return keys[index]!;
    },
    indexOf: (key) => positions.get(key) ?? -1,
  };
}

function outOfRange(index: number, count: number, definition: PartitionsDefinition | string): PartitionsError {
  const what = typeof definition === 'string' ? definition : definition.describe();
  return new PartitionsError(`Partition index ${index} is out of range: ${what} has ${count} partitions.`);
}
