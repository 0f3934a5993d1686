// Cancel, timeout and a dead parent, against the stand-in dagster package (a test double) that turns SIGTERM during a
// step into Dagster's interrupt (the run FAILURE in Dagster's records) and lets an event listener's exception fail
// the step, as real Dagster does.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import type { Readable } from 'node:stream';
import { test } from 'node:test';
import { checkInstance } from '../../../src/core/coordinator/dagsterInstanceCheck';
import { RUN_TIMEOUT_ABORT } from '../../../src/core/coordinator/runLauncher';
import { until } from '../backfill/recordingTarget';
import { isAlive, python, quickstartWorkspace, recordingIo, runnerScript, runRequest, testDouble, type Workspace } from './dagsterTestDouble';

const SLOW = { DAGSTER_TEST_DOUBLE_SLEEP: '30@2024-01-05' };

function dagsterStatus(ws: Workspace, dagsterRunId: string): Promise<string | null | undefined> {
  const env = { PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: '' };
  return checkInstance({ python, runnerScript, workspaceRoot: ws.root, env }, { dagsterRunId }).then((a) => a.runStatus);
}

// The default grace lets the runner report the cancel itself; a grace of 1 ms has the group's SIGKILL land first,
// and the coordinator then marks the run canceled on the instance.
const CANCEL_CASES = [
  { what: 'a canceled run is CANCELED here and on the Dagster instance, never FAILURE', grace: {} },
  { what: 'a canceled run whose runner is killed before it tells Dagster is still CANCELED on the instance', grace: { killGraceMs: 1 } },
];
for (const { what, grace } of CANCEL_CASES) {
  for (const warm of [true, false]) {
    test(`${warm ? 'warm worker' : 'one process per run'}: ${what}`, async () => {
      const ws = quickstartWorkspace();
      const launcher = ws.launcher({ warm, ...grace }, SLOW);
      const r = recordingIo();
      const run = runRequest(['raw_events'], '2024-01-05');
      const running = launcher.launch(run, r.io);
      await until('the step to start', () => r.events.some((e) => e.kind === 'step_started'));
      r.controller.abort();
      const outcome = await running;
      assert.equal(outcome.status, 'CANCELED', outcome.error ?? '');
      assert.equal(await dagsterStatus(ws, run.runId), 'CANCELED');
      await until('the runner to exit', () => !isAlive(r.pids[0]!));
      await launcher.retireAll();
    });
  }
}

test('a run stopped at its maximum runtime stays the failure Dagster records (a timeout is not a cancel)', async () => {
  const ws = quickstartWorkspace();
  const launcher = ws.launcher({}, SLOW);
  const r = recordingIo();
  const run = runRequest(['raw_events'], '2024-01-05');
  const running = launcher.launch(run, r.io);
  await until('the step to start', () => r.events.some((e) => e.kind === 'step_started'));
  r.controller.abort(RUN_TIMEOUT_ABORT);
  const outcome = await running;
  assert.equal(outcome.status, 'FAILURE');
  assert.equal(await dagsterStatus(ws, run.runId), 'FAILURE');
  await launcher.retireAll();
});

test('when the process reading a worker dies, the worker finishes its run (Dagster records SUCCESS) and exits', async () => {
  const source = [
    'import sys, time',
    'from dagster import DailyPartitionsDefinition, Definitions, asset',
    'daily = DailyPartitionsDefinition(start_date="2024-01-01")',
    '@asset(partitions_def=daily)',
    'def chatty(context):',
    '    while not __import__("os").path.exists(context.partition_key + ".go"):',
    '        time.sleep(0.01)',
    '    for i in range(200):',
    '        print("line", i)',
    '        context.log.info("event %d" % i)',
    '    return 1',
    'defs = Definitions(assets=[chatty])',
  ].join('\n');
  const ws = quickstartWorkspace(source);
  const child = spawn(python, [runnerScript, 'worker'], {
    cwd: ws.root, stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    env: { ...process.env, PYTHONPATH: testDouble, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: '' },
  });
  let events = '';
  const channel = child.stdio[3] as Readable;
  channel.setEncoding('utf8');
  channel.on('data', (d: string) => (events += d));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const runId = '00000000-0000-4000-8000-0000000000aa';
  child.stdin.write(JSON.stringify({
    requestId: runId, runId, workspaceRoot: ws.root, location: { name: 'definitions.py', root: '', entryFiles: ['definitions.py'] },
    kind: 'asset', targets: ['chatty'], partition: { key: '2024-01-05' }, tags: {},
  }) + '\n');
  await until('the step to start', () => events.includes('"step_started"'));
  // The coordinator dies: every pipe it read is closed; its end of stdin closes too.
  channel.destroy();
  child.stdout.destroy();
  child.stderr.destroy();
  child.stdin.end();
  fs.writeFileSync(`${ws.root}/2024-01-05.go`, '');
  assert.equal(await exited, 0);
  assert.equal(await dagsterStatus(ws, runId), 'SUCCESS');
});
