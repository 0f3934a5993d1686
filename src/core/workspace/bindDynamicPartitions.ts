// bindDynamicPartitions: a discovered snapshot whose dynamic partitions definitions read their keys from a store.
import type { DefinitionsSnapshot } from '../definitions/definition';
import type { DynamicPartitionsStore } from '../partitions/dynamicPartitionsDefinition';
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import { withDynamicPartitionsStore } from '../partitions/withDynamicPartitionsStore';

export function bindDynamicPartitions(s: DefinitionsSnapshot, store: DynamicPartitionsStore): DefinitionsSnapshot {
  const bind = <T extends { partitions: PartitionsDefinition | null }>(d: T): T => (d.partitions ? { ...d, partitions: withDynamicPartitionsStore(d.partitions, store) } : d);
  return { ...s, assets: s.assets.map(bind), jobs: s.jobs.map(bind), commandTargets: s.commandTargets.map(bind) };
}
