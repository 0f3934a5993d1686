// The state store's journal (`state.sqlite.journal`): checksummed JSON lines, one per flush, replayed onto the snapshot they follow.
import { fstatSync, writeSync } from 'node:fs';
import * as fs from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import { isStoreMutation } from './storeMutation';
import type { StoreMutation } from './storeMutation';
import { StateStoreError } from './stateFile';

/*
 * Format: every line is `<crc32 of the JSON, 8 hex> <JSON>\n`; JSON never holds a raw newline. The first
 * line is the header {"journal":1,"snapshot":"<id>"}: the records apply only onto the snapshot whose
 * store_meta snapshot_id is that id, so a journal left behind by a checkpoint that replaced the snapshot
 * but crashed before starting a new journal is recognised as already absorbed. Each later line is one
 * flush, {"m":[records...]}, so a flush is applied whole or not at all. A crash mid-append leaves an
 * incomplete or unverifiable tail: nothing after it verifies, so it was never acknowledged and is dropped.
 * A bad line followed by good ones is damage (the disk, or a hand edit), never a crash.
 */
const JOURNAL_VERSION = 1;

export interface ParsedJournal {
  /** The header's snapshot id (only when parsed from the start); undefined when there is no intact header. */
  snapshot: string | undefined;
  /** One array per flush, in order. */
  batches: StoreMutation[][];
  /** Byte offset just after the last intact line: where the next append belongs. */
  validEnd: number;
  /** Set when a damaged line is followed by intact ones: what and where. */
  damage: string | undefined;
}

function line(value: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(value), 'utf8');
  const head = Buffer.from(`${crc32(json).toString(16).padStart(8, '0')} `, 'ascii');
  return Buffer.concat([head, json, Buffer.from('\n')]);
}

export function journalHeader(snapshotId: string): Buffer {
  return line({ journal: JOURNAL_VERSION, snapshot: snapshotId });
}

export function journalBatch(mutations: readonly StoreMutation[]): Buffer {
  return line({ m: mutations });
}

/** The JSON value of one line (without its newline), or undefined when it does not verify. */
function verify(bytes: Buffer): unknown {
  if (bytes.length < 10 || bytes[8] !== 0x20) return undefined;
  const json = bytes.subarray(9);
  if (bytes.toString('ascii', 0, 8) !== crc32(json).toString(16).padStart(8, '0')) return undefined;
  try {
    return JSON.parse(json.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

function asBatch(value: unknown): StoreMutation[] | undefined {
  const m = (value as { m?: unknown } | undefined)?.m;
  return Array.isArray(m) && m.every(isStoreMutation) ? m : undefined;
}

/**
 * Parses `bytes`, which start at byte `offset` of the journal (0: the header comes first). A journal from
 * a newer build is refused with a StateStoreError rather than misread.
 */
export function parseJournal(file: string, bytes: Buffer, offset: number): ParsedJournal {
  const out: ParsedJournal = { snapshot: undefined, batches: [], validEnd: offset, damage: undefined };
  let pos = 0;
  let badAt: number | undefined;
  while (pos < bytes.length) {
    const nl = bytes.indexOf(0x0a, pos);
    if (nl < 0) break;
    const value = verify(bytes.subarray(pos, nl));
    const isHeader = offset === 0 && out.validEnd === 0;
    let ok = false;
    if (value !== undefined && isHeader) {
      const h = value as { journal?: unknown; snapshot?: unknown };
      if (typeof h.journal === 'number' && h.journal > JOURNAL_VERSION) {
        throw new StateStoreError(`${file} was written by a newer Backfill Studio (journal version ${h.journal}); update the extension or CLI`);
      }
      if (h.journal === JOURNAL_VERSION && typeof h.snapshot === 'string') {
        out.snapshot = h.snapshot;
        ok = true;
      }
    } else if (value !== undefined) {
      const batch = asBatch(value);
      if (batch) {
        out.batches.push(batch);
        ok = true;
      }
    }
    if (!ok) {
      // Only a bad line with nothing intact after it can be a torn append; look ahead before judging.
      badAt = offset + pos;
      for (let next = nl + 1; next < bytes.length;) {
        const end = bytes.indexOf(0x0a, next);
        if (end < 0) break;
        if (verify(bytes.subarray(next, end)) !== undefined) {
          out.damage = `${file}: the record at byte ${badAt} is damaged and is followed by intact ones`;
          break;
        }
        next = end + 1;
      }
      break;
    }
    pos = nl + 1;
    out.validEnd = offset + pos;
  }
  return out;
}

export interface JournalBytes {
  bytes: Buffer;
  ino: number;
  size: number;
}

/** Bytes from `offset` to the end and the identity of that file; null when there is no journal. */
export async function readJournal(file: string, offset = 0): Promise<JournalBytes | null> {
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateStoreError(`cannot read the state store journal ${file}: ${(err as Error).message}`);
  }
  try {
    const stats = await handle.stat();
    const length = Math.max(0, stats.size - offset);
    const bytes = Buffer.alloc(length);
    let read = 0;
    while (read < length) {
      const { bytesRead } = await handle.read(bytes, read, length - read, offset + read);
      if (bytesRead === 0) break;
      read += bytesRead;
    }
    return { bytes: bytes.subarray(0, read), ino: stats.ino, size: offset + read };
  } finally {
    await handle.close();
  }
}

/** The journal is not as the writer last saw it: another process wrote to it (it took the lock over from us). */
export class JournalChangedError extends StateStoreError {
  override name = 'JournalChangedError';
}

/**
 * Appends at a known offset through one handle kept open (an append costs one write and one fdatasync).
 * The offset, not O_APPEND, decides where: a torn tail past it, left by a crashed writer, is cut off first.
 * `size` is the size the writer last saw; any other size means someone else wrote since, and nothing is written.
 */
export class JournalAppender {
  private handle: fs.FileHandle | undefined;
  private ino = -1;

  async append(file: string, ino: number, data: Uint8Array, position: number, size: number): Promise<void> {
    if (!this.handle || this.ino !== ino) {
      await this.close();
      const handle = await fs.open(file, 'r+');
      const stats = await handle.stat();
      if (stats.ino !== ino) {
        await handle.close();
        throw new StateStoreError(`the state store journal ${file} was replaced while being written`);
      }
      this.handle = handle;
      this.ino = ino;
    }
    // Checked at the last moment, synchronously: a writer that stalled while holding the lock must not write
    // over the records of the process that took the lock over meanwhile.
    if (fstatSync(this.handle.fd).size !== size) throw new JournalChangedError(`the state store journal ${file} changed while being written`);
    try {
      if (size > position) await this.handle.truncate(position);
      // Writing to the page cache takes microseconds, so it is done in place; only the fdatasync waits on the disk.
      let written = 0;
      while (written < data.length) written += writeSync(this.handle.fd, data, written, data.length - written, position + written);
      await this.handle.datasync();
    } catch (err) {
      await this.close();
      throw err;
    }
  }

  async close(): Promise<void> {
    const h = this.handle;
    this.handle = undefined;
    this.ino = -1;
    await h?.close().catch(() => undefined);
  }
}
