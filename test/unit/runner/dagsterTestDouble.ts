// Sets up runs of the quickstart through the runner and the dagster test double (test/fixtures/dagster-test-double).
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DagsterRunLauncher, type DagsterRunLauncherOptions } from '../../../src/core/coordinator/dagsterRunLauncher';
import type { RunIo, RunRequest } from '../../../src/core/coordinator/runLauncher';
import type { Definition } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { repoRoot } from '../project/repoRoot';

/** The interpreter behind the python3 shim, resolved once: each shim start costs about 0.4 s. */
export const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
export const runnerScript = path.join(repoRoot(), 'src/runner/backfill_runner.py');
export const testDouble = path.join(repoRoot(), 'test/fixtures/dagster-test-double');

const location = { name: 'definitions.py', root: '', entryFiles: ['definitions.py'] };
const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
const definitions: Definition[] = [
  { kind: 'asset', key: ['raw_events'], group: 'default', location: { file: 'definitions.py', line: 17 }, codeLocation: location, partitions: daily, deps: [], backfillPolicy: null },
  { kind: 'asset', key: ['events'], group: 'default', location: { file: 'definitions.py', line: 24 }, codeLocation: location, partitions: daily, deps: [], backfillPolicy: null },
  { kind: 'job', name: 'do_stuff_partitioned', location: { file: 'definitions.py', line: 40 }, codeLocation: location, partitions: daily },
];

export interface Workspace {
  root: string;
  calls(): { call: string; args: Record<string, unknown>; pid: number }[];
  launcher(options?: Partial<DagsterRunLauncherOptions>, env?: NodeJS.ProcessEnv): DagsterRunLauncher;
}

/** A Dagster asset or job of the temp workspace's definitions.py, as discovery would give it to the launcher. */
export function dagsterDefinition(kind: 'asset' | 'job', name: string): Definition {
  return kind === 'asset'
    ? { kind, key: name.split('/'), group: 'default', location: { file: 'definitions.py', line: 1 }, codeLocation: location, partitions: null, deps: [], backfillPolicy: null }
    : { kind, name, location: { file: 'definitions.py', line: 1 }, codeLocation: location, partitions: null };
}

/** A temp workspace holding a copy of the quickstart's definitions.py (or the given source), with extra definitions to look up. */
export function quickstartWorkspace(source?: string, extra: Definition[] = []): Workspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-runner-'));
  fs.writeFileSync(path.join(root, 'definitions.py'), source ?? fs.readFileSync(path.join(repoRoot(), 'examples/quickstart/definitions.py'), 'utf8'));
  const callsFile = path.join(root, 'calls.jsonl');
  return {
    root,
    calls: () => (fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []),
    launcher: (options = {}, env = {}) => new DagsterRunLauncher({
      workspaceRoot: root, python, runnerScript, killGraceMs: 1000,
      definition: (name) => [...extra, ...definitions].find((d) => (d.kind === 'asset' ? d.key.join('/') : d.name) === name),
      env: { PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: '', DAGSTER_TEST_DOUBLE_CALLS: callsFile, ...env },
      ...options,
    }),
  };
}

let runCount = 0;
export function runRequest(targets: string[], partitionKey: string, extra: Partial<RunRequest> = {}): RunRequest {
  const bounds = partitionKey.split('...');
  const partitionTags: Record<string, string> = bounds.length === 2
    ? { 'dagster/asset_partition_range_start': bounds[0]!, 'dagster/asset_partition_range_end': bounds[1]! }
    : { 'dagster/partition': partitionKey };
  return {
    runId: `00000000-0000-4000-8000-${String(++runCount).padStart(12, '0')}`, backfillId: 'abcdefgh', target: targets.join(','), targets, partitionKey,
    tags: { 'dagster/backfill': 'abcdefgh', ...partitionTags }, attempt: 1, ...extra,
  };
}

export interface Recorded {
  io: RunIo;
  log: () => string;
  events: { kind: string; payload: Record<string, unknown> }[];
  pids: number[];
  controller: AbortController;
}

export function recordingIo(): Recorded {
  let log = '';
  const events: Recorded['events'] = [];
  const pids: number[] = [];
  const controller = new AbortController();
  return {
    io: { signal: controller.signal, onLog: (t) => (log += t), onEvent: (kind, payload) => events.push({ kind, payload }), onProcess: (pid) => pids.push(pid) },
    log: () => log, events, pids, controller,
  };
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
