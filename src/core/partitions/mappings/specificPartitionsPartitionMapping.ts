// SpecificPartitionsPartitionMapping: every downstream partition depends on the same listed upstream keys.
import type { PartitionsDefinition } from '../partitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { pythonKeyList } from './partitionMapping';

export class SpecificPartitionsPartitionMapping implements PartitionMapping {
  readonly kind = 'SpecificPartitionsPartitionMapping' as const;
  readonly partitionKeys: readonly string[];

  constructor(partitionKeys: readonly string[]) {
    this.partitionKeys = [...partitionKeys];
  }

  get description(): string {
    return `Each downstream partition depends on the following upstream partitions: ${pythonKeyList(this.partitionKeys)}`;
  }

  toString(): string {
    return `SpecificPartitionsPartitionMapping(${pythonKeyList(this.partitionKeys)})`;
  }

  validate(): void {
    // Dagster does not check the listed keys against the upstream definition.
  }

  upstreamPartitions(_downstreamKeys: readonly string[] | null, _downstream: PartitionsDefinition | null, _upstream: PartitionsDefinition, _now: Date): UpstreamPartitionsResult {
    return { keys: [...new Set(this.partitionKeys)], requiredButNonexistent: [] };
  }

  downstreamPartitions(upstreamKeys: readonly string[], _upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[] {
    const given = new Set(upstreamKeys);
    return this.partitionKeys.some((k) => given.has(k)) ? downstream.keys(now) : [];
  }
}
