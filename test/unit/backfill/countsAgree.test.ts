// One story in numbers: after a cancel and after a pause, what the backfill's faces count (its runs: details panel,
// Backfills view, status bar, CLI) and what the definition's faces count (its partitions: Definitions view, code
// lens, partitions panel) say the same, for a definition this backfill alone has run.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countRuns, isRunningBackfill } from '../../../src/core/backfill/backfill';
import { partitionCountsSummary, partitionStatusCounts } from '../../../src/core/backfill/partitionStatusCounts';
import type { StateStore } from '../../../src/core/storage/stateStore';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { backfillDetailsModel } from '../../../src/extension/panels/backfillDetailsModel';
import { RecordingFolder, until } from './recordingTarget';
import { commandTargetEngine } from './commandTargetEngine';
import { STATE_STORE_KINDS } from './stateStoreKinds';

for (const kind of STATE_STORE_KINDS) describe(kind.name, () => {
  const NOW = new Date('2024-03-01T00:00:00Z');
  // Twelve partitions, 2024-01-01 to 2024-01-12.
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01', end_date: '2024-01-13' });

  const engine = (targets: CommandTarget[], maxConcurrent: number) => commandTargetEngine(kind, NOW, targets, maxConcurrent);

  /** The details panel's counts of a target against the Definitions view's and the lens's counts of its partitions. */
  function facesOf(store: StateStore, backfillId: string, target: string) {
    const runs = store.listRuns(backfillId);
    const details = backfillDetailsModel(store.getBackfill(backfillId)!, runs, (t) => store.partitionStatuses(t), NOW.getTime());
    const row = details.targets.find((t) => t.target === target)!;
    const partitions = partitionStatusCounts(daily, store.partitionStatuses(target), NOW);
    return {
      details: { materialized: row.materialized, failed: row.failed, canceled: row.canceled, inProgress: row.inProgress },
      definition: { materialized: partitions.materialized, failed: partitions.failed, canceled: partitions.canceled, inProgress: partitions.inProgress },
      progress: details.progress,
      strip: details.partitions.find((p) => p.target === target)!.statusRuns,
      lens: partitionCountsSummary(partitions, { failed: false }),
      badge: [details.statusLabel, details.statusTone],
      canResume: details.canResume,
    };
  }

  test('after a cancel with runs running, failed, succeeded and queued, the runs and the partitions agree', async () => {
    const f = new RecordingFolder();
    // 01 succeeds, 02 fails, 03 and 04 hold their slots until the cancel; 05..12 wait in the queue.
    const t = f.target('t', { FAIL_KEYS: '2024-01-02', GATE_KEYS: '2024-01-03,2024-01-04' }, [], daily);
    const e = await engine([t], 2);
    const b = e.daemon.launch(e.plan('2024-01-01', '2024-01-12'));
    const run = (key: string) => e.store.listRuns(b.id).find((r) => r.partitionKey === key)!;
    await until('03 and 04 to be running, 01 and 02 ended', () => typeof run('2024-01-03').pid === 'number' && typeof run('2024-01-04').pid === 'number' && run('2024-01-01').status === 'SUCCESS' && run('2024-01-02').status === 'FAILURE');
    e.daemon.cancel(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'CANCELED');

    const faces = facesOf(e.store, b.id, 't');
    assert.deepEqual(faces.details, { materialized: 1, failed: 1, canceled: 10, inProgress: 0 });
    assert.deepEqual(faces.definition, faces.details, 'the Definitions view and the lens count what the details panel counts');
    assert.deepEqual(countRuns(e.store.listRuns(b.id)), { total: 12, queued: 0, inProgress: 0, succeeded: 1, failed: 1, canceled: 10, skipped: 0 });
    assert.equal(faces.progress.summary, '1/12 runs succeeded · 1 failed · 10 canceled');
    assert.deepEqual(faces.strip, [['MATERIALIZED', 1], ['FAILED', 1], ['CANCELED', 10]], 'the strip draws canceled partitions canceled, not failed');
    assert.equal(faces.lens, '1/12 materialized · 10 canceled');
    assert.deepEqual(faces.badge, ['Canceled', 'canceled']);
    assert.equal(faces.canResume, true);
  });

  test('while a failed run waits for its retry, it counts failed in the runs as its partition does', async () => {
    const f = new RecordingFolder();
    const t = f.target('t', { FAIL_KEYS: '2024-01-02' }, [], daily);
    const e = await engine([t], 2);
    // The retry is due a minute later on the manual clock, which the test never advances: it stays waiting.
    const b = e.daemon.launch(e.plan('2024-01-01', '2024-01-04'), { maxRetries: 1, retryDelaySeconds: 60 });
    const runs = () => e.store.listRuns(b.id);
    await until('the others to succeed while 02 waits for its retry', () => runs().filter((r) => r.status === 'SUCCESS').length === 3 && runs().some((r) => r.status === 'QUEUED' && r.retryDueAt != null));

    const faces = facesOf(e.store, b.id, 't');
    assert.deepEqual(faces.details, { materialized: 3, failed: 1, canceled: 0, inProgress: 0 });
    assert.deepEqual(faces.definition, faces.details);
    assert.deepEqual(faces.strip, [['MATERIALIZED', 1], ['FAILED', 1], ['MATERIALIZED', 2]]);
    assert.equal(faces.progress.summary, '3/4 runs succeeded · 1 failed');
    const details = backfillDetailsModel(e.store.getBackfill(b.id)!, runs(), (x) => e.store.partitionStatuses(x), NOW.getTime());
    assert.deepEqual(details.runs.map((r) => r.statusLabel), ['Success', 'Failed, retrying', 'Success', 'Success']);

    e.daemon.cancel(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'CANCELED');
    const canceled = facesOf(e.store, b.id, 't');
    assert.deepEqual(canceled.details, { materialized: 3, failed: 0, canceled: 1, inProgress: 0 });
    assert.deepEqual(canceled.definition, canceled.details);
  });

  test('after a pause, the runs and the partitions agree, the badge says Paused and the backfill is not running', async () => {
    const f = new RecordingFolder();
    const t = f.target('t', { GATE_KEYS: '2024-01-02,2024-01-03' }, [], daily);
    const e = await engine([t], 2);
    const b = e.daemon.launch(e.plan('2024-01-01', '2024-01-12'));
    const run = (key: string) => e.store.listRuns(b.id).find((r) => r.partitionKey === key)!;
    await until('02 and 03 to be running', () => typeof run('2024-01-02').pid === 'number' && typeof run('2024-01-03').pid === 'number');
    assert.equal(e.daemon.pause(b.id), true);
    f.release();
    await until('the running runs to end', () => e.store.listRuns(b.id).every((r) => r.status === 'SUCCESS' || r.status === 'QUEUED'));

    const faces = facesOf(e.store, b.id, 't');
    assert.deepEqual(faces.details, { materialized: 3, failed: 0, canceled: 0, inProgress: 0 });
    assert.deepEqual(faces.definition, faces.details);
    assert.equal(faces.progress.summary, '3/12 runs succeeded · 9 queued');
    assert.equal(faces.lens, '3/12 materialized');
    assert.deepEqual(faces.badge, ['Paused', 'paused']);
    assert.equal(faces.canResume, true);
    assert.equal(isRunningBackfill(e.store.getBackfill(b.id)!), false, 'the status bar does not count it');

    await e.daemon.resume(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'COMPLETED_SUCCESS');
    const done = facesOf(e.store, b.id, 't');
    assert.deepEqual(done.definition, done.details);
    assert.deepEqual(done.badge, ['Success', 'success']);
    assert.equal(done.canResume, false);
  });
});
