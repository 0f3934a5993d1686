// MultiPartitionMapping: relates two multi-partitioned definitions dimension by dimension (DimensionPartitionMapping).
import type { PartitionsDefinition } from '../partitionsDefinition';
import { MultiPartitionsDefinition } from '../multiPartitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { PartitionMappingError } from './partitionMapping';
import type { DimensionDependency } from './dimensionDependencies';
import { mapThroughDimensions } from './dimensionDependencies';

/** The downstream dimension an upstream dimension maps to, and the mapping used between the two. */
export interface DimensionPartitionMapping {
  dimensionName: string;
  partitionMapping: PartitionMapping;
}

export class MultiPartitionMapping implements PartitionMapping {
  readonly kind = 'MultiPartitionMapping' as const;

  constructor(readonly downstreamMappingsByUpstreamDimension: ReadonlyMap<string, DimensionPartitionMapping>) {}

  get description(): string {
    return [...this.downstreamMappingsByUpstreamDimension].map(([up, m]) =>
      `Upstream dimension '${up}' mapped to downstream dimension '${m.dimensionName}' using ${m.partitionMapping.kind}.`).join('\n ');
  }

  toString(): string {
    const entries = [...this.downstreamMappingsByUpstreamDimension].map(([up, m]) =>
      `'${up}': DimensionPartitionMapping(dimension_name='${m.dimensionName}', partition_mapping=${m.partitionMapping.toString()})`);
    return `MultiPartitionMapping({${entries.join(', ')}})`;
  }

  /** Dagster's _check_all_dimensions_accounted_for, then the relations it implies. */
  private dependencies(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): DimensionDependency[] {
    if (!(upstream instanceof MultiPartitionsDefinition) || !(downstream instanceof MultiPartitionsDefinition)) {
      throw new PartitionMappingError('Both partitions defs provided to a MultiPartitionMapping must be multi-partitioned');
    }
    const upstreamNames = new Set(upstream.dimensionNames);
    const downstreamNames = new Set(downstream.dimensionNames);
    for (const [up, m] of this.downstreamMappingsByUpstreamDimension) {
      if (!upstreamNames.has(up)) {
        throw new PartitionMappingError(`Dimension mapping has an upstream dimension name that is not in the upstream partitions def ('${up}' is not one of ${upstream.dimensionNames.join(', ')})`);
      }
      if (!downstreamNames.has(m.dimensionName)) {
        throw new PartitionMappingError(
          `Dimension mapping has a downstream dimension name that is not in the downstream partitions def ('${m.dimensionName}' is not one of ${downstream.dimensionNames.join(', ')})`);
      }
      upstreamNames.delete(up);
      downstreamNames.delete(m.dimensionName);
    }
    return [...this.downstreamMappingsByUpstreamDimension].map(([up, m]) => ({
      partitionMapping: m.partitionMapping, upstreamDimensionName: up, downstreamDimensionName: m.dimensionName,
    }));
  }

  validate(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): void {
    this.dependencies(upstream, downstream);
  }

  upstreamPartitions(downstreamKeys: readonly string[] | null, downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    if (downstreamKeys === null || downstream === null) throw new PartitionMappingError('downstream asset is not partitioned');
    return mapThroughDimensions(this.dependencies(upstream, downstream), downstream, downstreamKeys, upstream, false, now);
  }

  downstreamPartitions(upstreamKeys: readonly string[], upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    return mapThroughDimensions(this.dependencies(upstream, downstream), upstream, upstreamKeys, downstream, true, now).keys;
  }
}
