// Adoption signals only processes it proves are the run's: a stored pid that now belongs to a stranger (pid reuse, a
// reboot) is left running and the run goes to the "did it materialize?" check; the run's own process, proven by
// the start time recorded at spawn (or by its run id marker), is still stopped.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import * as os from 'node:os';
import { after, test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { procStartTime } from '../../../src/core/backfill/processStartTime';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher, RunRequest } from '../../../src/core/coordinator/runLauncher';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { ManualClock } from '../coordinator/manualClock';
import { RecordingFolder, until } from './recordingTarget';

const NOW = new Date('2024-03-01T00:00:00Z');
const KEYS = ['2024-01-01', '2024-01-02'];
const linuxOnly = { skip: process.platform !== 'linux' ? 'start times and run id markers are read from /proc here' : false };

const spawned: ChildProcess[] = [];
after(() => {
  for (const c of spawned) {
    try {
      process.kill(-c.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
  }
});

/** A process that is none of ours: its own session and group (as `setsid sleep 300`), no BACKFILL_RUN_ID. */
function stranger(): number {
  const env = { ...process.env };
  delete env['BACKFILL_RUN_ID'];
  const c = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1e9)'], { detached: true, stdio: 'ignore', env });
  spawned.push(c);
  return c.pid!;
}

const deadOwner = () => ({ origin: 'cli', pid: spawnSync(process.execPath, ['-e', '']).pid!, host: os.hostname(), heartbeatAt: NOW.getTime() });

/** Test double of a launcher that can tell what materialized (as the Dagster launcher asks its event log). */
class MaterializedAnswer implements RunLauncher {
  readonly asked: string[] = [];
  constructor(private readonly inner: RunLauncher) {}
  launch: RunLauncher['launch'] = (run, io) => this.inner.launch(run, io);
  materialized(run: RunRequest): Promise<boolean> {
    this.asked.push(run.partitionKey);
    return Promise.resolve(false);
  }
}

/** The store a dead process left: both runs STARTED, with the given pids (and start times) recorded. */
function orphanWith(processes: { pid?: number; pidStartTime?: string }[]) {
  const f = new RecordingFolder();
  const target = f.target('a');
  const clock = new ManualClock(NOW);
  const store = new InMemoryStateStore(() => clock.now().getTime());
  const plan = planBackfill([target], { kind: 'range', from: KEYS[0]!, to: KEYS[1]! }, NOW);
  const t0 = NOW.getTime();
  const record: BackfillRecord = { id: 'orphanbb', status: 'REQUESTED', targets: ['a'], partitionCount: 2, origin: 'cli', createdAt: t0, endedAt: null, selection: plan.selection, owner: deadOwner() };
  // Unique as real run ids are: the marker scan looks at every process of this host, other tests' too.
  const runs: RunRecord[] = KEYS.map((key, i) => ({
    id: randomUUID(), backfillId: record.id, target: 'a', partitionKey: key, createdAt: t0, attempt: 1, exitCode: null, error: null,
    status: 'STARTED', startedAt: t0, endedAt: null, ...processes[i],
  }));
  store.createBackfill(record, runs);
  store.savePlan(record.id, JSON.stringify({ plan, options: {} }), plan.inputsHash);
  const launcher = new MaterializedAnswer(new CommandRunLauncher({ workspaceRoot: '/', targets: new Map([['a', target]]), killGraceMs: 500 }));
  const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(2), launcher, clock, origin: 'test', killGraceMs: 500 });
  return { f, store, daemon, launcher, runIds: runs.map((r) => r.id) };
}

const unprovenOf = (store: InMemoryStateStore, runId: string) =>
  store.runEvents(runId).flatMap((e) => ((e.payload as { unprovenProcessGroups?: number[] } | null)?.unprovenProcessGroups ?? []));

test('cancel of an orphan leaves alive the strangers its stored pids now name, and says so on the runs', linuxOnly, async () => {
  const [old, reused] = [stranger(), stranger()];
  // run-0 as an older build left it (a pid, no start time); run-1's pid was reused: the start time recorded is another process's.
  const s = orphanWith([{ pid: old }, { pid: reused, pidStartTime: procStartTime(process.pid)! }]);
  assert.equal(await s.daemon.cancelAnywhere('orphanbb'), 'orphan');
  assert.equal((await s.daemon.whenDone('orphanbb')).status, 'CANCELED');
  assert.deepEqual([old, reused].map(processGroupAlive), [true, true], 'the strangers were not signalled');
  assert.deepEqual(s.runIds.map((id) => unprovenOf(s.store, id)), [[old, old], [reused, reused]], 'each run says which group it left alone (the engine event and the requeue)');
  assert.match(String((s.store.runEvents(s.runIds[0]!).find((e) => e.kind === 'ENGINE_EVENT')!.payload as { message: string }).message), /could not be proven to be the run's .* left running/);
});

test('adoption leaves the stranger alive and asks whether the run materialized before running it again', linuxOnly, async () => {
  const reused = stranger();
  const s = orphanWith([{ pid: reused, pidStartTime: 'linux:another-boot:12345' }, {}]);
  assert.deepEqual((await s.daemon.adoptOrphans()).map((b) => b.id), ['orphanbb']);
  assert.equal(processGroupAlive(reused), true);
  assert.deepEqual(s.launcher.asked.sort(), [KEYS[0], KEYS[0], KEYS[1], KEYS[1]], 'each interrupted run was checked');
  const requeued = s.store.runEvents(s.runIds[0]!).find((e) => e.kind === 'RUN_REQUEUED')!.payload as { unprovenProcessGroups: number[]; terminatedProcessGroups: number[] };
  assert.deepEqual([requeued.unprovenProcessGroups, requeued.terminatedProcessGroups], [[reused], []]);
  assert.equal((await s.daemon.whenDone('orphanbb')).status, 'COMPLETED_SUCCESS');
  assert.equal(processGroupAlive(reused), true);
});

test('the run\'s own process, without a run id marker, is proven by the start time recorded with its pid and stopped', linuxOnly, async () => {
  const f = new RecordingFolder();
  // Gated and without BACKFILL_RUN_ID: only its recorded start time can tell it is the run's.
  const own = spawn(process.execPath, [f.script, f.dir, 'a', KEYS[0]!], { detached: true, stdio: 'ignore', env: { ...process.env, GATE: '1' } });
  spawned.push(own);
  await until('the run process to be running', () => f.starts().length === 1);
  const s = orphanWith([{ pid: own.pid!, pidStartTime: procStartTime(own.pid!)! }, {}]);
  assert.equal(await s.daemon.cancelAnywhere('orphanbb'), 'orphan');
  assert.equal((await s.daemon.whenDone('orphanbb')).status, 'CANCELED');
  assert.equal(processGroupAlive(own.pid!), false, 'our orphaned run process was stopped');
  assert.deepEqual(unprovenOf(s.store, s.runIds[0]!), []);
});

test('a launched run records its process with the start time the OS gives it', linuxOnly, async () => {
  const f = new RecordingFolder();
  const target = f.target('a', { GATE: '1' });
  const clock = new ManualClock(NOW);
  const store = new InMemoryStateStore(() => clock.now().getTime());
  const daemon = new BackfillDaemon({
    store, coordinator: new RunCoordinator(2), clock, origin: 'test',
    launcher: new CommandRunLauncher({ workspaceRoot: '/', targets: new Map([['a', target]]), killGraceMs: 500 }),
  });
  const b = daemon.launch(planBackfill([target], { kind: 'range', from: KEYS[0]!, to: KEYS[0]! }, NOW));
  const run = () => store.listRuns(b.id)[0]!;
  await until('the run process to be recorded', () => run().pid != null && f.starts().length === 1);
  assert.equal(run().pid, f.starts()[0]!.pid);
  assert.equal(run().pidStartTime, procStartTime(run().pid!), 'the start time the /proc stat of that pid gives');
  assert.match(run().pidStartTime!, /^linux:[0-9a-f-]+:\d+$/);
  f.release();
  assert.equal((await daemon.whenDone(b.id)).status, 'COMPLETED_SUCCESS');
});
