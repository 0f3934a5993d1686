// How a sql.js state store is opened: its file, clock, journal and lock settings, and whom it tells of problems.
import type { CorruptStateFile } from './stateFile';
import type { JournalAppender } from './stateJournal';
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
