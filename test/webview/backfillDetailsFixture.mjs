// Backfill details models for the browser tests, built the way the host formats them.
import { encodePartitionKeyList } from './partitionKeyListCodec.mjs';
import { encodeStatusRunsForTest } from './statusRuns.mjs';

export function dailyKeys(count, start = '2024-01-01') {
  const first = Date.parse(`${start}T00:00:00Z`);
  return Array.from({ length: count }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));
}

/**
 * daily_counts over January 2024 (27 materialized, 1 failed, 2 in progress, 1 missing) and weekly_rollup over
 * five weeks. `statuses` overrides daily_counts' per-key statuses (CANCELED ones are canceled runs).
 */
export function backfillDetailsModel({ statuses, canCancel = true, backfillId = 'bf_20240201_a1b2c3' } = {}) {
  const keys = dailyKeys(31);
  const daily = statuses ?? keys.map((_, i) => (i === 14 ? 'FAILED' : i === 28 || i === 29 ? 'IN_PROGRESS' : i === 30 ? 'MISSING' : 'MATERIALIZED'));
  const count = (s) => daily.filter((x) => x === s).length;
  const weeklyKeys = ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29'];
  const weekly = ['MATERIALIZED', 'MATERIALIZED', 'MISSING', 'MISSING', 'MISSING'];
  const runs = keys.map((key, i) => ({
    runId: `run_${String(i).padStart(4, '0')}`,
    target: 'daily_counts',
    partitionKey: key,
    status: { MATERIALIZED: 'SUCCESS', FAILED: 'FAILURE', CANCELED: 'CANCELED', IN_PROGRESS: 'STARTED', MISSING: 'QUEUED' }[daily[i]],
    // Worded as the host's runStatusLabel words them.
    statusLabel: { MATERIALIZED: 'Success', FAILED: 'Failed', CANCELED: 'Canceled', IN_PROGRESS: 'In progress', MISSING: 'Queued' }[daily[i]],
    statusTone: { MATERIALIZED: 'success', FAILED: 'failed', CANCELED: 'canceled', IN_PROGRESS: 'inProgress', MISSING: 'queued' }[daily[i]],
    duration: daily[i] === 'MISSING' ? '' : `${(1 + (i % 7) * 0.3).toFixed(1)}s`,
    error: daily[i] === 'FAILED' ? 'subprocess exited with code 1: KeyError: \'event_date\' in pipelines/daily_counts.py line 42' : null,
    runUrl: null,
  }));
  const done = count('MATERIALIZED') + count('FAILED') + count('CANCELED');
  // Worded as the host's runCountsSummary words them.
  const summary = [`${count('MATERIALIZED')}/31 runs succeeded`, ...[['FAILED', 'failed'], ['CANCELED', 'canceled'], ['IN_PROGRESS', 'running'], ['MISSING', 'queued']]
    .filter(([s]) => count(s) > 0).map(([s, word]) => `${count(s)} ${word}`)].join(' · ');
  return {
    backfillId,
    status: canCancel ? 'REQUESTED' : 'CANCELED',
    // Worded as the host's backfillStatusLabel words them.
    statusLabel: canCancel ? 'In progress' : 'Canceled',
    statusDetail: canCancel ? 'runs are being launched' : 'canceled before every run ended',
    statusTone: canCancel ? 'inProgress' : 'canceled',
    title: 'daily_counts, weekly_rollup · 2024-01-01 … 2024-01-31',
    createdAt: 'Feb 1, 2024, 09:15:02',
    duration: '4m 12s',
    progress: {
      total: 31, done, succeeded: count('MATERIALIZED'), failed: count('FAILED'), canceled: count('CANCELED'), skipped: 0, inProgress: count('IN_PROGRESS'), queued: count('MISSING'), summary,
    },
    targets: [
      { target: 'daily_counts', targeted: 31, inProgress: count('IN_PROGRESS'), materialized: count('MATERIALIZED'), failed: count('FAILED'), canceled: count('CANCELED'), queued: count('MISSING'), skipped: 0 },
      { target: 'weekly_rollup', targeted: 5, inProgress: 0, materialized: 2, failed: 0, canceled: 0, queued: 3, skipped: 0 },
    ],
    partitions: [
      { target: 'daily_counts', keys: encodePartitionKeyList(keys), statusRuns: encodeStatusRunsForTest(daily) },
      { target: 'weekly_rollup', keys: encodePartitionKeyList(weeklyKeys), statusRuns: encodeStatusRunsForTest(weekly) },
    ],
    runs,
    canCancel,
    failureGroups: failureGroupsOf(runs),
    canResume: !canCancel,
    canReexecute: !canCancel,
    canReexecuteFromFailure: !canCancel,
    error: null,
    remote: null,
  };
}

/** Groups failed runs by error as the host does (backfillDetailsModel.failureGroups), largest group first. */
export function failureGroupsOf(runs) {
  const groups = new Map();
  for (const r of runs) {
    if (r.status !== 'FAILURE') continue;
    const g = groups.get(r.error) ?? { error: r.error, count: 0, partitions: [], sampleRunId: r.runId, sampleRunUrl: r.runUrl ?? null };
    g.count++;
    g.partitions.push(r.partitionKey);
    groups.set(r.error, g);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count);
}

/** `count` hourly keys from 2014-01-01-00:00, as Dagster names hourly partitions. */
export function hourlyKeys(count) {
  const first = Date.UTC(2014, 0, 1);
  return Array.from({ length: count }, (_, i) => new Date(first + i * 3_600_000).toISOString().slice(0, 16).replace('T', '-'));
}

export const REMOTE_BASE = 'https://acme.dagster.cloud/prod';

/**
 * A job backfill on Dagster deployment "prod" (as the host builds it from partitionBackfillOrError): 10 daily
 * partitions, 6 succeeded, 1 failed, 2 running, 1 not launched; runs link to the Dagster UI. `followError` is a failed last look.
 */
export function remoteBackfillDetailsModel({ followError = null } = {}) {
  const keys = dailyKeys(10, '2026-11-01');
  const statuses = keys.map((_, i) => (i < 6 ? 'MATERIALIZED' : i === 6 ? 'FAILED' : i < 9 ? 'IN_PROGRESS' : 'MISSING'));
  const words = { MATERIALIZED: ['SUCCESS', 'Success', 'success'], FAILED: ['FAILURE', 'Failed', 'failed'], IN_PROGRESS: ['STARTED', 'In progress', 'inProgress'] };
  const runs = keys.slice(0, 9).map((key, i) => {
    const [status, statusLabel, statusTone] = words[statuses[i]];
    const runId = `b2000000-0000-4000-8000-00000000000${i}`;
    return { runId, target: 'orders_job', partitionKey: key, status, statusLabel, statusTone, duration: i < 7 ? `${12 + i}.0s` : '', error: null, runUrl: `${REMOTE_BASE}/runs/${runId}` };
  });
  return {
    backfillId: 'qwertyui',
    status: 'REQUESTED',
    statusLabel: 'In progress',
    statusDetail: 'runs are being launched (on prod)',
    statusTone: 'inProgress',
    title: 'orders_job · 2026-11-01...2026-11-10',
    createdAt: 'Nov 23, 2026, 09:15:02',
    duration: '2m 40s',
    progress: { total: 10, done: 7, succeeded: 6, failed: 1, canceled: 0, skipped: 0, inProgress: 2, queued: 1, summary: '6/10 runs succeeded · 1 failed · 2 running · 1 queued' },
    targets: [{ target: 'orders_job', targeted: 10, inProgress: 2, materialized: 6, failed: 1, canceled: 0, queued: 1, skipped: 0 }],
    partitions: [{ target: 'orders_job', keys: encodePartitionKeyList(keys), statusRuns: encodeStatusRunsForTest(statuses) }],
    runs,
    canCancel: true,
    failureGroups: [{ error: "Failed on prod: the error is on the run's page in the Dagster UI.", count: 1, partitions: ['2026-11-07'], sampleRunId: runs[6].runId, sampleRunUrl: runs[6].runUrl }],
    error: null,
    canResume: false,
    canReexecute: false,
    canReexecuteFromFailure: false,
    remote: { deployment: 'prod', deploymentUrl: `${REMOTE_BASE}/`, dagsterBackfillId: 'nwjobbkf', checkedAt: '09:17:42', followError, partitionsNote: null },
  };
}
