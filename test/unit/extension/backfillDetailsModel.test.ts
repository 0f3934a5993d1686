// Details and overview models: failures grouped by first error line, skipped counts and which actions apply.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { backfillDetailsModel, failureGroups } from '../../../src/extension/panels/backfillDetailsModel';
import { backfillsOverviewModel } from '../../../src/extension/panels/backfillsOverviewModel';

function run(i: number, status: RunRecord['status'], error: string | null = null): RunRecord {
  return { id: `r${i}`, backfillId: 'abcdefgh', target: 't', partitionKey: `2024-01-0${i}`, status, createdAt: 0, startedAt: 0, endedAt: 1000, exitCode: null, error };
}

const record: BackfillRecord = { id: 'abcdefgh', status: 'COMPLETED_FAILED', targets: ['t'], partitionCount: 5, origin: 'extension', createdAt: 0, endedAt: 5000, selection: '2024-01-01...2024-01-05' };

test('failures group by the first line of their error, largest group first', () => {
  const runs = [run(1, 'FAILURE', 'KeyError: x\n  at line 1'), run(2, 'FAILURE', 'timeout'), run(3, 'FAILURE', 'KeyError: x\n  at line 9'), run(4, 'SUCCESS'), run(5, 'CANCELED', 'failed upstream')];
  assert.deepEqual(failureGroups(runs), [
    { error: 'KeyError: x', count: 2, partitions: ['2024-01-01', '2024-01-03'], sampleRunId: 'r1' },
    { error: 'timeout', count: 1, partitions: ['2024-01-02'], sampleRunId: 'r2' },
  ]);
  const model = backfillDetailsModel(record, runs, () => new Map(), 10_000);
  assert.equal(model.targets[0]!.skipped, 1);
  assert.deepEqual([model.canCancel, model.canResume, model.canReexecute, model.canReexecuteFromFailure], [false, false, true, true]);
  const canceled = backfillDetailsModel({ ...record, status: 'CANCELED' }, runs, () => new Map(), 10_000);
  assert.equal(canceled.canResume, true);
  const running = backfillDetailsModel({ ...record, status: 'REQUESTED', endedAt: null }, runs, () => new Map(), 10_000);
  assert.deepEqual([running.canCancel, running.canResume, running.canReexecute], [true, false, false]);
});

test('the overview has one row per backfill with progress in words', () => {
  const runs = [run(1, 'FAILURE', 'boom'), run(2, 'SUCCESS'), run(3, 'STARTED')];
  const model = backfillsOverviewModel([{ ...record, parentId: 'zzzzzzzz' }], () => runs, 10_000);
  assert.equal(model.backfills.length, 1);
  const row = model.backfills[0]!;
  assert.deepEqual([row.backfillId, row.status, row.statusTone, row.progress, row.duration, row.parentId], ['abcdefgh', 'COMPLETED_FAILED', 'failed', '1/3 runs · 1 failed · 1 running', '5.0s', 'zzzzzzzz']);
});
