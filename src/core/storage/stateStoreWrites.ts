// The write side of the sql.js state store (StateStoreWrites): change records kept in memory until one short write under the writer lock makes them durable.
import * as path from 'node:path';
import { ensureStateFolder, StateStoreError } from './stateFile';
import type { StateFileVersion } from './stateFileVersion';
import type { StateStoreOptions } from './stateStoreOptions';
import type { StoreMutation } from './storeMutation';
import { describeHolder, type LockHolder, type WriterLock } from './writerLock';

const MAX_RETRY_DELAY_MS = 30_000;

/**
 * A mutation is applied to memory at once (SqlJsStateStore) and its record queued here (`pending`); it never waits for another
 * process and never fails because of one. A write (timed, flush() or close()) waits asynchronously for the
 * writer lock, catches up with the newest version on disk (replaying the pending records on top), appends
 * them to the journal or checkpoints, and releases the lock at once (see writerLock.ts, stateFileVersion.ts).
 * Until then the records stay in memory. A write that waits past `unwritableWarnMs` is reported once, naming
 * the holder, and its end is reported too; a write that fails (disk full) is reported and retried with backoff.
 */
export class StateStoreWrites {
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
  private isClosed = false;
  /** The state folder is made by the first write (with its lock), never by opening: a store only read leaves no folder behind. */
  private folderReady = false;
  private readonly flushDelayMs: number;

  constructor(
    private readonly file: string,
    private readonly version: StateFileVersion,
    private readonly lock: WriterLock | undefined,
    private readonly options: StateStoreOptions,
  ) {
    this.flushDelayMs = options.flushDelayMs ?? 50;
    this.retryDelayMs = options.retryDelayMs ?? 1000;
  }

  get closed(): boolean {
    return this.isClosed;
  }

  /** Queues a record already applied in memory; a timed write carries it unless a retry is already waiting. */
  add(mutation: StoreMutation): void {
    this.pending.push(mutation);
    if (this.timer === undefined && this.retryTimer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.enqueue(() => this.writePending()).catch((err: unknown) => this.backgroundFailure(err));
      }, this.flushDelayMs);
    }
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
    this.isClosed = true;
    this.clearTimer();
    this.clearRetry();
    this.lock?.release();
    await this.version.close();
  }

  private get dirty(): boolean {
    return this.pending.length > 0 || this.version.checkpointDue;
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
