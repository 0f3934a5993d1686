// Launch panel view models for the browser tests, shaped as the host's LaunchPanel builds them.
import { dailyKeys } from './backfillDetailsFixture.mjs';
import { encodePartitionKeyList } from './partitionKeyListCodec.mjs';
import { encodeStatusRunsForTest } from './statusRuns.mjs';

/** The form as the host opens a panel that nothing prefilled (defaultLaunchForm): no partitions chosen, Missing only. */
export function defaultForm(overrides = {}) {
  return launchForm({ partitionMode: 'none', reprocess: 'missing', ...overrides });
}

/** A prefilled form (all partitions, failed and missing), as a caller passing `partitions` might open it. */
export function launchForm(overrides = {}) {
  return {
    target: 'daily_counts', includeDownstream: false, partitionMode: 'all', rangeFrom: '', rangeTo: '', latestCount: '7', selectionText: '',
    reprocess: 'failed-and-missing', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', ...overrides,
  };
}

/** daily_counts from 2024-01-01 over `count` days: the first 20 materialized, one failed, the rest missing. */
export function launchTargetModel({ count = 60, form = launchForm(), prefillId = 0, dynamicPartitionsName = null } = {}) {
  const keys = dailyKeys(count);
  const statuses = keys.map((_, i) => (i < 20 ? 'MATERIALIZED' : i === 20 ? 'FAILED' : 'MISSING'));
  return {
    target: 'daily_counts', kind: 'command', partitionsDescription: 'daily from 2024-01-01', keys: encodePartitionKeyList(keys), statusRuns: encodeStatusRunsForTest(statuses),
    policy: 'one run per partition', downstream: ['weekly_rollup'], notLaunchable: null, dynamicPartitionsName, statusSource: "Statuses: this project's runs only. Dagster's statuses are not shown because the workspace has no Dagster assets or jobs.", defaultConcurrency: 4, form, prefillId,
  };
}

export function planPreview(requestId, { runCount = 40, launchBlockedBy = null, planId = `plan${runCount}` } = {}) {
  return {
    ok: true, requestId, planId, runCount, partitionCount: runCount, selection: 'all partitions',
    targets: [{ target: 'daily_counts', partitions: runCount, runs: runCount, span: runCount ? '2024-01-21...2024-02-29' : '' }],
    skipped: [{ target: 'daily_counts', count: 20, reason: 'already materialized', ranges: '2024-01-01...2024-01-20' }],
    launchBlockedBy,
  };
}
