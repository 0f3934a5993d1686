// Opening the sql.js state store: the writer lock, the snapshot (moved aside when damaged) and its journal replayed.
import * as path from 'node:path';
import { journalPath, moveAsideJournal, replayJournal } from './journaledStateFile';
import { loadSqlJs } from './loadSqlJs';
import { SqlJsStateStore } from './sqlJsStateStore';
import { StateStoreError, defaultLockOwner, readAndOpenStateFile } from './stateFile';
import type { CorruptStateFile, OpenedStateFile } from './stateFile';
import type { JournalAppender } from './stateJournal';
import { StateStoreReadOnlyError, WriterLock } from './writerLock';
import type { FileSignature } from './writeFileAtomic';

export interface StateStoreOptions {
  /** The SQLite file, e.g. `<workspace>/.backfills/state.sqlite`. */
  path: string;
  /** sql.js's wasm; see defaultWasmPath(). */
  wasmPath?: string;
  /** How long changes collect in memory before one write carries them all (default 50 ms). */
  flushDelayMs?: number;
  /** Clock for partition status `updated_at`, plan and event times (epoch ms). */
  now?: () => number;
  /** Replaces the snapshot with new content (checkpoints); injectable so tests can count or fail writes. */
  writeFile?: (filePath: string, data: Uint8Array) => Promise<FileSignature>;
  /** Appends to the journal and makes it durable; injectable so tests can count or fail appends. */
  journalAppender?: Pick<JournalAppender, 'append' | 'close'>;
  /**
   * A checkpoint replaces the journal once it holds this many bytes (default 16 MiB: about 150,000 status
   * changes, replayed at open in about a second) or is this old (default 5 min).
   */
  journalMaxBytes?: number;
  journalMaxAgeMs?: number;
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

export async function openStateStore(options: StateStoreOptions): Promise<SqlJsStateStore> {
  const file = path.resolve(options.path);
  const now = options.now ?? Date.now;
  const sql = await loadSqlJs(options.wasmPath);
  const lock = options.lock === false ? undefined : new WriterLock(file, {
    owner: options.owner ?? defaultLockOwner(),
    waitMs: options.lockWaitMs ?? 1000,
    heartbeatMs: options.heartbeatMs ?? 1000,
    staleMs: options.staleLockMs ?? 10_000,
  });
  let opened: OpenedStateFile;
  let journal: Awaited<ReturnType<typeof replayJournal>>;
  const journalFile = journalPath(file);
  try {
    opened = await readAndOpenStateFile(sql, file, lock, now);
    if (opened.corrupt) {
      // The journal's records applied to the snapshot just set aside: keep them beside it.
      await moveAsideJournal(journalFile, opened.corrupt.reason, new Date(now())).catch(() => undefined);
      journal = { journal: null, ignored: undefined, damage: undefined };
    } else {
      journal = await replayJournal(journalFile, opened.state, Date.now());
    }
  } catch (err) {
    lock?.release();
    throw err;
  }
  let { corrupt, needsWrite } = opened;
  const { state, signature } = opened;
  if (journal.damage) {
    // Setting it aside is a write: under the lock, as for a damaged snapshot. The snapshot is never touched.
    const blocker = lock && !lock.holding ? await lock.acquire() : undefined;
    if (blocker) {
      state.close();
      throw new StateStoreError(`${journal.damage}; it cannot be moved aside now because ${new StateStoreReadOnlyError(file, blocker).message}`);
    }
    corrupt = await moveAsideJournal(journalFile, journal.damage, new Date(now()));
    journal = { journal: null, ignored: undefined, damage: undefined };
    needsWrite = true;
  }
  const store = new SqlJsStateStore(sql, file, state, signature, journal.journal, journal.ignored, lock, corrupt, options);
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

