// RunLogFiles: the folder of full run logs beside the state file (`<state folder>/logs/<backfill id>/<run id>.log`).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { RunLogWriter } from './runLogWriter';

/** Ids become path segments: only what the engine generates (backfill letters, run UUIDs) is accepted. */
const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/;

function segment(kind: string, id: string): string {
  if (!SAFE_ID.test(id) || id.includes('..')) throw new Error(`${kind} id ${JSON.stringify(id)} cannot name a log file`);
  return id;
}

/**
 * The CLI and the extension both write here, through the engine (one writer per running attempt). The state
 * file keeps a short tail of each run's output for tables and panels; the file keeps all of it.
 */
export class RunLogFiles {
  constructor(
    readonly folder: string,
    private readonly onError: (error: Error) => void = () => undefined,
  ) {}

  pathOf(backfillId: string, runId: string): string {
    return path.join(this.folder, segment('backfill', backfillId), `${segment('run', runId)}.log`);
  }

  /** A writer appending to the run's file (created with its folder on the first output). */
  open(backfillId: string, runId: string): RunLogWriter {
    return new RunLogWriter(this.pathOf(backfillId, runId), this.onError);
  }

  /** The file's size, or undefined when the run has no log file (recorded before files were kept, or removed). */
  async size(backfillId: string, runId: string): Promise<number | undefined> {
    try {
      return (await fs.promises.stat(this.pathOf(backfillId, runId))).size;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  /** Every backfill folder with its total bytes and newest change (epoch ms); [] before the first log. */
  async backfillFolders(): Promise<{ backfillId: string; bytes: number; modifiedAt: number }[]> {
    let names: string[];
    try {
      names = await fs.promises.readdir(this.folder);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    const folder = async (name: string) => {
      const dir = path.join(this.folder, name);
      const stat = await fs.promises.stat(dir).catch(() => undefined);
      if (!stat?.isDirectory()) return [];
      const files = await fileStats(dir);
      return [{ backfillId: name, bytes: files.reduce((n, f) => n + f.size, 0), modifiedAt: files.reduce((m, f) => Math.max(m, f.mtimeMs), stat.mtimeMs) }];
    };
    const safe = names.filter((n) => SAFE_ID.test(n));
    const out: { backfillId: string; bytes: number; modifiedAt: number }[] = [];
    // A few folders at once: each stats all its files together.
    for (let i = 0; i < safe.length; i += 8) out.push(...(await Promise.all(safe.slice(i, i + 8).map(folder))).flat());
    return out;
  }

  /** Removes a backfill's log folder; resolves with the bytes freed (0 when it had none). */
  async removeBackfill(backfillId: string): Promise<number> {
    const dir = path.join(this.folder, segment('backfill', backfillId));
    const bytes = (await fileStats(dir)).reduce((n, f) => n + f.size, 0);
    await fs.promises.rm(dir, { recursive: true, force: true });
    return bytes;
  }
}

/** The regular files of a folder (a backfill's logs: one per run), stat'ed together rather than one after another. */
async function fileStats(dir: string): Promise<fs.Stats[]> {
  const names = await fs.promises.readdir(dir).catch(() => [] as string[]);
  const stats = await Promise.all(names.map((n) => fs.promises.stat(path.join(dir, n)).catch(() => undefined)));
  return stats.filter((s): s is fs.Stats => s?.isFile() === true);
}
