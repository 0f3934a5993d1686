// Cancel is cancel: canceled runs and their partitions are CANCELED (never FAILED) in the store and in every count, and resume runs exactly the canceled and never-started runs again.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countRuns, type RunRecord } from '../../../src/core/backfill/backfill';
import { partitionStatusCounts } from '../../../src/core/backfill/partitionStatusCounts';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { backfillDetailsModel } from '../../../src/extension/panels/backfillDetailsModel';
import { RecordingFolder, until } from './recordingTarget';
import { commandTargetEngine } from './commandTargetEngine';
import { STATE_STORE_KINDS } from './stateStoreKinds';

for (const kind of STATE_STORE_KINDS) describe(kind.name, () => {
  const NOW = new Date('2024-03-01T00:00:00Z');
  const AT = new Date('2024-01-07T00:00:00Z');
  // Six partitions, 2024-01-01 to 2024-01-06 (end_date is exclusive).
  const daily = dailyPartitionsDefinition({ start_date: '2024-01-01', end_date: '2024-01-07' });

  const engine = (targets: CommandTarget[], maxConcurrent: number) => commandTargetEngine(kind, NOW, targets, maxConcurrent);

  const label = (r: RunRecord) => `${r.target} ${r.partitionKey.slice(-2)}`;
  const byStatus = (runs: readonly RunRecord[], status: RunRecord['status']) => runs.filter((r) => r.status === status).map(label);
  const startsOf = (f: RecordingFolder) => f.starts().map((s) => `${s.name} ${s.key.slice(-2)}`);

  test('cancel while runs run and others wait: runs and partitions are CANCELED, nothing FAILED; resume runs them all again and ends COMPLETED_SUCCESS', async () => {
    const f = new RecordingFolder();
    const a = f.target('a', { GATE: '1' }, [], daily);
    const e = await engine([a, f.target('b', {}, ['a'], daily)], 2);
    // Materialized before the backfill: the canceled run that tried it again leaves it materialized.
    e.store.setPartitionStatus('a', '2024-01-01', 'MATERIALIZED', 'earlier');
    const b = e.daemon.launch(e.plan('2024-01-01', '2024-01-05'));
    // Running as the target sees it: both processes have started and wait for the gate.
    await until('two runs to be running', () => f.starts().length === 2 && e.store.listRuns(b.id).filter((r) => typeof r.pid === 'number').length === 2);
    e.daemon.cancel(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'CANCELED');

    const runs = e.store.listRuns(b.id);
    assert.deepEqual(byStatus(runs, 'CANCELED').length, 10, 'every run is canceled');
    assert.deepEqual(runs.filter((r) => r.error === 'canceled').map(label), ['a 01', 'a 02'], 'the running ones were terminated');
    assert.ok(runs.filter((r) => r.error !== 'canceled').every((r) => r.error === 'canceled before launch'));
    assert.deepEqual(countRuns(runs), { total: 10, queued: 0, inProgress: 0, succeeded: 0, failed: 0, canceled: 10, skipped: 0 });
    const statuses = e.store.partitionStatuses('a');
    // Runs canceled before launch mark the partitions nothing had tried CANCELED, as the runs count; 01 was materialized before and stays so.
    assert.deepEqual(Object.fromEntries(statuses), { '2024-01-01': 'MATERIALIZED', '2024-01-02': 'CANCELED', '2024-01-03': 'CANCELED', '2024-01-04': 'CANCELED', '2024-01-05': 'CANCELED' });
    assert.deepEqual([...e.store.partitionStatuses('b').values()], ['CANCELED', 'CANCELED', 'CANCELED', 'CANCELED', 'CANCELED']);
    assert.deepEqual(partitionStatusCounts(daily, statuses, AT), { total: 6, materialized: 1, failed: 0, canceled: 4, inProgress: 0, missing: 1 });
    const details = backfillDetailsModel(e.store.getBackfill(b.id)!, runs, (t) => e.store.partitionStatuses(t), NOW.getTime());
    assert.equal(details.progress.summary, '0/10 runs succeeded · 10 canceled');
    assert.deepEqual([details.progress.done, details.progress.failed, details.progress.canceled], [10, 0, 10]);
    assert.deepEqual(details.targets.map((t) => [t.target, t.failed, t.canceled, t.skipped]), [['a', 0, 5, 0], ['b', 0, 5, 0]]);
    assert.deepEqual(details.partitions[0]!.statusRuns, [['MATERIALIZED', 1], ['CANCELED', 4]]);
    assert.equal(details.canResume, true);

    f.release();
    await e.daemon.resume(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'COMPLETED_SUCCESS');
    const after = e.store.listRuns(b.id);
    assert.deepEqual(countRuns(after), { total: 10, queued: 0, inProgress: 0, succeeded: 10, failed: 0, canceled: 0, skipped: 0 });
    // a 01 and a 02 started before the cancel and once more after it; everything else started once, after it.
    assert.deepEqual(startsOf(f).sort(), ['a 01', 'a 01', 'a 02', 'a 02', 'a 03', 'a 04', 'a 05', 'b 01', 'b 02', 'b 03', 'b 04', 'b 05']);
    assert.ok([...f.completions().values()].every((n) => n === 1) && f.completions().size === 10, 'every run completed exactly once');
    assert.ok([...e.store.partitionStatuses('a').values(), ...e.store.partitionStatuses('b').values()].every((s) => s === 'MATERIALIZED'));
  });

  test('resume runs the canceled and never-started runs, not the succeeded or failed ones nor those skipped for a failed upstream', async () => {
    const f = new RecordingFolder();
    // 02 fails; 04 and 05 hold their slots until released, so 06 and b's runs wait in the queue when the cancel comes.
    const a = f.target('a', { FAIL_KEYS: '2024-01-02', GATE_KEYS: '2024-01-04,2024-01-05' }, [], daily);
    const e = await engine([a, f.target('b', {}, ['a'], daily)], 2);
    const b = e.daemon.launch(e.plan('2024-01-01', '2024-01-06'));
    const run = (key: string, target = 'a') => e.store.listRuns(b.id).find((r) => r.target === target && r.partitionKey === key)!;
    const started = (key: string) => f.starts().some((s) => s.name === 'a' && s.key === key);
    await until('04 and 05 to be running', () => started('2024-01-04') && started('2024-01-05') && typeof run('2024-01-04').pid === 'number' && typeof run('2024-01-05').pid === 'number');
    e.daemon.cancel(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'CANCELED');

    const runs = e.store.listRuns(b.id);
    assert.deepEqual(byStatus(runs, 'SUCCESS'), ['a 01', 'a 03']);
    assert.deepEqual(byStatus(runs, 'FAILURE'), ['a 02']);
    assert.match(run('2024-01-02', 'b').error!, /^failed upstream: a 2024-01-02 did not succeed/);
    assert.deepEqual(countRuns(runs), { total: 12, queued: 0, inProgress: 0, succeeded: 2, failed: 1, canceled: 8, skipped: 1 });
    assert.deepEqual(Object.fromEntries(e.store.partitionStatuses('a')), {
      '2024-01-01': 'MATERIALIZED', '2024-01-02': 'FAILED', '2024-01-03': 'MATERIALIZED', '2024-01-04': 'CANCELED', '2024-01-05': 'CANCELED', '2024-01-06': 'CANCELED',
    });
    // b 02 was skipped (its upstream failed): never requested, its partition stays missing, as Dagster's.
    assert.equal(e.store.partitionStatuses('b').get('2024-01-02'), undefined);
    const details = backfillDetailsModel(e.store.getBackfill(b.id)!, runs, (t) => e.store.partitionStatuses(t), NOW.getTime());
    assert.equal(details.progress.summary, '2/12 runs succeeded · 1 failed · 8 canceled · 1 skipped (upstream failed)');
    assert.deepEqual(details.partitions[1]!.statusRuns, [['CANCELED', 1], ['MISSING', 1], ['CANCELED', 4]]);

    const before = startsOf(f);
    assert.deepEqual([...before].sort(), ['a 01', 'a 02', 'a 03', 'a 04', 'a 05']);
    f.release();
    await e.daemon.resume(b.id);
    assert.equal((await e.daemon.whenDone(b.id)).status, 'COMPLETED_FAILED', 'the failure stays a failure');
    const again = startsOf(f).slice(before.length).sort();
    assert.deepEqual(again, ['a 04', 'a 05', 'a 06', 'b 01', 'b 03', 'b 04', 'b 05', 'b 06']);
    assert.deepEqual(countRuns(e.store.listRuns(b.id)), { total: 12, queued: 0, inProgress: 0, succeeded: 10, failed: 1, canceled: 0, skipped: 1 });
  });
});
