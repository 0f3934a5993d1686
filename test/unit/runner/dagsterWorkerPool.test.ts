// Warm workers: reuse (one import for many runs), a worker killed mid-run, cancel, and retireAll.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isAlive, quickstartWorkspace, recordingIo, runRequest, type Recorded } from './dagsterTestDouble';

function whenEvent(r: Recorded, kind: string): Promise<void> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (r.events.some((e) => e.kind === kind)) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
}

test('one worker serves several runs, each its own Dagster run, importing the code location once', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({ maxWorkers: 2 });
  const records = [recordingIo(), recordingIo(), recordingIo()];
  const runs = ['2024-01-01', '2024-01-02', '2024-01-03'].map((k) => runRequest(['raw_events'], k));
  for (let i = 0; i < 3; i++) assert.equal((await launcher.launch(runs[i]!, records[i]!.io)).status, 'SUCCESS');
  const pids = records.map((r) => r.pids[0]);
  assert.equal(new Set(pids).size, 1);
  const calls = ws.calls();
  assert.equal(calls.filter((c) => c.call === 'import dagster').length, 1);
  assert.equal(calls.filter((c) => c.call === 'Definitions').length, 1);
  assert.deepEqual(calls.filter((c) => c.call === 'JobDefinition.execute_in_process').map((c) => c.args.run_id), runs.map((r) => r.runId));
  assert.deepEqual(records.map((r) => r.events.find((e) => e.kind === 'run_started')!.payload.dagsterRunId), runs.map((r) => r.runId));
  // Concurrent runs get two workers, never more than maxWorkers.
  const parallel = await Promise.all(['2024-01-04', '2024-01-05', '2024-01-06'].map(async (k) => {
    const r = recordingIo();
    return { outcome: await launcher.launch(runRequest(['raw_events'], k), r.io), pid: r.pids[0] };
  }));
  assert.ok(parallel.every((p) => p.outcome.status === 'SUCCESS'));
  assert.ok(new Set(parallel.map((p) => p.pid)).size <= 2);
  await launcher.retireAll();
  assert.ok(parallel.every((p) => !isAlive(p.pid!)));
});

test('a worker killed mid-run fails that run clearly and a new worker runs the next one', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_SLEEP: '60@2024-01-01' });
  const r = recordingIo();
  const running = launcher.launch(runRequest(['raw_events'], '2024-01-01'), r.io);
  await whenEvent(r, 'step_started');
  process.kill(r.pids[0]!, 'SIGKILL');
  const outcome = await running;
  assert.deepEqual(outcome, { status: 'FAILURE', exitCode: null, error: `the Dagster worker (pid ${r.pids[0]}) was killed by SIGKILL before the run finished` });
  const next = recordingIo();
  assert.equal((await launcher.launch(runRequest(['raw_events'], '2024-01-02'), next.io)).status, 'SUCCESS');
  assert.notEqual(next.pids[0], r.pids[0]);
  await launcher.retireAll();
});

test('cancel kills the worker process group; the pool replaces the worker', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_SLEEP: '60@2024-01-01' });
  const r = recordingIo();
  const running = launcher.launch(runRequest(['raw_events'], '2024-01-01'), r.io);
  await whenEvent(r, 'step_started');
  r.controller.abort();
  assert.equal((await running).status, 'CANCELED');
  assert.equal(isAlive(r.pids[0]!), false);
  const next = recordingIo();
  assert.equal((await launcher.launch(runRequest(['raw_events'], '2024-01-02'), next.io)).status, 'SUCCESS');
  assert.notEqual(next.pids[0], r.pids[0]);
  await launcher.retireAll();
});

test('one process per run can be canceled too', async () => {
  const ws = quickstartWorkspace();
  const r = recordingIo();
  const running = ws.launcher({ warm: false }, { DAGSTER_TEST_DOUBLE_SLEEP: '60' }).launch(runRequest(['raw_events'], '2024-01-01'), r.io);
  await whenEvent(r, 'step_started');
  r.controller.abort();
  assert.equal((await running).status, 'CANCELED');
  assert.equal(isAlive(r.pids[0]!), false);
});

test('retireAll ends idle workers at once and a busy one after its run; the next run imports the code again', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({}, { DAGSTER_TEST_DOUBLE_SLEEP: '3@2024-01-01' });
  const busy = recordingIo();
  const running = launcher.launch(runRequest(['raw_events'], '2024-01-01'), busy.io);
  await whenEvent(busy, 'step_started');
  // The first worker is busy, so this run starts a second one, which is idle afterwards.
  const idle = recordingIo();
  assert.equal((await launcher.launch(runRequest(['raw_events'], '2024-01-02'), idle.io)).status, 'SUCCESS');
  assert.notEqual(idle.pids[0], busy.pids[0]);
  const retired = launcher.retireAll();
  assert.equal((await running).status, 'SUCCESS');
  await retired;
  assert.equal(isAlive(idle.pids[0]!), false);
  assert.equal(isAlive(busy.pids[0]!), false);
  const after = recordingIo();
  assert.equal((await launcher.launch(runRequest(['raw_events'], '2024-01-03'), after.io)).status, 'SUCCESS');
  assert.ok(![idle.pids[0], busy.pids[0]].includes(after.pids[0]));
  assert.equal(ws.calls().filter((c) => c.call === 'Definitions').length, 3);
  await launcher.retireAll();
});
