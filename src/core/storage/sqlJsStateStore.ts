// The StateStore on one SQLite file through sql.js: in-memory changes, batched atomic writes, merge on reload.
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import type { BackfillRecord, BackfillStatus, PartitionStatus, RunRecord, RunUpdate } from '../backfill/backfill';
import { validateDynamicPartitionKeys } from '../partitions/dynamicPartitionsDefinition';
import { loadSqlJs } from './loadSqlJs';
import { encodeEventPayload } from './runEventLog';
import type { RunEvent, SavedPlan } from './runEventLog';
import type { StateDatabase } from './stateDatabase';
import { StateStoreError, defaultLockOwner, openStateDatabase, readAndOpenStateFile, readStateFile } from './stateFile';
import type { CorruptStateFile, OpenedStateFile } from './stateFile';
import type { StateStore } from './stateStore';
import { StateStoreReadOnlyError, WriterLock } from './writerLock';
import { sameSignature, statSignature, writeFileAtomic } from './writeFileAtomic';
import type { FileSignature } from './writeFileAtomic';

export { CorruptStateFileError, StateStoreError } from './stateFile';
export type { CorruptStateFile } from './stateFile';
export { StateStoreReadOnlyError } from './writerLock';

export interface StateStoreOptions {
  /** The SQLite file, e.g. `<workspace>/.backfills/state.sqlite`. */
  path: string;
  /** sql.js's wasm; see defaultWasmPath(). */
  wasmPath?: string;
  /** How long changes collect in memory before one write carries them all (default 50 ms). */
  flushDelayMs?: number;
  /** Clock for partition status `updated_at`, plan and event times (epoch ms). */
  now?: () => number;
  /** Replaces the file with new content; injectable so tests can count or fail writes. */
  writeFile?: (filePath: string, data: Uint8Array) => Promise<FileSignature>;
  /** Take the writer lock `<path>.lock` (default true); false only where one writer is guaranteed otherwise. */
  lock?: boolean;
  /** Who we are in the lock, shown to a process that finds it held (default: this script's name). */
  owner?: string;
  /** How long a mutation or write waits for another process's lock before giving up (default 1000 ms). */
  lockWaitMs?: number;
  /** Lock heartbeat period (default 1000 ms) and the age after which a lock counts as abandoned (default 10 s). */
  heartbeatMs?: number;
  staleLockMs?: number;
  /** A background (timed or retried) write failed; the changes stay in memory and are retried. */
  onWriteError?: (err: Error) => void;
  /** A corrupt or unreadable file was moved aside and an empty store started. */
  onCorruptFile?: (info: CorruptStateFile) => void;
  /** First retry delay after a failed background write, doubling up to 30 s (default 1000 ms). */
  retryDelayMs?: number;
}

type Mutation = (state: StateDatabase) => void;

const MAX_RETRY_DELAY_MS = 30_000;

export async function openStateStore(options: StateStoreOptions): Promise<SqlJsStateStore> {
  const file = path.resolve(options.path);
  const sql = await loadSqlJs(options.wasmPath);
  const lock = options.lock === false ? undefined : new WriterLock(file, {
    owner: options.owner ?? defaultLockOwner(),
    waitMs: options.lockWaitMs ?? 1000,
    heartbeatMs: options.heartbeatMs ?? 1000,
    staleMs: options.staleLockMs ?? 10_000,
  });
  let opened: OpenedStateFile;
  try {
    opened = await readAndOpenStateFile(sql, file, lock, options.now ?? Date.now);
  } catch (err) {
    lock?.release();
    throw err;
  }
  const { state, signature, needsWrite, corrupt } = opened;
  const store = new SqlJsStateStore(sql, file, state, signature, lock, corrupt, options);
  if (corrupt) options.onCorruptFile?.(corrupt);
  if (needsWrite && (!lock || lock.holding || !lock.otherHolder())) {
    try {
      await store.persistNow();
    } catch (err) {
      lock?.release();
      state.close();
      throw err;
    }
  }
  return store;
}

export class SqlJsStateStore implements StateStore {
  /** Mutations applied in memory but not yet confirmed on disk, kept to replay onto a newer file from another process. */
  private readonly pending: Mutation[] = [];
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
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
    private readonly lock: WriterLock | undefined,
    /** Set when the file found at open was damaged and moved aside: callers show it once. */
    readonly corruptFile: CorruptStateFile | undefined,
    private readonly options: StateStoreOptions,
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.now = options.now ?? Date.now;
    this.writeFile = options.writeFile ?? writeFileAtomic;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  /** True while another live process holds the writer lock (and we do not): mutations would be refused. */
  get readOnly(): boolean {
    return this.lock !== undefined && !this.closed && !this.lock.holding && this.lock.otherHolder() !== undefined;
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

  setPartitionStatuses(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null): void {
    if (keys.length === 0) return;
    const at = this.now();
    const ks = [...keys];
    this.mutate((s) => s.setPartitionStatuses(target, ks, status, runId, at));
  }

  savePlan(backfillId: string, planJson: string, inputsHash: string): void {
    const at = this.now();
    this.mutate((s) => s.savePlan(backfillId, planJson, inputsHash, at));
  }

  getPlan(backfillId: string): SavedPlan | undefined {
    return this.open().getPlan(backfillId);
  }

  /** The payload is encoded once, here, so a later change to the caller's object cannot alter the event. */
  appendRunEvent(runId: string, kind: string, payload: unknown): void {
    const at = this.now();
    const copy = JSON.parse(encodeEventPayload(runId, kind, payload)) as unknown;
    this.mutate((s) => s.appendRunEvent(runId, kind, copy, at));
  }

  runEvents(runId: string): RunEvent[] {
    return this.open().runEvents(runId);
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
    return this.enqueue(() => this.writeDirty()).catch((err: unknown) => {
      // The caller hears of this failure; the retry still runs if it does nothing about it.
      this.scheduleRetry();
      throw err;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // A failed final write leaves the store open, so the caller can retry close() without losing changes.
    await this.flush();
    this.closed = true;
    this.clearTimer();
    this.clearRetry();
    this.lock?.release();
    this.state.close();
  }

  /** Writes the current contents now (used right after creating, migrating or recovering the file). */
  async persistNow(): Promise<void> {
    this.dirty = true;
    await this.flush();
  }

  private open(): StateDatabase {
    if (this.closed) throw new StateStoreError(`the state store ${this.file} is closed`);
    return this.state;
  }

  private mutate(mutation: Mutation): void {
    const state = this.open();
    // The first change of a clean store takes the writer lock; a busy holder makes this store read-only.
    if (this.lock && !this.lock.holding) {
      const blocker = this.lock.acquireSync();
      if (blocker) throw new StateStoreReadOnlyError(this.file, blocker);
    }
    try {
      // Applying first means a mutation of an unknown id throws to the caller and is never queued.
      mutation(state);
    } catch (err) {
      if (!this.dirty) this.lock?.release();
      throw err;
    }
    this.pending.push(mutation);
    this.dirty = true;
    if (this.timer === undefined && this.retryTimer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.enqueue(() => this.writeDirty()).catch((err: unknown) => this.backgroundFailure(err));
      }, this.flushDelayMs);
    }
  }

  /** A failed timed write keeps the changes dirty and in memory; it is reported and retried with backoff. */
  private backgroundFailure(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (this.options.onWriteError) {
      try {
        this.options.onWriteError(error);
      } catch {
        // A throwing reporter must not stop the retries.
      }
    }
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || !this.dirty || this.retryTimer !== undefined) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, this.retryDelayMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.enqueue(() => this.writeDirty()).catch((e: unknown) => this.backgroundFailure(e));
    }, delay);
    // Retrying must not keep a process alive on its own; close() makes the last attempt and reports it.
    this.retryTimer.unref();
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const result = this.queue.then(task);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private async writeDirty(): Promise<void> {
    if (!this.dirty || this.closed) return;
    // We may have lost the lock (another process judged us stale) or given it back after the last write.
    if (this.lock && !this.lock.verify()) {
      const blocker = await this.lock.acquire();
      if (blocker) throw new StateStoreReadOnlyError(this.file, blocker);
    }
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
      throw new StateStoreError(`could not write the state store ${this.file} (the changes are kept in memory and retried): ${err instanceof Error ? err.message : String(err)}`);
    }
    this.pending.splice(0, written);
    this.retryDelayMs = this.options.retryDelayMs ?? 1000;
    this.clearRetry();
    // Changes made during the write keep the lock until the write that carries them.
    if (!this.dirty) this.lock?.release();
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
