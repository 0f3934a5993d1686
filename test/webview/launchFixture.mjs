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
    reprocess: 'failed-and-missing', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', runOn: '', title: '', description: '', ...overrides,
  };
}

/** daily_counts from 2024-01-01 over `count` days: the first 20 materialized, one failed, the rest missing. */
export function launchTargetModel({ count = 60, form = launchForm(), prefillId = 0, dynamicPartitionsName = null, deployments = [] } = {}) {
  const keys = dailyKeys(count);
  const statuses = keys.map((_, i) => (i < 20 ? 'MATERIALIZED' : i === 20 ? 'FAILED' : 'MISSING'));
  return {
    target: 'daily_counts', kind: 'command', partitionsDescription: 'daily from 2024-01-01', keys: encodePartitionKeyList(keys), statusRuns: encodeStatusRunsForTest(statuses),
    policy: 'one run per partition', downstream: ['weekly_rollup'], notLaunchable: null, dynamicPartitionsName, statusSource: "Statuses: this project's runs only. Dagster's statuses are not shown because the workspace has no Dagster assets or jobs.", defaultConcurrency: 4, deployments, form, prefillId,
  };
}

export function planPreview(requestId, { runCount = 40, launchBlockedBy = null, planId = `plan${runCount}` } = {}) {
  return {
    ok: true, requestId, planId, runCount, partitionCount: runCount, selection: 'all partitions',
    targets: [{ target: 'daily_counts', partitions: runCount, runs: runCount, span: runCount ? '2024-01-21...2024-02-29' : '' }],
    skipped: [{ target: 'daily_counts', count: 20, reason: 'already materialized', ranges: '2024-01-01...2024-01-20' }],
    launchBlockedBy, remote: null,
  };
}

/** The two deployments the "Run on" tests configure. */
export const DEPLOYMENTS = [
  { name: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus' },
  { name: 'staging', url: 'http://127.0.0.1:3000', kind: 'oss' },
];

/** What the host previews for a launch on `prod` of three daily partitions of two assets, on a 1.2-era server. */
export function remotePlanPreview(requestId, { deployment = 'prod', planId = 'rprod3', launchBlockedBy = null } = {}) {
  const d = DEPLOYMENTS.find((x) => x.name === deployment);
  return {
    ok: true, requestId, planId, runCount: 0, partitionCount: 3, selection: '2024-01-01...2024-01-03', targets: [], skipped: [], launchBlockedBy,
    remote: {
      deployment: d.name, url: d.url, kind: d.kind,
      asked: [
        { label: 'Assets', value: 'raw_events, events' },
        { label: 'Where', value: 'each asset by its key, in whichever code location of the deployment defines it' },
        { label: 'Partitions', value: '2024-01-01, 2024-01-02, 2024-01-03 (3 by name)' },
        { label: 'Tags', value: 'team=data' },
      ],
      notSent: ['title (this Dagster version has no backfill titles)'],
    },
  };
}
