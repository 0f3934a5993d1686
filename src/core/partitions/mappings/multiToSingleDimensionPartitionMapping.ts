// MultiToSingleDimensionPartitionMapping: a single-dimension key relates to every multi key holding it in one dimension.
import type { PartitionsDefinition } from '../partitionsDefinition';
import { MultiPartitionsDefinition } from '../multiPartitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { PartitionMappingError, partitionsDefinitionsEqual } from './partitionMapping';
import type { DimensionDependency } from './dimensionDependencies';
import { mapThroughDimensions } from './dimensionDependencies';
import { IdentityPartitionMapping } from './identityPartitionMapping';
import { TimeWindowPartitionMapping } from './timeWindowPartitionMapping';

/** Dagster's get_infer_single_to_multi_dimension_deps_result: the dimension relation, or why there is none. */
export function inferSingleToMultiDimensionDependency(
  upstream: PartitionsDefinition, downstream: PartitionsDefinition, partitionDimensionName: string | null = null,
): { dependency: DimensionDependency } | { failure: string } {
  const multis = [upstream, downstream].filter((d): d is MultiPartitionsDefinition => d instanceof MultiPartitionsDefinition);
  if (multis.length !== 1) {
    return {
      failure: 'Can only use MultiToSingleDimensionPartitionMapping when upstream asset is multipartitioned and the downstream asset is single dimensional, or vice versa.' +
        ` Instead received ${multis.length} multi-partitioned assets.`,
    };
  }
  const multi = multis[0]!;
  const single = multi === upstream ? downstream : upstream;
  const upstreamIsMulti = multi === upstream;
  const dims = partitionDimensionName === null ? multi.dimensions : multi.dimensions.filter((d) => d.name === partitionDimensionName);
  if (partitionDimensionName !== null && dims.length !== 1) {
    return { failure: `Provided partition dimension name ${partitionDimensionName} not found in multipartitions definition ${multi.describe()}.` };
  }
  const relation = (name: string, partitionMapping: PartitionMapping): { dependency: DimensionDependency } => ({
    dependency: { partitionMapping, upstreamDimensionName: upstreamIsMulti ? name : null, downstreamDimensionName: upstreamIsMulti ? null : name },
  });
  const matching = dims.filter((d) => partitionsDefinitionsEqual(d.partitions, single));
  if (matching.length === 1) return relation(matching[0]!.name, new IdentityPartitionMapping());
  if (matching.length > 1) {
    return { failure: 'partition dimension name must be specified when multiple dimensions of the MultiPartitionsDefinition match the single dimension partitions def' };
  }
  const time = dims.filter((d) => d.partitions.kind === 'time_window');
  if (time.length === 1 && single.kind === 'time_window') return relation(time[0]!.name, new TimeWindowPartitionMapping());
  return {
    failure: 'MultiToSingleDimensionPartitionMapping can only be used when: \n(a) The single dimensional partitions definition is a dimension of the MultiPartitionsDefinition.' +
      '\n(b) The single dimensional partitions definition is a TimeWindowPartitionsDefinition and the MultiPartitionsDefinition has a single time dimension.',
  };
}

export class MultiToSingleDimensionPartitionMapping implements PartitionMapping {
  readonly kind = 'MultiToSingleDimensionPartitionMapping' as const;
  readonly description =
    'Assumes that the single-dimension partitions definition is a dimension of the multi-partitions definition. ' +
    'For a single-dimension partition key X, any multi-partition key with X in the matching dimension is a dependency.';

  constructor(readonly partitionDimensionName: string | null = null) {}

  toString(): string {
    return `MultiToSingleDimensionPartitionMapping(${this.partitionDimensionName === null ? '' : `partition_dimension_name='${this.partitionDimensionName}'`})`;
  }

  private dependency(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): DimensionDependency {
    if (downstream === null) throw new PartitionMappingError('downstream_partitions_def must be provided for MultiToSingleDimensionPartitionMapping');
    const inferred = inferSingleToMultiDimensionDependency(upstream, downstream, this.partitionDimensionName);
    if ('failure' in inferred) throw new PartitionMappingError(inferred.failure);
    return inferred.dependency;
  }

  validate(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): void {
    this.dependency(upstream, downstream);
  }

  upstreamPartitions(downstreamKeys: readonly string[] | null, downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date): UpstreamPartitionsResult {
    if (downstreamKeys === null || downstream === null) throw new PartitionMappingError('downstream asset is not partitioned');
    return mapThroughDimensions([this.dependency(upstream, downstream)], downstream, downstreamKeys, upstream, false, now);
  }

  downstreamPartitions(upstreamKeys: readonly string[], upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    return mapThroughDimensions([this.dependency(upstream, downstream)], upstream, upstreamKeys, downstream, true, now).keys;
  }
}
