// The user's own error, step statuses from Dagster's step events, the preflight and the supported versions, against
// the stand-in dagster package (a test double) that wraps user errors in Dagster's error classes as Dagster does.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';
import { dagsterDefinition, quickstartWorkspace, recordingIo, runRequest } from './dagsterTestDouble';

test('a failing input load shows the user\'s innermost error, with Dagster\'s wrapper as its context', async () => {
  // events alone, for a day whose raw_events was never materialized: the IO manager cannot load the input.
  const ws = quickstartWorkspace();
  const launcher = ws.launcher();
  const r = recordingIo();
  const outcome = await launcher.launch(runRequest(['events'], '2024-01-05'), r.io);
  await launcher.retireAll();
  assert.equal(outcome.status, 'FAILURE');
  assert.match(outcome.error!, /^FileNotFoundError: .*raw_events.*2024-01-05/);
  const failed = r.events.find((e) => e.kind === 'step_failed')!.payload as { error: { class: string; context?: string } };
  assert.equal(failed.error.class, 'FileNotFoundError');
  assert.match(failed.error.context ?? '', /^DagsterExecutionLoadInputError: Error occurred while loading input "raw_events" of step "events"/);
  assert.match(r.log(), /DagsterExecutionLoadInputError/);
});

test('a user error raised from another is known by the innermost one of the whole chain', async () => {
  const source = [
    'from dagster import DailyPartitionsDefinition, Definitions, asset',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
    '@asset(partitions_def=daily)',
    'def flaky(context):',
    '    try:',
    '        {}["region"]',
    '    except KeyError as e:',
    '        raise RuntimeError("could not read the config") from e',
    'defs = Definitions(assets=[flaky])',
  ].join('\n');
  const ws = quickstartWorkspace(source, [dagsterDefinition('asset', 'flaky')]);
  const launcher = ws.launcher();
  const r = recordingIo();
  const outcome = await launcher.launch(runRequest(['flaky'], '2024-01-05'), r.io);
  await launcher.retireAll();
  assert.equal(outcome.error, "KeyError: 'region'");
  assert.match(r.log(), /RuntimeError: could not read the config/);
});

test("step statuses are Dagster's (get_run_step_stats): a failed step FAILURE, the step that needed it never run", async () => {
  const source = [
    'from dagster import DailyPartitionsDefinition, Definitions, job, op',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
    '@op',
    'def extract(context):',
    '    return 1',
    '@op',
    'def load(context, rows):',
    '    return rows',
    '@job(partitions_def=daily)',
    'def etl():',
    '    load(extract())',
    'defs = Definitions(jobs=[etl])',
  ].join('\n');
  const ws = quickstartWorkspace(source, [dagsterDefinition('job', 'etl')]);
  const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'extract@2024-01-06' });
  const ok = recordingIo();
  assert.equal((await launcher.launch(runRequest(['etl'], '2024-01-05'), ok.io)).status, 'SUCCESS');
  const bad = recordingIo();
  assert.equal((await launcher.launch(runRequest(['etl'], '2024-01-06'), bad.io)).status, 'FAILURE');
  await launcher.retireAll();
  const stats = (r: typeof ok) => r.events.find((e) => e.kind === 'step_stats')?.payload.steps;
  assert.deepEqual(stats(ok), [{ step: 'extract', status: 'SUCCESS' }, { step: 'load', status: 'SUCCESS' }]);
  // As Dagster: no step event for a step whose input failed, only an error log ("… Not executing.").
  assert.deepEqual(stats(bad), [{ step: 'extract', status: 'FAILURE' }]);
  assert.ok(!bad.events.some((e) => String(e.kind).startsWith('step_') && e.payload.step === 'load'));
});

test('preflight: definitions using an API the installed Dagster lacks fail once, naming the version and the line', async () => {
  const original = fs.readFileSync(path.join(repoRoot(), 'examples/quickstart/definitions.py'), 'utf8')
    .replace('@asset(partitions_def=daily)\ndef events(context, raw_events):', '@asset(partitions_def=daily, deps=["raw_events"])\ndef events(context):')
    .replace('len(raw_events)', '0').replace('return [e for e in raw_events if e["user"] != 0]', 'return None');
  const line = original.split('\n').findIndex((l) => l.includes('daily, deps=')) + 1;
  const ws = quickstartWorkspace(original);
  const old = ws.launcher({}, { DAGSTER_TEST_DOUBLE_VERSION: '1.2.0' });
  const runs = ['2024-01-05', '2024-01-06'].map((d) => runRequest(['events'], d));
  const message = await old.preflight(runs);
  await old.retireAll();
  assert.ok(message, 'the preflight fails');
  assert.match(message!, /Dagster 1\.2\.0/);
  assert.match(message!, /TypeError: asset\(\) got an unexpected keyword argument 'deps'/);
  assert.match(message!, new RegExp(`definitions\\.py, line ${line}`));
  assert.equal(ws.calls().filter((c) => c.call === 'JobDefinition.execute_in_process').length, 0);
  // The same code on a Dagster that has deps= passes.
  const current = ws.launcher({}, { DAGSTER_TEST_DOUBLE_VERSION: '1.11.0' });
  assert.equal(await current.preflight(runs), null);
  await current.retireAll();
});

test('a Dagster older than 1.2 is refused with a message naming the oldest supported release', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_VERSION: '1.1.0' });
  const outcome = await launcher.launch(runRequest(['raw_events'], '2024-01-05'), recordingIo().io);
  await launcher.retireAll();
  assert.equal(outcome.status, 'FAILURE');
  assert.equal(outcome.exitCode, 3);
  assert.match(outcome.error!, /dagster 1\.1\.0; Backfill Studio's runner supports Dagster 1\.2 and later/);
});
