// Dagster's infer_partition_mapping: the mapping a dependency gets when its source names none.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { PartitionMapping } from './partitionMapping';
import { AllPartitionMapping } from './allPartitionMapping';
import { IdentityPartitionMapping } from './identityPartitionMapping';
import { MultiToSingleDimensionPartitionMapping, inferSingleToMultiDimensionDependency } from './multiToSingleDimensionPartitionMapping';
import { TimeWindowPartitionMapping } from './timeWindowPartitionMapping';

/** `explicit` when given; else by the partitions of both sides (null = unpartitioned). */
export function inferPartitionMapping(
  explicit: PartitionMapping | null, downstream: PartitionsDefinition | null, upstream: PartitionsDefinition | null,
): PartitionMapping {
  if (explicit !== null) return explicit;
  if (upstream === null || downstream === null) return new AllPartitionMapping();
  if ('dependency' in inferSingleToMultiDimensionDependency(upstream, downstream)) return new MultiToSingleDimensionPartitionMapping();
  if (upstream.kind === 'time_window' && downstream.kind === 'time_window') return new TimeWindowPartitionMapping();
  return new IdentityPartitionMapping();
}
