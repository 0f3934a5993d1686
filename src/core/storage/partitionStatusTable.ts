// Partition status per target, held as ranges where it can be: single-key rows plus one row per run of keys changed together.
import type { SqlValue } from 'sql.js';
import type { PartitionStatus } from '../backfill/backfill';
import type { PartitionKeyIndex } from '../partitions/partitionsDefinition';

/*
 * Why the keys of a range are stored, compactly, rather than first/last/count: the store does not know the
 * partitions definitions, and they change (a static list edited, a dynamic key deleted, a time window
 * with a new end offset). First and last alone could not answer "is key k inside?" nor survive a
 * definition change, and a single-key change inside a range must know exactly which keys remain on each
 * side. So a range row holds its keys in the caller's order, front-coded: each key after the first is
 * [length of the prefix it shares with the key before, the rest], which turns 3,650 daily keys into about
 * 22 KB in one row instead of 3,650 rows and their index. first_key, last_key and key_count are kept
 * beside them for the panel's reads. A key is in at most one place (a single row or one range); an
 * in-memory index from key to range, built per target on first use, finds the range a change splits.
 */

/** Runs shorter than this are stored as single rows: a range row only pays off for real range runs. */
export const MIN_RANGE_KEYS = 16;

/** A run of partitions with one status, in partition order when an order is given (see partitionStatusRanges). */
export interface PartitionStatusRange {
  firstKey: string;
  lastKey: string;
  count: number;
  status: Exclude<PartitionStatus, 'MISSING'>;
  /** The run that set it; null when unknown or when merged runs of different runs. */
  runId: string | null;
  /** Epoch ms of the (latest) change. */
  updatedAt: number;
}

/** A key's stored status, the run that set it and when (epoch ms); see StateStore.partitionStatusRecords. */
export interface PartitionStatusRecord {
  status: Exclude<PartitionStatus, 'MISSING'>;
  runId: string | null;
  updatedAt: number;
}

/**
 * Shared by every table (and the in-memory store), so a table built by a reload never repeats a generation an
 * earlier one gave out: a cache keyed by it cannot mistake new contents for old.
 */
let lastGeneration = 0;

/** The next partition status generation (see StateStore.partitionStatusGeneration). */
export function nextStatusGeneration(): number {
  return ++lastGeneration;
}

/** The statement access the table needs from the database that owns it (prepared-statement cache, shared transaction). */
export interface StatementRunner {
  run(sql: string, params: SqlValue[]): void;
  rows(sql: string, params: SqlValue[]): SqlValue[][];
  begin(): void;
}

/** Keys written together with one status, in the order given. */
export interface StatusRun {
  keys: readonly string[];
  status: Exclude<PartitionStatus, 'MISSING'>;
  runId: string | null;
  updatedAt: number;
}

interface StoredRange extends StatusRun {
  id: number;
  keys: string[];
}

/**
 * Stored runs as PartitionStatusRanges. With `order` (the target's partition keys), runs are in partition
 * order, keys the order no longer has are left out, and neighbouring runs of equal status are merged (runId
 * kept when they share it, else null). Without it, each stored run is returned as written (a range in the
 * order its keys were given, single keys as runs of one), sorted by first key as text, which is partition
 * order for time windows.
 */
export function statusRanges(runs: readonly StatusRun[], order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[] {
  if (!order) {
    return runs
      .map((r) => ({ firstKey: r.keys[0]!, lastKey: r.keys[r.keys.length - 1]!, count: r.keys.length, status: r.status, runId: r.runId, updatedAt: r.updatedAt }))
      .sort((a, b) => (a.firstKey < b.firstKey ? -1 : a.firstKey > b.firstKey ? 1 : 0));
  }
  const positioned: { index: number; key: string; run: StatusRun }[] = [];
  for (const run of runs) {
    for (const key of run.keys) {
      const index = order.indexOf(key);
      if (index >= 0) positioned.push({ index, key, run });
    }
  }
  positioned.sort((a, b) => a.index - b.index);
  const out: PartitionStatusRange[] = [];
  let lastIndex = -2;
  for (const { index, key, run } of positioned) {
    const current = out[out.length - 1];
    if (current && index === lastIndex + 1 && current.status === run.status) {
      current.lastKey = key;
      current.count++;
      if (current.runId !== run.runId) current.runId = null;
      current.updatedAt = Math.max(current.updatedAt, run.updatedAt);
    } else {
      out.push({ firstKey: key, lastKey: key, count: 1, status: run.status, runId: run.runId, updatedAt: run.updatedAt });
    }
    lastIndex = index;
  }
  return out;
}

export function encodeRangeKeys(keys: readonly string[]): string {
  const out: (string | [number, string])[] = [];
  let previous = '';
  for (const key of keys) {
    let shared = 0;
    const max = Math.min(previous.length, key.length);
    while (shared < max && previous.charCodeAt(shared) === key.charCodeAt(shared)) shared++;
    out.push(out.length === 0 || shared < 3 ? key : [shared, key.slice(shared)]);
    previous = key;
  }
  return JSON.stringify(out);
}

/** Accepts plain keys too, which is how migration 6 wrote the ranges it converted from single rows. */
export function decodeRangeKeys(text: string): string[] {
  const items = JSON.parse(text) as (string | [number, string])[];
  const keys: string[] = [];
  let previous = '';
  for (const item of items) {
    previous = typeof item === 'string' ? item : previous.slice(0, item[0]) + item[1];
    keys.push(previous);
  }
  return keys;
}

export class PartitionStatusTable {
  /** Per target: key → id of the range holding it, and the ranges themselves; built on first use of a target. */
  private readonly index = new Map<string, { byKey: Map<string, number>; ranges: Map<number, StoredRange> }>();
  /** Per target, the generation of its last change; targets not changed since the table was built have `built`. */
  private readonly generations = new Map<string, number>();
  private readonly built = nextStatusGeneration();

  constructor(private readonly sql: StatementRunner) {}

  generation(target: string): number {
    return this.generations.get(target) ?? this.built;
  }

  /** Keys come in partition order (a range run's keys); MISSING removes them, absence meaning missing. */
  set(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null, updatedAt: number): void {
    if (keys.length === 0) return;
    this.generations.set(target, nextStatusGeneration());
    this.sql.begin();
    const asRange = status !== 'MISSING' && keys.length >= MIN_RANGE_KEYS && keys.length === new Set(keys).size;
    this.remove(target, keys, status === 'MISSING' || asRange);
    if (status === 'MISSING') return;
    if (asRange) {
      this.insertRange(target, { id: 0, keys: [...keys], status, runId, updatedAt });
      return;
    }
    for (const key of keys) {
      this.sql.run(
        'INSERT INTO partition_status (target, partition_key, status, run_id, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (target, partition_key) DO UPDATE SET status = excluded.status, run_id = excluded.run_id, updated_at = excluded.updated_at',
        [target, key, status, runId, updatedAt],
      );
    }
  }

  statuses(target: string): Map<string, PartitionStatus> {
    const out = new Map<string, PartitionStatus>();
    for (const range of this.targetIndex(target).ranges.values()) for (const key of range.keys) out.set(key, range.status);
    for (const row of this.sql.rows('SELECT partition_key, status FROM partition_status WHERE target = ?', [target])) {
      out.set(String(row[0]), row[1] as PartitionStatus);
    }
    return out;
  }

  /** Ranges first, then single rows (a key is in one place only); one record object per range. */
  records(target: string, since = -Infinity): Map<string, PartitionStatusRecord> {
    const out = new Map<string, PartitionStatusRecord>();
    for (const range of this.targetIndex(target).ranges.values()) {
      if (range.updatedAt <= since) continue;
      const record: PartitionStatusRecord = { status: range.status, runId: range.runId, updatedAt: range.updatedAt };
      for (const key of range.keys) out.set(key, record);
    }
    const rows = Number.isFinite(since)
      ? this.sql.rows('SELECT partition_key, status, run_id, updated_at FROM partition_status WHERE target = ? AND updated_at > ?', [target, since])
      : this.sql.rows('SELECT partition_key, status, run_id, updated_at FROM partition_status WHERE target = ?', [target]);
    for (const row of rows) {
      out.set(String(row[0]), { status: row[1] as PartitionStatusRecord['status'], runId: row[2] === null ? null : String(row[2]), updatedAt: Number(row[3]) });
    }
    return out;
  }

  /** One lookup per key (a range run's many keys read the target's single rows once instead). */
  statusesOf(target: string, keys: readonly string[]): PartitionStatus[] {
    const { byKey, ranges } = this.targetIndex(target);
    let singles: Map<string, PartitionStatus> | undefined;
    if (keys.length >= MIN_RANGE_KEYS) {
      singles = new Map();
      for (const row of this.sql.rows('SELECT partition_key, status FROM partition_status WHERE target = ?', [target])) singles.set(String(row[0]), row[1] as PartitionStatus);
    }
    return keys.map((key) => {
      const id = byKey.get(key);
      if (id !== undefined) return ranges.get(id)!.status;
      if (singles) return singles.get(key) ?? 'MISSING';
      const row = this.sql.rows('SELECT status FROM partition_status WHERE target = ? AND partition_key = ?', [target, key])[0];
      return row ? (row[0] as PartitionStatus) : 'MISSING';
    });
  }

  /** Runs of equal status; see statusRanges. */
  ranges(target: string, order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[] {
    const runs: StatusRun[] = [];
    for (const r of this.targetIndex(target).ranges.values()) runs.push(r);
    for (const row of this.sql.rows('SELECT partition_key, status, run_id, updated_at FROM partition_status WHERE target = ?', [target])) {
      runs.push({ keys: [String(row[0])], status: row[1] as StatusRun['status'], runId: row[2] === null ? null : String(row[2]), updatedAt: Number(row[3]) });
    }
    return statusRanges(runs, order);
  }

  /** Takes `keys` out of single rows and out of the ranges holding them, splitting each range around them. */
  private remove(target: string, keys: readonly string[], deleteSingles: boolean): void {
    const { byKey, ranges } = this.targetIndex(target);
    const touched = new Map<number, Set<string>>();
    for (const key of keys) {
      const id = byKey.get(key);
      if (id === undefined) continue;
      let set = touched.get(id);
      if (!set) touched.set(id, (set = new Set()));
      set.add(key);
    }
    for (const [id, removed] of touched) {
      const range = ranges.get(id)!;
      this.deleteRange(target, range);
      let segment: string[] = [];
      const flush = () => {
        if (segment.length >= MIN_RANGE_KEYS) this.insertRange(target, { ...range, keys: segment });
        else {
          for (const key of segment) {
            this.sql.run('INSERT INTO partition_status (target, partition_key, status, run_id, updated_at) VALUES (?, ?, ?, ?, ?)', [target, key, range.status, range.runId, range.updatedAt]);
          }
        }
        segment = [];
      };
      for (const key of range.keys) {
        if (removed.has(key)) flush();
        else segment.push(key);
      }
      flush();
    }
    // Single rows about to be upserted need no delete: the upsert replaces them.
    if (!deleteSingles) return;
    for (const key of keys) this.sql.run('DELETE FROM partition_status WHERE target = ? AND partition_key = ?', [target, key]);
  }

  private insertRange(target: string, range: StoredRange): void {
    const keys = range.keys;
    this.sql.run(
      'INSERT INTO partition_status_ranges (target, first_key, last_key, key_count, keys, status, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      [target, keys[0]!, keys[keys.length - 1]!, keys.length, encodeRangeKeys(keys), range.status, range.runId, range.updatedAt],
    );
    const id = Number(this.sql.rows('SELECT last_insert_rowid()', [])[0]![0]);
    const entry = this.targetIndex(target);
    const stored = { ...range, id };
    entry.ranges.set(id, stored);
    for (const key of keys) entry.byKey.set(key, id);
  }

  private deleteRange(target: string, range: StoredRange): void {
    this.sql.run('DELETE FROM partition_status_ranges WHERE id = ?', [range.id]);
    const entry = this.targetIndex(target);
    entry.ranges.delete(range.id);
    for (const key of range.keys) if (entry.byKey.get(key) === range.id) entry.byKey.delete(key);
  }

  private targetIndex(target: string): { byKey: Map<string, number>; ranges: Map<number, StoredRange> } {
    let entry = this.index.get(target);
    if (entry) return entry;
    entry = { byKey: new Map(), ranges: new Map() };
    for (const row of this.sql.rows('SELECT id, keys, status, run_id, updated_at FROM partition_status_ranges WHERE target = ? ORDER BY id', [target])) {
      const range: StoredRange = { id: Number(row[0]), keys: decodeRangeKeys(String(row[1])), status: row[2] as StoredRange['status'], runId: row[3] === null ? null : String(row[3]), updatedAt: Number(row[4]) };
      entry.ranges.set(range.id, range);
      for (const key of range.keys) entry.byKey.set(key, range.id);
    }
    this.index.set(target, entry);
    return entry;
  }
}
