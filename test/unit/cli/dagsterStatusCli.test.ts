// `backfill status`, `backfill partitions add|delete|list` and planning with the instance's statuses, from the CLI.
//
// Every test runs the real runner (its status mode included) with the stand-in `dagster` package on PYTHONPATH
// (test/fixtures/dagster-test-double: a TEST DOUBLE of Dagster, which cannot be installed here). The instance's state
// is made as Dagster's users make it: runs of the code location's asset job (failing or held in progress through the
// stand-in's knobs), runless materializations, dynamic partitions added through Dagster's API. "Without dagster" is
// the same interpreter without the stand-in on its path. Each step waits for a process to end or for a printed line.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { repoRoot } from '../project/repoRoot';
import { instanceScript, result, runPythonCode, startPythonCode } from '../runner/dagsterPythonScripts';
import { python, testDouble } from '../runner/dagsterTestDouble';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');
const partitionKinds = fs.readFileSync(path.join(testDouble, 'examples/partition_kinds.py'), 'utf8');
const NOW = ['--now', '2024-01-20T00:00:00+00:00'];
/** The interpreter without the stand-in dagster package: it cannot import dagster. */
const NO_DAGSTER = { PYTHONPATH: '' };
/** A dagster.yaml entry outside Dagster's instance schema: DagsterInstance.get() rejects it. */
const REJECTED_YAML = 'run_storage_typo:\n  module: x\n';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

interface Workspace {
  dir: string;
  /** The instance's DAGSTER_HOME. */
  home: string;
  run(args: string[], env?: NodeJS.ProcessEnv): { code: number | null; stdout: string; stderr: string };
  /** Runs instanceScript(body) on the instance and returns its RESULT. */
  python(body: string, env?: NodeJS.ProcessEnv): Promise<any>;
  /** Starts a run of `asset` for `key` and kills its process once its step has started: the run stays in progress
   * on the instance (STARTED, as Dagster leaves a run whose worker died until run monitoring notices). */
  abandonedRun(t: TestContext, asset: string, key: string): Promise<void>;
}

/** A workspace holding partition_kinds.py as definitions.py (raw_events daily, customer_report on the dynamic
 * partitions "customers", the job do_stuff_partitioned) and an empty instance home. */
function workspace(): Workspace {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-status-cli-'));
  fs.writeFileSync(path.join(dir, 'definitions.py'), partitionKinds);
  const home = path.join(dir, 'dagster_home');
  fs.mkdirSync(home);
  const ws = { cwd: dir, home };
  return {
    dir, home,
    run: (args, env = {}) => {
      const r = spawnSync(process.execPath, [cli, ...args, '-w', dir, '--python', python], {
        encoding: 'utf8', input: '', timeout: 180_000,
        env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1', PYTHONPATH: testDouble, DAGSTER_HOME: home, ...env },
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    },
    python: async (body, env = {}) => result(await runPythonCode(ws, instanceScript('definitions', body), env)),
    abandonedRun: async (t, asset, key) => {
      const held = startPythonCode(ws, instanceScript('definitions', `out(status=run(${JSON.stringify(asset)}, ${JSON.stringify(key)}))`), { DAGSTER_TEST_DOUBLE_SLEEP: `120@${key}` });
      t.after(() => held.child.kill('SIGKILL'));
      held.child.stdin.end();
      await held.waitFor('STEP STARTED');
      held.child.kill('SIGKILL');
      await held.done;
    },
  };
}

test('status: the instance\'s statuses merged with the project\'s, per status with counts and ranges, saying where they come from', { timeout: 180_000 }, async (t) => {
  const ws = workspace();
  // Runs made outside Backfill Studio: five succeed, one fails; five more materializations are reported without a run.
  assert.deepEqual(await ws.python('out(ok=[run("raw_events", d) for d in days("2024-01-01", "2024-01-05")], failed=run("raw_events", "2024-01-12"))\nreport("raw_events", days("2024-01-06", "2024-01-10"))',
    { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw_events@2024-01-12' }), { ok: ['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS'], failed: 'FAILURE' });
  await ws.abandonedRun(t, 'raw_events', '2024-01-15');
  const text = ws.run(['status', '--select', 'raw_events', ...NOW]);
  assert.equal(text.code, 0, text.stdout + text.stderr);
  assert.match(text.stdout, new RegExp(`^Statuses: the Dagster instance at ${escape(ws.home)} as of .* UTC, merged with the project's run records\\.$`, 'm'));
  assert.match(text.stdout, /^raw_events {2}daily from 2024-01-01 \(UTC\): 19 partitions$/m);
  assert.match(text.stdout, /^ {2}Materialized +10 {2}2024-01-01\.\.\.2024-01-10$/m);
  assert.match(text.stdout, /^ {2}Failed +1 {2}2024-01-12$/m);
  assert.match(text.stdout, /^ {2}In progress +1 {2}2024-01-15$/m);
  assert.match(text.stdout, /^ {2}Missing +7 {2}2024-01-11, 2024-01-13\.\.\.2024-01-14, 2024-01-16\.\.\.2024-01-19$/m);
  const json = ws.run(['status', '--select', 'raw_events,do_stuff_partitioned', '--json', ...NOW]);
  assert.equal(json.code, 0, json.stderr);
  const doc = JSON.parse(json.stdout) as { source: { kind: string; instance: string }; targets: { target: string; source: { kind: string; reason?: string }; counts: Record<string, number>; ranges: Record<string, string[][]> }[] };
  assert.equal(doc.source.kind, 'instance');
  assert.equal(doc.source.instance, ws.home);
  assert.deepEqual(doc.targets[0]!.counts, { total: 19, materialized: 10, failed: 1, canceled: 0, inProgress: 1, missing: 7 });
  assert.deepEqual(doc.targets[0]!.ranges.FAILED, [['2024-01-12', '2024-01-12']]);
  assert.equal(doc.targets[1]!.source.kind, 'project');
  assert.match(doc.targets[1]!.source.reason!, /is a job/);
});

test('status without dagster: the project\'s records only, with the runner\'s reason; exit 0', () => {
  const ws = workspace();
  const r = ws.run(['status', '--select', 'raw_events', ...NOW], NO_DAGSTER);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^Statuses: the project's run records only, because:\n {2}The Python interpreter .* cannot import dagster/m);
  assert.match(r.stdout, /Missing +19 {2}2024-01-01\.\.\.2024-01-19/);
});

test('status when the instance cannot be opened: exit 2 naming the instance and the fix; --json carries the error', () => {
  const ws = workspace();
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), REJECTED_YAML);
  const r = ws.run(['status', '--select', 'raw_events', ...NOW]);
  assert.equal(r.code, 2, r.stdout + r.stderr);
  assert.match(r.stderr, new RegExp(`Could not open the Dagster instance at ${escape(ws.home)} to read partition statuses: DagsterInvalidConfigError: Errors whilst loading dagster instance config at dagster\\.yaml\\. Error 1: Received unexpected config entry "run_storage_typo" at the root\\.[^]*Fix its dagster\\.yaml as the error says, or set DAGSTER_HOME to a working instance\\.`));
  assert.match(r.stdout, /project's run records only/, 'what the project knows is still printed');
  const json = ws.run(['status', '--select', 'raw_events', '--json', ...NOW]);
  assert.equal(json.code, 2);
  const doc = JSON.parse(json.stdout) as { error: { type: string; message: string } };
  assert.equal(doc.error.type, 'DagsterInstanceError');
  assert.ok(doc.error.message.includes(ws.home), doc.error.message);
  // Not YAML at all: PyYAML's error, the same way.
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), 'storage: [unclosed\n');
  const unparsable = ws.run(['status', '--select', 'raw_events', ...NOW]);
  assert.equal(unparsable.code, 2, unparsable.stdout + unparsable.stderr);
  assert.match(unparsable.stderr, new RegExp(`Could not open the Dagster instance at ${escape(ws.home)} to read partition statuses: [^]*Fix its dagster\\.yaml`));
});

test('status: bad flags and names are bad input', () => {
  const ws = workspace();
  for (const [args, message] of [
    [['status'], /name the assets, jobs or command targets with --select KEY\[,KEY\]/],
    [['status', '--select', 'nope'], /no asset, job or command target named "nope"/],
    [['status', '--select', 'raw_events', '--from', '2024-01-01'], /backfill status: unknown option --from \(see backfill status --help\)/],
  ] as const) {
    const r = ws.run([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message);
  }
});

test('partitions add/delete/list go to the instance when dagster is importable; plans then list the instance\'s keys', { timeout: 180_000 }, async () => {
  const ws = workspace();
  await ws.python('inst.add_dynamic_partitions("customers", ["acme"])\nout(done=True)');
  const added = ws.run(['partitions', 'add', 'customers', 'globex', 'initech']);
  assert.equal(added.code, 0, added.stdout + added.stderr);
  assert.match(added.stdout, new RegExp(`^Added globex, initech to "customers" on the Dagster instance at ${escape(ws.home)}: now 3 keys \\(acme, globex, initech\\)$`, 'm'));
  const deleted = ws.run(['partitions', 'delete', 'customers', 'globex', '--json']);
  assert.equal(deleted.code, 0, deleted.stderr);
  assert.deepEqual(JSON.parse(deleted.stdout), { name: 'customers', keys: ['acme', 'initech'], source: 'instance', instance: ws.home, count: 2 });
  assert.deepEqual(await ws.python('out(keys=inst.get_dynamic_partitions("customers"))'), { keys: ['acme', 'initech'] }, 'on the instance, as Dagster reads them');
  const listed = ws.run(['partitions', 'list', 'customers']);
  assert.equal(listed.stdout, 'acme\ninitech\n');
  const plan = ws.run(['plan', '--select', 'customer_report', '--all', '--json']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { partitionKeys: string[] }).partitionKeys, ['acme', 'initech']);
});

test('without dagster, dynamic partitions live in the project\'s store; the first plan of a dynamic asset lists them', () => {
  const ws = workspace();
  const empty = ws.run(['asset', '--select', 'customer_report', '--all', '--noprompt'], NO_DAGSTER);
  assert.equal(empty.code, 2, empty.stdout + empty.stderr);
  assert.match(empty.stderr, /customer_report has no partitions yet: .*"customers".* `backfill partitions add customers KEY…`/);
  assert.doesNotMatch(empty.stderr, /instance is not available/);
  const added = ws.run(['partitions', 'add', 'customers', 'acme', 'globex', '--json'], NO_DAGSTER);
  assert.equal(added.code, 0, added.stderr);
  const doc = JSON.parse(added.stdout) as { keys: string[]; source: string; reason: string };
  assert.deepEqual(doc.keys, ['acme', 'globex']);
  assert.equal(doc.source, 'project');
  assert.match(doc.reason, /cannot import dagster/);
  const plan = ws.run(['plan', '--select', 'customer_report', '--all', '--json'], NO_DAGSTER);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { partitionKeys: string[] }).partitionKeys, ['acme', 'globex']);
});

test('partitions add/delete/list: bad input says what and where', { timeout: 180_000 }, async () => {
  const ws = workspace();
  for (const [args, message] of [
    [['partitions', 'add'], /name the dynamic partitions definition/],
    [['partitions', 'add', 'customers'], /give the keys to add: backfill partitions add customers KEY/],
    [['partitions', 'list', 'customers', 'x'], /partitions list takes one name/],
    [['partitions', 'add', 'clients', 'acme'], /no DynamicPartitionsDefinition named "clients" in .* \(known: "customers"\)/],
    [['partitions', 'add', 'customers', 'a...b'], /customers: .*a\.\.\.b/],
    [['partitions', 'add', 'customers', 'acme', '--select', 'x'], /backfill partitions add: unknown option --select \(see backfill partitions --help\)/],
  ] as const) {
    const r = ws.run([...args]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), REJECTED_YAML);
  const refused = ws.run(['partitions', 'add', 'customers', 'acme']);
  assert.equal(refused.code, 2, refused.stdout + refused.stderr);
  assert.match(refused.stderr, new RegExp(`Could not add the dynamic partitions "customers" on the Dagster instance at ${escape(ws.home)}: DagsterInvalidConfigError: Errors whilst loading dagster instance config at dagster\\.yaml\\.[^]*Nothing was changed\\.`));
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), '');
  assert.deepEqual(await ws.python('out(keys=inst.get_dynamic_partitions("customers"))'), { keys: [] }, 'nothing was changed');
});

test('plan --reprocess failed-and-missing skips what the instance has materialized; a failing instance is a warning and the project\'s records decide', { timeout: 180_000 }, async () => {
  const ws = workspace();
  assert.deepEqual(await ws.python('out(statuses=[run("raw_events", d) for d in days("2024-01-01", "2024-01-06")])', { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw_events@2024-01-06' }),
    { statuses: ['SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'SUCCESS', 'FAILURE'] });
  const range = ['plan', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-08', '--json', ...NOW];
  const plan = ws.run([...range, '--reprocess', 'failed-and-missing']);
  assert.equal(plan.code, 0, plan.stderr);
  assert.deepEqual((JSON.parse(plan.stdout) as { partitionKeys: string[]; runs: { partitionKey: string }[] }).runs.map((r) => r.partitionKey), ['2024-01-06', '2024-01-07', '2024-01-08']);
  const missingOnly = ws.run([...range, '--reprocess', 'missing']);
  assert.deepEqual((JSON.parse(missingOnly.stdout) as { runs: { partitionKey: string }[] }).runs.map((r) => r.partitionKey), ['2024-01-07', '2024-01-08']);
  // The code location no longer imports in Python (a module it needs is gone); discovery reads the file, so the plan is made.
  fs.writeFileSync(path.join(ws.dir, 'definitions.py'), `import backfill_test_module_that_is_gone\n${partitionKinds}`);
  const failing = ws.run([...range, '--reprocess', 'missing']);
  assert.equal(failing.code, 0, failing.stderr);
  assert.match(failing.stderr, new RegExp(`project's run records only \\(Could not load code location "definitions\\.py" to read partition statuses from the Dagster instance at ${escape(ws.home)}: .*ModuleNotFoundError: No module named 'backfill_test_module_that_is_gone'`));
  assert.equal((JSON.parse(failing.stdout) as { runs: unknown[] }).runs.length, 8);
  // An instance that cannot be opened is a warning the same way.
  fs.writeFileSync(path.join(ws.dir, 'definitions.py'), partitionKinds);
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), REJECTED_YAML);
  const rejected = ws.run([...range, '--reprocess', 'missing']);
  assert.equal(rejected.code, 0, rejected.stderr);
  assert.match(rejected.stderr, new RegExp(`project's run records only \\(Could not open the Dagster instance at ${escape(ws.home)} to read partition statuses: DagsterInvalidConfigError`));
  assert.equal((JSON.parse(rejected.stdout) as { runs: unknown[] }).runs.length, 8);
});

test('what a backfill materialized on the instance is MATERIALIZED in status, from the instance', { timeout: 180_000 }, () => {
  const ws = workspace();
  const launched = ws.run(['asset', '--select', 'raw_events', '--from', '2024-01-01', '--to', '2024-01-03', '--noprompt']);
  assert.equal(launched.code, 0, launched.stdout + launched.stderr);
  const r = ws.run(['status', '--select', 'raw_events', '--json', ...NOW]);
  assert.equal(r.code, 0, r.stderr);
  const doc = JSON.parse(r.stdout) as { source: { kind: string; instance: string }; targets: { counts: { materialized: number }; ranges: Record<string, string[][]> }[] };
  assert.equal(doc.source.kind, 'instance');
  assert.equal(doc.source.instance, ws.home);
  assert.equal(doc.targets[0]!.counts.materialized, 3);
  assert.deepEqual(doc.targets[0]!.ranges.MATERIALIZED, [['2024-01-01', '2024-01-03']]);
});

test('dynamic partitions added through the CLI are on the instance, and the first plan lists them', { timeout: 180_000 }, () => {
  const ws = workspace();
  const added = ws.run(['partitions', 'add', 'customers', 'acme', 'globex', '--json']);
  assert.equal(added.code, 0, added.stdout + added.stderr);
  assert.equal((JSON.parse(added.stdout) as { source: string }).source, 'instance');
  const plan = ws.run(['asset', '--select', 'customer_report', '--all', '--noprompt', '--json']);
  assert.equal(plan.code, 0, plan.stdout + plan.stderr);
  assert.equal((JSON.parse(plan.stdout) as { counts: { succeeded: number } }).counts.succeeded, 2);
});

test('defs counts dynamic partitions where their keys live: the instance\'s with dagster, the project\'s state without, saying which', { timeout: 180_000 }, async () => {
  const ws = workspace();
  await ws.python('inst.add_dynamic_partitions("customers", ["acme", "globex"])\nout(done=True)');
  const withDagster = ws.run(['defs']);
  assert.equal(withDagster.code, 0, withDagster.stdout + withDagster.stderr);
  const lines = withDagster.stdout.split('\n');
  assert.ok(lines.includes('    asset   customer_report  [Dynamic partitions: "customers", 2 partitions, keys from the Dagster instance]  definitions.py:36'), withDagster.stdout);
  assert.ok(lines.includes('    job     customer_job  [Dynamic partitions: "customers", 2 partitions, keys from the Dagster instance]  definitions.py:72'), withDagster.stdout);
  assert.match(withDagster.stdout, /^ {4}asset {3}raw_events {2}\[daily from 2024-01-01 \(UTC\), \d+ partitions\] {2}definitions\.py:24$/m, 'other definitions as before');
  assert.ok(lines.includes(`dynamic partitions "customers": 2 keys on the Dagster instance at ${ws.home}`), withDagster.stdout);

  // Without dagster: the project's state (empty until a key is added there), and why.
  const empty = ws.run(['defs'], NO_DAGSTER);
  assert.equal(empty.code, 0, empty.stdout + empty.stderr);
  assert.match(empty.stdout, /^ {4}asset {3}customer_report {2}\[Dynamic partitions: "customers", 0 partitions, keys from the project's state\] {2}definitions\.py:36$/m);
  assert.match(empty.stdout, /^dynamic partitions "customers": no keys yet in the project's state \(.*\), because: The Python interpreter .* cannot import dagster .*\n {2}add some with `backfill partitions add customers KEY…`$/m);
  assert.equal(ws.run(['partitions', 'add', 'customers', 'zeta'], NO_DAGSTER).code, 0);
  const added = ws.run(['defs'], NO_DAGSTER);
  assert.match(added.stdout, /^ {4}asset {3}customer_report {2}\[Dynamic partitions: "customers", 1 partitions, keys from the project's state\]/m);
  assert.match(added.stdout, /^dynamic partitions "customers": 1 key in the project's state \(.*\), because: The Python interpreter .* cannot import dagster/m);

  // An instance that cannot be opened: the project's state speaks, with the instance's error; no invitation to add.
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), REJECTED_YAML);
  const refused = ws.run(['defs']);
  assert.equal(refused.code, 0, refused.stdout + refused.stderr);
  assert.match(refused.stdout, new RegExp(`^dynamic partitions "customers": 1 key in the project's state \\(.*\\), because: Could not open the Dagster instance at ${escape(ws.home)} `, 'm'));
  assert.doesNotMatch(refused.stdout, /add some with/);
});
