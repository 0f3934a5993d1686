// Small Python scripts against the dagster test double, in a temp workspace with its own DAGSTER_HOME: start, wait for a
// printed line, run to the end, read the RESULT line, and start several at once behind a barrier (READY, then GO on stdin).
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { python, testDouble } from './dagsterTestDouble';

export interface Ws { cwd: string; home: string }
export interface Py { code: number | null; stdout: string; stderr: string }
export interface Running { child: ChildProcessWithoutNullStreams; done: Promise<Py>; waitFor(line: string): Promise<void> }

/** A temp workspace with defs.py and an empty home directory. */
export function pythonWorkspace(source: string): Ws {
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-strict-'));
  fs.writeFileSync(path.join(cwd, 'defs.py'), source);
  fs.mkdirSync(path.join(cwd, 'home'));
  return { cwd, home: path.join(cwd, 'home') };
}

/** Runs `python -c code` in the workspace with the test double and the workspace on PYTHONPATH. */
export function startPythonCode(ws: Ws, code: string, env: NodeJS.ProcessEnv = {}): Running {
  const child = spawn(python, ['-c', code], {
    cwd: ws.cwd,
    env: { ...process.env, PYTHONPATH: [testDouble, ws.cwd].join(path.delimiter), PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: ws.home, ...env },
  });
  let stdout = '';
  let stderr = '';
  const waiters: { line: string; resolve: () => void }[] = [];
  const printed = (line: string): boolean => stdout.split('\n').includes(line);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    for (const w of waiters.filter((x) => printed(x.line))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<Py>((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
  const waitFor = (line: string): Promise<void> => new Promise<void>((resolve, reject) => {
    if (printed(line)) return resolve();
    waiters.push({ line, resolve });
    void done.then((r) => reject(new Error(`python ended before printing ${line}:\n${r.stdout}\n${r.stderr}`)));
  });
  return { child, done, waitFor };
}

export function runPythonCode(ws: Ws, code: string, env: NodeJS.ProcessEnv = {}): Promise<Py> {
  const running = startPythonCode(ws, code, env);
  running.child.stdin.end();
  return running.done;
}

export function result(r: Py): any {
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  assert.ok(line, `no RESULT line (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  return JSON.parse(line.slice('RESULT '.length));
}

/** Starts the scripts, waits until each printed READY, then lets them all go at once. */
export async function together(runs: Running[]): Promise<Py[]> {
  await Promise.all(runs.map((r) => r.waitFor('READY')));
  for (const r of runs) r.child.stdin.end('GO\n');
  return Promise.all(runs.map((r) => r.done));
}

