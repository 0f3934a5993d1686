// MultiPartitionsDefinition: the product of two named dimensions, keys joined with "|" in name order.
import type { PartitionKeyIndex, PartitionsDefinition, PartitionsJson, TimeWindowJson } from './partitionsDefinition';
import { InvalidPartitionsDefinitionError, PartitionsError } from './partitionsDefinition';
import { DynamicPartitionsDefinition } from './dynamicPartitionsDefinition';
import type { DynamicPartitionsStore } from './dynamicPartitionsDefinition';
import { partitionKeyIndex, partitionKeyIndexOfList } from './partitionKeyIndex';
import { PartitionKeyRange, keysInPartitionKeyRange } from './partitionKeyRange';
import { StaticPartitionsDefinition, pythonRepr } from './staticPartitionsDefinition';
import type { TimeWindowPartitionsDefinition } from './timeWindowPartitionsDefinition';

export const MULTIPARTITION_KEY_DELIMITER = '|';
/** Characters a static dimension's keys may not hold: the delimiter, and what the UI uses for key lists. */
export const INVALID_STATIC_MULTI_KEY_CHARACTERS = ['|', ',', '[', ']'];
/** Run tag prefix carrying one dimension's key (dagster/partition/<dimension>). */
export const MULTIDIMENSIONAL_PARTITION_TAG_PREFIX = 'dagster/partition/';

export interface PartitionDimension {
  readonly name: string;
  readonly partitions: PartitionsDefinition;
}

export class MultiPartitionsDefinition implements PartitionsDefinition {
  readonly kind = 'multi' as const;
  /** Sorted by name: that order makes the key string and the product order. */
  readonly dimensions: readonly [PartitionDimension, PartitionDimension];

  constructor(partitionsDefs: Readonly<Record<string, PartitionsDefinition>> | ReadonlyMap<string, PartitionsDefinition>) {
    const entries = partitionsDefs instanceof Map ? [...partitionsDefs.entries()] : Object.entries(partitionsDefs);
    if (entries.length !== 2) {
      throw new PartitionsError(
        `Dagster currently only supports multi-partitions definitions with 2 partitions definitions. Your multi-partitions definition has ${entries.length} partitions definitions.`);
    }
    for (const [name, def] of entries) checkDimension(name, def);
    const sorted = entries.map(([name, partitions]) => ({ name, partitions })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    this.dimensions = [sorted[0]!, sorted[1]!];
  }

  get dimensionNames(): string[] {
    return this.dimensions.map((d) => d.name);
  }

  /** The partitions of one dimension. */
  dimension(name: string): PartitionsDefinition {
    const found = this.dimensions.find((d) => d.name === name);
    if (!found) throw new PartitionsError(`Invalid dimension name ${name}`);
    return found.partitions;
  }

  /** The single time-window dimension if there is exactly one, else the first by name. */
  get primaryDimension(): PartitionDimension {
    const time = this.dimensions.filter((d) => d.partitions.kind === 'time_window');
    return time.length === 1 ? time[0]! : this.dimensions[0];
  }

  get secondaryDimension(): PartitionDimension {
    const primary = this.primaryDimension;
    return this.dimensions[0] === primary ? this.dimensions[1] : this.dimensions[0];
  }

  get timeWindowDimension(): PartitionDimension {
    const time = this.dimensions.filter((d) => d.partitions.kind === 'time_window');
    if (time.length !== 1) throw new PartitionsError('Expected exactly one time window partitioned dimension');
    return time[0]!;
  }

  /** Splits a key into its per-dimension keys, by dimension name. */
  keysByDimension(key: string): Record<string, string> {
    const parts = key.split(MULTIPARTITION_KEY_DELIMITER);
    if (parts.length !== 2) throw new PartitionsError(`Expected 2 partition keys in partition key string ${key}, but got ${parts.length}`);
    return { [this.dimensions[0].name]: parts[0]!, [this.dimensions[1].name]: parts[1]! };
  }

  /** Dagster's MultiPartitionKey({dimension: key, ...}) as a string. */
  keyFromDimensions(keysByDimension: Readonly<Record<string, string>>): string {
    const given = Object.keys(keysByDimension);
    const names = this.dimensionNames;
    const extra = given.filter((g) => !names.includes(g));
    const missing = names.filter((n) => !given.includes(n));
    if (extra.length > 0 || missing.length > 0) {
      throw new PartitionsError(
        `Invalid partition dimension keys provided. All provided keys must be defined as partition dimensions. Valid keys are ${pySet(names)}. You provided: ` +
        (extra.length > 0 ? `Extra keys: ${pySet(extra)}.` : '') + (missing.length > 0 ? `Missing keys ${pySet(missing)}.` : ''));
    }
    return names.map((n) => keysByDimension[n]).join(MULTIPARTITION_KEY_DELIMITER);
  }

  /** dagster/partition plus dagster/partition/<dimension> for each dimension, as on a run. */
  tagsForKey(key: string): Record<string, string> {
    const tags: Record<string, string> = { 'dagster/partition': key };
    for (const [dim, value] of Object.entries(this.keysByDimension(key))) tags[MULTIDIMENSIONAL_PARTITION_TAG_PREFIX + dim] = value;
    return tags;
  }

  /** One index per dimension, composed: index = i0 * count1 + i1, so the first dimension varies slowest. */
  keyIndex(now: Date): PartitionKeyIndex {
    const [a, b] = [dimensionIndex(this.dimensions[0].partitions, now), dimensionIndex(this.dimensions[1].partitions, now)];
    const count = a.count * b.count;
    const description = this.describe();
    return {
      count,
      keyAt(index) {
        if (!Number.isInteger(index) || index < 0 || index >= count) {
          throw new PartitionsError(`Partition index ${index} is out of range: ${description} has ${count} partitions.`);
        }
        return a.keyAt(Math.floor(index / b.count)) + MULTIPARTITION_KEY_DELIMITER + b.keyAt(index % b.count);
      },
      indexOf(key) {
        const parts = key.split(MULTIPARTITION_KEY_DELIMITER);
        if (parts.length !== 2) return -1;
        const i = a.indexOf(parts[0]!);
        const j = i < 0 ? -1 : b.indexOf(parts[1]!);
        return j < 0 ? -1 : i * b.count + j;
      },
    };
  }

  /** Keys per value of the first dimension: the length of one row of the product at `now`. */
  rowLength(now: Date): number {
    return dimensionIndex(this.dimensions[1].partitions, now).count;
  }

  /**
   * Index ranges [start, end) of the rectangle a key range spans, one per key of the first dimension (merged
   * when rows are whole). Missing endpoints fail as in Dagster; an endpoint after the other gives no keys.
   */
  indexRangesOfKeyRange(range: PartitionKeyRange, now: Date): [number, number][] {
    const s = this.keysByDimension(range.start);
    const e = this.keysByDimension(range.end);
    const [a, b] = [dimensionIndex(this.dimensions[0].partitions, now), dimensionIndex(this.dimensions[1].partitions, now)];
    const [[a0, a1], [b0, b1]] = this.dimensions.map((d, i) => {
      const idx = i === 0 ? a : b;
      const lo = idx.indexOf(s[d.name]!);
      const hi = idx.indexOf(e[d.name]!);
      const missing = [...new Set([lo < 0 ? s[d.name]! : null, hi < 0 ? e[d.name]! : null])].filter((k): k is string => k !== null);
      if (missing.length > 0) {
        throw new PartitionsError(`Partition range ${s[d.name]} to ${e[d.name]} is not a valid range. Nonexistent partition keys: [${missing.map(pythonRepr).join(', ')}]`);
      }
      return [lo, hi];
    }) as [[number, number], [number, number]];
    if (a0 > a1 || b0 > b1) return [];
    if (b0 === 0 && b1 === b.count - 1) return [[a0 * b.count, (a1 + 1) * b.count]];
    const out: [number, number][] = [];
    for (let i = a0; i <= a1; i++) out.push([i * b.count + b0, i * b.count + b1 + 1]);
    return out;
  }

  keyAtIndex(index: number, now: Date): string | null {
    const idx = this.keyIndex(now);
    return Number.isInteger(index) && index >= 0 && index < idx.count ? idx.keyAt(index) : null;
  }

  indexOfKey(key: string, now: Date): number {
    return this.keyIndex(now).indexOf(key);
  }

  keys(now: Date): string[] {
    const [first, second] = this.dimensions.map((d) => dimensionKeys(d.partitions, now)) as [string[], string[]];
    return product(first, second);
  }

  /** The product of the dimension counts; time windows count without listing. */
  count(now: Date): number {
    return dimensionIndex(this.dimensions[0].partitions, now).count * dimensionIndex(this.dimensions[1].partitions, now).count;
  }

  hasKey(key: string, now: Date): boolean {
    const parts = key.split(MULTIPARTITION_KEY_DELIMITER);
    return parts.length === 2 && this.dimensions.every((d, i) => d.partitions.hasKey(parts[i]!, now));
  }

  /** Keys whose `dimensionName` key is `dimensionKey`, in the other dimension's order. */
  keysWithDimensionValue(dimensionName: string, dimensionKey: string, now: Date): string[] {
    const i = this.dimensions.findIndex((d) => d.name === dimensionName);
    if (i < 0) {
      throw new PartitionsError(`Dimension ${dimensionName} not found in MultiPartitionsDefinition with dimensions [${this.dimensionNames.map(pythonRepr).join(', ')}]`);
    }
    const others = dimensionKeys(this.dimensions[1 - i]!.partitions, now);
    return i === 0 ? product([dimensionKey], others) : product(others, [dimensionKey]);
  }

  /** A rectangle: each dimension's own range between the two keys' values, then the product. */
  keysInRange(start: string, end: string, now: Date): string[] {
    const s = this.keysByDimension(start);
    const e = this.keysByDimension(end);
    const [first, second] = this.dimensions.map((d) =>
      keysInPartitionKeyRange(d.partitions, new PartitionKeyRange(s[d.name]!, e[d.name]!), now)) as [string[], string[]];
    return product(first, second);
  }

  /**
   * The window of the key's value in the single time dimension. Without exactly one time dimension (static ×
   * static, static × dynamic, two time dimensions) the key has no window: null, as for any definition without
   * time, where Dagster's time_window_for_partition_key raises (`timeWindowDimension` keeps that error).
   */
  timeWindow(key: string): TimeWindowJson | null {
    const time = this.dimensions.filter((d) => d.partitions.kind === 'time_window');
    if (time.length !== 1) return null;
    return time[0]!.partitions.timeWindow(this.keysByDimension(key)[time[0]!.name]!);
  }

  /** The same definition with its dynamic dimensions reading keys from `store`. */
  withDynamicPartitionsStore(store: DynamicPartitionsStore): MultiPartitionsDefinition {
    const bound = (p: PartitionsDefinition) => (p instanceof DynamicPartitionsDefinition ? p.withStore(store) : p);
    return new MultiPartitionsDefinition(new Map(this.dimensions.map((d) => [d.name, bound(d.partitions)])));
  }

  describe(): string {
    return `multi-partitioned: ${this.dimensions.map((d) => `${d.name} (${d.partitions.describe()})`).join(' × ')}`;
  }

  toJSON(): PartitionsJson {
    return { kind: 'multi', dimensions: this.dimensions.map((d) => ({ name: d.name, partitions: d.partitions.toJSON() })) };
  }
}

function checkDimension(name: string, def: PartitionsDefinition): void {
  if (!(def instanceof StaticPartitionsDefinition || def.kind === 'time_window' || def instanceof DynamicPartitionsDefinition)) {
    throw new PartitionsError(
      `Invalid partitions definition type ${def.kind} for dimension ${name}. Only the following partitions definition types are supported: StaticPartitionsDefinition, TimeWindowPartitionsDefinition, DynamicPartitionsDefinition.`);
  }
  if (def instanceof StaticPartitionsDefinition && def.keys().some((k) => INVALID_STATIC_MULTI_KEY_CHARACTERS.some((c) => k.includes(c)))) {
    throw new InvalidPartitionsDefinitionError(
      `Invalid character in partition key for dimension ${name}. A multi-partitions definition cannot contain partition keys with the following characters: |, [, ], ,`,
      'partition_keys');
  }
}

/**
 * Dagster drops product entries that do not split back into two parts; only dynamic keys (and a time format
 * holding "|") can contain the delimiter, so those dimension keys are left out before the product is formed.
 */
function dimensionIndex(def: PartitionsDefinition, now: Date): PartitionKeyIndex {
  if (def instanceof DynamicPartitionsDefinition) {
    return partitionKeyIndexOfList(def.keys().filter((k) => !k.includes(MULTIPARTITION_KEY_DELIMITER)), def.describe());
  }
  if (formatHoldsDelimiter(def)) return partitionKeyIndexOfList([], def.describe());
  return partitionKeyIndex(def, now);
}

function dimensionKeys(def: PartitionsDefinition, now: Date): string[] {
  if (formatHoldsDelimiter(def)) return [];
  return def.keys(now).filter((k) => !k.includes(MULTIPARTITION_KEY_DELIMITER));
}

function formatHoldsDelimiter(def: PartitionsDefinition): boolean {
  return def.kind === 'time_window' && (def as TimeWindowPartitionsDefinition).fmt.includes(MULTIPARTITION_KEY_DELIMITER);
}

function product(first: readonly string[], second: readonly string[]): string[] {
  const out: string[] = new Array<string>(first.length * second.length);
  let n = 0;
  for (const a of first) for (const b of second) out[n++] = a + MULTIPARTITION_KEY_DELIMITER + b;
  return out;
}

function pySet(items: readonly string[]): string {
  return `{${items.map(pythonRepr).join(', ')}}`;
}
