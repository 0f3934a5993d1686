// First runs on a fresh Dagster instance, against the stand-in dagster package (a test double) that creates storage
// and stores job snapshots check-then-create, as real Dagster does: concurrent first opens and a job's concurrent
// first runs collide there. The race window is widened (DAGSTER_TEST_DOUBLE_STORAGE_RACE_SECONDS) so they would.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { quickstartWorkspace, recordingIo, runRequest, type Recorded } from './dagsterTestDouble';

const days = (n: number, from = 1) => Array.from({ length: n }, (_, i) => `2024-01-${String(from + i).padStart(2, '0')}`);
const STORAGE_ERRORS = /IntegrityError|already exists|UNIQUE constraint/;

function shown(r: Recorded): string {
  return r.log() + JSON.stringify(r.events.filter((e) => e.kind !== 'api'));
}

test('a first backfill of 8 days at 4 warm workers on a fresh instance: the preflight creates the storage once, then every run succeeds', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({ maxWorkers: 4 }, { DAGSTER_TEST_DOUBLE_STORAGE_RACE_SECONDS: '1' });
  const runs = days(8).map((d) => runRequest(['raw_events'], d));
  assert.equal(await launcher.preflight(runs), null);
  const recorded = runs.map(() => recordingIo());
  const outcomes = await Promise.all(runs.map((run, i) => launcher.launch(run, recorded[i]!.io)));
  await launcher.retireAll();
  assert.deepEqual(outcomes.map((o) => o.status), Array(8).fill('SUCCESS'), JSON.stringify(outcomes));
  for (const r of recorded) assert.doesNotMatch(shown(r), STORAGE_ERRORS);
});

test('processes that open a fresh instance at once (another CLI, another window): a storage race is opened again until the sibling has created it, never shown', async () => {
  const ws = quickstartWorkspace();
  // Four launchers (four CLIs), one process per run, no preflight: four runners create the storage at the same moment.
  const runs = days(4).map((d) => runRequest(['raw_events'], d));
  const recorded = runs.map(() => recordingIo());
  const outcomes = await Promise.all(runs.map((run, i) => ws.launcher({ warm: false }, { DAGSTER_TEST_DOUBLE_STORAGE_RACE_SECONDS: '2' }).launch(run, recorded[i]!.io)));
  assert.deepEqual(outcomes.map((o) => o.status), Array(4).fill('SUCCESS'), JSON.stringify(outcomes));
  for (const r of recorded) assert.doesNotMatch(shown(r), STORAGE_ERRORS);
  const retried = recorded.filter((r) => r.events.some((e) => e.kind === 'api' && /another process was creating the storage/.test(String(e.payload.detail))));
  assert.ok(retried.length >= 1, 'the four first opens collided at least once (the stand-in creates storage check-then-create)');
});

test("Dagster 1.2: a job's first backfill of 3 partitions at once does not race its own snapshot", async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({ maxWorkers: 3 }, { DAGSTER_TEST_DOUBLE_VERSION: '1.2.0', DAGSTER_TEST_DOUBLE_STORAGE_RACE_SECONDS: '1' });
  const runs = ['2021-04-01', '2021-04-02', '2021-04-03'].map((d) => runRequest(['do_stuff_partitioned'], d));
  assert.equal(await launcher.preflight(runs), null);
  const recorded = runs.map(() => recordingIo());
  const outcomes = await Promise.all(runs.map((run, i) => launcher.launch(run, recorded[i]!.io)));
  await launcher.retireAll();
  assert.deepEqual(outcomes.map((o) => o.status), ['SUCCESS', 'SUCCESS', 'SUCCESS'], JSON.stringify(outcomes));
  for (const r of recorded) assert.doesNotMatch(shown(r), STORAGE_ERRORS);
});

test('a run id the instance already has is never reused: the next attempt is a new Dagster run', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher();
  const run = runRequest(['raw_events'], '2024-01-05');
  const first = recordingIo();
  assert.equal((await launcher.launch(run, first.io)).status, 'SUCCESS');
  const again = recordingIo();
  const outcome = await launcher.launch(run, again.io);
  await launcher.retireAll();
  assert.equal(outcome.status, 'SUCCESS', outcome.error ?? '');
  const ids = [first, again].map((r) => r.events.find((e) => e.kind === 'run_started')?.payload.dagsterRunId);
  assert.equal(ids[0], run.runId);
  assert.ok(typeof ids[1] === 'string' && ids[1] !== run.runId, `second attempt ran as ${String(ids[1])}`);
  assert.doesNotMatch(again.log(), /DagsterRunAlreadyExists/);
});

test('every supported Dagster runs the quickstart assets (raw_events and events in one run, events loading its input)', async () => {
  for (const version of ['1.2.0', '1.4.0', '1.8.2', '1.11.0']) {
    const ws = quickstartWorkspace();
    const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_VERSION: version });
    const run = runRequest(['raw_events', 'events'], '2024-01-05');
    assert.equal(await launcher.preflight([run]), null, version);
    const r = recordingIo();
    const outcome = await launcher.launch(run, r.io);
    await launcher.retireAll();
    assert.equal(outcome.status, 'SUCCESS', `${version}: ${outcome.error}\n${r.log()}`);
    assert.equal(r.events.filter((e) => e.kind === 'asset_materialized').length, 2, version);
    assert.ok(r.events.some((e) => e.kind === 'log' && /processing 24 raw events of 2024-01-05/.test(String(e.payload.message))), version);
  }
});
