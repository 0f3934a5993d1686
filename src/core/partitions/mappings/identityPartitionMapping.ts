// IdentityPartitionMapping: each downstream partition depends on the upstream partition with the same key.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { PartitionMappingError, inDefinitionOrder, partitionsClassName, partitionsDefinitionsEqual } from './partitionMapping';

export class IdentityPartitionMapping implements PartitionMapping {
  readonly kind = 'IdentityPartitionMapping' as const;
  readonly description =
    'Assumes upstream and downstream assets share the same partitions definition. ' +
    'Maps each partition in the downstream asset to the same partition in the upstream asset.';

  toString(): string {
    return 'IdentityPartitionMapping()';
  }

  validate(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): void {
    if (downstream === null || upstream.kind !== downstream.kind) {
      throw new PartitionMappingError(
        'Upstream and downstream partitions definitions must match, or a different partition mapping must be provided. ' +
          `Got upstream definition ${partitionsClassName(upstream)} and downstream definition ${partitionsClassName(downstream)}`);
    }
  }

  upstreamPartitions(downstreamKeys: readonly string[] | null, downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    if (downstreamKeys === null) throw new PartitionMappingError('downstream asset is not partitioned');
    if (partitionsDefinitionsEqual(downstream, upstream)) return { keys: [...new Set(downstreamKeys)], requiredButNonexistent: [] };
    // Keys are compared as strings, so keys of different definitions only match when they are spelled alike.
    const present = downstreamKeys.filter((k) => upstream.hasKey(k, now));
    const missing = downstreamKeys.filter((k) => !upstream.hasKey(k, now));
    return { keys: inDefinitionOrder(upstream, present, now), requiredButNonexistent: [...new Set(missing)] };
  }

  downstreamPartitions(upstreamKeys: readonly string[], upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    if (partitionsDefinitionsEqual(upstream, downstream)) return [...new Set(upstreamKeys)];
    return inDefinitionOrder(downstream, upstreamKeys.filter((k) => downstream.hasKey(k, now)), now);
  }
}
