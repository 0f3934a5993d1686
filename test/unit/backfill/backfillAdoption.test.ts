// Adopting a backfill whose process died: live run processes are stopped (found by pid or by BACKFILL_RUN_ID),
// runs are re-queued without using a retry or kept when the launcher says they materialized; cancel of an orphan.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher, RunRequest } from '../../../src/core/coordinator/runLauncher';
import { InMemoryStateStore } from '../../../src/core/storage/inMemoryStateStore';
import { ManualClock } from '../coordinator/manualClock';
import { RecordingFolder, until } from './recordingTarget';

const NOW = new Date('2024-03-01T00:00:00Z');
const KEYS = ['2024-01-01', '2024-01-02', '2024-01-03', '2024-01-04'];

/** A pid that certainly belonged to a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

/**
 * A store as a process that died leaves it: partition 01 succeeded, 02 and 03 were running (02's pid was
 * recorded, 03's was not yet), 04 was queued. The processes of 02 and 03 are really running, gated.
 */
async function orphanedState(owner: BackfillRecord['owner'], status: BackfillRecord['status'] = 'REQUESTED') {
  const f = new RecordingFolder();
  const target = f.target('a', { GATE: '1' });
  const clock = new ManualClock(NOW);
  const store = new InMemoryStateStore(() => clock.now().getTime());
  const plan = planBackfill([target], { kind: 'range', from: KEYS[0]!, to: KEYS[3]! }, NOW);
  const t0 = NOW.getTime();
  const record: BackfillRecord = { id: 'orphanaa', status, targets: ['a'], partitionCount: 4, origin: 'cli', createdAt: t0, endedAt: null, selection: plan.selection, owner };
  const runs: RunRecord[] = KEYS.map((key, i) => ({
    id: `run-${i}`, backfillId: record.id, target: 'a', partitionKey: key, createdAt: t0, attempt: 1, pid: null, exitCode: null, error: null,
    ...(i === 0 ? { status: 'SUCCESS', startedAt: t0, endedAt: t0 } : i < 3 ? { status: 'STARTED', startedAt: t0, endedAt: null } : { status: 'QUEUED', startedAt: null, endedAt: null }),
  }));
  const live = [1, 2].map((i) => spawn(process.execPath, [f.script, f.dir, 'a', KEYS[i]!], {
    detached: true, stdio: 'ignore', env: { ...process.env, GATE: '1', BACKFILL_ID: record.id, BACKFILL_RUN_ID: runs[i]!.id, BACKFILL_RUN_ATTEMPT: '1' },
  }));
  runs[1]!.pid = live[0]!.pid!;
  store.createBackfill(record, runs);
  store.savePlan(record.id, JSON.stringify({ plan, options: { maxRetries: 2 } }), plan.inputsHash);
  await until('the interrupted runs to be running', () => f.starts().length === 2);
  const build = (launcher: RunLauncher) => new BackfillDaemon({ store, coordinator: new RunCoordinator(2), launcher, clock, origin: 'test', killGraceMs: 500 });
  const commands = new CommandRunLauncher({ workspaceRoot: '/', targets: new Map([['a', target]]), killGraceMs: 500 });
  return { f, store, clock, record, livePids: live.map((c) => c.pid!), build, commands };
}

const deadOwner = () => ({ origin: 'cli', pid: deadPid(), host: os.hostname(), heartbeatAt: NOW.getTime() });

test('adoption stops what still runs, re-queues interrupted runs on the same attempt and never reruns a success', async () => {
  const s = await orphanedState(deadOwner());
  const daemon = s.build(s.commands);
  const adopted = await daemon.adoptOrphans();
  assert.deepEqual(adopted.map((b) => b.id), ['orphanaa']);
  assert.equal(s.store.getBackfill('orphanaa')!.owner!.pid, process.pid, 'the adopting process owns it now');
  assert.deepEqual(s.livePids.map(processGroupAlive), [false, false], 'the old processes (pid recorded or not) were terminated');
  s.f.release();
  const final = await daemon.whenDone('orphanaa');
  assert.equal(final.status, 'COMPLETED_SUCCESS');
  assert.deepEqual(s.f.starts().slice(2).map((e) => `${e.key} ${e.attempt}`).sort(), ['2024-01-02 1', '2024-01-03 1', '2024-01-04 1']);
  assert.ok(s.store.listRuns('orphanaa').every((r) => r.status === 'SUCCESS' && r.attempt === 1), 'the interruption used no retry');
  assert.equal(s.store.runEvents('run-1').find((e) => e.kind === 'RUN_REQUEUED')!.payload !== undefined, true);
  assert.equal(s.store.getBackfill('orphanaa')!.owner ?? null, null);
});

/** Test double of a launcher that can tell what materialized (as the Dagster launcher asks its event log). */
class MaterializedAnswer implements RunLauncher {
  readonly asked: string[] = [];
  constructor(private readonly inner: RunLauncher, private readonly materializedKeys: Set<string>) {}
  launch: RunLauncher['launch'] = (run, io) => this.inner.launch(run, io);
  materialized(run: RunRequest): Promise<boolean> {
    this.asked.push(run.partitionKey);
    return Promise.resolve(this.materializedKeys.has(run.partitionKey));
  }
}

test('a run the launcher reports materialized counts as SUCCESS and is not run again', async () => {
  const s = await orphanedState(deadOwner());
  const launcher = new MaterializedAnswer(s.commands, new Set(['2024-01-02']));
  const daemon = s.build(launcher);
  await daemon.adopt('orphanaa');
  assert.deepEqual(launcher.asked.sort(), ['2024-01-02', '2024-01-03']);
  s.f.release();
  assert.equal((await daemon.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
  assert.deepEqual(s.f.starts().slice(2).map((e) => e.key).sort(), ['2024-01-03', '2024-01-04']);
  assert.equal(s.store.partitionStatuses('a').get('2024-01-02'), 'MATERIALIZED');
});

test('a live owner is not an orphan; a stale heartbeat makes one', async () => {
  const s = await orphanedState({ origin: 'extension', pid: process.pid, host: os.hostname(), heartbeatAt: NOW.getTime() });
  const daemon = s.build(s.commands);
  assert.deepEqual(await daemon.adoptOrphans(), []);
  await assert.rejects(daemon.adopt('orphanaa'), /is REQUESTED and run by the extension process \d+ on .* \(heartbeat 0 s ago\); it is not orphaned/);
  await s.clock.advance(31_000);
  assert.deepEqual((await daemon.adoptOrphans()).map((b) => b.id), ['orphanaa']);
  s.f.release();
  assert.equal((await daemon.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
});

test('canceling an orphan adopts it to stop its processes and ends it CANCELED; so does adopting one left CANCELING', async () => {
  for (const status of ['REQUESTED', 'CANCELING'] as const) {
    const s = await orphanedState(deadOwner(), status);
    const daemon = s.build(s.commands);
    if (status === 'REQUESTED') assert.equal(await daemon.cancelAnywhere('orphanaa'), 'orphan');
    else await daemon.adoptOrphans();
    const final = await daemon.whenDone('orphanaa');
    assert.equal(final.status, 'CANCELED');
    assert.deepEqual(s.livePids.map(processGroupAlive), [false, false]);
    assert.deepEqual(s.store.listRuns('orphanaa').map((r) => r.status), ['SUCCESS', 'CANCELED', 'CANCELED', 'CANCELED']);
    assert.equal(s.f.starts().length, 2, 'nothing was started');
    await assert.rejects(daemon.cancelAnywhere('orphanaa'), /already ended \(CANCELED\)/);
  }
});
