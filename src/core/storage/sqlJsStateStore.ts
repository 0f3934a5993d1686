// The StateStore on one SQLite file through sql.js: changes applied in memory as records, written under the writer lock by one short write at a time.
import * as path from 'node:path';
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../backfill/backfill';
import { validateDynamicPartitionKeys } from '../partitions/dynamicPartitionsDefinition';
import { encodeEventPayload } from './runEventLog';
import type { StateDatabase } from './stateDatabase';
import { ensureStateFolder, StateStoreError, type CorruptStateFile } from './stateFile';
import type { StateFileVersion } from './stateFileVersion';
import type { BackfillPrune, StateStore } from './stateStore';
import { StateStoreReads } from './stateStoreReads';
import type { StateStoreOptions } from './stateStoreOptions';
import { applyMutation, type StoreMutation } from './storeMutation';
import { describeHolder, type LockHolder, type WriterLock } from './writerLock';

/*
 * A mutation applies its record to memory at once and queues it (`pending`); it never waits for another
 * process and never fails because of one. A write (timed, flush() or close()) waits asynchronously for the
 * writer lock, catches up with the newest version on disk (replaying the pending records on top), appends
 * them to the journal or checkpoints, and releases the lock at once (see writerLock.ts, stateFileVersion.ts).
 * Until then the records stay in memory. A write that waits past `unwritableWarnMs` is reported once, naming
 * the holder, and its end is reported too; a write that fails (disk full) is reported and retried with backoff.
 */
export { CorruptStateFileError, StateStoreError, type CorruptStateFile } from './stateFile';

const MAX_RETRY_DELAY_MS = 30_000;

export class SqlJsStateStore extends StateStoreReads implements StateStore {
  /** Change records applied in memory but not yet durable, kept to replay onto a newer version from another process. */
  private readonly pending: StoreMutation[] = [];
  private timer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelayMs: number;
  /** Serialises disk work (writes and reloads) so that they never overlap. */
  private queue: Promise<unknown> = Promise.resolve();
  /** A flush waiting in the queue: later flush() calls join it, so concurrent callers share one fdatasync. */
  private queuedFlush: Promise<void> | undefined;
  /** The holder we were reported as waiting for (past the bound); cleared, with a notice, by the next write. */
  private unwritableSince: number | undefined;
  private closed = false;
  /** The state folder is made by the first write (with its lock), never by opening: a store only read leaves no folder behind. */
  private folderReady = false;
  private readonly flushDelayMs: number;
  private readonly now: () => number;

  constructor(
    private readonly file: string,
    private readonly version: StateFileVersion,
    private readonly lock: WriterLock | undefined,
    /** Set when the file (or journal) found at open was damaged and moved aside: callers show it once. */
    readonly corruptFile: CorruptStateFile | undefined,
    private readonly options: StateStoreOptions,
  ) {
    super();
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.now = options.now ?? Date.now;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void {
    this.mutate({ op: 'createBackfill', backfill: structuredClone(backfill), runs: structuredClone(runs) });
  }

  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void {
    this.mutate({ op: 'updateBackfillStatus', id, status, endedAt });
  }

  setBackfillOwner(id: string, owner: BackfillOwner | null, expected?: BackfillOwner | null): void {
    const claim = expected === undefined ? {} : { expected: expected ? { ...expected } : null };
    this.mutate({ op: 'setBackfillOwner', id, owner: owner ? { ...owner } : null, ...claim });
  }

  setBackfillPaused(id: string, pausedAt: number | null): void {
    this.mutate({ op: 'setBackfillPaused', id, pausedAt });
  }

  setBackfillError(id: string, error: string | null): void {
    this.mutate({ op: 'setBackfillError', id, error });
  }

  setBackfillRemote(id: string, remote: RemoteBackfillOrigin): void {
    this.mutate({ op: 'setBackfillRemote', id, remote: { ...remote } });
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
    this.version.checkpointDue = true;
  }

  /** Reads another process's writes (our unwritten records stay on top; the timed write carries them). */
  reloadIfChanged(): Promise<boolean> {
    if (this.closed) return Promise.reject(new StateStoreError(`the state store ${this.file} is closed`));
    return this.enqueue(() => this.version.catchUp(this.pending));
  }

  /** Resolves once everything acknowledged so far is on disk, waiting (asynchronously) for another writer as long as it holds the lock. */
  flush(): Promise<void> {
    if (this.closed) return Promise.resolve();
    this.clearTimer();
    if (this.queuedFlush) return this.queuedFlush;
    const flush = this.enqueue(async () => {
      this.queuedFlush = undefined;
      await this.writePending();
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
    if (this.version.journalHasRecords || this.version.checkpointDue) {
      // Everything is durable in the journal already: a checkpoint that cannot run now (another process is
      // writing, the disk is full) only leaves a longer journal for the next open to replay.
      await this.enqueue(() => this.checkpointIfFree()).catch((err: unknown) => this.reportWriteError(err));
    }
    this.closed = true;
    this.clearTimer();
    this.clearRetry();
    this.lock?.release();
    await this.version.close();
  }

  /** Writes the current contents now as a checkpoint (after creating, migrating or recovering the file; under the lock the opener holds, if any). */
  async persistNow(): Promise<void> {
    this.version.checkpointDue = true;
    await this.flush();
  }

  protected open(): StateDatabase {
    if (this.closed) throw new StateStoreError(`the state store ${this.file} is closed`);
    return this.version.state;
  }

  private get dirty(): boolean {
    return this.pending.length > 0 || this.version.checkpointDue;
  }

  private mutate(mutation: StoreMutation): void {
    // Applying first means a mutation of an unknown id throws to the caller and is never queued.
    applyMutation(this.open(), mutation);
    this.pending.push(mutation);
    if (this.timer === undefined && this.retryTimer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.enqueue(() => this.writePending()).catch((err: unknown) => this.backgroundFailure(err));
      }, this.flushDelayMs);
    }
  }

  /** One write of everything pending: the lock for milliseconds, merged onto the newest version on disk. */
  private async writePending(): Promise<void> {
    let done = false;
    if (this.dirty && !this.closed && !this.folderReady) {
      await ensureStateFolder(path.dirname(this.file));
      this.folderReady = true;
    }
    while (!done && this.dirty && !this.closed) {
      done = await this.underLock(async () => {
        // Another process wrote since we last read or wrote: merge instead of overwriting its changes.
        await this.version.catchUp(this.pending);
        const written = this.pending.length;
        if (written === 0 && !this.version.checkpointDue) return true;
        // A stall past staleLockMs lets another process take the lock over: write only while it is still ours
        // (refreshed just now), and only onto the files catchUp read; otherwise catch up again.
        if (this.lock && !this.lock.refresh()) return false;
        let wrote: boolean;
        try {
          wrote = await this.version.write(this.pending.slice(0, written));
        } catch (err) {
          throw new StateStoreError(`could not write the state store ${this.file} (the changes are kept in memory and retried): ${err instanceof Error ? err.message : String(err)}`);
        }
        if (wrote) this.pending.splice(0, written);
        return wrote;
      });
    }
    this.retryDelayMs = this.options.retryDelayMs ?? 1000;
    this.clearRetry();
  }

  /** Runs `task` holding the writer lock, released right after; a lock we already hold (taken by the opener) is used as is. */
  private async underLock<T>(task: () => Promise<T>): Promise<T> {
    const lock = this.lock;
    if (!lock || lock.verify()) return task();
    await lock.acquire((holder, waitedMs) => this.waitingFor(holder, waitedMs));
    let result: T;
    try {
      result = await task();
    } finally {
      lock.release();
    }
    if (this.unwritableSince !== undefined) {
      const seconds = Math.round((Date.now() - this.unwritableSince) / 1000);
      this.unwritableSince = undefined;
      this.options.onWritable?.(`The state file ${this.file} is writable again: the changes kept in memory for ${seconds} s are written.`);
    }
    return result;
  }

  /** Reported once per episode, past the bound: runs go on meanwhile, their changes wait in memory. */
  private waitingFor(holder: LockHolder, waitedMs: number): void {
    if (this.unwritableSince !== undefined || waitedMs < (this.options.unwritableWarnMs ?? 15_000)) return;
    this.unwritableSince = Date.now() - waitedMs;
    this.options.onWarning?.(`The state file ${this.file} could not be written for ${Math.round(waitedMs / 1000)} s: ${describeHolder(this.file, holder)}. Runs go on; their changes are kept in memory and written once it lets go.`);
  }

  /** Closing does not wait for another writer: without the lock now, the journal simply stays for the next open. */
  private async checkpointIfFree(): Promise<void> {
    const lock = this.lock;
    if (lock && !lock.verify() && lock.tryAcquire()) return;
    try {
      await this.version.catchUp(this.pending);
      if (!lock || lock.refresh()) await this.version.write([]);
    } finally {
      lock?.release();
    }
  }

  private reportWriteError(err: unknown): void {
    const error = err instanceof Error ? err : new Error(String(err));
    try {
      this.options.onWriteError?.(error);
    } catch {
      // A throwing reporter must not stop the retries.
    }
  }

  /** A failed timed write keeps the changes in memory; it is reported and retried with backoff. */
  private backgroundFailure(err: unknown): void {
    this.reportWriteError(err);
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.closed || !this.dirty || this.retryTimer !== undefined) return;
    const delay = this.retryDelayMs;
    this.retryDelayMs = Math.min(MAX_RETRY_DELAY_MS, this.retryDelayMs * 2);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.enqueue(() => this.writePending()).catch((e: unknown) => this.backgroundFailure(e));
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
}
