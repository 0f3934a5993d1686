// Replaces a file atomically (temp file in the same folder, fsync, rename, fsync the folder) and identifies versions of it.
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import * as path from 'node:path';

/** What tells one version of a file from another: a replace by rename always changes the inode. */
export interface FileSignature {
  mtimeMs: number;
  size: number;
  ino: number;
}

export function fileSignature(stats: Stats): FileSignature {
  return { mtimeMs: stats.mtimeMs, size: stats.size, ino: stats.ino };
}

export function sameSignature(a: FileSignature | null, b: FileSignature | null): boolean {
  return a !== null && b !== null && a.mtimeMs === b.mtimeMs && a.size === b.size && a.ino === b.ino;
}

/** The signature of `filePath` now, or null when it does not exist. */
export async function statSignature(filePath: string): Promise<FileSignature | null> {
  try {
    return fileSignature(await fs.stat(filePath));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/**
 * As statSignature, without a trip through the thread pool: the store checks both of its files before every
 * flush, and under load those trips cost more than the check itself.
 */
export function statSignatureSync(filePath: string): FileSignature | null {
  const stats = statSync(filePath, { throwIfNoEntry: false });
  return stats ? fileSignature(stats) : null;
}

/**
 * Readers see either the old or the new content, never a mix, and after it resolves the new content
 * survives a crash. Returns the signature of the file as written (taken before the rename, so a
 * concurrent replace by another process cannot be mistaken for ours).
 */
export async function writeFileAtomic(filePath: string, data: Uint8Array): Promise<FileSignature> {
  const dir = path.dirname(filePath);
  const temp = path.join(dir, `.${path.basename(filePath)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  let signature: FileSignature;
  try {
    const handle = await fs.open(temp, 'wx');
    try {
      await handle.writeFile(data);
      await handle.sync();
      signature = fileSignature(await handle.stat());
    } finally {
      await handle.close();
    }
    await renameWithRetry(temp, filePath);
  } catch (err) {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncFolder(dir);
  return signature;
}

/** Windows refuses a rename over a file another process has open for a moment (virus scanners, readers). */
async function renameWithRetry(from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rename(from, to);
      return;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (process.platform !== 'win32' || attempt >= 10 || (code !== 'EPERM' && code !== 'EACCES' && code !== 'EBUSY')) throw err;
      await new Promise((resolve) => setTimeout(resolve, 20 * (attempt + 1)));
    }
  }
}

/** Makes the rename itself durable; platforms that cannot fsync a folder (Windows) are skipped. */
async function syncFolder(dir: string): Promise<void> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(dir, 'r');
    await handle.sync();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES' && code !== 'EINVAL' && code !== 'EBADF') throw err;
  } finally {
    await handle?.close();
  }
}
