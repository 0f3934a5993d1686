// partitionsDefinitionFromJSON: rebuilds any kind of partitions definition from its toJSON() form.
import type { PartitionsDefinition, PartitionsJson } from './partitionsDefinition';
import { PartitionsError } from './partitionsDefinition';
import { DynamicPartitionsDefinition } from './dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from './multiPartitionsDefinition';
import { StaticPartitionsDefinition } from './staticPartitionsDefinition';
import { TimeWindowPartitionsDefinition } from './timeWindowPartitionsDefinition';

/**
 * The inverse of `toJSON()`: an equal definition (same keys, windows and JSON). Definitions cross threads and
 * processes as JSON because their instances hold timelines and formatters a structured clone would not keep.
 * Dynamic definitions come back without a store: whoever holds the keys binds them (withDynamicPartitionsStore).
 */
export function partitionsDefinitionFromJSON(json: PartitionsJson): PartitionsDefinition {
  switch (json.kind) {
    case 'time_window':
      return TimeWindowPartitionsDefinition.fromJSON(json);
    case 'static':
      return new StaticPartitionsDefinition(json.keys);
    case 'dynamic':
      return new DynamicPartitionsDefinition(json.name);
    case 'multi':
      return new MultiPartitionsDefinition(Object.fromEntries(json.dimensions.map((d) => [d.name, partitionsDefinitionFromJSON(d.partitions)])));
    default:
      throw new PartitionsError(`Unknown partitions kind in JSON: ${JSON.stringify((json as { kind?: unknown }).kind)}`);
  }
}
