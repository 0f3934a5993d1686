// Opening the sql.js state store: the snapshot (moved aside under the writer lock when damaged) and its journal replayed, reporting what did not apply.
import * as path from 'node:path';
import { describeReplayProblem, journalPath, moveAsideJournal, replayJournal } from './journaledStateFile';
import { loadSqlJs } from './loadSqlJs';
import { SqlJsStateStore } from './sqlJsStateStore';
import { defaultLockOwner, readAndOpenStateFile } from './stateFile';
import { StateFileVersion } from './stateFileVersion';
import type { CorruptStateFile, OpenedStateFile } from './stateFile';
import { JournalAppender } from './stateJournal';
import { WriterLock } from './writerLock';
import { writeFileAtomic, type FileSignature } from './writeFileAtomic';

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
  /** Take the writer lock `<path>.lock` for each write (default true); false only where one writer is guaranteed otherwise. */
  lock?: boolean;
  /** Who we are in the lock, shown to a process that finds it held (default: this script's name). */
  owner?: string;
  /** How long a write may wait for another process's lock before onWarning names that process (default 15 s). */
  unwritableWarnMs?: number;
  /** Lock heartbeat period (default 1000 ms) and the age after which a lock counts as abandoned (default 10 s). */
  heartbeatMs?: number;
  staleLockMs?: number;
  /**
   * Something the user should hear of once, as a sentence: the file stayed unwritable past unwritableWarnMs
   * (naming the process that holds it), change records that could not be applied, journal damage found by a reload.
   */
  onWarning?: (message: string) => void;
  /** The file that onWarning reported unwritable was written after all. */
  onWritable?: (message: string) => void;
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
    heartbeatMs: options.heartbeatMs ?? 1000,
    staleMs: options.staleLockMs ?? 10_000,
  });
  const warn = (message: string) => options.onWarning?.(message);
  let opened: OpenedStateFile | undefined;
  try {
    // A damaged file is moved aside under the lock (readAndOpenStateFile takes it), and the lock is kept until
    // the new file is written, so no other process reads the gap between the two.
    opened = await readAndOpenStateFile(sql, file, lock, now);
    const journalFile = journalPath(file);
    let journal: Awaited<ReturnType<typeof replayJournal>>;
    if (opened.corrupt) {
      // The journal's records applied to the snapshot just set aside: keep them beside it.
      await moveAsideJournal(journalFile, opened.corrupt.reason, new Date(now())).catch(() => undefined);
      journal = { journal: null, ignored: undefined, damage: undefined, problems: [] };
    } else {
      journal = await replayJournal(journalFile, opened.state, Date.now());
    }
    let { corrupt, needsWrite } = opened;
    if (journal.problems.length > 0) {
      warn(`${journal.problems.length} record${journal.problems.length === 1 ? '' : 's'} of ${journalFile} could not be applied and ${journal.problems.length === 1 ? 'is' : 'are'} left out: ${journal.problems.slice(0, 5).map(describeReplayProblem).join('; ')}${journal.problems.length > 5 ? ` and ${journal.problems.length - 5} more` : ''}`);
    }
    if (journal.damage) {
      // Setting it aside is a write: under the lock, as for a damaged snapshot. The snapshot is never touched.
      if (lock && !lock.verify()) await lock.acquire();
      corrupt = await moveAsideJournal(journalFile, journal.damage, new Date(now()));
      journal = { journal: null, ignored: undefined, damage: undefined, problems: [] };
      needsWrite = true;
    }
    const version = new StateFileVersion(sql, file, opened.state, opened.signature, journal.journal, journal.ignored, {
      now,
      writeFile: options.writeFile ?? writeFileAtomic,
      appender: options.journalAppender ?? new JournalAppender(),
      journalMaxBytes: options.journalMaxBytes ?? 16 * 1024 * 1024,
      journalMaxAgeMs: options.journalMaxAgeMs ?? 5 * 60_000,
      warn,
      ...(options.onCorruptFile ? { onCorruptFile: options.onCorruptFile } : {}),
    });
    const store = new SqlJsStateStore(file, version, lock, corrupt, options);
    if (corrupt) options.onCorruptFile?.(corrupt);
    if (needsWrite) await store.persistNow();
    lock?.release();
    return store;
  } catch (err) {
    lock?.release();
    opened?.state.close();
    throw err;
  }
}
