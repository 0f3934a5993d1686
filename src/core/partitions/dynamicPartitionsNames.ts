// dynamicPartitionsNames: the dynamic partitions definitions a partitions definition reads its keys from.
import type { PartitionsDefinition, PartitionsJson } from './partitionsDefinition';

/** Its own name for a dynamic definition, the dynamic dimensions' for a multi one, none otherwise. */
export function dynamicPartitionsNames(partitions: PartitionsDefinition | null): string[] {
  const walk = (j: PartitionsJson): string[] => (j.kind === 'dynamic' ? [j.name] : j.kind === 'multi' ? j.dimensions.flatMap((d) => walk(d.partitions)) : []);
  return partitions ? walk(partitions.toJSON()) : [];
}
