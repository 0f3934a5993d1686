// The runner's status mode (docs/instance-statuses.md) against the dagster test double: statuses after real runs (one
// succeeding, one failing, runs in progress), deltas by cursor, a fresh process answering in full, versions, dynamic
// partitions, and whole-request errors the process survives. Runs in progress are held by DAGSTER_TEST_DOUBLE_SLEEP or by
// an asset that waits for a file; every step waits for a printed line or an answer, never for time.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pythonWorkspace, result, runPythonCode, startPythonCode, type Running, type Ws } from './dagsterPythonScripts';
import { callsFile, recordedCalls, StatusRunner, type RunnerEvent } from './statusRunner';

const DEFS = `
import os, time
from dagster import DailyPartitionsDefinition, Definitions, DynamicPartitionsDefinition, MultiPartitionsDefinition, StaticPartitionsDefinition, asset

daily = DailyPartitionsDefinition(start_date="2024-01-01")
colors = MultiPartitionsDefinition({"date": daily, "color": StaticPartitionsDefinition(["red", "blue"])})
customers = DynamicPartitionsDefinition(name="customers")


@asset(partitions_def=daily)
def raw(context) -> None:
    pass


@asset(partitions_def=daily)
def gated(context) -> None:
    # Runs until the test writes release-<partition> beside this file.
    release = os.path.join(os.path.dirname(os.path.abspath(__file__)), "release-" + context.partition_key)
    deadline = time.time() + 120
    while not os.path.exists(release) and time.time() < deadline:
        time.sleep(0.02)


@asset(partitions_def=colors)
def painted(context) -> None:
    pass


@asset(partitions_def=customers)
def per_customer(context) -> None:
    pass


@asset
def plain(context) -> None:
    pass


defs = Definitions(assets=[raw, gated, painted, per_customer, plain])
`;

const RUNS = `
import json, sys, uuid
from dagster import AssetKey, DagsterInstance, MultiPartitionKey
import defs
inst = DagsterInstance.get()
job = defs.defs.get_implicit_global_asset_job_def()
def run(asset, key=None, tags=None, canceling=False):
    run_id = str(uuid.uuid4())
    def listener(entry):
        if entry.dagster_event and entry.dagster_event.event_type_value == "STEP_START":
            if canceling:
                inst.report_run_canceling(inst.get_run_by_id(run_id))
            print("STEP STARTED", flush=True)
    inst.add_event_listener(run_id, listener)
    res = job.execute_in_process(instance=inst, partition_key=key, tags=tags, run_id=run_id, raise_on_error=False, asset_selection=[AssetKey(asset)])
    return inst.get_run_by_id(run_id).status.value
def out(**fields):
    print("RESULT " + json.dumps(fields), flush=True)
`;

function statusWorkspace(): Ws {
  const ws = pythonWorkspace(DEFS);
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), '');
  return ws;
}

async function runs(ws: Ws, body: string, env: NodeJS.ProcessEnv = {}): Promise<any> {
  return result(await runPythonCode(ws, RUNS + body, env));
}

const none = { MATERIALIZED: [], FAILED: [], IN_PROGRESS: [], MISSING: [] };
const entry = (answer: RunnerEvent, asset: string): any => answer.assets.find((a: { asset: string }) => a.asset === asset);

test('status mode: a full read after real runs, deltas after a materialization made outside and after runs end (failed, materialized, canceled back to missing), an unchanged refresh costing one query, a fresh process answering in full', { timeout: 180_000 }, async () => {
  const ws = statusWorkspace();
  const calls = callsFile(ws.cwd);
  assert.deepEqual(await runs(ws, 'out(ok=run("raw", "2024-01-02"), failed=run("raw", "2024-01-03"))', { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw@2024-01-03' }), { ok: 'SUCCESS', failed: 'FAILURE' });
  const held: Running[] = [];
  const hold = async (body: string, env: NodeJS.ProcessEnv = {}) => {
    const running = startPythonCode(ws, RUNS + body, env);
    held.push(running);
    running.child.stdin.end();
    await running.waitFor('STEP STARTED');
    return running;
  };
  const runner = new StatusRunner(ws.cwd, { DAGSTER_HOME: ws.home, DAGSTER_TEST_DOUBLE_CALLS: calls });
  try {
    const sleeping = await hold('out(status=run("raw", "2024-01-04"))', { DAGSTER_TEST_DOUBLE_SLEEP: '120@2024-01-04' });
    const waiting = await hold('out(status=run("gated", "2024-01-05"))');
    await runner.waitFor((e) => e.event === 'worker_ready');
    const assets = ['raw', 'gated', 'plain', 'nope'];
    const first = await runner.status(assets, null, { dynamicPartitions: ['customers'] });
    assert.equal(first.full, true);
    assert.equal(first.instance, ws.home);
    assert.match(first.cursor, /^\d+$/);
    assert.deepEqual(entry(first, 'raw'), { asset: 'raw', statuses: { ...none, MATERIALIZED: [['2024-01-02', '2024-01-02']], FAILED: [['2024-01-03', '2024-01-03']], IN_PROGRESS: [['2024-01-04', '2024-01-04']] } });
    assert.deepEqual(entry(first, 'gated'), { asset: 'gated', statuses: { ...none, IN_PROGRESS: [['2024-01-05', '2024-01-05']] } });
    assert.deepEqual(entry(first, 'plain'), { asset: 'plain', partitioned: false });
    assert.match(entry(first, 'nope').error, /^asset nope is not in code location Definitions object defs\.defs/);
    assert.deepEqual(first.assets.map((a: { asset: string }) => a.asset), assets, 'in the request\'s order');
    assert.deepEqual(first.dynamicPartitions, { customers: [] });

    // Materializations made outside (a runless report, as the UI's "report materialization" does).
    await runs(ws, 'from dagster import AssetMaterialization\nfor d in ("2024-01-10", "2024-01-11", "2024-01-13"):\n    inst.report_runless_asset_event(AssetMaterialization("raw", partition=d))\nout(done=True)');
    const second = await runner.status(assets, first.cursor);
    assert.equal(second.full, false);
    assert.deepEqual(second.assets, [{ asset: 'raw', statuses: { ...none, MATERIALIZED: [['2024-01-10', '2024-01-11'], ['2024-01-13', '2024-01-13']] } }]);
    assert.ok(Number(second.cursor) > Number(first.cursor));

    // Nothing new: an empty delta; the runs still in progress are the only other question asked.
    const before = recordedCalls(calls, runner.child.pid!).length;
    const third = await runner.status(assets, second.cursor);
    assert.deepEqual([third.full, third.assets, third.cursor], [false, [], second.cursor]);
    assert.deepEqual(recordedCalls(calls, runner.child.pid!).slice(before), ['EventLogStorage.get_maximum_record_id', 'DagsterInstance.get_runs']);

    // The sleeping run is interrupted (Dagster records FAILURE); the waiting one is released and succeeds.
    sleeping.child.kill('SIGTERM');
    assert.equal(result(await sleeping.done).status, 'FAILURE');
    const fourth = await runner.status(assets, third.cursor);
    assert.deepEqual(fourth.assets, [{ asset: 'raw', statuses: { ...none, FAILED: [['2024-01-04', '2024-01-04']] } }]);
    fs.writeFileSync(path.join(ws.cwd, 'release-2024-01-05'), '');
    assert.equal(result(await waiting.done).status, 'SUCCESS');
    const fifth = await runner.status(assets, fourth.cursor);
    assert.deepEqual(fifth.assets, [{ asset: 'gated', statuses: { ...none, MATERIALIZED: [['2024-01-05', '2024-01-05']] } }]);

    // A run canceled while in progress: its key goes back to MISSING.
    const canceled = await hold('out(status=run("raw", "2024-01-20", canceling=True))', { DAGSTER_TEST_DOUBLE_SLEEP: '120@2024-01-20' });
    const sixth = await runner.status(assets, fifth.cursor);
    assert.deepEqual(sixth.assets, [{ asset: 'raw', statuses: { ...none, IN_PROGRESS: [['2024-01-20', '2024-01-20']] } }]);
    canceled.child.kill('SIGTERM');
    assert.equal(result(await canceled.done).status, 'CANCELED');
    const seventh = await runner.status(assets, sixth.cursor);
    assert.deepEqual(seventh.assets, [{ asset: 'raw', statuses: { ...none, MISSING: [['2024-01-20', '2024-01-20']] } }]);

    // No run tracked any more: an unchanged refresh is one query.
    const quiet = recordedCalls(calls, runner.child.pid!).length;
    assert.deepEqual((await runner.status(assets, seventh.cursor)).assets, []);
    assert.deepEqual(recordedCalls(calls, runner.child.pid!).slice(quiet), ['EventLogStorage.get_maximum_record_id']);
    // A request with a cursor this process did not answer last (an older one) is answered in full.
    assert.equal((await runner.status(assets, first.cursor)).full, true);
    assert.equal(await runner.close(), 0);

    // A fresh process knows no cursor: full, with every status Dagster now records.
    const fresh = new StatusRunner(ws.cwd, { DAGSTER_HOME: ws.home });
    try {
      const again = await fresh.status(['raw', 'gated'], seventh.cursor);
      assert.equal(again.full, true);
      assert.deepEqual(entry(again, 'raw').statuses, {
        ...none,
        MATERIALIZED: [['2024-01-02', '2024-01-02'], ['2024-01-10', '2024-01-11'], ['2024-01-13', '2024-01-13']],
        FAILED: [['2024-01-03', '2024-01-04']],
      });
      assert.deepEqual(entry(again, 'gated').statuses, { ...none, MATERIALIZED: [['2024-01-05', '2024-01-05']] });
      assert.equal(await fresh.close(), 0);
    } finally {
      fresh.child.kill('SIGKILL');
    }
  } finally {
    for (const r of held) r.child.kill('SIGKILL');
    runner.child.kill('SIGKILL');
  }
});

test('status mode per version: 1.2 reads multi-partitioned materializations from their dimension tags and a range run plans no keys; 1.11 counts them and a failed range run fails each key; a new asset in a delta answer is full', { timeout: 120_000 }, async () => {
  for (const version of ['1.2.0', '1.11.0']) {
    const ws = statusWorkspace();
    const env = { DAGSTER_TEST_DOUBLE_VERSION: version };
    const body = `out(a=run("painted", MultiPartitionKey({"date": "2024-01-01", "color": "blue"})), b=run("painted", MultiPartitionKey({"date": "2024-01-02", "color": "blue"})),
    c=run("painted", MultiPartitionKey({"date": "2024-01-01", "color": "red"})),
    ranged=run("raw", tags={"dagster/asset_partition_range_start": "2024-01-07", "dagster/asset_partition_range_end": "2024-01-09"}))`;
    // The range run's step fails (DAGSTER_TEST_DOUBLE_FAIL_STEP names raw; the painted runs have no such step).
    assert.deepEqual(await runs(ws, body, { ...env, DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw' }), { a: 'SUCCESS', b: 'SUCCESS', c: 'SUCCESS', ranged: 'FAILURE' });
    const runner = new StatusRunner(ws.cwd, { DAGSTER_HOME: ws.home, ...env });
    try {
      const first = await runner.status(['painted'], null);
      // Product order: color (red, blue: its definition's order) outer, date inner: blue|01-01 and blue|01-02 are neighbours.
      assert.deepEqual(entry(first, 'painted').statuses, { ...none, MATERIALIZED: [['red|2024-01-01', 'red|2024-01-01'], ['blue|2024-01-01', 'blue|2024-01-02']] }, version);
      const paths = runner.apiPaths(first);
      assert.equal(paths.includes('DagsterInstance.get_event_tags_for_asset'), version === '1.2.0', `${version}: ${paths.join(', ')}`);
      assert.equal(paths.includes('DagsterInstance.get_materialization_count_by_partition([asset keys])'), version !== '1.2.0', `${version}: ${paths.join(', ')}`);
      assert.ok(paths.includes(version === '1.2.0' ? 'Definitions.get_assets_def(asset key)' : 'Definitions.resolve_assets_def(asset key)'), paths.join(', '));
      const second = await runner.status(['painted', 'raw'], first.cursor);
      assert.equal(second.full, false);
      assert.deepEqual(second.assets, [{ asset: 'raw', full: true, statuses: { ...none, ...(version === '1.2.0' ? {} : { FAILED: [['2024-01-07', '2024-01-09']] }) } }], version);
      assert.equal(await runner.close(), 0);
    } finally {
      runner.child.kill('SIGKILL');
    }
  }
});

test('status mode: dynamic partitions are added (Dagster\'s key checks, its error reported), deleted and listed in insertion order, and a dynamic asset\'s statuses follow that order', { timeout: 60_000 }, async () => {
  const ws = statusWorkspace();
  const runner = new StatusRunner(ws.cwd, { DAGSTER_HOME: ws.home });
  try {
    const added = await runner.request({ op: 'dynamic_partitions', name: 'customers', add: ['globex', 'acme', 'initech'] });
    assert.deepEqual(added, { event: 'dynamic_partitions_result', run: added.run, name: 'customers', instance: ws.home, keys: ['globex', 'acme', 'initech'] });
    const invalid = await runner.request({ op: 'dynamic_partitions', name: 'customers', add: ['ok', 'bad...key'] });
    assert.equal(invalid.error.class, 'DagsterInvalidDefinitionError');
    assert.equal(invalid.error.message, "['...'] are invalid substrings in a partition key");
    assert.equal(invalid.keys, undefined);
    const deleted = await runner.request({ op: 'dynamic_partitions', name: 'customers', add: ['acme', 'umbrella'], delete: ['initech', 'never-there'] });
    assert.deepEqual(deleted.keys, ['globex', 'acme', 'umbrella']);
    assert.deepEqual((await runner.request({ op: 'dynamic_partitions', name: 'customers' })).keys, ['globex', 'acme', 'umbrella']);
    assert.deepEqual(await runs(ws, 'out(a=run("per_customer", "globex"), b=run("per_customer", "acme"), c=run("per_customer", "umbrella"))'), { a: 'SUCCESS', b: 'SUCCESS', c: 'SUCCESS' });
    const status = await runner.status(['per_customer'], null, { dynamicPartitions: ['customers', 'nobody'] });
    assert.deepEqual(entry(status, 'per_customer').statuses, { ...none, MATERIALIZED: [['globex', 'umbrella']] });
    assert.deepEqual(status.dynamicPartitions, { customers: ['globex', 'acme', 'umbrella'], nobody: [] });
    // A key deleted from the instance is left out of the asset's statuses, as Dagster's status cache does: the
    // definition's keys are now globex, umbrella.
    await runner.request({ op: 'dynamic_partitions', name: 'customers', delete: ['acme'] });
    assert.deepEqual(entry(await runner.status(['per_customer'], null), 'per_customer').statuses, { ...none, MATERIALIZED: [['globex', 'umbrella']] });
    await runner.request({ op: 'dynamic_partitions', name: 'customers', add: ['acme'] });
    assert.deepEqual(entry(await runner.status(['per_customer'], null), 'per_customer').statuses, { ...none, MATERIALIZED: [['globex', 'acme']] }, 'added again, at the end');
    assert.equal(await runner.close(), 0);
  } finally {
    runner.child.kill('SIGKILL');
  }
});

test('status mode: a request that fails as a whole (no such DAGSTER_HOME, a dagster.yaml Dagster rejects, a code location that does not load, an unreadable line) answers its error, path and phase, and the process goes on serving', { timeout: 60_000 }, async () => {
  const ws = statusWorkspace();
  const missingHome = path.join(ws.cwd, 'no-such-home');
  const runner = new StatusRunner(ws.cwd, { DAGSTER_HOME: missingHome });
  try {
    const missing = await runner.status(['raw'], null);
    assert.deepEqual([missing.phase, missing.instance, missing.error.class], ['instance', missingHome, 'DagsterInvariantViolationError']);
    assert.match(missing.error.message, /is not a directory or does not exist/);
    assert.equal(missing.assets, undefined);
    fs.mkdirSync(missingHome);
    fs.writeFileSync(path.join(missingHome, 'dagster.yaml'), 'run_storage_typo:\n  module: x\n');
    const rejected = await runner.status(['raw'], null);
    assert.deepEqual([rejected.phase, rejected.instance, rejected.error.class], ['instance', missingHome, 'DagsterInvalidConfigError']);
    assert.match(rejected.error.message, /Received unexpected config entry "run_storage_typo" at the root/);
    runner.sendRaw('{not json');
    const unreadable = await runner.waitFor((e) => e.event === 'status_result' && e.error?.class === 'JSONDecodeError');
    assert.deepEqual([unreadable.phase, unreadable.instance, unreadable.run], ['status', null, undefined], 'no request id to answer to');
    const unknownOp = await runner.request({ op: 'explode' });
    assert.deepEqual([unknownOp.phase, unknownOp.error.message], ['status', "op must be status or dynamic_partitions, not 'explode'"]);
    fs.writeFileSync(path.join(missingHome, 'dagster.yaml'), '');
    fs.writeFileSync(path.join(ws.cwd, 'broken.py'), 'raise RuntimeError("this location does not load")\n');
    const broken = await runner.status(['raw'], null, { location: { name: 'broken.py', root: '', entryFiles: ['broken.py'] } });
    assert.deepEqual([broken.phase, broken.instance, broken.error.class, broken.error.message], ['location', missingHome, 'RuntimeError', 'this location does not load']);
    const fine = await runner.status(['raw'], null);
    assert.deepEqual([fine.full, entry(fine, 'raw').statuses], [true, none]);
    assert.equal(await runner.close(), 0);
  } finally {
    runner.child.kill('SIGKILL');
  }
});
