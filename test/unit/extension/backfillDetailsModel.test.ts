// Details and overview models: failures grouped by first error line, canceled and skipped counts and which actions apply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { backfillDetailsModel, failureGroups } from '../../../src/extension/panels/backfillDetailsModel';
import { recordBulkActionStatus } from '../../../src/core/deployment/remoteBackfills';
import { buildBackfillsOverviewModel } from '../../../src/extension/panels/buildBackfillsOverviewModel';

function run(i: number, status: RunRecord['status'], error: string | null = null): RunRecord {
  return { id: `r${i}`, backfillId: 'abcdefgh', target: 't', partitionKey: `2024-01-0${i}`, status, createdAt: 0, startedAt: 0, endedAt: 1000, exitCode: null, error };
}

const record: BackfillRecord = { id: 'abcdefgh', status: 'COMPLETED_FAILED', targets: ['t'], partitionCount: 5, origin: 'extension', createdAt: 0, endedAt: 5000, selection: '2024-01-01...2024-01-05' };

test('failures group by the first line of their error, largest group first', () => {
  const skipped = { ...run(5, 'CANCELED', 'failed upstream: t 2024-01-01 did not succeed; not launched'), startedAt: null };
  const runs = [run(1, 'FAILURE', 'KeyError: x\n  at line 1'), run(2, 'FAILURE', 'timeout'), run(3, 'FAILURE', 'KeyError: x\n  at line 9'), run(4, 'SUCCESS'), skipped];
  assert.deepEqual(failureGroups(runs), [
    { error: 'KeyError: x', count: 2, partitions: ['2024-01-01', '2024-01-03'], sampleRunId: 'r1', sampleRunUrl: null },
    { error: 'timeout', count: 1, partitions: ['2024-01-02'], sampleRunId: 'r2', sampleRunUrl: null },
  ]);
  const model = backfillDetailsModel(record, runs, () => new Map(), 10_000);
  assert.deepEqual([model.targets[0]!.skipped, model.targets[0]!.canceled], [1, 0], 'a run never launched because its upstream failed is skipped, not canceled');
  assert.deepEqual([model.canCancel, model.canResume, model.canReexecute, model.canReexecuteFromFailure], [false, false, true, true]);
  // Resume acts only where something is left to launch: a canceled run here, not a failed or skipped one (resumeSteps).
  assert.equal(backfillDetailsModel({ ...record, status: 'CANCELED' }, runs, () => new Map(), 10_000).canResume, false);
  const canceled = backfillDetailsModel({ ...record, status: 'CANCELED' }, [...runs, run(6, 'CANCELED', 'canceled')], () => new Map(), 10_000);
  assert.equal(canceled.canResume, true);
  const running = backfillDetailsModel({ ...record, status: 'REQUESTED', endedAt: null }, runs, () => new Map(), 10_000);
  assert.deepEqual([running.canCancel, running.canResume, running.canReexecute], [true, false, false]);
});

test('an untrusted workspace offers no Cancel, Resume or Re-execute: each would start or signal a process', () => {
  const runs = [run(1, 'FAILURE', 'boom'), run(2, 'SUCCESS')];
  for (const status of ['REQUESTED', 'CANCELED', 'COMPLETED_FAILED'] as const) {
    const m = backfillDetailsModel({ ...record, status }, runs, () => new Map(), 10_000, { untrusted: true });
    assert.deepEqual([m.canCancel, m.canResume, m.canReexecute, m.canReexecuteFromFailure], [false, false, false, false], status);
  }
  const trusted = backfillDetailsModel({ ...record, status: 'REQUESTED', endedAt: null }, runs, () => new Map(), 10_000, { untrusted: false });
  assert.equal(trusted.canCancel, true);
});

test('the overview has one row per backfill with progress in words', () => {
  const runs = [run(1, 'FAILURE', 'boom'), run(2, 'SUCCESS'), run(3, 'STARTED')];
  const model = buildBackfillsOverviewModel([{ ...record, parentId: 'zzzzzzzz' }], () => runs, 10_000, recordBulkActionStatus);
  assert.equal(model.backfills.length, 1);
  const row = model.backfills[0]!;
  assert.deepEqual([row.backfillId, row.status, row.statusLabel, row.statusTone, row.progress, row.duration, row.parentId], ['abcdefgh', 'COMPLETED_FAILED', 'Failed', 'failed', '1/3 runs · 1 failed · 1 running', '5.0s', 'zzzzzzzz']);
});

test('canceled runs are their own count, segment and partition colour: not done successfully, not failed', () => {
  const canceledRun = { ...run(2, 'CANCELED', 'canceled'), endedAt: 900 };
  const beforeLaunch = { ...run(3, 'CANCELED', 'canceled before launch'), startedAt: null };
  const materializedBefore = { ...run(4, 'CANCELED', 'canceled'), endedAt: 900 };
  const upstream = { ...run(5, 'CANCELED', 'failed upstream: u 2024-01-05 did not succeed; not launched'), startedAt: null };
  const runs = [run(1, 'SUCCESS'), canceledRun, beforeLaunch, materializedBefore, upstream];
  const stored = new Map([['2024-01-01', 'MATERIALIZED'], ['2024-01-02', 'CANCELED'], ['2024-01-04', 'MATERIALIZED']] as const);
  const model = backfillDetailsModel({ ...record, status: 'CANCELED' }, runs, () => new Map(stored), 10_000);
  assert.deepEqual(model.progress, { total: 5, done: 5, succeeded: 1, failed: 0, canceled: 3, skipped: 1, inProgress: 0, queued: 0, summary: '1/5 runs succeeded · 3 canceled · 1 skipped (upstream failed)' });
  assert.deepEqual(model.targets[0], { target: 't', targeted: 5, inProgress: 0, materialized: 1, failed: 0, canceled: 3, queued: 0, skipped: 1 });
  // 04 was materialized before its run was canceled: it still is. 05 never ran here.
  assert.deepEqual(model.partitions[0]!.statusRuns, [['MATERIALIZED', 1], ['CANCELED', 2], ['MATERIALIZED', 1], ['MISSING', 1]]);
  assert.deepEqual(model.failureGroups, []);
  const row = buildBackfillsOverviewModel([{ ...record, status: 'CANCELED' }], () => runs, 10_000, recordBulkActionStatus).backfills[0]!;
  assert.equal(row.progress, '1/5 runs · 3 canceled · 1 skipped (upstream failed)');
});

test('a paused backfill reads Paused, offers Resume and Cancel, and its duration stops at the pause', () => {
  const runs = [run(1, 'SUCCESS'), { ...run(2, 'QUEUED'), startedAt: null, endedAt: null }];
  const paused: BackfillRecord = { ...record, status: 'REQUESTED', endedAt: null, pausedAt: 4_000 };
  const m = backfillDetailsModel(paused, runs, () => new Map(), 100_000);
  assert.deepEqual([m.status, m.statusLabel, m.statusTone], ['REQUESTED', 'Paused', 'paused']);
  assert.deepEqual([m.canCancel, m.canResume, m.canReexecute], [true, true, false]);
  assert.equal(m.duration, '4.0s', 'time stops at the pause');
  assert.equal(backfillDetailsModel(paused, runs, () => new Map(), 900_000).duration, '4.0s');
  assert.deepEqual(m.runs.map((r) => [r.statusLabel, r.statusTone]), [['Success', 'success'], ['Queued', 'queued']]);
  const resumed = backfillDetailsModel({ ...paused, pausedAt: null }, runs, () => new Map(), 100_000);
  assert.deepEqual([resumed.statusLabel, resumed.statusTone, resumed.canResume, resumed.duration], ['In progress', 'inProgress', false, '1m 40s']);
  const row = buildBackfillsOverviewModel([paused], () => runs, 100_000, recordBulkActionStatus).backfills[0]!;
  assert.deepEqual([row.statusLabel, row.statusTone, row.duration], ['Paused', 'paused', '4.0s']);
});

test('a COMPLETED_FAILED backfill offers Re-execute, never Resume (which always refuses it)', () => {
  const runs = [run(1, 'FAILURE', 'boom'), run(2, 'SUCCESS'), run(3, 'CANCELED', 'canceled')];
  const m = backfillDetailsModel(record, runs, () => new Map(), 10_000);
  assert.deepEqual([m.statusLabel, m.statusTone, m.canResume, m.canReexecute, m.canReexecuteFromFailure], ['Failed', 'failed', false, true, true]);
});

test("a backfill on a Dagster deployment reads Dagster's status (FAILING is Failing) and is marked with the deployment's name", () => {
  const remote: BackfillRecord = { ...record, status: 'REQUESTED', endedAt: null, remote: { deployment: 'prod', url: 'http://127.0.0.1:3000', kind: 'oss', backfillId: 'nwasbkfl', status: 'FAILING' } };
  const row = buildBackfillsOverviewModel([remote, record], () => [], 10_000, recordBulkActionStatus).backfills;
  assert.deepEqual(row.map((r) => [r.statusLabel, r.progress, r.deployment]), [['Failing', 'on prod', 'prod'], ['Failed', '0/0 runs', null]]);
});
