// One story in words: every backfill, run and partition status has one word and colour on every face, paused reads
// Paused, and Resume is offered only where BackfillDaemon.resume can act.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canResumeBackfill, isPausedBackfill, isRunningBackfill, type BackfillCounts, type BackfillRecord } from '../../../src/core/backfill/backfill';
import { backfillStatusLabel, partitionStatusLabel, runStatusLabel } from '../../../src/core/backfill/backfillStatusLabel';
import { backfillOutcomeMessage } from '../../../src/core/backfill/runCountsSummary';

const BULK_ACTION_STATUSES = ['REQUESTED', 'CANCELING', 'CANCELED', 'FAILING', 'FAILED', 'COMPLETED', 'COMPLETED_SUCCESS', 'COMPLETED_FAILED'];
const RUN_STATUSES = ['QUEUED', 'NOT_STARTED', 'STARTING', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED'];

test("backfill statuses read as Dagster's UI words them, with its colours", () => {
  const words = Object.fromEntries(BULK_ACTION_STATUSES.map((s) => [s, [backfillStatusLabel(s).label, backfillStatusLabel(s).tone]]));
  assert.deepEqual(words, {
    REQUESTED: ['In progress', 'inProgress'],
    CANCELING: ['Canceling', 'canceling'],
    CANCELED: ['Canceled', 'canceled'],
    FAILING: ['Failing', 'failed'],
    FAILED: ['Failed', 'failed'],
    COMPLETED: ['Success', 'success'],
    COMPLETED_SUCCESS: ['Success', 'success'],
    COMPLETED_FAILED: ['Failed', 'failed'],
  });
  assert.deepEqual(backfillStatusLabel('REQUESTED', true), { label: 'Paused', tone: 'paused', detail: 'paused: nothing new starts until it is resumed' });
  assert.equal(backfillStatusLabel('CANCELED', true).label, 'Canceled', 'only a REQUESTED backfill can be paused');
});

test('run statuses read Queued, In progress, Success, Failed, Canceling, Canceled', () => {
  assert.deepEqual(RUN_STATUSES.map((s) => runStatusLabel(s).label), ['Queued', 'Queued', 'In progress', 'In progress', 'Success', 'Failed', 'Canceling', 'Canceled']);
  assert.deepEqual(RUN_STATUSES.map((s) => runStatusLabel(s).tone), ['queued', 'queued', 'inProgress', 'inProgress', 'success', 'failed', 'canceling', 'canceled']);
  assert.deepEqual(['MATERIALIZED', 'FAILED', 'IN_PROGRESS', 'CANCELED', 'MISSING'].map(partitionStatusLabel), ['Materialized', 'Failed', 'In progress', 'Canceled', 'Missing']);
});

test('no status, known or not, is ever shown as a raw enum', () => {
  const shown = [...BULK_ACTION_STATUSES.map((s) => backfillStatusLabel(s).label), ...RUN_STATUSES.map((s) => runStatusLabel(s).label), backfillStatusLabel('SOME_NEW_STATUS').label, runStatusLabel('MANAGED').label, partitionStatusLabel('SOME_NEW')];
  for (const word of shown) assert.doesNotMatch(word, /^[A-Z_]{2,}$|_/, word);
  assert.equal(backfillStatusLabel('SOME_NEW_STATUS').label, 'Some new status');
});

test('the end-of-backfill toast says the badge word, never "completed failed"', () => {
  const c: BackfillCounts = { total: 5, queued: 0, inProgress: 0, succeeded: 3, failed: 1, canceled: 1, skipped: 0 };
  assert.equal(backfillOutcomeMessage({ id: 'abcdefgh', status: 'COMPLETED_FAILED' }, c), 'Backfill abcdefgh: Failed. 3/5 runs succeeded · 1 failed · 1 canceled.');
  assert.equal(backfillOutcomeMessage({ id: 'abcdefgh', status: 'CANCELED' }, c), 'Backfill abcdefgh: Canceled. 3/5 runs succeeded · 1 failed · 1 canceled.');
  assert.equal(backfillOutcomeMessage({ id: 'abcdefgh', status: 'COMPLETED_SUCCESS' }, { ...c, succeeded: 5, failed: 0, canceled: 0 }), 'Backfill abcdefgh: Success. 5/5 runs succeeded.');
});

test('paused is not running; Resume is offered only where it can act', () => {
  const b = (status: BackfillRecord['status'], pausedAt: number | null = null) => ({ status, pausedAt });
  const c = (over: Partial<BackfillCounts>): BackfillCounts => ({ total: 4, queued: 0, inProgress: 0, succeeded: 2, failed: 1, canceled: 0, skipped: 1, ...over });
  assert.deepEqual([isPausedBackfill(b('REQUESTED', 5)), isRunningBackfill(b('REQUESTED', 5)), isRunningBackfill(b('REQUESTED')), isRunningBackfill(b('CANCELING'))], [true, false, true, true]);
  assert.equal(isRunningBackfill(b('CANCELED')), false);
  assert.equal(canResumeBackfill(b('REQUESTED', 5), c({ queued: 1 })), true, 'paused');
  assert.equal(canResumeBackfill(b('REQUESTED'), c({ queued: 1 })), false, 'running: nothing to resume');
  assert.equal(canResumeBackfill(b('CANCELED'), c({ canceled: 1 })), true, 'canceled runs to launch again');
  assert.equal(canResumeBackfill(b('FAILED'), c({ canceled: 2 })), true, 'stopped at its failure limit');
  assert.equal(canResumeBackfill(b('CANCELED'), c({})), false, 'only failed and skipped runs: resume retries neither');
  assert.equal(canResumeBackfill(b('COMPLETED_FAILED'), c({ canceled: 1 })), false, 'resume refuses a completed backfill: Re-execute is its action');
  assert.equal(canResumeBackfill(b('COMPLETED_SUCCESS'), c({ failed: 0, succeeded: 3 })), false);
});
