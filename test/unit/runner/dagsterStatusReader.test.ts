// The status client against a NAMED DOUBLE of the runner's status mode (test/fixtures/status-process-double): one
// lazy long-lived process, answers matched by request id, request failures, crashes, hangs, a missing dagster.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { DagsterStatusError, DagsterStatusReader, type DagsterStatusReaderOptions } from '../../../src/core/coordinator/dagsterStatusReader';
import { repoRoot } from '../project/repoRoot';
import { isAlive, python } from './dagsterTestDouble';

const statusDouble = path.join(repoRoot(), 'test/fixtures/status-process-double/status_process_double.py');
const location = { name: 'defs.py', root: '', entryFiles: ['defs.py'] };

interface Setup {
  reader: DagsterStatusReader;
  setState(state: Record<string, unknown>): void;
  state(): Record<string, unknown>;
  requests(): { pid: number; request: Record<string, unknown> }[];
}

function setup(t: TestContext, state: Record<string, unknown>, options: Partial<DagsterStatusReaderOptions> = {}, env: NodeJS.ProcessEnv = {}): Setup {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-status-'));
  const stateFile = path.join(dir, 'state.json');
  const requestsFile = path.join(dir, 'requests.jsonl');
  fs.writeFileSync(stateFile, JSON.stringify(state));
  const reader = new DagsterStatusReader({
    python, script: statusDouble, cwd: dir, env: { STATUS_DOUBLE_STATE: stateFile, STATUS_DOUBLE_REQUESTS: requestsFile, ...env }, ...options,
  });
  t.after(() => reader.retire());
  return {
    reader,
    setState: (s) => fs.writeFileSync(stateFile, JSON.stringify(s)),
    state: () => JSON.parse(fs.readFileSync(stateFile, 'utf8')) as Record<string, unknown>,
    requests: () => (fs.existsSync(requestsFile) ? fs.readFileSync(requestsFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l)) : []),
  };
}

const ask = (reader: DagsterStatusReader, cursor: string | null = null, assets = ['raw_events']) =>
  reader.status({ workspaceRoot: '/ws', location, assets, dynamicPartitions: ['customers'], cursor });

const raw = { MATERIALIZED: [['2024-01-01', '2024-01-03']], FAILED: [['2024-01-05', '2024-01-05']] };

test('the process starts on the first request, not before; one process answers a full then a delta answer', async (t) => {
  const s = setup(t, { instance: '/home/me/dagster_home', assets: { raw_events: raw }, dynamicPartitions: { customers: ['acme'] } });
  assert.equal(s.reader.pid, undefined, 'constructing starts nothing');
  const first = await ask(s.reader);
  assert.equal(first.full, true);
  assert.equal(first.instance, '/home/me/dagster_home');
  assert.deepEqual(first.assets, [{ asset: 'raw_events', statuses: { ...raw, IN_PROGRESS: [] } }]);
  assert.deepEqual(first.dynamicPartitions, { customers: ['acme'] });
  assert.equal(s.reader.dagsterVersion, '1.11.0');
  const second = await ask(s.reader, first.cursor);
  assert.equal(second.full, false);
  assert.deepEqual(second.assets, [], 'nothing changed');
  const sent = s.requests();
  assert.equal(sent.length, 2);
  assert.equal(sent[0]!.pid, sent[1]!.pid, 'one long-lived process');
  assert.equal(sent[0]!.request.op, 'status');
  assert.equal(sent[1]!.request.cursor, first.cursor);
});

test('answers are matched to their requests by id, a status and a dynamic partitions request sent together', async (t) => {
  const s = setup(t, { instance: '/i', assets: { raw_events: raw }, dynamicPartitions: { customers: ['acme'] } });
  const [status, added] = await Promise.all([ask(s.reader), s.reader.dynamicPartitions({ workspaceRoot: '/ws', name: 'customers', add: ['globex', 'acme', 'initech'] })]);
  assert.equal(status.full, true);
  assert.deepEqual(added, { name: 'customers', keys: ['acme', 'globex', 'initech'], instance: '/i' });
  const deleted = await s.reader.dynamicPartitions({ workspaceRoot: '/ws', name: 'customers', delete: ['globex'] });
  assert.deepEqual(deleted.keys, ['acme', 'initech']);
  assert.deepEqual((s.state().dynamicPartitions as Record<string, string[]>).customers, ['acme', 'initech'], 'kept where the instance keeps them');
  const ids = s.requests().map((r) => r.request.requestId);
  assert.equal(new Set(ids).size, 3);
});

test('a request the instance fails is an error naming its phase and instance; the process stays and answers the next', async (t) => {
  const s = setup(t, { instance: '/h/dagster_home', failure: { phase: 'instance', class: 'DagsterInvalidConfigError', message: 'Errors whilst loading dagster.yaml' } });
  await assert.rejects(ask(s.reader), (e: unknown) => {
    assert.ok(e instanceof DagsterStatusError);
    assert.equal(e.failure, 'instance');
    assert.equal(e.instance, '/h/dagster_home');
    assert.match(e.message, /^DagsterInvalidConfigError: Errors whilst loading dagster.yaml/);
    return true;
  });
  const pid = s.reader.pid;
  s.setState({ instance: '/h/dagster_home', assets: { raw_events: raw } });
  assert.equal((await ask(s.reader)).full, true);
  assert.equal(s.reader.pid, pid);
});

test('a process that dies fails what it owed with its last words; the next request starts a new one, answered full', async (t) => {
  const s = setup(t, { crash: true });
  await assert.rejects(ask(s.reader), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'runner' && /exited with code 1 before it answered: status double: crashed as asked/.test(e.message));
  s.setState({ assets: { raw_events: raw } });
  const again = await ask(s.reader, 'c-old');
  assert.equal(again.full, true, 'a fresh process does not know the old cursor');
  const pids = s.requests().map((r) => r.pid);
  assert.notEqual(pids[0], pids[1]);
});

test('a request without an answer in time fails as a timeout and its process is stopped; the next starts afresh', async (t) => {
  const s = setup(t, { hang: true }, { timeoutMs: 400 });
  await assert.rejects(ask(s.reader), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'timeout' && /did not answer within/.test(e.message));
  const hung = s.requests()[0]!.pid;
  s.setState({ assets: { raw_events: raw } });
  assert.equal((await ask(s.reader)).full, true);
  assert.notEqual(s.requests()[1]!.pid, hung);
  while (isAlive(hung)) await new Promise((r) => setTimeout(r, 20));
});

test('a malformed answer fails its request at once, not after the timeout', async (t) => {
  const s = setup(t, { malformed: true }, { timeoutMs: 600_000 });
  await assert.rejects(ask(s.reader), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'runner' && /malformed status_result/.test(e.message));
});

test('dagster missing: the runner\'s message, and every later request fails the same way without starting a process', async (t) => {
  const s = setup(t, {}, {}, { STATUS_DOUBLE_DAGSTER_MISSING: '1' });
  await assert.rejects(ask(s.reader), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'dagster-missing' && /cannot import dagster/.test(e.message));
  assert.match(s.reader.dagsterMissing ?? '', /cannot import dagster/);
  await assert.rejects(s.reader.dynamicPartitions({ workspaceRoot: '/ws', name: 'customers', add: ['a'] }), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'dagster-missing');
  assert.equal(s.reader.pid, undefined);
});

test('an interpreter that cannot be started counts as dagster missing, naming it and how to choose another', async (t) => {
  const s = setup(t, {}, { python: '/nonexistent/python3' });
  await assert.rejects(ask(s.reader), (e: unknown) => e instanceof DagsterStatusError && e.failure === 'dagster-missing' && /\/nonexistent\/python3/.test(e.message) && /--python PATH/.test(e.message));
});

test('retire ends the process; the next request starts another', async (t) => {
  const s = setup(t, { assets: { raw_events: raw } });
  await ask(s.reader);
  const pid = s.reader.pid!;
  await s.reader.retire();
  assert.equal(isAlive(pid), false);
  await ask(s.reader);
  assert.notEqual(s.reader.pid, pid);
});
