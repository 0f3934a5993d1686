// Opening the sql.js state store: the snapshot (moved aside under the writer lock when damaged) and its journal replayed, reporting what did not apply.
import * as path from 'node:path';
import { describeReplayProblem, journalPath, moveAsideJournal, replayJournal } from './journaledStateFile';
import { loadSqlJs } from './loadSqlJs';
import { SqlJsStateStore } from './sqlJsStateStore';
import { defaultLockOwner, readAndOpenStateFile } from './stateFile';
import { StateFileVersion } from './stateFileVersion';
import type { OpenedStateFile } from './stateFile';
import { JournalAppender } from './stateJournal';
import type { StateStoreOptions } from './stateStoreOptions';
import { WriterLock } from './writerLock';
import { writeFileAtomic } from './writeFileAtomic';

export type { StateStoreOptions } from './stateStoreOptions';

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
