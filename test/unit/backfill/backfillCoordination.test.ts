// The daemon and coordinator with real command targets and a hand-moved clock: limits (checked by the targets
// themselves), priority and order, retries with backoff, pause, stop after failures, run timeouts and cancel.
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { describe, test } from 'node:test';
import { BackfillDaemon } from '../../../src/core/backfill/backfillDaemon';
import { processGroupAlive } from '../../../src/core/backfill/backfillOwnership';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { CommandRunLauncher } from '../../../src/core/coordinator/commandRunLauncher';
import { RunCoordinator } from '../../../src/core/coordinator/runCoordinator';
import type { TagConcurrencyLimit } from '../../../src/core/coordinator/tagConcurrencyLimits';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { ManualClock } from '../coordinator/manualClock';
import { RecordingFolder, until } from './recordingTarget';
import { STATE_STORE_KINDS } from './stateStoreKinds';

for (const kind of STATE_STORE_KINDS) describe(kind.name, () => {
  const NOW = new Date('2024-03-01T00:00:00Z');

  async function engine(targets: CommandTarget[], maxConcurrent: number, tagLimits: TagConcurrencyLimit[] = []) {
    const clock = new ManualClock(NOW);
    const store = await kind.open(() => clock.now().getTime());
    const coordinator = new RunCoordinator(maxConcurrent, (e) => assert.fail(String(e)), tagLimits);
    const launcher = new CommandRunLauncher({ workspaceRoot: '/', targets: new Map(targets.map((t) => [t.name, t])), killGraceMs: 500 });
    const daemon = new BackfillDaemon({ store, coordinator, launcher, clock, origin: 'test' });
    const plan = (names: string[], from: string, to: string) => planBackfill(targets.filter((t) => names.includes(t.name)), { kind: 'range', from, to }, NOW);
    const run = (backfillId: string, key: string, target?: string) => store.listRuns(backfillId).find((r) => r.partitionKey === key && (!target || r.target === target))!;
    return { clock, store, coordinator, daemon, plan, run };
  }

  test('max concurrent runs and tag limits (one value, per unique value) are never exceeded, as the targets see it', async () => {
    const f = new RecordingFolder();
    const t = f.target('a', { LIMIT_ALL: '3', LIMIT_PER_BACKFILL: '2', LIMIT_TEAM_x: '1', SLEEP_MS: '100' });
    const e = await engine([t], 3, [
      { key: 'dagster/backfill', value: { applyLimitPerUniqueValue: true }, limit: 2 },
      { key: 'team', value: 'x', limit: 1 },
    ]);
    const x = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-08'), { tags: { team: 'x' } });
    const y = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-08'), { tags: { team: 'y' } });
    const z = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-08'), { tags: { team: 'z' } });
    const finals = await Promise.all([x, y, z].map((b) => e.daemon.whenDone(b.id)));
    const failures = [x, y, z].flatMap((b) => e.store.listRuns(b.id)).filter((r) => r.status !== 'SUCCESS').map((r) => `${r.partitionKey}: ${e.store.runLog(r.id)}`);
    assert.deepEqual(failures, [], 'a target saw more siblings than allowed');
    assert.deepEqual(finals.map((b) => b.status), ['COMPLETED_SUCCESS', 'COMPLETED_SUCCESS', 'COMPLETED_SUCCESS']);
    assert.equal(f.starts().length, 24);
  });

  test('a higher priority backfill overtakes queued runs; each backfill keeps its partition order', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a')], 1);
    const low = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-03'));
    const high = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-03'), { priority: 5, order: 'newest-first' });
    await Promise.all([e.daemon.whenDone(low.id), e.daemon.whenDone(high.id)]);
    const order = f.starts().map((s) => `${s.backfill === high.id ? 'high' : 'low'} ${s.key.slice(-2)}`);
    // low 01 took the only slot at launch, before the high-priority backfill existed.
    assert.deepEqual(order, ['low 01', 'high 03', 'high 02', 'high 01', 'low 02', 'low 03']);
    assert.equal(f.starts()[1]!.tags!['dagster/priority'], '5');
  });

  test('a failed run is retried after a delay that doubles, as a new attempt; its downstream waits for it', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('flaky', { FAIL_UNTIL_ATTEMPT: '3' }), f.target('down', {}, ['flaky'])], 2);
    const b = e.daemon.launch(e.plan(['flaky', 'down'], '2024-01-01', '2024-01-01'), { maxRetries: 3, retryDelaySeconds: 10 });
    const flaky = () => e.run(b.id, '2024-01-01', 'flaky');
    await until('the first retry to be scheduled', () => flaky().attempt === 2);
    assert.equal(flaky().status, 'QUEUED');
    assert.match(flaky().error!, /attempt 1 failed \(exited with code 1\); retry 1 of 3 in 10 s/);
    assert.equal(flaky().retryDueAt, NOW.getTime() + 10_000, 'the due time is stored with the retry');
    assert.equal(e.store.partitionStatuses('flaky').get('2024-01-01'), 'FAILED');
    await e.clock.advance(9_999);
    assert.equal(flaky().status, 'QUEUED', 'not before the delay');
    await e.clock.advance(1);
    assert.notEqual(flaky().status, 'QUEUED');
    await until('the second retry to be scheduled', () => flaky().attempt === 3 && flaky().status === 'QUEUED');
    assert.match(flaky().error!, /retry 2 of 3 in 20 s/);
    await e.clock.advance(19_999);
    assert.equal(flaky().status, 'QUEUED', 'the second delay is twice the first');
    await e.clock.advance(1);
    const final = await e.daemon.whenDone(b.id);
    assert.equal(final.status, 'COMPLETED_SUCCESS');
    assert.deepEqual(f.starts().map((s) => `${s.name} ${s.attempt} ${s.tags!['dagster/retry_number'] ?? '-'}`), ['flaky 1 -', 'flaky 2 1', 'flaky 3 2', 'down 1 -']);
    assert.equal(flaky().attempt, 3);
    assert.deepEqual(e.store.runEvents(flaky().id).map((ev) => ev.kind).filter((k) => k.startsWith('RUN_')), [
      'RUN_START', 'RUN_FAILURE', 'RUN_RETRY_SCHEDULED', 'RUN_START', 'RUN_FAILURE', 'RUN_RETRY_SCHEDULED', 'RUN_START', 'RUN_SUCCESS',
    ]);
  });

  test('pause lets running runs finish and holds the queued ones; resume continues', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a', { GATE: '1' })], 2);
    const b = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-05'));
    await until('two runs to start', () => f.starts().length === 2);
    assert.equal(e.daemon.pause(b.id), true);
    assert.equal(e.daemon.isPaused(b.id), true);
    assert.equal(e.store.getBackfill(b.id)!.pausedAt, NOW.getTime(), 'the pause is stored, beside a status that stays REQUESTED');
    f.release();
    await until('the running runs to finish', () => e.store.listRuns(b.id).filter((r) => r.status === 'SUCCESS').length === 2);
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(e.coordinator.runningCount, 0);
    assert.equal(f.starts().length, 2, 'nothing starts while paused');
    assert.equal(e.store.getBackfill(b.id)!.status, 'REQUESTED');
    await e.daemon.resume(b.id);
    assert.equal(e.store.getBackfill(b.id)!.pausedAt, undefined, 'resume clears the stored pause');
    await assert.rejects(e.daemon.resume(b.id), /is running; there is nothing to resume/);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'COMPLETED_SUCCESS');
    assert.equal(f.starts().length, 5);
  });

  test('after N failed runs the rest are canceled and the backfill ends FAILED', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a', { FAIL_KEYS: '2024-01-02,2024-01-03' })], 1);
    const b = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-06'), { stopAfterFailures: 2 });
    const final = await e.daemon.whenDone(b.id);
    assert.equal(final.status, 'FAILED');
    assert.deepEqual(e.store.listRuns(b.id).map((r) => r.status), ['SUCCESS', 'FAILURE', 'FAILURE', 'CANCELED', 'CANCELED', 'CANCELED']);
    assert.match(e.run(b.id, '2024-01-05').error!, /the backfill stopped after 2 failed runs \(stop after 2 failures\)/);
    assert.equal(f.starts().length, 3);
  });

  test('a run past dagster/max_runtime is terminated and fails saying so', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a', { GATE: '1' })], 1);
    const b = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-01'), { maxRuntimeSeconds: 30 });
    await until('the run to start', () => f.starts().length === 1 && typeof e.run(b.id, '2024-01-01').pid === 'number');
    const pid = e.run(b.id, '2024-01-01').pid!;
    await e.clock.advance(29_999);
    assert.equal(e.run(b.id, '2024-01-01').status, 'STARTED');
    await e.clock.advance(1);
    const final = await e.daemon.whenDone(b.id);
    assert.equal(final.status, 'COMPLETED_FAILED');
    const run = e.run(b.id, '2024-01-01');
    assert.equal(run.status, 'FAILURE');
    assert.equal(run.error, 'exceeded its maximum runtime (dagster/max_runtime 30 s) and was terminated');
    assert.equal(processGroupAlive(pid), false);
    assert.equal(e.store.getBackfill(b.id)!.tags!['dagster/max_runtime'], '30');
  });

  test('cancel during a run terminates its process group and cancels what was queued', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a', { GATE: '1' })], 1);
    const b = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-03'));
    await until('the run to start', () => typeof e.run(b.id, '2024-01-01').pid === 'number');
    const pid = e.run(b.id, '2024-01-01').pid!;
    assert.equal(await e.daemon.cancelAnywhere(b.id), 'here');
    const final = await e.daemon.whenDone(b.id);
    assert.equal(final.status, 'CANCELED');
    assert.deepEqual(e.store.listRuns(b.id).map((r) => `${r.status} ${r.error}`), ['CANCELED canceled', 'CANCELED canceled before launch', 'CANCELED canceled before launch']);
    assert.equal(processGroupAlive(pid), false);
    assert.equal(e.store.getBackfill(b.id)!.owner ?? null, null, 'an ended backfill has no owner');
  });

  test('launch options are saved with the plan: re-execute keeps them, bad ones are refused with what is wrong', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a', { FAIL_KEYS: '2024-01-02' })], 1);
    const b = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-02'), { tags: { team: 'x' }, maxRetries: 0, order: 'newest-first' });
    await e.daemon.whenDone(b.id);
    assert.deepEqual(JSON.parse(e.store.getPlan(b.id)!.planJson).options, { tags: { team: 'x' }, maxRetries: 0, order: 'newest-first' });
    const again = e.daemon.reexecute(b.id, { fromFailure: true });
    assert.deepEqual(again.tags, { team: 'x', 'dagster/max_retries': '0' });
    await e.daemon.whenDone(again.id);
    assert.equal(f.starts().at(-1)!.tags!['dagster/parent_backfill_id'], b.id);
    assert.throws(() => e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-01'), { maxRetries: -1 }), /max retries \(dagster\/max_retries\) must be a whole number of at least 0, got -1/);
    assert.throws(() => e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-01'), { tags: { 'dagster/max_runtime': 'soon' } }), /max runtime \(dagster\/max_runtime\) must be a number of seconds above 0, got "soon"/);
  });
  test('an owner adopted while it was not heard from stops: its run is terminated, nothing more starts, nothing is written over the adopter', async () => {
    const f = new RecordingFolder();
    const e = await engine([f.target('a', { GATE: '1' })], 1);
    const b = e.daemon.launch(e.plan(['a'], '2024-01-01', '2024-01-03'));
    const done = e.daemon.whenDone(b.id);
    await until('the first run to report its process', () => e.run(b.id, '2024-01-01').pid != null);
    const pid = e.run(b.id, '2024-01-01').pid!;
    // What an adopter's claim looks like once this process reads it: another live process on this host.
    const adopter = { origin: 'cli', pid: process.ppid, host: os.hostname(), heartbeatAt: e.clock.now().getTime() };
    e.store.setBackfillOwner(b.id, adopter);
    const adopterRecords = JSON.stringify(e.store.listRuns(b.id));
    await e.clock.advance(1000);
    const final = await done;
    assert.match(final.error!, new RegExp(`backfill ${b.id} was taken over by the cli process ${process.ppid} .*; it stopped running it here`));
    assert.equal(e.daemon.isActive(b.id), false);
    await until('the run process to be terminated', () => !processGroupAlive(pid));
    f.release();
    await e.clock.advance(5000);
    assert.equal(f.starts().length, 0, 'the terminated run never passed its gate, and no other run started');
    assert.deepEqual(e.store.getBackfill(b.id)!.owner, adopter, "the adopter's claim stands (no heartbeat over it)");
    assert.equal(e.store.getBackfill(b.id)!.status, 'REQUESTED');
    assert.equal(JSON.stringify(e.store.listRuns(b.id)), adopterRecords, "the terminated run's end is not written over the adopter's records");
  });
});
