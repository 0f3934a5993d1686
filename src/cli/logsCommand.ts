// `backfill logs RUN_ID [--tail N]`: a run's whole output, streamed from its log file (or the stored tail of an older run).
import * as fs from 'node:fs';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

function lineCount(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0) throw new CliError(`--tail ${JSON.stringify(text)} must be a whole number of lines (0 or more)`);
  return n;
}

/** The last `lines` lines of a file, read backwards in blocks: a 1 GB log costs what the lines cost. */
async function fileTail(file: string, lines: number): Promise<string> {
  const handle = await fs.promises.open(file, 'r');
  try {
    const blocks: Buffer[] = [];
    let position = (await handle.stat()).size;
    let newlines = 0;
    // One newline more than lines: the first line read may be cut by the block edge (and may end in a final newline).
    while (position > 0 && newlines <= lines + 1) {
      const length = Math.min(64 * 1024, position);
      position -= length;
      const block = Buffer.alloc(length);
      await handle.read(block, 0, length, position);
      for (const byte of block) if (byte === 0x0a) newlines++;
      blocks.unshift(block);
    }
    return lastLines(Buffer.concat(blocks).toString('utf8'), lines);
  } finally {
    await handle.close();
  }
}

/** Chunks go out as the terminal or pipe takes them; a reader that left (`| head`) ends the copy. */
async function streamToStdout(file: string): Promise<void> {
  for await (const chunk of fs.createReadStream(file)) {
    if (process.stdout.destroyed) return;
    if (!process.stdout.write(chunk as Buffer)) {
      await new Promise<void>((resolve) => {
        process.stdout.once('drain', resolve);
        process.stdout.once('close', resolve);
      });
    }
  }
}

export async function runLogs(ws: BackfillWorkspace, out: CliOutput, runId: string | undefined, tailText: string | undefined): Promise<number> {
  if (!runId) throw new CliError('usage: backfill logs RUN_ID [--tail N] (`backfill show ID --json` lists the run ids of a backfill)');
  const tail = lineCount(tailText);
  const { store } = await ws.engine();
  const run = store.getRun(runId);
  if (!run) throw new CliError(`no run with id ${JSON.stringify(runId)} in ${ws.statePath} (\`backfill show ID --json\` lists the run ids of a backfill)`);
  const file = ws.runLogs.pathOf(run.backfillId, run.id);
  const size = await ws.runLogs.size(run.backfillId, run.id);
  const stored = size === undefined ? store.runLog(run.id) : undefined;
  if (out.json) {
    const text = stored ?? (tail !== undefined ? await fileTail(file, tail) : await fs.promises.readFile(file, 'utf8'));
    out.document({ runId: run.id, backfillId: run.backfillId, target: run.target, partitionKey: run.partitionKey, status: run.status, logFile: size === undefined ? null : file, log: stored !== undefined && tail !== undefined ? lastLines(stored, tail) : text });
    return 0;
  }
  if (stored !== undefined) {
    out.error(stored === ''
      ? `backfill: run ${run.id} has no log file and no stored output (it printed nothing, or its log was removed by retention: see backfill prune -h)`
      : `backfill: note: run ${run.id} has no log file (recorded before full logs were kept, or removed by retention): this is the last part of its output the state file holds`);
    if (stored !== '') process.stdout.write(tail !== undefined ? lastLines(stored, tail) : stored);
    return 0;
  }
  if (tail !== undefined) process.stdout.write(await fileTail(file, tail));
  else await streamToStdout(file);
  return 0;
}

function lastLines(text: string, lines: number): string {
  const parts = text.split('\n');
  const trailing = parts[parts.length - 1] === '' ? 1 : 0;
  return lines === 0 ? '' : parts.slice(Math.max(0, parts.length - trailing - lines)).join('\n');
}
