// Adopting a backfill whose process died: live run processes are stopped (found by pid or by BACKFILL_RUN_ID),
// runs are re-queued without using a retry or kept when the launcher says they materialized; cancel of an orphan;
// a stored pause holds after adoption until a resume from another process; a stored retry waits for its due time.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as os from 'node:os';
import { describe, test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { RunLauncher, RunRequest } from '../../../src/core/coordinator/runLauncher';
import { ManualClock, settle } from '../coordinator/manualClock';
import { RecordingFolder, until } from './recordingTarget';
import { STATE_STORE_KINDS } from './stateStoreKinds';

for (const kind of STATE_STORE_KINDS) describe(kind.name, () => {
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
  async function orphanedState(owner: BackfillRecord['owner'], status: BackfillRecord['status'] = 'REQUESTED', pausedAt: number | null = null) {
    const f = new RecordingFolder();
    const target = f.target('a', { GATE: '1' });
    const clock = new ManualClock(NOW);
    const store = await kind.open(() => clock.now().getTime());
    const plan = planBackfill([target], { kind: 'range', from: KEYS[0]!, to: KEYS[3]! }, NOW);
    const t0 = NOW.getTime();
    const record: BackfillRecord = { id: 'orphanaa', status, targets: ['a'], partitionCount: 4, origin: 'cli', createdAt: t0, endedAt: null, selection: plan.selection, owner, pausedAt };
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
    // Asked first (a worker that outlived its coordinator may have finished); a run whose live process had to be
    // stopped is asked once more after, in case it finished meanwhile.
    assert.deepEqual(launcher.asked.sort(), ['2024-01-02', '2024-01-03', '2024-01-03']);
    s.f.release();
    assert.equal((await daemon.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
    assert.deepEqual(s.f.starts().slice(2).map((e) => e.key).sort(), ['2024-01-03', '2024-01-04']);
    assert.equal(s.store.partitionStatuses('a').get('2024-01-02'), 'MATERIALIZED');
  });

  test('a live owner is not an orphan; a stale heartbeat makes one', async () => {
    const s = await orphanedState({ origin: 'extension', pid: process.pid, host: os.hostname(), heartbeatAt: NOW.getTime() });
    const daemon = s.build(s.commands);
    assert.deepEqual(await daemon.adoptOrphans(), []);
    await assert.rejects(daemon.adopt('orphanaa'), /is in progress and run by the extension process \d+ on .* \(heartbeat 0 s ago\); it is not orphaned/);
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
      await assert.rejects(daemon.cancelAnywhere('orphanaa'), /already ended \(Canceled\)/);
    }
  });

  test('a backfill paused when its process died stays paused when adopted; a resume from another process completes it, each partition once', async () => {
    const s = await orphanedState(deadOwner(), 'REQUESTED', NOW.getTime() - 5_000);
    const owner = s.build(s.commands);
    assert.deepEqual((await owner.adoptOrphans()).map((b) => b.id), ['orphanaa']);
    await settle();
    assert.deepEqual(s.livePids.map(processGroupAlive), [false, false], 'the interrupted runs were checked and stopped as usual');
    assert.deepEqual(s.store.listRuns('orphanaa').map((r) => r.status), ['SUCCESS', 'QUEUED', 'QUEUED', 'QUEUED'], 'nothing started');
    assert.equal(owner.isPaused('orphanaa'), true);
    assert.equal(s.store.getBackfill('orphanaa')!.pausedAt, NOW.getTime() - 5_000, 'the pause is kept as stored');
    s.f.release();
    await s.clock.advance(60_000);
    assert.equal(s.f.starts().length, 2, 'a minute later still nothing new has started');
    assert.equal(s.store.getBackfill('orphanaa')!.status, 'REQUESTED', 'paused is REQUESTED in Dagster terms');

    // Another process (its own daemon on the same store) resumes it: the live owner is asked through the store.
    const other = s.build(s.commands);
    await assert.rejects(other.adopt('orphanaa'), /it is not orphaned/);
    const resumed = await other.resume('orphanaa');
    assert.equal(resumed.pausedAt, null);
    assert.equal(other.isActive('orphanaa'), false, 'the other process did not take it over');
    assert.equal(s.store.getBackfill('orphanaa')!.pausedAt, undefined);
    await assert.rejects(other.resume('orphanaa'), /is in progress in the test process \d+ on .*; there is nothing to resume/);
    await s.clock.advance(1_000);
    assert.equal(owner.isPaused('orphanaa'), false, 'the owner read the resume at its next poll');
    assert.equal((await owner.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
    assert.deepEqual([...s.f.completions()].sort(), [['a 2024-01-02', 1], ['a 2024-01-03', 1], ['a 2024-01-04', 1]]);
    assert.deepEqual(s.f.starts().slice(2).map((e) => `${e.key} ${e.attempt}`).sort(), ['2024-01-02 1', '2024-01-03 1', '2024-01-04 1']);
    assert.equal(s.store.getBackfill('orphanaa')!.pausedAt, undefined);
  });

  test('pause from another process reaches the live owner through the store; an orphan is paused in the store only', async () => {
    const s = await orphanedState(deadOwner());
    const owner = s.build(s.commands);
    await owner.adoptOrphans();
    const other = s.build(s.commands);
    assert.equal(await other.pauseAnywhere('orphanaa'), 'owner');
    assert.equal(other.isPaused('orphanaa'), true, 'the other process sees it paused');
    await s.clock.advance(1_000);
    assert.equal(owner.isPaused('orphanaa'), true, 'the owner applied the stored pause at its next poll');
    const pausedAt = s.store.getBackfill('orphanaa')!.pausedAt;
    assert.equal(await owner.pauseAnywhere('orphanaa'), 'here', 'pausing again changes nothing');
    assert.equal(s.store.getBackfill('orphanaa')!.pausedAt, pausedAt);
    await owner.resume('orphanaa');
    s.f.release();
    assert.equal((await owner.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
    await assert.rejects(other.pauseAnywhere('orphanaa'), /already ended \(Success\); there is nothing to pause/);

    const orphan = await orphanedState(deadOwner());
    const bystander = orphan.build(orphan.commands);
    assert.equal(await bystander.pauseAnywhere('orphanaa'), 'orphan');
    assert.equal(bystander.isActive('orphanaa'), false);
    assert.notEqual(orphan.store.getBackfill('orphanaa')!.pausedAt ?? null, null);
    // `backfill resume ID` of a paused orphan adopts it unpaused.
    await bystander.resume('orphanaa');
    assert.equal(bystander.isPaused('orphanaa'), false);
    orphan.f.release();
    assert.equal((await bystander.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
    assert.equal(orphan.f.starts().length, 5);
  });

  test('a retry due in 60 s survives a crash at 10 s: the adopting process starts it at 60 s, on the same attempt, once', async () => {
    const f = new RecordingFolder();
    const flaky = f.target('flaky', { FAIL_UNTIL_ATTEMPT: '2' });
    let clock = new ManualClock(NOW);
    const store = await kind.open(() => clock.now().getTime());
    const build = (c: ManualClock) => new BackfillDaemon({
      store, coordinator: new RunCoordinator(2), clock: c, origin: 'test',
      launcher: new CommandRunLauncher({ workspaceRoot: '/', targets: new Map([['flaky', flaky]]), killGraceMs: 500 }),
    });
    const first = build(clock);
    const plan = planBackfill([flaky], { kind: 'range', from: KEYS[0]!, to: KEYS[0]! }, NOW);
    const b = first.launch(plan, { maxRetries: 1, retryDelaySeconds: 60 });
    const run = () => store.listRuns(b.id)[0]!;
    await until('the retry to be scheduled', () => run().attempt === 2 && run().status === 'QUEUED');
    const due = run().retryDueAt!;
    assert.equal(due, NOW.getTime() + 60_000, 'the due time is stored with the retry');
    await clock.advance(10_000);
    // The crash: this process's timers never fire again and its pid is gone. What it was doing when the clock
    // moved (a watch tick reading the store, then writing its heartbeat) ends first, as it would before a kill.
    await store.flush();
    await settle();
    store.setBackfillOwner(b.id, deadOwner());
    clock = new ManualClock(new Date(NOW.getTime() + 10_000));
    const second = build(clock);
    assert.deepEqual((await second.adoptOrphans()).map((x) => x.id), [b.id]);
    await clock.advance(49_999);
    assert.equal(run().status, 'QUEUED', 'not before the stored due time');
    assert.equal(f.starts().length, 1);
    await clock.advance(1);
    assert.equal((await second.whenDone(b.id)).status, 'COMPLETED_SUCCESS');
    assert.deepEqual(f.starts().map((e) => `${e.attempt} ${e.tags!['dagster/retry_number'] ?? '-'}`), ['1 -', '2 1'], 'the retry ran once, as attempt 2');
    assert.equal(run().startedAt, due, 'it started at the stored due time');
    assert.deepEqual({ attempt: run().attempt, retryDueAt: run().retryDueAt }, { attempt: 2, retryDueAt: undefined });
    assert.deepEqual(store.runEvents(run().id).map((e) => e.kind).filter((k) => k.startsWith('RUN_')), ['RUN_START', 'RUN_FAILURE', 'RUN_RETRY_SCHEDULED', 'RUN_START', 'RUN_SUCCESS']);
  });

  test('a retry already due when the backfill is adopted starts at once', async () => {
    const s = await orphanedState(deadOwner());
    const runs = s.store.listRuns('orphanaa');
    for (const r of runs.slice(1, 3)) s.store.updateRun(r.id, { status: 'SUCCESS', endedAt: NOW.getTime() });
    s.store.updateRun(runs[3]!.id, { attempt: 2, retryDueAt: NOW.getTime() - 1 });
    s.f.release();
    const daemon = s.build(s.commands);
    await daemon.adoptOrphans();
    assert.equal((await daemon.whenDone('orphanaa')).status, 'COMPLETED_SUCCESS');
    assert.deepEqual(s.f.starts().slice(2).map((e) => `${e.key} ${e.attempt}`), ['2024-01-04 2']);
  });
});
