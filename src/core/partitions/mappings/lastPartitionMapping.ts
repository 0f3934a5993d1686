// LastPartitionMapping: every downstream partition depends on the last upstream partition that exists at `now`.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';

/** The last key at `now` without listing keys where the definition can answer by index. */
export function lastPartitionKey(definition: PartitionsDefinition, now: Date): string | null {
  const count = definition.count(now);
  if (count === 0) return null;
  if (definition.keyAtIndex) return definition.keyAtIndex(count - 1, now);
  const keys = definition.keys(now);
  return keys[keys.length - 1] ?? null;
}

export class LastPartitionMapping implements PartitionMapping {
  readonly kind = 'LastPartitionMapping' as const;
  readonly description = 'Each downstream partition depends on the last partition of the upstream asset.';

  toString(): string {
    return 'LastPartitionMapping()';
  }

  validate(): void {
    // Any upstream definition has a last partition (or none yet).
  }

  upstreamPartitions(_downstreamKeys: readonly string[] | null, _downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    const last = lastPartitionKey(upstream, now);
    return { keys: last === null ? [] : [last], requiredButNonexistent: [] };
  }

  downstreamPartitions(upstreamKeys: readonly string[], upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    const last = lastPartitionKey(upstream, now);
    return last !== null && upstreamKeys.includes(last) ? downstream.keys(now) : [];
  }
}
