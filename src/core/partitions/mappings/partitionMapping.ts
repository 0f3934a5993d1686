// The PartitionMapping contract (Dagster's partition_mapping.py) and what every mapping shares.
import type { PartitionsDefinition } from '../partitionsDefinition';
import { PartitionsError } from '../partitionsDefinition';

/** Upstream keys a set of downstream keys depends on; `requiredButNonexistent` are wanted but do not exist at `now`. */
export interface UpstreamPartitionsResult {
  keys: string[];
  requiredButNonexistent: string[];
}

/** Dagster's class names of the built-in mappings. */
export type PartitionMappingKind =
  | 'IdentityPartitionMapping'
  | 'TimeWindowPartitionMapping'
  | 'AllPartitionMapping'
  | 'LastPartitionMapping'
  | 'StaticPartitionMapping'
  | 'SpecificPartitionsPartitionMapping'
  | 'MultiToSingleDimensionPartitionMapping'
  | 'MultiPartitionMapping';

/**
 * Both questions a mapping answers, on key lists. A null downstream definition (and null downstream keys)
 * stands for an unpartitioned downstream asset. `now` decides which time-window partitions exist.
 */
export interface PartitionMapping {
  readonly kind: PartitionMappingKind;
  /** Throws PartitionMappingError when the mapping cannot relate these two definitions (Dagster's validate_partition_mapping). */
  validate(upstream: PartitionsDefinition, downstream: PartitionsDefinition | null): void;
  upstreamPartitions(
    downstreamKeys: readonly string[] | null, downstream: PartitionsDefinition | null, upstream: PartitionsDefinition, now: Date,
  ): UpstreamPartitionsResult;
  downstreamPartitions(upstreamKeys: readonly string[], upstream: PartitionsDefinition, downstream: PartitionsDefinition, now: Date): string[];
  /** The Python expression that builds this mapping, e.g. "TimeWindowPartitionMapping(start_offset=-1)". */
  toString(): string;
  /** Dagster's description text. */
  readonly description: string;
}

/** A mapping that cannot relate two definitions, or was built from bad arguments (Dagster's DagsterInvalidDefinitionError / CheckError). */
export class PartitionMappingError extends PartitionsError {
  override name = 'PartitionMappingError';
}

/** Dagster's error when a run would need upstream partitions that do not exist (DagsterInvariantViolationError). */
export class NonexistentUpstreamPartitionsError extends PartitionsError {
  override name = 'NonexistentUpstreamPartitionsError';
  constructor(readonly downstreamKeys: readonly string[], readonly nonexistent: readonly string[], upstreamName = 'the upstream asset') {
    super(`Partition key range ${pythonKeyList(downstreamKeys)} depends on invalid partition keys ${pythonKeyList(nonexistent)} in upstream asset ${upstreamName}`);
  }
}

/** Upstream keys, throwing Dagster's run-time error when some required upstream keys do not exist. */
export function upstreamKeysOrThrow(result: UpstreamPartitionsResult, downstreamKeys: readonly string[], upstreamName?: string): string[] {
  if (result.requiredButNonexistent.length > 0) throw new NonexistentUpstreamPartitionsError(downstreamKeys, result.requiredButNonexistent, upstreamName);
  return result.keys;
}

export function pythonKeyList(keys: readonly string[]): string {
  return `[${keys.map((k) => `'${k.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

/** Dagster's class name of a definition kind, for error messages. */
export function partitionsClassName(definition: PartitionsDefinition | null): string {
  if (definition === null) return 'None';
  return {
    time_window: 'TimeWindowPartitionsDefinition', static: 'StaticPartitionsDefinition',
    multi: 'MultiPartitionsDefinition', dynamic: 'DynamicPartitionsDefinition',
  }[definition.kind];
}

/** Record equality, as Dagster compares definitions: same kind and same parameters. */
export function partitionsDefinitionsEqual(a: PartitionsDefinition | null, b: PartitionsDefinition | null): boolean {
  if (a === b) return true;
  if (a === null || b === null) return false;
  return JSON.stringify(a.toJSON()) === JSON.stringify(b.toJSON());
}

/**
 * Distinct `keys` in the definition's order. Uses the definition's key index or indexOfKey where the definition answers it without listing,
 * else one listing; keys that are not keys of the definition at `now` go last, in their given order.
 */
export function inDefinitionOrder(definition: PartitionsDefinition, keys: Iterable<string>, now: Date): string[] {
  const distinct = [...new Set(keys)];
  if (distinct.length <= 1) return distinct;
  let position: (k: string) => number;
  if (definition.keyIndex) {
    const index = definition.keyIndex(now);
    position = (k) => index.indexOf(k);
  } else if (definition.indexOfKey) {
    const indexOfKey = definition.indexOfKey.bind(definition);
    position = (k) => indexOfKey(k, now);
  } else {
    const positions = new Map(definition.keys(now).map((k, i) => [k, i]));
    position = (k) => positions.get(k) ?? -1;
  }
  const ranked = distinct.map((k, i) => ({ k, p: position(k), i }));
  ranked.sort((x, y) => (x.p < 0 ? Number.MAX_SAFE_INTEGER : x.p) - (y.p < 0 ? Number.MAX_SAFE_INTEGER : y.p) || x.i - y.i);
  return ranked.map((r) => r.k);
}

