// The status client (DagsterStatusReader): one lazy long-lived process, answers matched by request id, request
// failures, a missing dagster, retire; against the real runner's status mode with the stand-in dagster package
// (test/fixtures/dagster-test-double, a test double of Dagster: it cannot be installed here). Crashes, hangs and
// malformed answers, which the real runner does not produce on demand, come from a NAMED DOUBLE of its status mode
// (test/fixtures/status-process-double).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { DagsterStatusError, DagsterStatusReader, type DagsterStatusReaderOptions } from '../../../src/core/coordinator/dagsterStatusReader';
import { repoRoot } from '../project/repoRoot';
import { instanceScript, result, runPythonCode } from './dagsterPythonScripts';
import { isAlive, python, runnerScript, testDouble } from './dagsterTestDouble';

const statusDouble = path.join(repoRoot(), 'test/fixtures/status-process-double/status_process_double.py');
const partitionKinds = fs.readFileSync(path.join(testDouble, 'examples/partition_kinds.py'), 'utf8');
const location = { name: 'defs.py', root: '', entryFiles: ['defs.py'] };

const ask = (reader: DagsterStatusReader, workspaceRoot: string, cursor: string | null = null, assets = ['raw_events']) =>
  reader.status({ workspaceRoot, location, assets, dynamicPartitions: ['customers'], cursor });

// ---- the real runner ----

interface Real {
  reader: DagsterStatusReader;
  dir: string;
  home: string;
  /** Runs instanceScript(body) on the instance (defs.py is partition_kinds.py) and returns its RESULT. */
  python(body: string, env?: NodeJS.ProcessEnv): Promise<any>;
}

function real(t: TestContext, options: Partial<DagsterStatusReaderOptions> = {}, env: NodeJS.ProcessEnv = {}): Real {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-status-'));
  fs.writeFileSync(path.join(dir, 'defs.py'), partitionKinds);
  const home = path.join(dir, 'home');
  fs.mkdirSync(home);
  fs.writeFileSync(path.join(home, 'dagster.yaml'), '');
  const reader = new DagsterStatusReader({
    python, script: runnerScript, cwd: dir, env: { PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: home, ...env }, ...options,
  });
  t.after(() => reader.retire());
  return {
    reader, dir, home,
    python: async (body, scriptEnv = {}) => result(await runPythonCode({ cwd: dir, home }, instanceScript('defs', body), scriptEnv)),
  };
}

const none = { MATERIALIZED: [], FAILED: [], IN_PROGRESS: [], MISSING: [] };

test('the process starts on the first request, not before; one process answers a full then a delta answer', { timeout: 60_000 }, async (t) => {
  const s = real(t);
  assert.deepEqual(await s.python('out(ok=[run("raw_events", d) for d in days("2024-01-01", "2024-01-03")], failed=run("raw_events", "2024-01-05"))\ninst.add_dynamic_partitions("customers", ["acme"])',
    { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw_events@2024-01-05' }), { ok: ['SUCCESS', 'SUCCESS', 'SUCCESS'], failed: 'FAILURE' });
  assert.equal(s.reader.pid, undefined, 'constructing starts nothing');
  const first = await ask(s.reader, s.dir);
  assert.equal(first.full, true);
  assert.equal(first.instance, s.home);
  assert.deepEqual(first.assets, [{ asset: 'raw_events', statuses: { ...none, MATERIALIZED: [['2024-01-01', '2024-01-03']], FAILED: [['2024-01-05', '2024-01-05']] } }]);
  assert.deepEqual(first.dynamicPartitions, { customers: ['acme'] });
  assert.equal(s.reader.dagsterVersion, '1.11.0');
  const pid = s.reader.pid;
  assert.ok(pid);
  const second = await ask(s.reader, s.dir, first.cursor);
  assert.equal(second.full, false, 'the same process, asked with the cursor it answered');
  assert.deepEqual(second.assets, [], 'nothing changed');
  assert.equal(s.reader.pid, pid, 'one long-lived process');
});

test('answers are matched to their requests by id, a status and a dynamic partitions request sent together', { timeout: 60_000 }, async (t) => {
  const s = real(t);
  await s.python('inst.add_dynamic_partitions("customers", ["acme"])\nout(done=True)');
  const [status, added] = await Promise.all([ask(s.reader, s.dir), s.reader.dynamicPartitions({ workspaceRoot: s.dir, name: 'customers', add: ['globex', 'acme', 'initech'] })]);
  assert.equal(status.full, true);
  assert.deepEqual(status.dynamicPartitions, { customers: ['acme'] }, 'read before the add, which was sent after it');
  assert.deepEqual(added, { name: 'customers', keys: ['acme', 'globex', 'initech'], instance: s.home });
  const deleted = await s.reader.dynamicPartitions({ workspaceRoot: s.dir, name: 'customers', delete: ['globex'] });
  assert.deepEqual(deleted.keys, ['acme', 'initech']);
  assert.deepEqual(await s.python('out(keys=inst.get_dynamic_partitions("customers"))'), { keys: ['acme', 'initech'] }, 'kept where the instance keeps them');
});

test('a request the instance fails is an error naming its phase and instance; the process stays and answers the next', { timeout: 60_000 }, async (t) => {
  const s = real(t);
  fs.writeFileSync(path.join(s.home, 'dagster.yaml'), 'run_storage_typo:\n  module: x\n');
  await assert.rejects(ask(s.reader, s.dir), (e: unknown) => {
    assert.ok(e instanceof DagsterStatusError);
    assert.equal(e.failure, 'instance');
    assert.equal(e.instance, s.home);
    assert.match(e.message, /^DagsterInvalidConfigError: Errors whilst loading dagster instance config at dagster\.yaml/);
    return true;
  });
  const pid = s.reader.pid;
  fs.writeFileSync(path.join(s.home, 'dagster.yaml'), '');
  assert.equal((await ask(s.reader, s.dir)).full, true);
  assert.equal(s.reader.pid, pid);
});

test('dagster missing: the runner\'s message, and every later request fails the same way without starting a process', { timeout: 60_000 }, async (t) => {
  const s = real(t, {}, { PYTHONPATH: '' });
  await assert.rejects(ask(s.reader, s.dir), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'dagster-missing' && /cannot import dagster/.test(e.message));
  assert.match(s.reader.dagsterMissing ?? '', /cannot import dagster/);
  await assert.rejects(s.reader.dynamicPartitions({ workspaceRoot: s.dir, name: 'customers', add: ['a'] }), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'dagster-missing');
  assert.equal(s.reader.pid, undefined);
});

test('an interpreter that cannot be started counts as dagster missing, naming it and how to choose another', async (t) => {
  const s = real(t, { python: '/nonexistent/python3' });
  await assert.rejects(ask(s.reader, s.dir), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'dagster-missing' && /\/nonexistent\/python3/.test(e.message) && /--python PATH/.test(e.message));
});

test('retire ends the process; the next request starts another', { timeout: 60_000 }, async (t) => {
  const s = real(t);
  await ask(s.reader, s.dir);
  const pid = s.reader.pid!;
  await s.reader.retire();
  assert.equal(isAlive(pid), false);
  await ask(s.reader, s.dir);
  assert.notEqual(s.reader.pid, pid);
});

// ---- the NAMED DOUBLE of the status mode: what the real runner does not do on demand ----

interface Doubled {
  reader: DagsterStatusReader;
  setState(state: Record<string, unknown>): void;
  requests(): { pid: number; request: Record<string, unknown> }[];
}

function doubled(t: TestContext, state: Record<string, unknown>, options: Partial<DagsterStatusReaderOptions> = {}): Doubled {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-status-double-'));
  const stateFile = path.join(dir, 'state.json');
  const requestsFile = path.join(dir, 'requests.jsonl');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const reader = new DagsterStatusReader({
    python, script: statusDouble, cwd: dir, env: { STATUS_DOUBLE_STATE: stateFile, STATUS_DOUBLE_REQUESTS: requestsFile }, ...options,
  });
  t.after(() => reader.retire());
  return {
    reader,
    setState: (s) => fs.writeFileSync(stateFile, JSON.stringify(s)),
    requests: () => (fs.existsSync(requestsFile) ? fs.readFileSync(requestsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []),
  };
}

const raw = { MATERIALIZED: [['2024-01-01', '2024-01-03']], FAILED: [['2024-01-05', '2024-01-05']] };

test('a process that dies fails what it owed with its last words; the next request starts a new one, answered full', async (t) => {
  const s = doubled(t, { crash: true });
  await assert.rejects(ask(s.reader, '/ws'), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'runner' && /exited with code 1 before it answered: status double: crashed as asked/.test(e.message));
  s.setState({ assets: { raw_events: raw } });
  const again = await ask(s.reader, '/ws', 'c-old');
  assert.equal(again.full, true, 'a fresh process does not know the old cursor');
  const pids = s.requests().map((r) => r.pid);
  assert.notEqual(pids[0], pids[1]);
});

test('a request without an answer in time fails as a timeout and its process is stopped; the next starts afresh', async (t) => {
  const s = doubled(t, { hang: true }, { timeoutMs: 400 });
  await assert.rejects(ask(s.reader, '/ws'), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'timeout' && /did not answer within/.test(e.message));
  const hung = s.requests()[0]!.pid;
  s.setState({ assets: { raw_events: raw } });
  assert.equal((await ask(s.reader, '/ws')).full, true);
  assert.notEqual(s.requests()[1]!.pid, hung);
  while (isAlive(hung)) await new Promise((r) => setTimeout(r, 20));
});

test('a malformed answer fails its request at once, not after the timeout', async (t) => {
  const s = doubled(t, { malformed: true }, { timeoutMs: 600_000 });
  await assert.rejects(ask(s.reader, '/ws'), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'runner' && /malformed status_result/.test(e.message));
});
