// The StateStore on one SQLite file through sql.js: changes as records, appended to a journal per flush, checkpointed by atomic replace.
import { randomBytes } from 'node:crypto';
import type { SqlJsStatic } from 'sql.js';
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RunRecord, RunUpdate } from '../backfill/backfill';
import { validateDynamicPartitionKeys } from '../partitions/dynamicPartitionsDefinition';
import { journalPath, moveAsideJournal, readJournaledVersion, replay, type JournalPosition } from './journaledStateFile';
import { encodeEventPayload } from './runEventLog';
import type { StateDatabase } from './stateDatabase';
import { StateStoreError, type CorruptStateFile } from './stateFile';
import { JournalAppender, journalBatch, journalHeader, parseJournal, readJournal } from './stateJournal';
import type { BackfillPrune, StateStore } from './stateStore';
import { StateStoreReads } from './stateStoreReads';
import type { StateStoreOptions } from './openStateStore';
import { applyMutation, type StoreMutation } from './storeMutation';
import { StateStoreReadOnlyError, WriterLock } from './writerLock';
import { sameSignature, statSignatureSync, writeFileAtomic, type FileSignature } from './writeFileAtomic';

/*
 * On disk: the snapshot `state.sqlite` (a whole SQLite image, replaced atomically) and the journal
 * `state.sqlite.journal` (see stateJournal.ts). A flush appends the pending change records as one
 * checksummed line and fdatasyncs it: cost proportional to the changes, not the database. A checkpoint
 * (export, atomic replace, a fresh journal naming the new snapshot) runs when the journal passes a size or
 * an age, when one flush is big, and on close. Opening replays the journal onto the snapshot; another
 * process's appends are replayed as they come (reloadIfChanged), its checkpoints reloaded whole.
 */
export { CorruptStateFileError, StateStoreError, type CorruptStateFile } from './stateFile';
export { StateStoreReadOnlyError } from './writerLock';

const MAX_RETRY_DELAY_MS = 30_000;

export class SqlJsStateStore extends StateStoreReads implements StateStore {
  /** Change records applied in memory but not yet durable, kept to replay onto a newer version from another process. */
  private readonly pending: StoreMutation[] = [];
  private dirty = false;
  /** Set when the next write must be a checkpoint (created, migrated, recovered). */
  private checkpointDue = false;
  /** A damaged record found in the middle of our journal by a reload: the next checkpoint sets the journal aside. */
  private journalDamage: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  /** Serialises disk work (writes and reloads) so that they never overlap. */
  private queue: Promise<unknown> = Promise.resolve();
  /** A flush waiting in the queue: later flush() calls join it, so concurrent callers share one fdatasync. */
  private queuedFlush: Promise<void> | undefined;
  private closed = false;
  private readonly journalFile: string;
  /** The snapshot id our journal position refers to (the snapshot on disk we are based on). */
  private snapshotId: string;
  private readonly flushDelayMs: number;
  private readonly now: () => number;
  private readonly writeFile: (filePath: string, data: Uint8Array) => Promise<FileSignature>;
  private readonly appender: Pick<JournalAppender, 'append' | 'close'>;

  constructor(
    private readonly sql: SqlJsStatic,
    private readonly file: string,
    private state: StateDatabase,
    /** The version of the snapshot our memory is based on (last read or written); null before the first write. */
    private signature: FileSignature | null,
    private journal: JournalPosition | null,
    /** A journal on disk known to belong to an earlier snapshot, so its presence is no news. */
    private ignoredJournal: { ino: number; size: number } | undefined,
    private readonly lock: WriterLock | undefined,
    /** Set when the file (or journal) found at open was damaged and moved aside: callers show it once. */
    readonly corruptFile: CorruptStateFile | undefined,
    private readonly options: StateStoreOptions,
  ) {
    super();
    this.journalFile = journalPath(file);
    this.snapshotId = state.snapshotId();
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.now = options.now ?? Date.now;
    this.writeFile = options.writeFile ?? writeFileAtomic;
    this.appender = options.journalAppender ?? new JournalAppender();
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  /** True while another live process holds the writer lock (and we do not): mutations would be refused. */
  get readOnly(): boolean {
    return this.lock !== undefined && !this.closed && !this.lock.holding && this.lock.otherHolder() !== undefined;
  }

  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void {
    this.mutate({ op: 'createBackfill', backfill: structuredClone(backfill), runs: structuredClone(runs) });
  }

  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void {
    this.mutate({ op: 'updateBackfillStatus', id, status, endedAt });
  }

  setBackfillOwner(id: string, owner: BackfillOwner | null): void {
    this.mutate({ op: 'setBackfillOwner', id, owner: owner ? { ...owner } : null });
  }

  setBackfillPaused(id: string, pausedAt: number | null): void {
    this.mutate({ op: 'setBackfillPaused', id, pausedAt });
  }

  setBackfillError(id: string, error: string | null): void {
    this.mutate({ op: 'setBackfillError', id, error });
  }

  updateRun(id: string, update: RunUpdate): void {
    this.mutate({ op: 'updateRun', id, update: { ...update } });
  }

  appendRunLog(runId: string, text: string): void {
    this.mutate({ op: 'appendRunLog', runId, text });
  }

  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null): void {
    this.mutate({ op: 'setPartitionStatuses', target, keys: [partitionKey], status, runId, at: this.now() });
  }

  setPartitionStatuses(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null): void {
    if (keys.length === 0) return;
    this.mutate({ op: 'setPartitionStatuses', target, keys: [...keys], status, runId, at: this.now() });
  }

  savePlan(backfillId: string, planJson: string, inputsHash: string): void {
    this.mutate({ op: 'savePlan', backfillId, planJson, inputsHash, at: this.now() });
  }

  /** The payload is encoded once, here, so a later change to the caller's object cannot alter the event. */
  appendRunEvent(runId: string, kind: string, payload: unknown): void {
    const copy = JSON.parse(encodeEventPayload(runId, kind, payload)) as unknown;
    this.mutate({ op: 'appendRunEvent', runId, kind, payload: copy, at: this.now() });
  }

  /** Adding only keys that exist already changes nothing, so it schedules no write (sensors re-add all the time). */
  addDynamicPartitions(name: string, keys: readonly string[]): void {
    validateDynamicPartitionKeys(name, keys);
    const existing = new Set(this.dynamicPartitionKeys(name));
    if (keys.every((k) => existing.has(k))) return;
    this.mutate({ op: 'addDynamicPartitions', name, keys: [...keys] });
  }

  deleteDynamicPartition(name: string, key: string): void {
    if (!this.dynamicPartitionKeys(name).includes(key)) return;
    this.mutate({ op: 'deleteDynamicPartition', name, key });
  }

  /** The next write is a checkpoint, so the file shrinks at once (StateDatabase vacuums before that export). */
  pruneBackfills(prune: BackfillPrune): void {
    if (prune.remove.length === 0 && prune.dropLogsOf.length === 0) return;
    this.mutate({ op: 'pruneBackfills', remove: [...prune.remove], dropLogsOf: [...prune.dropLogsOf] });
    this.checkpointDue = true;
  }

  reloadIfChanged(): Promise<boolean> {
    if (this.closed) return Promise.reject(new StateStoreError(`the state store ${this.file} is closed`));
    return this.enqueue(async () => {
      if (!(await this.catchUp())) return false;
      // Our unflushed changes were replayed onto the other process's version; persist the union.
      if (this.dirty) await this.writeDirty();
      return true;
    });
  }

  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.clearTimer();
    if (this.queuedFlush) return this.queuedFlush;
    const flush = this.enqueue(async () => {
      this.queuedFlush = undefined;
      await this.writeDirty();
    });
    this.queuedFlush = flush;
    return flush.catch((err: unknown) => {
      // The caller hears of this failure; the retry still runs if it does nothing about it.
      this.scheduleRetry();
      throw err;
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    // A failed final write leaves the store open, so the caller can retry close() without losing changes.
    await this.flush();
    if ((this.journal && this.journal.records > 0) || this.checkpointDue) {
      // Everything is durable in the journal already: a checkpoint that cannot run now (another process is
      // writing, the disk is full) only leaves a longer journal for the next open to replay.
      await this.enqueue(() => this.checkpointIfWritable()).catch((err: unknown) => this.report(err));
    }
    this.closed = true;
    this.clearTimer();
    this.clearRetry();
    this.lock?.release();
    await this.appender.close();
    this.state.close();
  }

  /** Writes the current contents now as a checkpoint (used right after creating, migrating or recovering the file). */
  async persistNow(): Promise<void> {
    this.dirty = true;
    this.checkpointDue = true;
    await this.flush();
  }

  protected open(): StateDatabase {
    if (this.closed) throw new StateStoreError(`the state store ${this.file} is closed`);
    return this.state;
  }

  private mutate(mutation: StoreMutation): void {
    const state = this.open();
    // The first change of a clean store takes the writer lock; a busy holder makes this store read-only.
    if (this.lock && !this.lock.holding) {
      const blocker = this.lock.acquireSync();
      if (blocker) throw new StateStoreReadOnlyError(this.file, blocker);
    }
    try {
      // Applying first means a mutation of an unknown id throws to the caller and is never queued.
      applyMutation(state, mutation);
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

  private report(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    if (!this.options.onWriteError) return;
    try {
      this.options.onWriteError(error);
    } catch {
      // A throwing reporter must not stop the retries.
    }
  }

  /** A failed timed write keeps the changes dirty and in memory; it is reported and retried with backoff. */
  private backgroundFailure(err: unknown): void {
    this.report(err);
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
    // Another process wrote since we last read or wrote: merge instead of overwriting its changes.
    await this.catchUp();
    const written = this.pending.length;
    this.dirty = false;
    try {
      const batch = written > 0 ? journalBatch(this.pending.slice(0, written)) : undefined;
      if (this.checkpointDue || !batch || this.journalFull(batch.length)) await this.checkpoint();
      else await this.append(batch);
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

  private journalFull(batchBytes: number): boolean {
    if (!this.journal) return false;
    const maxBytes = this.options.journalMaxBytes ?? 16 * 1024 * 1024;
    const maxAge = this.options.journalMaxAgeMs ?? 5 * 60_000;
    return this.journal.end + batchBytes > maxBytes || (this.journal.records > 0 && Date.now() - this.journal.since > maxAge);
  }

  private async append(batch: Buffer): Promise<void> {
    if (!this.journal) await this.startJournal();
    const j = this.journal!;
    await this.appender.append(this.journalFile, j.ino, batch, j.end, j.size > j.end);
    j.end += batch.length;
    j.size = j.end;
    j.records++;
  }

  /** Export, atomic replace under a new snapshot id, then a fresh journal naming it. */
  private async checkpoint(): Promise<void> {
    const id = randomBytes(8).toString('hex');
    this.state.setSnapshotId(id);
    this.signature = await this.writeFile(this.file, this.state.export());
    this.snapshotId = id;
    this.checkpointDue = false;
    // From here the old journal is absorbed: its header names the snapshot just replaced.
    await this.appender.close();
    this.journal = null;
    if (this.journalDamage) {
      const moved = await moveAsideJournal(this.journalFile, this.journalDamage, new Date(this.now()));
      this.journalDamage = undefined;
      this.options.onCorruptFile?.(moved);
    }
    try {
      await this.startJournal();
    } catch (err) {
      // Nothing is lost: the snapshot holds everything; the next append starts the journal again.
      this.report(err);
    }
  }

  private async startJournal(): Promise<void> {
    const header = journalHeader(this.snapshotId);
    const signature = await writeFileAtomic(this.journalFile, header);
    this.journal = { ino: signature.ino, end: header.length, size: header.length, records: 0, since: Date.now() };
    this.ignoredJournal = undefined;
  }

  private async checkpointIfWritable(): Promise<void> {
    if (this.lock && !this.lock.verify()) {
      if (await this.lock.acquire()) return;
    }
    try {
      await this.catchUp();
      await this.checkpoint();
    } finally {
      if (!this.dirty) this.lock?.release();
    }
  }

  /**
   * Brings memory to the newest version on disk, keeping our pending records on top; true when it changed.
   * Appends of another process are replayed incrementally when we have nothing pending; anything else
   * (a checkpoint, a replaced journal, our own pending records to re-order after theirs) reloads whole.
   */
  private async catchUp(): Promise<boolean> {
    const snapshot = statSignatureSync(this.file);
    // Gone (deleted by hand): the next write recreates it from memory.
    if (snapshot === null) return false;
    if (!sameSignature(snapshot, this.signature)) return this.reloadFromDisk();
    const onDisk = statSignatureSync(this.journalFile);
    if (!this.journal) {
      if (onDisk === null || (this.ignoredJournal && onDisk.ino === this.ignoredJournal.ino && onDisk.size === this.ignoredJournal.size)) return false;
      return this.reloadFromDisk();
    }
    if (onDisk === null || onDisk.ino !== this.journal.ino || onDisk.size < this.journal.end) return this.reloadFromDisk();
    if (onDisk.size === this.journal.size) return false;
    const tail = await readJournal(this.journalFile, this.journal.end);
    if (!tail || tail.ino !== this.journal.ino) return this.reloadFromDisk();
    const parsed = parseJournal(this.journalFile, tail.bytes, this.journal.end);
    this.journal.size = tail.size;
    // Only a torn tail (or an append still being written): nothing to apply yet.
    if (parsed.batches.length === 0 && !parsed.damage) return false;
    if (parsed.damage || this.pending.length > 0) return this.reloadFromDisk();
    for (const batch of parsed.batches) replay(this.state, batch);
    this.journal.end = parsed.validEnd;
    this.journal.records += parsed.batches.length;
    return true;
  }

  /** Loads the newest snapshot and journal and replays our pending records onto them; false when the file is gone. */
  private async reloadFromDisk(): Promise<boolean> {
    const version = await readJournaledVersion(this.sql, this.file, Date.now());
    if (!version) return false;
    replay(version.state, this.pending);
    this.state.close();
    this.state = version.state;
    this.signature = version.signature;
    this.snapshotId = version.state.snapshotId();
    await this.appender.close();
    this.journal = version.journal;
    this.ignoredJournal = version.ignored;
    if (version.damage) {
      // The intact records before the damage are applied; a checkpoint (under the lock) sets the journal aside.
      this.report(new StateStoreError(`${version.damage}; the records before it were applied and the journal will be set aside at the next write`));
      this.journalDamage = version.damage;
      this.checkpointDue = true;
    }
    this.dirty = this.pending.length > 0;
    return true;
  }
}
