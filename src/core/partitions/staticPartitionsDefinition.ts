// StaticPartitionsDefinition: a fixed, ordered list of keys validated as Dagster validates them.
import type { PartitionsDefinition, PartitionsJson } from './partitionsDefinition';
import { InvalidPartitionsDefinitionError, PartitionsError } from './partitionsDefinition';

/** Substrings Dagster forbids in partition keys: "..." is the UI's range syntax, the rest are control characters. */
export const INVALID_PARTITION_SUBSTRINGS = ['...', '\u0007', '\b', '\f', '\n', '\r', '\t', '\v', '\0'];

/** Python's repr of a str, for error messages that match Dagster's. */
export function pythonRepr(s: string): string {
  const escaped = s.replace(/[\\'\u0000-\u001f]/g, (c) => {
    const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    return named[c] ?? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;
  });
  return `'${escaped}'`;
}

/** Throws Dagster's error for the first key holding an invalid substring. */
export function validatePartitionKeySubstrings(keys: readonly string[]): void {
  keys.forEach((key, i) => {
    const found = INVALID_PARTITION_SUBSTRINGS.filter((s) => key.includes(s));
    if (found.length > 0) {
      throw new InvalidPartitionsDefinitionError(`[${found.map(pythonRepr).join(', ')}] are invalid substrings in a partition key (key ${i + 1}: ${pythonRepr(key)})`, 'partition_keys');
    }
  });
}

export class StaticPartitionsDefinition implements PartitionsDefinition {
  readonly kind = 'static' as const;
  private readonly keyList: readonly string[];
  private readonly indexByKey = new Map<string, number>();

  constructor(partitionKeys: readonly string[]) {
    const notString = partitionKeys.findIndex((k) => typeof k !== 'string');
    if (notString >= 0) throw new InvalidPartitionsDefinitionError(`Partition key ${notString + 1} is not a string.`, 'partition_keys');
    validatePartitionKeySubstrings(partitionKeys);
    const duplicates: string[] = [];
    partitionKeys.forEach((k, i) => {
      if (this.indexByKey.has(k)) {
        if (!duplicates.includes(k)) duplicates.push(k);
      } else this.indexByKey.set(k, i);
    });
    if (duplicates.length > 0) {
      throw new InvalidPartitionsDefinitionError(
        `Partition keys must be unique. Duplicate instances of partition keys: [${duplicates.map(pythonRepr).join(', ')}]`, 'partition_keys');
    }
    this.keyList = [...partitionKeys];
  }

  keys(): string[] {
    return [...this.keyList];
  }

  count(): number {
    return this.keyList.length;
  }

  hasKey(key: string): boolean {
    return this.indexByKey.has(key);
  }

  indexOfKey(key: string): number {
    return this.indexByKey.get(key) ?? -1;
  }

  keyAtIndex(index: number): string | null {
    return Number.isInteger(index) && index >= 0 && index < this.keyList.length ? this.keyList[index]! : null;
  }

  keysInRange(start: string, end: string): string[] {
    const missing = [start, end].filter((k) => !this.indexByKey.has(k));
    if (missing.length > 0) {
      throw new PartitionsError(
        `Partition range ${start} to ${end} is not a valid range. Nonexistent partition keys: [${[...new Set(missing)].map(pythonRepr).join(', ')}]`,
      );
    }
    const a = this.indexByKey.get(start) as number;
    const b = this.indexByKey.get(end) as number;
    if (b < a) throw new PartitionsError(`Partition key range end ${end} comes before its start ${start} in the static partitions order.`);
    return this.keyList.slice(a, b + 1);
  }

  timeWindow(): null {
    return null;
  }

  describe(): string {
    const shown = this.keyList.slice(0, 5).join(', ');
    const more = this.keyList.length > 5 ? `, … (${this.keyList.length} keys)` : '';
    return `static: ${shown}${more}`;
  }

  toJSON(): PartitionsJson {
    return { kind: 'static', keys: [...this.keyList] };
  }
}
