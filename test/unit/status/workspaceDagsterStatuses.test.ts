// BackfillWorkspace's Dagster statuses end to end, with the real runner's status mode and the stand-in dagster package
// (test/fixtures/dagster-test-double, a test double of Dagster: it cannot be installed here): refresh, the merged view,
// the source faces explain, the events, retiring the process when Python files change, a new interpreter asked afresh,
// close. Status processes are told apart by the pids of the stand-in's recorded calls (DAGSTER_TEST_DOUBLE_CALLS).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';
import { repoRoot } from '../project/repoRoot';
import { instanceScript, result, runPythonCode } from '../runner/dagsterPythonScripts';
import { isAlive, python, runnerScript, testDouble } from '../runner/dagsterTestDouble';

const source = fs.readFileSync(path.join(testDouble, 'examples/partition_kinds.py'), 'utf8');

function setup(t: TestContext, env: NodeJS.ProcessEnv = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ws-status-'));
  fs.writeFileSync(path.join(root, 'definitions.py'), source);
  const home = path.join(root, 'dagster_home');
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(home, 'dagster.yaml'), '');
  const callsFile = path.join(root, 'calls.jsonl');
  const ws = new BackfillWorkspace({
    root, origin: 'cli', python, runnerScript, adoptOrphansOnStart: false, commandSpawner: false,
    wasmPath: path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm'),
    runnerEnv: { PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: home, DAGSTER_TEST_DOUBLE_CALLS: callsFile, ...env },
  });
  t.after(() => ws.close());
  return {
    ws, root, home,
    /** Runs instanceScript(body) on the instance and returns its RESULT. */
    python: async (body: string, scriptEnv: NodeJS.ProcessEnv = {}) => result(await runPythonCode({ cwd: root, home }, instanceScript('definitions', body), scriptEnv)),
    /** The pid of the status process that answered each status request: every request asks for the event log's
     * greatest storage id first, and once more only when a run it tracks ended (none here). */
    pids: (): number[] => (fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { call: string; pid: number }) : [])
      .filter((c) => c.call === 'EventLogStorage.get_maximum_record_id').map((c) => c.pid),
  };
}

test('refresh feeds the merged view and fires the changed targets; a refresh with nothing new changes nothing', { timeout: 60_000 }, async (t) => {
  const s = setup(t);
  assert.deepEqual(await s.python('out(ok=[run("raw_events", d) for d in days("2024-01-01", "2024-01-03")])\ninst.add_dynamic_partitions("customers", ["acme"])'), { ok: ['SUCCESS', 'SUCCESS', 'SUCCESS'] });
  await s.ws.refreshDefinitions();
  assert.equal(s.ws.partitionStatuses, undefined, 'before the engine opens');
  assert.deepEqual(s.ws.partitionStatusSource, { kind: 'project', reason: 'the Dagster instance has not been read yet' });
  const { statuses, store } = await s.ws.engine();
  assert.equal(s.ws.partitionStatuses, statuses);
  const fired: string[][] = [];
  s.ws.onDidChangePartitionStatuses((targets) => fired.push(targets));
  const first = await s.ws.refreshDagsterStatuses();
  assert.equal(first.error, undefined);
  assert.equal(first.instance, s.home);
  // Every partitioned asset of the location (now from the instance, regional_sales with nothing materialized) and the
  // job whose keys are the dynamic partitions "customers".
  assert.deepEqual(first.changedTargets.sort(), ['customer_day', 'customer_job', 'customer_report', 'raw_events', 'regional_sales']);
  assert.deepEqual(fired, [first.changedTargets]);
  assert.equal(statuses.partitionStatuses('raw_events').get('2024-01-02'), 'MATERIALIZED');
  assert.equal(store.partitionStatuses('raw_events').size, 0, 'the store holds only the project\'s own records');
  assert.equal(s.ws.partitionStatusSource.kind, 'instance');
  assert.deepEqual(s.ws.definitions!.assets.find((a) => a.key.join('/') === 'customer_report')!.partitions!.keys(new Date()), ['acme']);
  const second = await s.ws.refreshDagsterStatuses();
  assert.deepEqual(second.changedTargets, []);
  assert.equal(fired.length, 1);
  // Concurrent refreshes share processes and never overlap: three calls, at most two requests.
  const before = s.pids().length;
  await Promise.all([s.ws.refreshDagsterStatuses(), s.ws.refreshDagsterStatuses(), s.ws.refreshDagsterStatuses()]);
  assert.ok(s.pids().length - before <= 2, `${s.pids().length - before} requests`);
  assert.equal(new Set(s.pids()).size, 1, 'one long-lived process');
});

test('a failing refresh keeps the last good statuses and says why, naming the instance', { timeout: 60_000 }, async (t) => {
  const s = setup(t);
  await s.python('out(ok=run("raw_events", "2024-01-01"))');
  await s.ws.refreshDefinitions();
  const { statuses } = await s.ws.engine();
  await s.ws.refreshDagsterStatuses();
  // The instance's event log storage breaks under the running status process (its table is gone).
  await s.python('import sqlite3, os\nsqlite3.connect(os.path.join(os.environ["DAGSTER_HOME"], "history", "runs", "index.db")).execute("DROP TABLE event_logs")\nout(done=True)');
  const failed = await s.ws.refreshDagsterStatuses();
  assert.match(failed.error!, new RegExp(`^Could not read partition statuses from the Dagster instance at ${s.home.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: OperationalError: no such table: event_logs\\. The statuses shown are the last ones read\\.`));
  assert.equal(statuses.partitionStatuses('raw_events').get('2024-01-01'), 'MATERIALIZED');
  const source = s.ws.partitionStatusSource;
  assert.equal(source.kind, 'instance');
  assert.equal(source.kind === 'instance' && source.error, failed.error);
  const job = s.ws.partitionStatusSourceOf('do_stuff_partitioned');
  assert.equal(job.kind === 'project' && job.reason, 'do_stuff_partitioned is a job: Dagster keeps partition statuses per asset');
});

test('a Python file change retires the status process; the next refresh starts a new one', { timeout: 60_000 }, async (t) => {
  const s = setup(t);
  await s.ws.refreshDefinitions();
  await s.ws.engine();
  await s.ws.refreshDagsterStatuses();
  const [pid] = s.pids();
  assert.ok(pid);
  await s.ws.refreshDefinitions(['definitions.py']);
  while (isAlive(pid)) await new Promise((r) => setTimeout(r, 20));
  await s.ws.refreshDagsterStatuses();
  assert.notEqual(s.pids().at(-1), pid);
});

test('without dagster the project\'s records and keys speak, with the runner\'s reason; another interpreter is asked afresh', { timeout: 60_000 }, async (t) => {
  const s = setup(t, { PYTHONPATH: '' });
  await s.ws.refreshDefinitions();
  const { store } = await s.ws.engine();
  const missing = await s.ws.refreshDagsterStatuses();
  assert.match(missing.dagsterMissing!, /cannot import dagster/);
  const source = s.ws.partitionStatusSource;
  assert.equal(source.kind, 'project');
  assert.equal(source.kind === 'project' && source.dagsterMissing, true);
  const added = await s.ws.addDynamicPartitions('customers', ['zeta']);
  assert.equal(added.source, 'project');
  assert.deepEqual(store.dynamicPartitionKeys('customers'), ['zeta']);
  // The same interpreter is not asked again; a new one is.
  assert.equal(s.pids().length, 0, 'no status process read the instance');
  s.ws.setPythonInterpreter('/nonexistent/python3');
  const other = await s.ws.refreshDagsterStatuses();
  assert.match(other.dagsterMissing!, /\/nonexistent\/python3/);
});
