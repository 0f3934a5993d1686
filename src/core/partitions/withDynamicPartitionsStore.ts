// withDynamicPartitionsStore: binds the dynamic parts of any partitions definition to the store holding their keys.
import type { PartitionsDefinition } from './partitionsDefinition';
import { DynamicPartitionsDefinition } from './dynamicPartitionsDefinition';
import type { DynamicPartitionsStore } from './dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from './multiPartitionsDefinition';

/** Discovery builds definitions without a store; whoever opens the store binds them here before asking for keys. */
export function withDynamicPartitionsStore(definition: PartitionsDefinition, store: DynamicPartitionsStore): PartitionsDefinition {
  if (definition instanceof DynamicPartitionsDefinition) return definition.withStore(store);
  if (definition instanceof MultiPartitionsDefinition) return definition.withDynamicPartitionsStore(store);
  return definition;
}
