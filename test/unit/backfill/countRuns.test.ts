// The one derivation of run counts: canceled runs are canceled, runs never launched for a failed upstream are skipped, and every face words them alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { countRuns, endedRuns, isSkippedUpstreamFailed, isWaitingForRetry, UPSTREAM_FAILED_ERROR_PREFIX, type RunRecord } from '../../../src/core/backfill/backfill';
import { runCountsPhrases, runCountsSummary } from '../../../src/core/backfill/runCountsSummary';

function run(status: RunRecord['status'], error: string | null = null, startedAt: number | null = 1): RunRecord {
  return { id: `r${Math.random()}`, backfillId: 'abcdefgh', target: 't', partitionKey: 'k', status, createdAt: 0, startedAt, endedAt: null, exitCode: null, error };
}

const upstreamFailed = () => run('CANCELED', `${UPSTREAM_FAILED_ERROR_PREFIX}a 2024-01-01 did not succeed; not launched`, null);

test('only a never-started CANCELED run whose error names a failed upstream is skipped', () => {
  assert.equal(isSkippedUpstreamFailed(upstreamFailed()), true);
  assert.equal(isSkippedUpstreamFailed(run('CANCELED', 'canceled')), false, 'terminated by a cancel');
  assert.equal(isSkippedUpstreamFailed(run('CANCELED', 'canceled before launch', null)), false);
  assert.equal(isSkippedUpstreamFailed(run('CANCELED', 'canceled: the backfill stopped after 2 failed runs (stop after 2 failures)', null)), false);
  assert.equal(isSkippedUpstreamFailed(run('FAILURE', `${UPSTREAM_FAILED_ERROR_PREFIX}x`, null)), false);
});

test('countRuns: every run counts once; canceled and skipped are apart from failed', () => {
  const runs = [run('QUEUED', null, null), run('STARTED'), run('CANCELING'), run('SUCCESS'), run('FAILURE'), run('CANCELED', 'canceled'), run('CANCELED', 'canceled before launch', null), upstreamFailed()];
  const c = countRuns(runs);
  assert.deepEqual(c, { total: 8, queued: 1, inProgress: 2, succeeded: 1, failed: 1, canceled: 2, skipped: 1 });
  assert.equal(endedRuns(c), 5);
});

test('the wording: succeeded of total, then failed, canceled, skipped, running, queued when there are any', () => {
  const c = { total: 1005, queued: 3, inProgress: 2, succeeded: 4, failed: 1, canceled: 9, skipped: 986 };
  assert.equal(runCountsSummary(c), '4/1,005 runs · 1 failed · 9 canceled · 986 skipped (upstream failed) · 2 running · 3 queued');
  assert.equal(runCountsSummary(c, { inFlight: false, succeededWord: true }), '4/1,005 runs succeeded · 1 failed · 9 canceled · 986 skipped (upstream failed)');
  assert.deepEqual(runCountsPhrases({ ...c, failed: 0, skipped: 0, queued: 0 }), ['9 canceled', '2 running']);
  assert.equal(runCountsSummary({ total: 3, queued: 0, inProgress: 0, succeeded: 3, failed: 0, canceled: 0, skipped: 0 }), '3/3 runs');
});

test('a run waiting for its retry counts failed (its partitions read FAILED meanwhile), not queued', () => {
  const waiting = { ...run('QUEUED', 'boom', null), attempt: 2, retryDueAt: 60_000 };
  assert.equal(isWaitingForRetry(waiting), true);
  assert.equal(isWaitingForRetry(run('QUEUED', null, null)), false);
  assert.deepEqual(countRuns([waiting, run('QUEUED', null, null), run('SUCCESS')]), { total: 3, queued: 1, inProgress: 0, succeeded: 1, failed: 1, canceled: 0, skipped: 0 });
});
