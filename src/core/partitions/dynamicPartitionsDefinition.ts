// DynamicPartitionsDefinition: a named set of keys that lives in a store, in insertion order.
import type { PartitionKeyIndex, PartitionsDefinition, PartitionsJson } from './partitionsDefinition';
import { InvalidPartitionsDefinitionError, PartitionsError } from './partitionsDefinition';
import { validatePartitionKeySubstrings } from './staticPartitionsDefinition';
import { partitionKeyIndexOfList } from './partitionKeyIndex';
import { keysInRangeOfIndex } from './partitionKeyRange';

/** The port through which dynamic keys are read (Dagster's DynamicPartitionsStore); the state store implements it. */
export interface DynamicPartitionsStore {
  /** The keys of the dynamic partitions named `name`, in insertion order; [] for a name never added to. */
  dynamicPartitionKeys(name: string): string[];
}

/** Dagster's text for a key query on a dynamic definition that has no store to read from. */
export const DYNAMIC_PARTITIONS_UNAVAILABLE_MESSAGE =
  'The instance is not available to load partitions. You may be seeing this error when using dynamic partitions with a version of dagster-webserver or dagster-cloud that is older than 1.1.18.';

/** A key query on a dynamic definition without a store; callers can tell it apart to offer opening the store. */
export class DynamicPartitionsUnavailableError extends PartitionsError {
  override name = 'DynamicPartitionsUnavailableError';
  constructor(readonly partitionsName: string) {
    super(DYNAMIC_PARTITIONS_UNAVAILABLE_MESSAGE);
  }
}

/** Dagster's checks on add_dynamic_partitions: a name, a list (not a bare string) of strings without invalid substrings. */
export function validateDynamicPartitionKeys(name: string, keys: readonly string[]): void {
  if (typeof name !== 'string' || name === '') throw new PartitionsError('partitions_def_name must be a non-empty string.');
  if (typeof keys === 'string' || !Array.isArray(keys)) throw new PartitionsError('partition_keys must be a sequence of strings');
  const notString = keys.findIndex((k) => typeof k !== 'string');
  if (notString >= 0) throw new PartitionsError(`partition_keys must be a sequence of strings (key ${notString + 1} is ${typeof keys[notString]}).`);
  validatePartitionKeySubstrings(keys);
}

/**
 * Definitions are discovered without a store (static analysis) and bound to one later with `withStore`, so
 * the definition stays a value and core stays free of I/O. `now` is accepted for the common contract only.
 */
export class DynamicPartitionsDefinition implements PartitionsDefinition {
  readonly kind = 'dynamic' as const;

  constructor(readonly name: string, private readonly store: DynamicPartitionsStore | null = null) {
    if (typeof name !== 'string' || name === '') {
      throw new InvalidPartitionsDefinitionError('Must provide either partition_fn or name to DynamicPartitionsDefinition.', 'partition_keys');
    }
  }

  /** The same definition, reading its keys from `store`. */
  withStore(store: DynamicPartitionsStore): DynamicPartitionsDefinition {
    return new DynamicPartitionsDefinition(this.name, store);
  }

  get hasStore(): boolean {
    return this.store !== null;
  }

  keys(): string[] {
    return [...this.requireStore().dynamicPartitionKeys(this.name)];
  }

  count(): number {
    return this.keys().length;
  }

  hasKey(key: string): boolean {
    return this.keys().includes(key);
  }

  /** One fetch from the store, then lookups by map. */
  keyIndex(): PartitionKeyIndex {
    return partitionKeyIndexOfList(this.keys(), this.describe());
  }

  keysInRange(start: string, end: string): string[] {
    return keysInRangeOfIndex(this.keyIndex(), start, end);
  }

  timeWindow(): null {
    return null;
  }

  describe(): string {
    return `Dynamic partitions: "${this.name}"`;
  }

  toJSON(): PartitionsJson {
    return { kind: 'dynamic', name: this.name };
  }

  private requireStore(): DynamicPartitionsStore {
    if (!this.store) throw new DynamicPartitionsUnavailableError(this.name);
    return this.store;
  }
}
