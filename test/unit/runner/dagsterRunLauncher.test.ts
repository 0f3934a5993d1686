// The Dagster launcher against the dagster test double: quickstart asset, range and job runs, the API path per
// Dagster version, and the errors (missing dagster, import error in user code, step failure).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAlive, python, quickstartWorkspace, recordingIo, runRequest } from './dagsterTestDouble';

test('one asset partition of the quickstart runs in one process with its tags, run id and events', async () => {
  const ws = quickstartWorkspace();
  const r = recordingIo();
  const run = runRequest(['raw_events'], '2024-01-05');
  const outcome = await ws.launcher({ warm: false }).launch(run, r.io);
  assert.deepEqual(outcome, { status: 'SUCCESS', exitCode: 0, error: null });
  // Dagster's own messages (engine events, outputs handled) arrive as log events between these.
  const kinds = r.events.map((e) => e.kind).filter((k) => k !== 'api' && k !== 'log');
  assert.deepEqual(kinds, ['dagster_loaded', 'location_loaded', 'run_started', 'step_started', 'asset_materialized', 'step_succeeded', 'step_stats', 'run_finished']);
  assert.deepEqual(r.events.find((e) => e.kind === 'asset_materialized')!.payload, { asset: 'raw_events', partition: '2024-01-05', step: 'raw_events' });
  assert.equal(r.events.find((e) => e.kind === 'run_started')!.payload.dagsterRunId, run.runId);
  const execute = ws.calls().find((c) => c.call === 'JobDefinition.execute_in_process')!;
  assert.deepEqual(execute.args, {
    job: '__ASSET_JOB', partition_key: '2024-01-05', partition_key_type: 'str', asset_selection: ['raw_events'], run_id: run.runId, run_config: null, raise_on_error: false, instance: 'DagsterInstance',
    tags: { 'dagster/backfill': 'abcdefgh', 'dagster/partition': '2024-01-05' },
  });
  // No DAGSTER_HOME: the instance lives under the workspace's .backfills folder.
  assert.equal(ws.calls().find((c) => c.call === 'DagsterInstance.get')!.args.dagster_home, `${ws.root}/.backfills/dagster_home`);
  assert.equal(isAlive(r.pids[0]!), false);
});

test('a range run passes the range tags and no partition key, and materializes every key of the range', async () => {
  // A range output cannot go through Dagster's default IO manager: the asset writes its own files and returns None.
  const source = [
    'from dagster import DailyPartitionsDefinition, Definitions, asset',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
    '@asset(partitions_def=daily)',
    'def events(context):',
    '    context.log.info("days %s to %s" % (context.asset_partition_key_range.start, context.asset_partition_key_range.end))',
    'defs = Definitions(assets=[events])',
  ].join('\n');
  const ws = quickstartWorkspace(source);
  const r = recordingIo();
  const launcher = ws.launcher();
  const outcome = await launcher.launch(runRequest(['events'], '2024-01-05...2024-01-07'), r.io);
  await launcher.retireAll();
  assert.equal(outcome.status, 'SUCCESS', outcome.error ?? '');
  const execute = ws.calls().find((c) => c.call === 'JobDefinition.execute_in_process')!;
  assert.equal(execute.args.partition_key, null);
  assert.deepEqual(execute.args.tags, { 'dagster/backfill': 'abcdefgh', 'dagster/asset_partition_range_start': '2024-01-05', 'dagster/asset_partition_range_end': '2024-01-07' });
  assert.deepEqual(r.events.filter((e) => e.kind === 'asset_materialized').map((e) => e.payload.partition), ['2024-01-05', '2024-01-06', '2024-01-07']);
});

for (const [version, lookup, assetLookup, check] of [
  ['1.5.0', 'Definitions.get_job_def', 'Definitions.get_implicit_job_def_for_assets', 'DagsterInstance.get_event_records'],
  ['1.8.2', 'Definitions.get_job_def', 'Definitions.get_implicit_job_def_for_assets', 'DagsterInstance.fetch_materializations'],
  ['1.11.0', 'Definitions.resolve_job_def', 'Definitions.resolve_implicit_job_def_def_for_assets', 'DagsterInstance.fetch_materializations'],
] as const) {
  test(`Dagster ${version}: a job partition through ${lookup}, assets through ${assetLookup}, checks through ${check}`, async () => {
    const ws = quickstartWorkspace();
    const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_VERSION: version });
    const r = recordingIo();
    const job = await launcher.launch(runRequest(['do_stuff_partitioned'], '2021-04-02'), r.io);
    assert.equal(job.status, 'SUCCESS', job.error ?? '');
    assert.ok(r.events.some((e) => e.kind === 'log' && e.payload.message === 'doing stuff for 2021-04-02'));
    const before = new Date(Date.now() - 1000);
    const asset = await launcher.launch(runRequest(['raw_events'], '2024-02-01'), recordingIo().io);
    assert.equal(asset.status, 'SUCCESS', asset.error ?? '');
    await launcher.retireAll();
    const calls = ws.calls().map((c) => c.call);
    assert.ok(calls.includes(lookup) && calls.includes(assetLookup), calls.join(', '));
    assert.ok(r.events.some((e) => e.kind === 'api' && String(e.payload.path).startsWith(lookup.replace('Definitions.', ''))));
    assert.deepEqual((await launcher.materializedSince('raw_events', '2024-02-01', before)).materialized, true);
    assert.deepEqual((await launcher.materializedSince('raw_events', '2024-02-02', before)).materialized, false);
    assert.deepEqual((await launcher.materializedSince('raw_events', '2024-02-01', new Date(Date.now() + 60_000))).materialized, false);
    assert.ok(ws.calls().some((c) => c.call === check));
  });
}

test('without an importable dagster the run fails naming the interpreter and how to choose another', async () => {
  const ws = quickstartWorkspace();
  for (const warm of [false, true]) {
    const launcher = ws.launcher({ warm }, { PYTHONPATH: '' });
    const outcome = await launcher.launch(runRequest(['events'], '2024-01-05'), recordingIo().io);
    assert.equal(outcome.status, 'FAILURE');
    assert.equal(outcome.exitCode, 3);
    assert.ok(outcome.error!.includes(python), outcome.error!);
    assert.match(outcome.error!, /cannot import dagster \(ModuleNotFoundError.*Backfill Studio: Select Python Interpreter.*backfillStudio\.pythonPath.*--python PATH.*BACKFILL_PYTHON/);
  }
});

test('an import error in user code fails the run with its class and message', async () => {
  const ws = quickstartWorkspace('import dagster\nraise KeyError("no such table")\n');
  const r = recordingIo();
  const launcher = ws.launcher();
  const outcome = await launcher.launch(runRequest(['events'], '2024-01-05'), r.io);
  await launcher.retireAll();
  assert.equal(outcome.status, 'FAILURE');
  assert.equal(outcome.error, "KeyError: 'no such table'");
  assert.match(r.log(), /definitions\.py", line 2/);
});

test('a failing step fails the run with the user error and its stack in the log; the worker serves the next run', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw_events@2024-01-05' });
  const r = recordingIo();
  const failed = await launcher.launch(runRequest(['raw_events'], '2024-01-05'), r.io);
  assert.equal(failed.status, 'FAILURE');
  assert.equal(failed.error, 'ValueError: step raw_events was told to fail by DAGSTER_TEST_DOUBLE_FAIL_STEP');
  const stepFailed = r.events.find((e) => e.kind === 'step_failed')!.payload as { step: string; error: { class: string; stack: string } };
  assert.equal(stepFailed.step, 'raw_events');
  assert.equal(stepFailed.error.class, 'ValueError');
  assert.match(r.log(), /_double_steps\.py", line \d+, in _test_double_knobs/);
  const next = recordingIo();
  assert.equal((await launcher.launch(runRequest(['raw_events'], '2024-01-06'), next.io)).status, 'SUCCESS');
  assert.deepEqual(next.pids, r.pids);
  await launcher.retireAll();
});

test('a run naming an unknown target, or a job together with assets, fails before anything starts', async () => {
  const launcher = quickstartWorkspace().launcher();
  const unknown = await launcher.launch(runRequest(['nope'], '2024-01-05'), recordingIo().io);
  assert.deepEqual(unknown, { status: 'FAILURE', exitCode: null, error: 'no Dagster asset or job named "nope"' });
  const mixed = await launcher.launch(runRequest(['events', 'do_stuff_partitioned'], '2024-01-05'), recordingIo().io);
  assert.match(mixed.error!, /one job or a set of assets/);
});
