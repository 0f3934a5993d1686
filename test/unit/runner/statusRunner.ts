// Drives `backfill_runner.py status` against the dagster test double: JSON-line requests on stdin, events read from fd 3,
// each request awaited by its answer (the event carrying run: <requestId>), never by time.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { python, runnerScript, testDouble } from './dagsterTestDouble';

export type RunnerEvent = Record<string, any> & { event: string };
export const STATUS_LOCATION = { name: 'defs.py', root: '', entryFiles: ['defs.py'] };

export class StatusRunner {
  readonly events: RunnerEvent[] = [];
  readonly child: ChildProcess;
  stderr = '';
  private waiters: { match: (e: RunnerEvent) => boolean; resolve: (e: RunnerEvent) => void }[] = [];
  private count = 0;
  readonly exited: Promise<number | null>;

  constructor(readonly workspaceRoot: string, env: NodeJS.ProcessEnv) {
    this.child = spawn(python, [runnerScript, 'status'], {
      cwd: workspaceRoot,
      env: { ...process.env, PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', ...env },
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    let buffered = '';
    (this.child.stdio[3] as Readable).on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines.filter((l) => l.trim())) this.received(JSON.parse(line) as RunnerEvent);
    });
    this.child.stdout!.on('data', () => undefined);
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => this.child.on('close', (code) => resolve(code)));
  }

  private received(event: RunnerEvent): void {
    this.events.push(event);
    for (const w of this.waiters.filter((x) => x.match(event))) {
      this.waiters.splice(this.waiters.indexOf(w), 1);
      w.resolve(event);
    }
  }

  /** The first event (already received or to come) that matches; rejects when the runner exits first, or after
   * `deadlineMs` (a generous bound, so a test that goes wrong fails and cleans up instead of hanging its file). */
  waitFor(match: (e: RunnerEvent) => boolean, deadlineMs = 45_000): Promise<RunnerEvent> {
    const found = this.events.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no awaited event from the status runner within ${deadlineMs} ms; events: ${JSON.stringify(this.events.slice(-5))}\n${this.stderr}`)), deadlineMs);
      this.waiters.push({ match, resolve: (e) => { clearTimeout(timer); resolve(e); } });
      void this.exited.then((code) => { clearTimeout(timer); reject(new Error(`the status runner exited (${code}) before the awaited event:\n${this.stderr}`)); });
    });
  }

  /** Sends a request (a requestId is added) and resolves with its answer; `raw` sends the line as it is. */
  request(body: Record<string, unknown>): Promise<RunnerEvent> {
    const requestId = `q${++this.count}`;
    (this.child.stdin as Writable).write(JSON.stringify({ requestId, workspaceRoot: this.workspaceRoot, ...body }) + '\n');
    return this.waitFor((e) => e.run === requestId && (e.event === 'status_result' || e.event === 'dynamic_partitions_result'));
  }

  status(assets: string[], cursor: string | null, extra: Record<string, unknown> = {}): Promise<RunnerEvent> {
    return this.request({ op: 'status', location: STATUS_LOCATION, assets, cursor, ...extra });
  }

  /** The `api` events answered for a request. */
  apiPaths(answer: RunnerEvent): string[] {
    return this.events.filter((e) => e.event === 'api' && e.run === answer.run).map((e) => e.path as string);
  }

  sendRaw(line: string): void {
    (this.child.stdin as Writable).write(line + '\n');
  }

  async close(): Promise<number | null> {
    (this.child.stdin as Writable).end();
    return this.exited;
  }
}

/** The test double's recorded calls (DAGSTER_TEST_DOUBLE_CALLS) made by one process. */
export function recordedCalls(file: string, pid: number): string[] {
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((c) => c.pid === pid).map((c) => c.call as string);
}

export const callsFile = (dir: string): string => path.join(dir, 'calls.jsonl');
