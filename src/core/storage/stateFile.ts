// The state file on disk: reading one version of it, creating its folder, and opening its bytes as a checked, migrated database.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { migrate } from './migrations';
import { StateDatabase } from './stateDatabase';
import type { WriterLock } from './writerLock';
import { fileSignature, sameSignature, statSignature } from './writeFileAtomic';
import type { FileSignature } from './writeFileAtomic';

/** Raised when the file cannot be used; the message names the path, and the file is left as it was. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}

/** The file exists but cannot be read or is not an intact SQLite database: it may be moved aside, never rewritten. */
export class CorruptStateFileError extends StateStoreError {
  override name = 'CorruptStateFileError';
}

/** What happened to a corrupt or unreadable state file found at open: where it went and why. */
export interface CorruptStateFile {
  file: string;
  movedTo: string;
  reason: string;
}

/** `<file>.corrupt-<timestamp>`, with a timestamp that is a valid file name on every platform. */
export async function moveAsideCorrupt(file: string, reason: string, at: Date): Promise<CorruptStateFile> {
  const base = `${file}.corrupt-${at.toISOString().replace(/[:.]/g, '-')}`;
  let movedTo = base;
  // Never move one damaged file over another that was set aside earlier.
  for (let n = 1; await fs.stat(movedTo).then(() => true, () => false); n++) movedTo = `${base}-${n}`;
  try {
    await fs.rename(file, movedTo);
  } catch (err) {
    throw new StateStoreError(`${file} is damaged (${reason}) and could not be moved aside to ${movedTo}: ${(err as Error).message}`);
  }
  return { file, movedTo, reason };
}

/** The file's bytes and the signature of that same version; null when it does not exist. */
export async function readStateFile(file: string): Promise<{ bytes: Uint8Array; signature: FileSignature } | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    if (code === 'EISDIR') throw new StateStoreError(`the state store ${file} is not a file`);
    throw new CorruptStateFileError(`cannot read the state store ${file}: ${(err as Error).message}`);
  }
  try {
    // Signature and bytes come from the same open file, so they describe the same version.
    const stats = await handle.stat();
    if (!stats.isFile()) throw new StateStoreError(`the state store ${file} is not a file`);
    return { bytes: await handle.readFile(), signature: fileSignature(stats) };
  } catch (err) {
    if (err instanceof StateStoreError) throw err;
    throw new CorruptStateFileError(`cannot read the state store ${file}: ${(err as Error).message}`);
  } finally {
    await handle.close();
  }
}

/** Creates the state folder with a `.gitignore` of `*`, but only a folder we create: never one that already exists. */
export async function ensureStateFolder(dir: string): Promise<void> {
  const existing = await fs.stat(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  if (existing) {
    if (!existing.isDirectory()) throw new StateStoreError(`the state folder ${dir} exists but is not a folder`);
    return;
  }
  await fs.mkdir(dir, { recursive: true });
  await fs.writeFile(path.join(dir, '.gitignore'), '*\n');
}

/**
 * Refuses bytes that are not an intact SQLite database (CorruptStateFileError), an SQLite file of another
 * program or a state store of a newer schema (StateStoreError); none of them is changed here.
 */
export function openStateDatabase(sql: SqlJsStatic, file: string, bytes: Uint8Array | undefined): { state: StateDatabase; migrated: boolean } {
  let db: InstanceType<SqlJsStatic['Database']> | undefined;
  try {
    db = new sql.Database(bytes && bytes.length > 0 ? bytes : undefined);
    // sql.js opens anything; the first query is what detects a file that is not SQLite.
    const check = db.exec('PRAGMA quick_check');
    const verdict = String(check[0]?.values[0]?.[0] ?? 'ok');
    if (verdict !== 'ok') throw new Error(`integrity check failed: ${verdict}`);
  } catch (err) {
    db?.close();
    throw new CorruptStateFileError(`${file} is not a valid state database (${err instanceof Error ? err.message : String(err)})`);
  }
  try {
    const applied = migrate(db, file);
    return { state: new StateDatabase(db), migrated: applied > 0 };
  } catch (err) {
    db.close();
    throw new StateStoreError(err instanceof Error ? err.message : String(err));
  }
}

export interface OpenedStateFile {
  state: StateDatabase;
  /** The version read; null when the file did not exist or was moved aside. */
  signature: FileSignature | null;
  /** Migrated or recovered: memory is ahead of the file (a missing file is written by the first change, not at open). */
  needsWrite: boolean;
  corrupt: CorruptStateFile | undefined;
}

/**
 * Reads and opens the file; a corrupt or unreadable one is moved aside under the lock (so two processes
 * cannot both "recover" and one move the other's fresh store aside) and an empty store starts. The lock
 * is then still held, for the caller to write the new file and release it.
 */
export async function readAndOpenStateFile(sql: SqlJsStatic, file: string, lock: WriterLock | undefined, now: () => number): Promise<OpenedStateFile> {
  for (let attempt = 0; ; attempt++) {
    const before = await statSignature(file).catch(() => null);
    let failure: CorruptStateFileError;
    try {
      const snapshot = await readStateFile(file);
      // No file yet: nothing is created until the first write (reading a workspace's missing store must leave no trace).
      const { state, migrated } = openStateDatabase(sql, file, snapshot?.bytes);
      return { state, signature: snapshot?.signature ?? null, needsWrite: snapshot !== null && migrated, corrupt: undefined };
    } catch (err) {
      if (!(err instanceof CorruptStateFileError)) throw err;
      failure = err;
    }
    // Another writer holds the lock for one write at a time: wait for our turn (the caller releases it).
    if (lock && !lock.verify()) await lock.acquire();
    // Another process may have recovered it between our read and the lock: read again rather than move theirs.
    const after = await statSignature(file).catch(() => null);
    if (!sameSignature(before, after) && attempt < 2) continue;
    const corrupt = await moveAsideCorrupt(file, failure.message, new Date(now()));
    const { state } = openStateDatabase(sql, file, undefined);
    return { state, signature: null, needsWrite: true, corrupt };
  }
}

/** How a lock names this process when the caller gives no owner: the script's file name. */
export function defaultLockOwner(): string {
  const script = process.argv[1];
  return script ? path.basename(script) : path.basename(process.execPath);
}
