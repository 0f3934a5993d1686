// The StateStore on one SQLite file through sql.js: in-memory changes, batched atomic writes, merge on reload.
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { BackfillRecord, BackfillStatus, PartitionStatus, RunRecord, RunUpdate } from '../backfill/backfill';
import { validateDynamicPartitionKeys } from '../partitions/dynamicPartitionsDefinition';
import { loadSqlJs } from './loadSqlJs';
import type { StateDatabase } from './stateDatabase';
import { StateStoreError, ensureStateFolder, openStateDatabase, readStateFile } from './stateFile';
import type { StateStore } from './stateStore';
import { sameSignature, statSignature, writeFileAtomic } from './writeFileAtomic';
import type { FileSignature } from './writeFileAtomic';

export { StateStoreError } from './stateFile';

export interface StateStoreOptions {
  /** The SQLite file, e.g. `<workspace>/.backfills/state.sqlite`. */
  path: string;
  /** sql.js's wasm; see defaultWasmPath(). */
  wasmPath?: string;
  /** How long changes collect in memory before one write carries them all (default 50 ms). */
  flushDelayMs?: number;
  /** Clock for partition status `updated_at` (epoch ms). */
  now?: () => number;
  /** Replaces the file with new content; injectable so tests can count or fail writes. */
  writeFile?: (filePath: string, data: Uint8Array) => Promise<FileSignature>;
}

type Mutation = (state: StateDatabase) => void;

export async function openStateStore(options: StateStoreOptions): Promise<StateStore> {
  const file = path.resolve(options.path);
  const sql = await loadSqlJs(options.wasmPath);
  const snapshot = await readStateFile(file);
  if (!snapshot) await ensureStateFolder(path.dirname(file));
  const { state, migrated } = openStateDatabase(sql, file, snapshot?.bytes);
  const store = new SqlJsStateStore(sql, file, state, snapshot?.signature ?? null, options);
  if (!snapshot || migrated) {
    try {
      await store.persistNow();
    } catch (err) {
      state.close();
      throw err;
    }
  }
  return store;
}

class SqlJsStateStore implements StateStore {
  /** Mutations applied in memory but not yet confirmed on disk, kept to replay onto a newer file from another process. */
  private readonly pending: Mutation[] = [];
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  /** Serialises disk work (writes and reloads) so that they never overlap. */
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private readonly flushDelayMs: number;
  private readonly now: () => number;
  private readonly writeFile: (filePath: string, data: Uint8Array) => Promise<FileSignature>;

  constructor(
    private readonly sql: SqlJsStatic,
    private readonly file: string,
    private state: StateDatabase,
    /** The version of the file our memory matches (last read or written); null before the first write. */
    private signature: FileSignature | null,
    options: StateStoreOptions,
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.now = options.now ?? Date.now;
    this.writeFile = options.writeFile ?? writeFileAtomic;
  }

  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void {
    const b = structuredClone(backfill);
    const rs = structuredClone(runs);
    this.mutate((s) => s.createBackfill(b, rs));
  }

  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void {
    this.mutate((s) => s.updateBackfillStatus(id, status, endedAt));
  }

  updateRun(id: string, update: RunUpdate): void {
    const u = { ...update };
    this.mutate((s) => s.updateRun(id, u));
  }

  appendRunLog(runId: string, text: string): void {
    this.mutate((s) => s.appendRunLog(runId, text));
  }

  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null): void {
    const at = this.now();
    this.mutate((s) => s.setPartitionStatus(target, partitionKey, status, runId, at));
  }

  /** Adding only keys that exist already changes nothing, so it schedules no write (sensors re-add all the time). */
  addDynamicPartitions(name: string, keys: readonly string[]): void {
    validateDynamicPartitionKeys(name, keys);
    const existing = new Set(this.dynamicPartitionKeys(name));
    if (keys.every((k) => existing.has(k))) return;
    const ks = [...keys];
    this.mutate((s) => s.addDynamicPartitions(name, ks));
  }

  deleteDynamicPartition(name: string, key: string): void {
    if (!this.dynamicPartitionKeys(name).includes(key)) return;
    this.mutate((s) => s.deleteDynamicPartition(name, key));
  }

  dynamicPartitionKeys(name: string): string[] {
    return this.open().dynamicPartitionKeys(name);
  }

  listBackfills(): BackfillRecord[] {
    return this.open().listBackfills();
  }

  getBackfill(id: string): BackfillRecord | undefined {
    return this.open().getBackfill(id);
  }

  listRuns(backfillId: string): RunRecord[] {
    return this.open().listRuns(backfillId);
  }

  getRun(id: string): RunRecord | undefined {
    return this.open().getRun(id);
  }

  runLog(runId: string): string {
    return this.open().runLog(runId);
  }

  partitionStatuses(target: string): Map<string, PartitionStatus> {
    return this.open().partitionStatuses(target);
  }

  reloadIfChanged(): Promise<boolean> {
    if (this.closed) return Promise.reject(new StateStoreError(`the state store ${this.file} is closed`));
    return this.enqueue(async () => {
      const current = await statSignature(this.file);
      if (current === null || sameSignature(current, this.signature)) return false;
      if (!(await this.replaceFromDisk())) return false;
      // Our unflushed changes were replayed onto the other process's version; persist the union.
      if (this.dirty) await this.writeDirty();
      return true;
    });
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.clearTimer();
    return this.enqueue(() => this.writeDirty());
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // A failed final write leaves the store open, so the caller can retry close() without losing changes.
    await this.flush();
    this.closed = true;
    this.clearTimer();
    this.state.close();
  }

  /** Writes the current contents now (used right after creating or migrating the file). */
  async persistNow(): Promise<void> {
    this.dirty = true;
    await this.flush();
  }

  private open(): StateDatabase {
    if (this.closed) throw new StateStoreError(`the state store ${this.file} is closed`);
    return this.state;
  }

  private mutate(mutation: Mutation): void {
    // Applying first means a mutation of an unknown id throws to the caller and is never queued.
    mutation(this.open());
    this.pending.push(mutation);
    this.dirty = true;
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        // A failed timed write keeps the changes dirty; the next flush() retries it and reports the error.
        this.enqueue(() => this.writeDirty()).catch(() => undefined);
      }, this.flushDelayMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async writeDirty(): Promise<void> {
    if (!this.dirty || this.closed) return;
    const current = await statSignature(this.file);
    // Another process replaced the file since we last read or wrote it: merge instead of overwriting its changes.
    if (current !== null && !sameSignature(current, this.signature)) await this.replaceFromDisk();
    const data = this.state.export();
    const written = this.pending.length;
    this.dirty = false;
    try {
      this.signature = await this.writeFile(this.file, data);
    } catch (err) {
      this.dirty = true;
      throw new StateStoreError(`could not write the state store ${this.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    this.pending.splice(0, written);
  }

  /** Loads the file's current version and replays our pending mutations onto it; false when the file is gone. */
  private async replaceFromDisk(): Promise<boolean> {
    const snapshot = await readStateFile(this.file);
    if (!snapshot) return false;
    const { state } = openStateDatabase(this.sql, this.file, snapshot.bytes);
    for (const mutation of this.pending) {
      try {
        mutation(state);
      } catch {
        // The other process's version no longer has the row this change was about (it replaced the file
        // without it); there is nothing left to apply the change to.
      }
    }
    this.state.close();
    this.state = state;
    this.signature = snapshot.signature;
    this.dirty = this.pending.length > 0;
    return true;
  }
}
