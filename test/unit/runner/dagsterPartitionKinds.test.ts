// The runner with multi, dynamic and op-job partitions against the dagster test double, per Dagster version:
// MultiPartitionKey and per-dimension tags, dynamic keys added to the instance, partitioned config, op job ranges.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test, type TestContext } from 'node:test';
import { repoRoot } from '../project/repoRoot';
import type { Definition } from '../../../src/core/definitions/definition';
import { DynamicPartitionsDefinition, type DynamicPartitionsStore } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import { dagsterDefinition, python, quickstartWorkspace, recordingIo, runRequest, testDouble, type Recorded, type Workspace } from './dagsterTestDouble';

const source = fs.readFileSync(path.join(repoRoot(), 'test/fixtures/dagster-test-double/examples/partition_kinds.py'), 'utf8');
const extra = [
  ...['raw_events', 'regional_sales', 'customer_report', 'legacy_zones', 'customer_day'].map((n) => dagsterDefinition('asset', n)),
  ...['do_stuff_partitioned', 'customer_job', 'raw_events_job'].map((n) => dagsterDefinition('job', n)),
];
const workspace = (): Workspace => quickstartWorkspace(source, extra);

/** A launcher whose warm workers end with the test, even when an assertion fails first (a live worker keeps the test process up). */
function launcherFor(t: TestContext, ws: Workspace, options: Parameters<Workspace['launcher']>[0], env: NodeJS.ProcessEnv = {}): ReturnType<Workspace['launcher']> {
  const launcher = ws.launcher(options, env);
  t.after(() => launcher.retireAll());
  return launcher;
}

type Call = ReturnType<Workspace['calls']>[number];
const callsNamed = (ws: Workspace, name: string): Call[] => ws.calls().filter((c) => c.call === name);
const lastCall = (ws: Workspace, name: string): Call => callsNamed(ws, name).at(-1)!;
const apiPaths = (r: Recorded): string[] => r.events.filter((e) => e.kind === 'api').map((e) => String(e.payload.path));
const logs = (r: Recorded): string[] => r.events.filter((e) => e.kind === 'log').map((e) => String(e.payload.message));
const materialized = (r: Recorded): unknown[] => r.events.filter((e) => e.kind === 'asset_materialized').map((e) => e.payload.partition);

for (const [version, partitionsFrom] of [
  ['1.5.0', null],
  ['1.11.0', 'Definitions.resolve_assets_def'],
] as const) {
  test(`Dagster ${version}: a multi-partition asset key runs as a MultiPartitionKey with one tag per dimension`, async (t) => {
    const ws = workspace();
    const launcher = launcherFor(t, ws, {}, { DAGSTER_TEST_DOUBLE_VERSION: version });
    const r = recordingIo();
    const before = new Date(Date.now() - 1000);
    // Dimensions sorted by name: "date" before "region".
    const outcome = await launcher.launch(runRequest(['regional_sales'], '2024-01-05|eu'), r.io);
    assert.equal(outcome.status, 'SUCCESS', outcome.error ?? '');
    const execute = lastCall(ws, 'JobDefinition.execute_in_process');
    assert.equal(execute.args.partition_key, '2024-01-05|eu');
    assert.equal(execute.args.partition_key_type, 'MultiPartitionKey');
    assert.deepEqual(execute.args.tags, {
      'dagster/backfill': 'abcdefgh', 'dagster/partition': '2024-01-05|eu', 'dagster/partition/date': '2024-01-05', 'dagster/partition/region': 'eu',
    });
    // The user code reads the dimensions; the materialization is reported with the key string.
    assert.ok(logs(r).includes('sales of eu on 2024-01-05'), logs(r).join(' | '));
    assert.deepEqual(materialized(r), ['2024-01-05|eu']);
    // Crash recovery asks about the same key string.
    assert.equal((await launcher.materializedSince('regional_sales', '2024-01-05|eu', before)).materialized, true);
    assert.equal((await launcher.materializedSince('regional_sales', '2024-01-05|us', before)).materialized, false);
    assert.ok(apiPaths(r).includes("MultiPartitionKey(date='2024-01-05', region='eu')"), apiPaths(r).join(' | '));
    // 1.8+ has one implicit asset job with no partitions definition for mixed assets: the asset's own is looked up.
    const lookups = ws.calls().filter((c) => c.call.endsWith('assets_def')).map((c) => c.call);
    assert.deepEqual(lookups, partitionsFrom ? [partitionsFrom] : []);
  });

  test(`Dagster ${version}: a range of an op job fails before execute_in_process; a range of an asset job runs`, async (t) => {
    const ws = workspace();
    const launcher = launcherFor(t, ws, {}, { DAGSTER_TEST_DOUBLE_VERSION: version });
    const refused = await launcher.launch(runRequest(['do_stuff_partitioned'], '2021-04-01...2021-04-03'), recordingIo().io);
    assert.equal(refused.status, 'FAILURE');
    assert.match(refused.error!, /^OpJobPartitionRangeError: job 'do_stuff_partitioned' is an op job: Dagster runs an op job for one partition key at a time .* the range 2021-04-01\.\.\.2021-04-03 is refused/);
    assert.equal(callsNamed(ws, 'JobDefinition.execute_in_process').length, 0);
    const r = recordingIo();
    const ranged = await launcher.launch(runRequest(['raw_events_job'], '2024-01-05...2024-01-07'), r.io);
    assert.equal(ranged.status, 'SUCCESS', ranged.error ?? '');
    assert.deepEqual(materialized(r), ['2024-01-05', '2024-01-06', '2024-01-07']);
    assert.ok(logs(r).includes('raw events from 2024-01-05 to 2024-01-07'));
    assert.equal(lastCall(ws, 'JobDefinition.execute_in_process').args.job, 'raw_events_job');
  });
}

test('a dynamic key missing on the instance is added before the run; a key already there is only checked', async (t) => {
  const ws = workspace();
  const launcher = launcherFor(t, ws, {});
  const first = recordingIo();
  assert.equal((await launcher.launch(runRequest(['customer_report'], 'acme'), first.io)).status, 'SUCCESS');
  const again = recordingIo();
  assert.equal((await launcher.launch(runRequest(['customer_report'], 'acme'), again.io)).status, 'SUCCESS');
  assert.deepEqual(callsNamed(ws, 'DagsterInstance.add_dynamic_partitions').map((c) => c.args), [{ partitions_def_name: 'customers', partition_keys: ['acme'] }]);
  // Both runs ask first (execute_in_process asks again, as Dagster validates the key against the instance).
  assert.ok(callsNamed(ws, 'DagsterInstance.has_dynamic_partition').length >= 2);
  assert.ok(apiPaths(first).includes("DagsterInstance.add_dynamic_partitions('customers', ['acme'])"), apiPaths(first).join(' | '));
  assert.ok(apiPaths(again).includes("DagsterInstance.has_dynamic_partition('customers', 'acme')"), apiPaths(again).join(' | '));
  assert.ok(!apiPaths(again).some((p) => p.startsWith('DagsterInstance.add_dynamic_partitions')));
  // The key was added before execute_in_process, which checks it against the instance.
  const order = ws.calls().map((c) => c.call);
  assert.ok(order.indexOf('DagsterInstance.add_dynamic_partitions') < order.indexOf('JobDefinition.execute_in_process'));
  assert.ok(logs(first).includes('report for acme'));
  assert.deepEqual(materialized(first), ['acme']);
  // The keys are on the instance (its SQLite storage), where a later process sees them.
  const stored = execFileSync(python, ['-c', 'import json; from dagster import DagsterInstance; print(json.dumps(DagsterInstance.get().get_dynamic_partitions("customers")))'], {
    encoding: 'utf8', env: { ...process.env, PYTHONPATH: testDouble, DAGSTER_HOME: path.join(ws.root, '.backfills/dagster_home') },
  });
  assert.deepEqual(JSON.parse(stored), ['acme']);
});

test('a dynamic definition of the deprecated partition_fn form has nothing to add: its key runs as it is', async (t) => {
  const ws = workspace();
  const launcher = launcherFor(t, ws, {});
  const r = recordingIo();
  assert.equal((await launcher.launch(runRequest(['legacy_zones'], 'south'), r.io)).status, 'SUCCESS');
  assert.ok(apiPaths(r).includes('DynamicPartitionsDefinition(partition_fn)'), apiPaths(r).join(' | '));
  assert.equal(callsNamed(ws, 'DagsterInstance.add_dynamic_partitions').length, 0);
  assert.ok(logs(r).includes('zone south'));
});

test('a multi key with a dynamic dimension adds that dimension\'s key and tags both dimensions', async (t) => {
  const ws = workspace();
  const launcher = launcherFor(t, ws, {});
  const r = recordingIo();
  // Dimensions sorted by name: "customer" before "day".
  const outcome = await launcher.launch(runRequest(['customer_day'], 'globex|2024-01-05'), r.io);
  assert.equal(outcome.status, 'SUCCESS', outcome.error ?? '');
  assert.deepEqual(callsNamed(ws, 'DagsterInstance.add_dynamic_partitions').map((c) => c.args), [{ partitions_def_name: 'customers', partition_keys: ['globex'] }]);
  const execute = lastCall(ws, 'JobDefinition.execute_in_process');
  assert.equal(execute.args.partition_key_type, 'MultiPartitionKey');
  assert.equal((execute.args.tags as Record<string, string>)['dagster/partition/customer'], 'globex');
  assert.equal((execute.args.tags as Record<string, string>)['dagster/partition/day'], '2024-01-05');
  assert.ok(logs(r).includes('globex on 2024-01-05'));
  assert.deepEqual(materialized(r), ['globex|2024-01-05']);
});

test('a key that is not of the multi definition\'s form fails the run naming the dimensions', async (t) => {
  const ws = workspace();
  const launcher = launcherFor(t, ws, { warm: false });
  const outcome = await launcher.launch(runRequest(['regional_sales'], 'eu'), recordingIo().io);
  assert.equal(outcome.status, 'FAILURE');
  assert.equal(outcome.error, "ValueError: partition key 'eu' is not a key of the multi-partitions definition: it needs 2 values joined by '|', for dimensions date, region");
  assert.equal(callsNamed(ws, 'JobDefinition.execute_in_process').length, 0);
});

for (const version of ['1.5.0', '1.11.0']) {
  test(`Dagster ${version}: an op job runs one partition with that partition's config; a dynamic op job gets its key added`, async (t) => {
    const ws = workspace();
    const launcher = launcherFor(t, ws, {}, { DAGSTER_TEST_DOUBLE_VERSION: version });
    const r = recordingIo();
    assert.equal((await launcher.launch(runRequest(['do_stuff_partitioned'], '2021-04-02'), r.io)).status, 'SUCCESS');
    // The runner passes the key, not a run config: execute_in_process resolves the PartitionedConfig for it.
    const execute = lastCall(ws, 'JobDefinition.execute_in_process');
    assert.equal(execute.args.partition_key, '2021-04-02');
    assert.equal(execute.args.run_config, null);
    // As Dagster's job backfills tag their runs: the job's partition set beside the partition.
    assert.equal((execute.args.tags as Record<string, string>)['dagster/partition_set'], 'do_stuff_partitioned_partition_set');
    assert.deepEqual(lastCall(ws, 'DagsterRun').args.run_config, { ops: { do_stuff: { config: { date: '2021-04-02' } } } });
    assert.ok(logs(r).includes('doing stuff for 2021-04-02'));
    const dynamic = recordingIo();
    assert.equal((await launcher.launch(runRequest(['customer_job'], 'initech'), dynamic.io)).status, 'SUCCESS');
    assert.ok(logs(dynamic).includes('customer initech'));
    assert.deepEqual(callsNamed(ws, 'DagsterInstance.add_dynamic_partitions').map((c) => c.args.partition_keys), [['initech']]);
  });
}

test('a range run of dynamic partitions adds every key of the range, in the planned order, before the run', async (t) => {
  // Keys as the state store holds them: the instance has none, so the range's middle key must be added too.
  const keys = ['acme', 'globex', 'initech'];
  const store: DynamicPartitionsStore = { dynamicPartitionKeys: (name) => (name === "customers" ? keys : []) };
  const report = { ...dagsterDefinition('asset', 'customer_report'), partitions: new DynamicPartitionsDefinition('customers', store) } as Definition;
  const ws = quickstartWorkspace(source, [report, ...extra.filter((d) => d.kind !== 'asset' || d.key.join('/') !== 'customer_report')]);
  const launcher = launcherFor(t, ws, {});
  const r = recordingIo();
  await launcher.launch(runRequest(['customer_report'], 'acme...initech'), r.io);
  const added = callsNamed(ws, 'DagsterInstance.add_dynamic_partitions').map((c) => c.args.partition_keys);
  assert.deepEqual(added.flat(), keys, apiPaths(r).join(' | '));
});
