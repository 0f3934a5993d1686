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


/**
 * A script that changes the instance in $DAGSTER_HOME as Dagster's users do, for the assets of the workspace's module
 * `module` (imported from the workspace, on PYTHONPATH). Before `body`: `inst` (the instance); `run(asset, key)`, one run
 * of the implicit asset job for that partition, returning the run's status (DAGSTER_TEST_DOUBLE_FAIL_STEP fails it,
 * DAGSTER_TEST_DOUBLE_SLEEP holds it; `STEP STARTED` is printed when its step starts); `report(asset, keys)`, runless
 * materializations as Dagster's UI reports them (Dagster 1.5+); `days(first, last)`, daily keys; `out(**fields)`, the
 * RESULT line (see `result`).
 */
export function instanceScript(module: string, body: string): string {
  return `
import datetime, json, uuid
from dagster import AssetKey, AssetMaterialization, DagsterInstance
import ${module} as user_module
from dagster import Definitions
inst = DagsterInstance.get()
user_defs = next(v for v in vars(user_module).values() if isinstance(v, Definitions))
job = user_defs.get_implicit_global_asset_job_def()
def run(asset, key):
    run_id = str(uuid.uuid4())
    def listener(entry):
        if entry.dagster_event and entry.dagster_event.event_type_value == "STEP_START":
            print("STEP STARTED", flush=True)
    inst.add_event_listener(run_id, listener)
    job.execute_in_process(instance=inst, partition_key=key, run_id=run_id, raise_on_error=False, asset_selection=[AssetKey(asset.split("/"))])
    return inst.get_run_by_id(run_id).status.value
def report(asset, keys):
    for key in keys:
        inst.report_runless_asset_event(AssetMaterialization(asset, partition=key))
def days(first, last):
    day, end, keys = datetime.date.fromisoformat(first), datetime.date.fromisoformat(last), []
    while day <= end:
        keys.append(day.isoformat())
        day += datetime.timedelta(days=1)
    return keys
def out(**fields):
    print("RESULT " + json.dumps(fields), flush=True)
${body}
`;
}
