// The PartitionsDefinition contract every kind of partitions (time window, static, ...) implements.

/** JSON form of a partitions definition, as printed by `backfill defs --json`: its kind and that kind's fields. */
export type PartitionsJson =
  | {
      kind: 'time_window';
      cron: string;
      start: string;
      end: string | null;
      timezone: string;
      fmt: string;
      endOffset: number;
      /** Present only when the definition has exclusions: cron strings, or excluded window starts as ISO 8601. */
      exclusions?: string[];
    }
  | { kind: 'static'; keys: string[] }
  | { kind: 'multi'; dimensions: { name: string; partitions: PartitionsJson }[] }
  | { kind: 'dynamic'; name: string };

/** A half-open time window [start, end) as ISO 8601 strings with the partition's UTC offset. */
export interface TimeWindowJson {
  start: string;
  end: string;
}

/** Index <-> key over the keys that exist at one `now`, built once so that lookups need not list every key. */
export interface PartitionKeyIndex {
  readonly count: number;
  /** The key at a 0-based index; throws PartitionsError outside [0, count). */
  keyAt(index: number): string;
  /** The 0-based index of a key, or -1 when it is not a key. */
  indexOf(key: string): number;
}

/** Raised for keys or ranges that a definition does not have; the message names the key and the definition. */
export class PartitionsError extends Error {
  override name = 'PartitionsError';
}

/**
 * A Dagster partitions definition. `now` is always explicit so that results are reproducible:
 * which time-window partitions exist depends on the current time (only fully elapsed windows).
 */
export interface PartitionsDefinition {
  readonly kind: PartitionsJson['kind'];
  /** Every key that exists at `now`, in Dagster's order (chronological for time windows). */
  keys(now: Date): string[];
  /** Number of keys at `now`; equals keys(now).length. */
  count(now: Date): number;
  /** Whether `key` is a key of this definition at `now` (canonical form only). */
  hasKey(key: string, now: Date): boolean;
  /**
   * Keys from `start` to `end`, both inclusive; throws PartitionsError when either is not a key. When end comes
   * before start, dynamic partitions (and a static or dynamic dimension of a multi range) give [], Dagster's
   * generic rule; static and time windows throw (keysInPartitionKeyRange applies Dagster's rule to static too).
   */
  keysInRange(start: string, end: string, now: Date): string[];
  /** The key at a 0-based index among the keys existing at `now`, or null out of range; without listing keys. */
  keyAtIndex?(index: number, now: Date): string | null;
  /** The 0-based index of a key existing at `now`, or -1; without listing keys. */
  indexOfKey?(key: string, now: Date): number;
  /** An index for definitions whose keys are fetched (dynamic) or combined (multi), where one lookup would cost a fetch. */
  keyIndex?(now: Date): PartitionKeyIndex;
  /** The time window of a key, or null for definitions without time. */
  timeWindow(key: string): TimeWindowJson | null;
  /** Short human summary, e.g. "daily from 2024-01-01 (UTC)". */
  describe(): string;
  toJSON(): PartitionsJson;
}

/** The definition parameter an InvalidPartitionsDefinitionError is about (core option names, not Dagster's aliases). */
export type PartitionsParameter = 'start' | 'end' | 'cron' | 'timezone' | 'fmt' | 'end_offset' | 'partition_keys';

/** Raised when a partitions definition is constructed from bad arguments; `parameter` says which one. */
export class InvalidPartitionsDefinitionError extends PartitionsError {
  override name = 'InvalidPartitionsDefinitionError';
  constructor(message: string, readonly parameter: PartitionsParameter) {
    super(message);
  }
}
