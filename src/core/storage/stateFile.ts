// The state file on disk: reading one version of it, creating its folder, and opening its bytes as a checked, migrated database.
import * as fs from 'node:fs/promises';
import * as path from 'node:path';
import type { SqlJsStatic } from 'sql.js';
import { migrate } from './migrations';
import { StateDatabase } from './stateDatabase';
import { fileSignature } from './writeFileAtomic';
import type { FileSignature } from './writeFileAtomic';

/** Raised when the file cannot be used; the message names the path, and the file is left as it was. */
export class StateStoreError extends Error {
  override name = 'StateStoreError';
}

/** The file's bytes and the signature of that same version; null when it does not exist. */
export async function readStateFile(file: string): Promise<{ bytes: Uint8Array; signature: FileSignature } | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateStoreError(`cannot read the state store ${file}: ${(err as Error).message}`);
  }
  try {
    // Signature and bytes come from the same open file, so they describe the same version.
    const stats = await handle.stat();
    if (!stats.isFile()) throw new StateStoreError(`the state store ${file} is not a file`);
    return { bytes: await handle.readFile(), signature: fileSignature(stats) };
  } catch (err) {
    if (err instanceof StateStoreError) throw err;
    throw new StateStoreError(`cannot read the state store ${file}: ${(err as Error).message}`);
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

/** Refuses (without touching the file) bytes that are not an intact SQLite database or not a state store. */
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
    throw new StateStoreError(
      `${file} is not a valid state database (${err instanceof Error ? err.message : String(err)}); it was left untouched. ` +
      'Move it aside to start with an empty state store.',
    );
  }
  try {
    const applied = migrate(db, file);
    return { state: new StateDatabase(db), migrated: applied > 0 };
  } catch (err) {
    db.close();
    throw new StateStoreError(err instanceof Error ? err.message : String(err));
  }
}
