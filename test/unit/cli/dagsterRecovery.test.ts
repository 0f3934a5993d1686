// Cancel-then-resume, kill-then-resume and a code location that does not load, from the CLI through the runner and
// the stand-in dagster package (a test double that, like real Dagster, records an interrupted run as a failure and
// refuses a run id it already has).
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { checkInstance } from '../../../src/core/coordinator/dagsterInstanceCheck';
import { until } from '../backfill/recordingTarget';
import { repoRoot } from '../project/repoRoot';
import { isAlive, python, runnerScript } from '../runner/dagsterTestDouble';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const testDouble = path.join(root, 'test', 'fixtures', 'dagster-test-double');

interface Call { call: string; args: Record<string, unknown>; pid: number }

function workspace(): { ws: string; env: NodeJS.ProcessEnv; calls(): Call[] } {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-recovery-'));
  fs.cpSync(path.join(root, 'examples', 'quickstart'), ws, { recursive: true, filter: (src) => !/[/\\](\.backfills|output)$/.test(src) });
  const file = path.join(ws, 'calls.jsonl');
  const env = { ...process.env, PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: '', DAGSTER_TEST_DOUBLE_CALLS: file };
  return { ws, env, calls: () => (fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Call) : []) };
}

function backfill(args: string[], env: NodeJS.ProcessEnv) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 180_000, env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const executions = (calls: Call[], key: string) => calls.filter((c) => c.call === 'JobDefinition.execute_in_process' && c.args.partition_key === key);
const started = (calls: Call[], key: string) => calls.some((c) => c.call === 'DagsterRun' && (c.args.tags as Record<string, string> | undefined)?.['dagster/partition'] === key);

async function launchInBackground(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [cli, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

function onlyBackfillId(ws: string, env: NodeJS.ProcessEnv): string {
  const list = JSON.parse(backfill(['list', '--json', '-w', ws], env).stdout) as { backfills: { id: string }[] };
  assert.equal(list.backfills.length, 1);
  return list.backfills[0]!.id;
}

test('Ctrl-C cancels: the interrupted run is CANCELED here and in Dagster, and resume runs the canceled and never-started partitions only', async () => {
  const { ws, env, calls } = workspace();
  const slow = { ...env, DAGSTER_TEST_DOUBLE_SLEEP: '60@2024-01-06' };
  const p = await launchInBackground(['asset', '--select', 'raw_events', '--from', '2024-01-05', '--to', '2024-01-07', '--max-concurrent', '1', '--noprompt', '-w', ws], slow);
  await until('2024-01-06 to start in Dagster', () => started(calls(), '2024-01-06'), 120_000);
  p.child.kill('SIGINT');
  assert.equal(await p.exited, 130, p.output());
  const id = onlyBackfillId(ws, env);
  const shown = JSON.parse(backfill(['show', id, '--json', '-w', ws], env).stdout) as { backfill: { status: string }; runs: { id: string; partitionKey: string; status: string }[] };
  assert.equal(shown.backfill.status, 'CANCELED');
  const byKey = Object.fromEntries(shown.runs.map((r) => [r.partitionKey, r.status]));
  assert.deepEqual(byKey, { '2024-01-05': 'SUCCESS', '2024-01-06': 'CANCELED', '2024-01-07': 'CANCELED' });
  const canceledRun = shown.runs.find((r) => r.partitionKey === '2024-01-06')!;
  const answer = await checkInstance({ python, runnerScript, workspaceRoot: ws, env: { PYTHONPATH: testDouble, DAGSTER_HOME: '' } }, { dagsterRunId: canceledRun.id });
  assert.equal(answer.runStatus, 'CANCELED');
  const resumed = backfill(['resume', id, '-w', ws], env);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stdout, /^Backfill [a-z]{8}: Success in /m);
  const all = calls();
  assert.deepEqual(['2024-01-05', '2024-01-06', '2024-01-07'].map((k) => executions(all, k).length), [1, 2, 1]);
});

test('after the CLI is killed mid-run, its worker finishes the run, and resume finds it done in Dagster: COMPLETED_SUCCESS, nothing run twice', async () => {
  const { ws, env, calls } = workspace();
  const slow = { ...env, DAGSTER_TEST_DOUBLE_SLEEP: '2@2024-01-05' };
  const p = await launchInBackground(['asset', '--select', 'raw_events', '--partitions', '2024-01-05,2024-01-06', '--max-concurrent', '2', '--noprompt', '-w', ws], slow);
  await until('2024-01-05 to start in Dagster', () => started(calls(), '2024-01-05'), 120_000);
  p.child.kill('SIGKILL');
  await p.exited;
  // The orphaned worker goes on: its run ends in Dagster, then it reads the end of its input and exits.
  const workers = [...new Set(executions(calls(), '2024-01-05').map((c) => c.pid))];
  await until('the orphaned worker to finish and exit', () => workers.every((pid) => !isAlive(pid)), 120_000);
  const id = onlyBackfillId(ws, env);
  const resumed = backfill(['resume', id, '-w', ws], env);
  assert.equal(resumed.code, 0, resumed.stdout + resumed.stderr);
  assert.match(resumed.stdout, /^Backfill [a-z]{8}: Success in /m);
  const all = calls();
  assert.equal(executions(all, '2024-01-05').length, 1, 'the partition the dead CLI was running is not run again');
  assert.ok(executions(all, '2024-01-06').length <= 1);
});

test('a code location the installed Dagster cannot load fails the backfill once, naming the version and the line; nothing runs', () => {
  const { ws, env, calls } = workspace();
  const file = path.join(ws, 'definitions.py');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('@asset(partitions_def=daily)\ndef events(context, raw_events):', '@asset(partitions_def=daily, deps=["raw_events"])\ndef events(context, raw_events):'));
  const line = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes('daily, deps=')) + 1;
  const r = backfill(['asset', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-10', '--noprompt', '-w', ws], { ...env, DAGSTER_TEST_DOUBLE_VERSION: '1.2.0' });
  assert.equal(r.code, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /^Backfill [a-z]{8}: Failed in /m);
  const reasons = r.stdout.split('\n').filter((l) => l.includes("unexpected keyword argument 'deps'"));
  assert.equal(reasons.length, 1, r.stdout);
  assert.match(reasons[0]!, new RegExp(`Dagster 1\\.2\\.0.*definitions\\.py, line ${line}`));
  assert.equal(calls().filter((c) => c.call === 'JobDefinition.execute_in_process').length, 0);
  const id = onlyBackfillId(ws, env);
  const shown = JSON.parse(backfill(['show', id, '--json', '-w', ws], env).stdout) as { backfill: { status: string; error?: string }; runs: { startedAt: number | null }[] };
  assert.equal(shown.backfill.status, 'FAILED');
  assert.match(shown.backfill.error ?? '', /unexpected keyword argument 'deps'/);
  assert.ok(shown.runs.every((x) => x.startedAt === null));
});
