// Dagster's BaseMultiPartitionMapping: mapping multi-partition keys dimension by dimension, All for unmapped dimensions.
import type { PartitionsDefinition } from '../partitionsDefinition';
import { MultiPartitionsDefinition } from '../multiPartitionsDefinition';
import type { PartitionMapping, UpstreamPartitionsResult } from './partitionMapping';
import { PartitionMappingError, inDefinitionOrder } from './partitionMapping';

/** One dimension relation: a null dimension name stands for a single-dimension (not multi) definition. */
export interface DimensionDependency {
  partitionMapping: PartitionMapping;
  upstreamDimensionName: string | null;
  downstreamDimensionName: string | null;
}

function dimensionDefinition(definition: PartitionsDefinition, dimensionName: string | null): PartitionsDefinition {
  if (!(definition instanceof MultiPartitionsDefinition)) return definition;
  if (dimensionName === null) throw new PartitionMappingError('Expected dimension_name to be a string');
  return definition.dimension(dimensionName);
}

function keysByDimension(definition: PartitionsDefinition, key: string): Map<string | null, string> {
  if (!(definition instanceof MultiPartitionsDefinition)) return new Map([[null, key]]);
  return new Map(Object.entries(definition.keysByDimension(key)));
}

/**
 * Keys of `b` that keys of `a` depend on (a downstream of b) or that depend on them (a upstream of b): each
 * mapped dimension value is mapped on its own, unmapped dimensions of `b` contribute all their keys, and the
 * results are combined by product.
 */
export function mapThroughDimensions(
  dependencies: readonly DimensionDependency[], a: PartitionsDefinition, aKeys: readonly string[], b: PartitionsDefinition,
  aUpstreamOfB: boolean, now: Date,
): UpstreamPartitionsResult {
  const bDimensions: (string | null)[] = b instanceof MultiPartitionsDefinition ? b.dimensionNames : [null];
  const toB = new Map<string | null, { bDimension: string | null; mapping: PartitionMapping }>();
  for (const d of dependencies) {
    const [aDim, bDim] = aUpstreamOfB ? [d.upstreamDimensionName, d.downstreamDimensionName] : [d.downstreamDimensionName, d.upstreamDimensionName];
    toB.set(aDim, { bDimension: bDim, mapping: d.partitionMapping });
  }
  const nonexistent = new Set<string>();
  const mappedValue = new Map<string | null, Map<string, string[]>>();
  const memo = (aDim: string | null, value: string): string[] => {
    let byValue = mappedValue.get(aDim);
    if (!byValue) mappedValue.set(aDim, (byValue = new Map()));
    const known = byValue.get(value);
    if (known) return known;
    const { bDimension, mapping } = toB.get(aDim)!;
    const [aDef, bDef] = [dimensionDefinition(a, aDim), dimensionDefinition(b, bDimension)];
    let keys: string[];
    if (aUpstreamOfB) keys = mapping.downstreamPartitions([value], aDef, bDef, now);
    else {
      const result = mapping.upstreamPartitions([value], aDef, bDef, now);
      keys = result.keys;
      for (const k of result.requiredButNonexistent) nonexistent.add(k);
    }
    byValue.set(value, keys);
    return keys;
  };

  const mappedA = [...toB.keys()];
  const mappedB = mappedA.map((aDim) => toB.get(aDim)!.bDimension);
  const unmappedB = bDimensions.filter((d) => !mappedB.includes(d));
  const unmappedKeys = unmappedB.map((d) => dimensionDefinition(b, d).keys(now));
  const names = [...mappedB, ...unmappedB];
  const out: string[] = [];
  for (const key of aKeys) {
    const values = keysByDimension(a, key);
    const lists = [...mappedA.map((aDim) => memo(aDim, values.get(aDim) ?? missingDimension(aDim, key))), ...unmappedKeys];
    for (const combination of product(lists)) {
      if (combination.length === 1) out.push(combination[0]!);
      else out.push((b as MultiPartitionsDefinition).keyFromDimensions(Object.fromEntries(combination.map((v, i) => [names[i]!, v]))));
    }
  }
  return { keys: inDefinitionOrder(b, out, now), requiredButNonexistent: [...nonexistent] };
}

function missingDimension(dimension: string | null, key: string): never {
  throw new PartitionMappingError(`Partition key '${key}' has no value for dimension ${dimension ?? '(single)'}`);
}

function product(lists: readonly (readonly string[])[]): string[][] {
  let out: string[][] = [[]];
  for (const list of lists) out = out.flatMap((prefix) => list.map((v) => [...prefix, v]));
  return out;
}
