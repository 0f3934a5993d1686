// `backfill status`, `backfill partitions add|delete|list` and planning with the instance's statuses, from the CLI.
//
// STATUS PROCESS DOUBLE: these tests pass `--python test/fixtures/status-process-double/python`, which answers the
// runner's `status` mode from a JSON file (status_process_double.py, a named double, not the runner) and sends every
// other invocation (runs, workers) to the real interpreter and runner. The tests at the end, marked REAL RUNNER,
// use the real runner's status mode with the stand-in dagster package instead; they are skipped until the runner
// has a status mode (written by the runner side of issue 15), and should then pass unchanged.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const statusDoublePython = path.join(root, 'test/fixtures/status-process-double/python');
const testDouble = path.join(root, 'test/fixtures/dagster-test-double');
const partitionKinds = fs.readFileSync(path.join(testDouble, 'examples/partition_kinds.py'), 'utf8');
const NOW = ['--now', '2024-01-20T00:00:00+00:00'];

interface Workspace {
  dir: string;
  stateFile: string;
  setState(state: Record<string, unknown>): void;
  run(args: string[], env?: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string };
}

/** A workspace holding partition_kinds.py (raw_events daily, customer_report on the dynamic partitions "customers"). */
function workspace(state: Record<string, unknown> = {}): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-status-cli-'));
  fs.writeFileSync(path.join(dir, 'definitions.py'), partitionKinds);
  const stateFile = path.join(dir, 'status-double.json');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  return {
    dir, stateFile,
    setState: (s) => fs.writeFileSync(stateFile, JSON.stringify(s)),
    run: (args, env = {}) => {
      const r = spawnSync(process.execPath, [cli, ...args, '-w', dir, '--python', statusDoublePython], {
        encoding: 'utf8', input: '', timeout: 120_000,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: testDouble, DAGSTER_HOME: '', STATUS_DOUBLE_STATE: stateFile, ...env },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

const MISSING = { STATUS_DOUBLE_DAGSTER_MISSING: '1' };

test('status: the instance\'s statuses merged with the project\'s, per status with counts and ranges, saying where they come from', () => {
  const ws = workspace({ instance: '/home/me/dagster_home', assets: { raw_events: { MATERIALIZED: [['2024-01-01', '2024-01-10']], FAILED: [['2024-01-12', '2024-01-12']], IN_PROGRESS: [['2024-01-15', '2024-01-15']] } } });
  const text = ws.run(['status', '--select', 'raw_events', ...NOW]);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, /^Statuses: the Dagster instance at \/home\/me\/dagster_home as of .* UTC, merged with the project's run records\.$/m);
  assert.match(text.stdout, /^raw_events {2}daily from 2024-01-01 \(UTC\): 19 partitions$/m);
  assert.match(text.stdout, /^ {2}MATERIALIZED +10 {2}2024-01-01\.\.\.2024-01-10$/m);
  assert.match(text.stdout, /^ {2}FAILED +1 {2}2024-01-12$/m);
  assert.match(text.stdout, /^ {2}IN_PROGRESS +1 {2}2024-01-15$/m);
  assert.match(text.stdout, /^ {2}MISSING +7 {2}2024-01-11, 2024-01-13\.\.\.2024-01-14, 2024-01-16\.\.\.2024-01-19$/m);
  const json = ws.run(['status', '--select', 'raw_events,do_stuff_partitioned', '--json', ...NOW]);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { source: { kind: string; instance: string }; targets: { target: string; source: { kind: string; reason?: string }; counts: Record<string, number>; ranges: Record<string, string[][]> }[] };
  assert.equal(doc.source.kind, 'instance');
  assert.equal(doc.source.instance, '/home/me/dagster_home');
  assert.deepEqual(doc.targets[0]!.counts, { total: 19, materialized: 10, failed: 1, canceled: 0, inProgress: 1, missing: 7 });
  assert.deepEqual(doc.targets[0]!.ranges.FAILED, [['2024-01-12', '2024-01-12']]);
  assert.equal(doc.targets[1]!.source.kind, 'project');
  assert.match(doc.targets[1]!.source.reason!, /is a job/);
});

test('status without dagster: the project\'s records only, with the runner\'s reason; exit 0', () => {
  const ws = workspace();
  const r = ws.run(['status', '--select', 'raw_events', ...NOW], MISSING);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Statuses: the project's run records only, because:\n {2}The Python interpreter .* cannot import dagster/m);
  assert.match(r.stdout, /MISSING +19 {2}2024-01-01\.\.\.2024-01-19/);
});

test('status when the instance cannot be opened: exit 2 naming the instance and the fix; --json carries the error', () => {
  const ws = workspace({ instance: '/srv/dagster_home', failure: { phase: 'instance', class: 'DagsterInvalidConfigError', message: 'Errors whilst loading dagster.yaml' } });
  const r = ws.run(['status', '--select', 'raw_events', ...NOW]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /Could not open the Dagster instance at \/srv\/dagster_home to read partition statuses: DagsterInvalidConfigError: Errors whilst loading dagster\.yaml\. Fix its dagster\.yaml, or set DAGSTER_HOME to a working instance\./);
  assert.match(r.stdout, /project's run records only/, 'what the project knows is still printed');
  const json = ws.run(['status', '--select', 'raw_events', '--json', ...NOW]);
  assert.equal(json.code, 2);
  const doc = JSON.parse(json.stdout) as { error: { type: string; message: string } };
  assert.equal(doc.error.type, 'DagsterInstanceError');
  assert.match(doc.error.message, /\/srv\/dagster_home/);
});

test('status: bad flags and names are bad input', () => {
  const ws = workspace();
  for (const [args, message] of [
    [['status'], /name the assets, jobs or command targets with --select KEY\[,KEY\]/],
    [['status', '--select', 'nope'], /no asset, job or command target named "nope"/],
    [['status', '--select', 'raw_events', '--from', '2024-01-01'], /backfill status does not take --from \(it takes --select, --now\)/],
  ] as const) {
    const r = ws.run([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('partitions add/delete/list go to the instance when dagster is importable; plans then list the instance\'s keys', () => {
  const ws = workspace({ instance: '/home/me/dagster_home', dynamicPartitions: { customers: ['acme'] } });
  const added = ws.run(['partitions', 'add', 'customers', 'globex', 'initech']);
  assert.equal(added.code, 0, added.stdout + added.stderr);
  assert.match(added.stdout, /^Added globex, initech to "customers" on the Dagster instance at \/home\/me\/dagster_home: now 3 keys \(acme, globex, initech\)$/m);
  const deleted = ws.run(['partitions', 'delete', 'customers', 'globex', '--json']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(JSON.parse(deleted.stdout), { name: 'customers', keys: ['acme', 'initech'], source: 'instance', instance: '/home/me/dagster_home', count: 2 });
  const listed = ws.run(['partitions', 'list', 'customers']);
  assert.equal(listed.stdout, 'acme\ninitech\n');
  const plan = ws.run(['plan', '--select', 'customer_report', '--all', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { partitionKeys: string[] }).partitionKeys, ['acme', 'initech']);
});

test('without dagster, dynamic partitions live in the project\'s store; the first plan of a dynamic asset lists them', () => {
  const ws = workspace();
  const empty = ws.run(['asset', '--select', 'customer_report', '--all', '--noprompt'], MISSING);
  assert.equal(empty.code, 2, empty.stdout + empty.stderr);
  assert.match(empty.stderr, /customer_report has no partitions yet: .*"customers".* `backfill partitions add customers KEY…`/);
  assert.doesNotMatch(empty.stderr, /instance is not available/);
  const added = ws.run(['partitions', 'add', 'customers', 'acme', 'globex', '--json'], MISSING);
  assert.equal(added.code, 0, added.stderr);
  const doc = JSON.parse(added.stdout) as { keys: string[]; source: string; reason: string };
  assert.deepEqual(doc.keys, ['acme', 'globex']);
  assert.equal(doc.source, 'project');
  assert.match(doc.reason, /cannot import dagster/);
  const plan = ws.run(['plan', '--select', 'customer_report', '--all', '--json'], MISSING);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { partitionKeys: string[] }).partitionKeys, ['acme', 'globex']);
});

test('partitions add/delete/list: bad input says what and where', () => {
  const ws = workspace({ instance: '/i', dynamicPartitions: {} });
  for (const [args, message] of [
    [['partitions', 'add'], /name the dynamic partitions definition/],
    [['partitions', 'add', 'customers'], /give the keys to add: backfill partitions add customers KEY/],
    [['partitions', 'list', 'customers', 'x'], /partitions list takes one name/],
    [['partitions', 'add', 'clients', 'acme'], /no DynamicPartitionsDefinition named "clients" in .* \(known: "customers"\)/],
    [['partitions', 'add', 'customers', 'a...b'], /customers: .*a\.\.\.b/],
    [['partitions', 'add', 'customers', 'acme', '--select', 'x'], /backfill partitions add does not take --select/],
  ] as const) {
    const r = ws.run([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  ws.setState({ instance: '/srv/home', failure: { phase: 'instance', message: 'dagster.yaml is not valid' } });
  const refused = ws.run(['partitions', 'add', 'customers', 'acme']);
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, /Could not add the dynamic partitions "customers" on the Dagster instance at \/srv\/home: .*dagster\.yaml is not valid\. Nothing was changed\./);
});

test('plan --reprocess failed-and-missing skips what the instance has materialized; a failing instance is a warning and the project\'s records decide', () => {
  const ws = workspace({ instance: '/h', assets: { raw_events: { MATERIALIZED: [['2024-01-01', '2024-01-05']], FAILED: [['2024-01-06', '2024-01-06']] } } });
  const plan = ws.run(['plan', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-08', '--reprocess', 'failed-and-missing', '--json', ...NOW]);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { partitionKeys: string[]; runs: { partitionKey: string }[] }).runs.map((r) => r.partitionKey), ['2024-01-06', '2024-01-07', '2024-01-08']);
  const missingOnly = ws.run(['plan', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-08', '--reprocess', 'missing', '--json', ...NOW]);
  assert.deepEqual((JSON.parse(missingOnly.stdout) as { runs: { partitionKey: string }[] }).runs.map((r) => r.partitionKey), ['2024-01-07', '2024-01-08']);
  ws.setState({ instance: '/h', failure: { phase: 'location', message: 'ImportError: no module named foo' } });
  const failing = ws.run(['plan', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-08', '--reprocess', 'missing', '--json', ...NOW]);
  assert.equal(failing.code, 0, failing.stderr);
  assert.match(failing.stderr, /project's run records only \(Could not load code location "definitions\.py" to read partition statuses from the Dagster instance at \/h: .*ImportError: no module named foo/);
  assert.equal((JSON.parse(failing.stdout) as { runs: unknown[] }).runs.length, 8);
});

// REAL RUNNER: the runner's own status mode against the stand-in dagster package. Skipped until the runner has one.
const runnerHasStatusMode = /["']status["']/.test(fs.readFileSync(path.join(root, 'src/runner/backfill_runner.py'), 'utf8'));
const realRunner = { skip: runnerHasStatusMode ? false : 'needs the runner\'s status mode (issue 15, runner side)' };

function realWorkspace(): { dir: string; home: string; run(args: string[]): { code: number | null; stdout: string; stderr: string } } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-status-real-'));
  fs.writeFileSync(path.join(dir, 'definitions.py'), partitionKinds);
  const home = path.join(dir, 'dagster_home');
  fs.mkdirSync(home);
  return {
    dir, home,
    run: (args) => {
      const r = spawnSync(process.execPath, [cli, ...args, '-w', dir], {
        encoding: 'utf8', input: '', timeout: 180_000, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: testDouble, DAGSTER_HOME: home },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

test('REAL RUNNER: what a backfill materialized on the instance is MATERIALIZED in status, from the instance', realRunner, () => {
  const ws = realWorkspace();
  const launched = ws.run(['asset', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-03', '--noprompt']);
  assert.equal(launched.code, 0, launched.stdout + launched.stderr);
  const r = ws.run(['status', '--select', 'raw_events', '--json', ...NOW]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { source: { kind: string; instance: string }; targets: { counts: { materialized: number }; ranges: Record<string, string[][]> }[] };
  assert.equal(doc.source.kind, 'instance');
  assert.equal(fs.realpathSync(doc.source.instance), fs.realpathSync(ws.home));
  assert.equal(doc.targets[0]!.counts.materialized, 3);
  assert.deepEqual(doc.targets[0]!.ranges.MATERIALIZED, [['2024-01-01', '2024-01-03']]);
});

test('REAL RUNNER: dynamic partitions added through the CLI are on the instance, and the first plan lists them', realRunner, () => {
  const ws = realWorkspace();
  const added = ws.run(['partitions', 'add', 'customers', 'acme', 'globex', '--json']);
  assert.equal(added.code, 0, added.stdout + added.stderr);
  assert.equal((JSON.parse(added.stdout) as { source: string }).source, 'instance');
  const plan = ws.run(['asset', '--select', 'customer_report', '--all', '--noprompt', '--json']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.equal((JSON.parse(plan.stdout) as { counts: { succeeded: number } }).counts.succeeded, 2);
});

test('REAL RUNNER: a dagster.yaml Dagster rejects is an error naming the instance and the fix', realRunner, () => {
  const ws = realWorkspace();
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), 'storage: [unclosed\n');
  const r = ws.run(['status', '--select', 'raw_events', ...NOW]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.ok(r.stderr.includes(ws.home), r.stderr);
  assert.match(r.stderr, /dagster\.yaml/);
});
