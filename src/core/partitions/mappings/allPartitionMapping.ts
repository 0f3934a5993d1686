// AllPartitionMapping: every downstream partition depends on every upstream partition.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';

export class AllPartitionMapping implements PartitionMapping {
  readonly kind = 'AllPartitionMapping' as const;
  readonly description = 'Each downstream partition depends on all partitions of the upstream asset.';

  toString(): string {
    return 'AllPartitionMapping()';
  }

  validate(): void {
    // Any two definitions (or an unpartitioned downstream) can be related by All.
  }

  upstreamPartitions(_downstreamKeys: readonly string[] | null, _downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    return { keys: upstream.keys(now), requiredButNonexistent: [] };
  }

  downstreamPartitions(upstreamKeys: readonly string[], _upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    return upstreamKeys.length === 0 ? [] : downstream.keys(now);
  }
}
