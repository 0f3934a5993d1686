// BackfillWorkspace's Dagster statuses end to end, with the runner script replaced by the NAMED DOUBLE of its status
// mode (test/fixtures/status-process-double): refresh, the merged view, the source faces explain, the events,
// retiring the process when Python files change, a new interpreter asked afresh, close.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';
import { repoRoot } from '../project/repoRoot';
import { isAlive, python } from '../runner/dagsterTestDouble';

const statusDouble = path.join(repoRoot(), 'test/fixtures/status-process-double/status_process_double.py');
const source = fs.readFileSync(path.join(repoRoot(), 'test/fixtures/dagster-test-double/examples/partition_kinds.py'), 'utf8');

function setup(t: TestContext, state: Record<string, unknown>, env: NodeJS.ProcessEnv = {}) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-ws-status-'));
  fs.writeFileSync(path.join(root, 'definitions.py'), source);
  const stateFile = path.join(root, 'double.json');
  const requestsFile = path.join(root, 'requests.jsonl');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const ws = new BackfillWorkspace({
    root, origin: 'cli', python, runnerScript: statusDouble, adoptOrphansOnStart: false, commandSpawner: false,
    wasmPath: path.join(repoRoot(), 'node_modules/sql.js/dist/sql-wasm.wasm'),
    runnerEnv: { STATUS_DOUBLE_STATE: stateFile, STATUS_DOUBLE_REQUESTS: requestsFile, ...env },
  });
  t.after(() => ws.close());
  return {
    ws, root,
    setState: (s: Record<string, unknown>) => fs.writeFileSync(stateFile, JSON.stringify(s)),
    pids: () => (fs.existsSync(requestsFile) ? fs.readFileSync(requestsFile, 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { pid: number }).pid) : []),
  };
}

const raw = { MATERIALIZED: [['2024-01-01', '2024-01-03']] };

test('refresh feeds the merged view and fires the changed targets; a refresh with nothing new changes nothing', async (t) => {
  const s = setup(t, { instance: '/home/dagster', assets: { raw_events: raw }, dynamicPartitions: { customers: ['acme'] } });
  await s.ws.refreshDefinitions();
  assert.equal(s.ws.partitionStatuses, undefined, 'before the engine opens');
  assert.deepEqual(s.ws.partitionStatusSource, { kind: 'project', reason: 'the Dagster instance has not been read yet' });
  const { statuses, store } = await s.ws.engine();
  assert.equal(s.ws.partitionStatuses, statuses);
  const fired: string[][] = [];
  s.ws.onDidChangePartitionStatuses((targets) => fired.push(targets));
  const first = await s.ws.refreshDagsterStatuses();
  assert.equal(first.error, undefined);
  assert.equal(first.instance, '/home/dagster');
  assert.deepEqual(first.changedTargets.sort(), ['customer_day', 'customer_job', 'customer_report', 'raw_events']);
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

test('a failing refresh keeps the last good statuses and says why, naming the instance', async (t) => {
  const s = setup(t, { instance: '/home/dagster', assets: { raw_events: raw } });
  await s.ws.refreshDefinitions();
  const { statuses } = await s.ws.engine();
  await s.ws.refreshDagsterStatuses();
  s.setState({ instance: '/home/dagster', failure: { phase: 'status', message: 'database is locked' } });
  const failed = await s.ws.refreshDagsterStatuses();
  assert.match(failed.error!, /^Could not read partition statuses from the Dagster instance at \/home\/dagster: DagsterDoubleError: database is locked\. The statuses shown are the last ones read\./);
  assert.equal(statuses.partitionStatuses('raw_events').get('2024-01-01'), 'MATERIALIZED');
  const source = s.ws.partitionStatusSource;
  assert.equal(source.kind, 'instance');
  assert.equal(source.kind === 'instance' && source.error, failed.error);
  const job = s.ws.partitionStatusSourceOf('do_stuff_partitioned');
  assert.equal(job.kind === 'project' && job.reason, 'do_stuff_partitioned is a job: Dagster keeps partition statuses per asset');
});

test('a Python file change retires the status process; the next refresh starts a new one', async (t) => {
  const s = setup(t, { assets: { raw_events: raw } });
  await s.ws.refreshDefinitions();
  await s.ws.engine();
  await s.ws.refreshDagsterStatuses();
  const [pid] = s.pids();
  await s.ws.refreshDefinitions(['definitions.py']);
  while (isAlive(pid!)) await new Promise((r) => setTimeout(r, 20));
  await s.ws.refreshDagsterStatuses();
  assert.notEqual(s.pids().at(-1), pid);
});

test('without dagster the project\'s records and keys speak, with the runner\'s reason; another interpreter is asked afresh', async (t) => {
  const s = setup(t, { assets: { raw_events: raw }, dynamicPartitions: { customers: ['acme'] } }, { STATUS_DOUBLE_DAGSTER_MISSING: '1' });
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
  assert.equal(s.pids().length, 0, 'the double exits before reading requests');
  s.ws.setPythonInterpreter('/nonexistent/python3');
  const other = await s.ws.refreshDagsterStatuses();
  assert.match(other.dagsterMissing!, /\/nonexistent\/python3/);
});
