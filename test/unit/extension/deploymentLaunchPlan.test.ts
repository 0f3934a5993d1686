// What a deployment is asked for from the Launch panel's form: the local plan made into an asset or job backfill
// request (ranges where the keys run on, refusals in the user's words), and the RemoteLaunchPlan put into words.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import type { AssetDefinition, CommandTarget, Definition, JobDefinition } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition, weeklyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { remoteBackfillRequest, remotePlanPreview, RemoteLaunchRefusal } from '../../../src/extension/deploymentLaunchPlan';

const NOW = new Date('2026-12-01T00:00:00Z');
const daily = () => dailyPartitionsDefinition({ start_date: '2026-11-01' });
const at = { file: 'defs.py', line: 1 };
const location = { name: 'analytics', root: '', entryFiles: ['defs.py'] };
const NO_OPTIONS = { tags: {}, title: '', description: '' };

function asset(name: string, deps: string[] = [], partitions = daily()): AssetDefinition {
  return { kind: 'asset', key: [name], group: 'default', location: at, codeLocation: location, partitions, deps: deps.map((d) => ({ key: [d], mapping: null })), backfillPolicy: null };
}

function job(name: string): JobDefinition {
  return { kind: 'job', name, location: at, codeLocation: location, partitions: daily() };
}

function plan(targets: Definition[], selection: Parameters<typeof planBackfill>[1]) {
  return planBackfill(targets, selection, NOW, { reprocess: 'all' });
}

test('assets: every selected asset with the roots\' keys, as one range per asset when the keys run on', () => {
  const assets = [asset('orders'), asset('order_items', ['orders'])];
  const consecutive = plan(assets, { kind: 'range', from: '2026-11-01', to: '2026-11-03' });
  assert.deepEqual(remoteBackfillRequest(consecutive, assets, { tags: { team: 'data' }, title: ' Orders November ', description: '' }), {
    kind: 'asset',
    request: {
      assetKeys: [['orders'], ['order_items']],
      partitionNames: ['2026-11-01', '2026-11-02', '2026-11-03'],
      ranges: [{ assetKey: ['orders'], start: '2026-11-01', end: '2026-11-03' }, { assetKey: ['order_items'], start: '2026-11-01', end: '2026-11-03' }],
      tags: { team: 'data' },
      title: 'Orders November',
    },
  });
  // Keys with a gap are sent by name only.
  const gap = plan(assets, { kind: 'list', keys: ['2026-11-01', '2026-11-03'] });
  const request = remoteBackfillRequest(gap, assets, NO_OPTIONS);
  assert.equal(request.kind, 'asset');
  assert.deepEqual(request.request, { assetKeys: [['orders'], ['order_items']], partitionNames: ['2026-11-01', '2026-11-03'] });
});

test('a job: its name, the keys, and the code location it is in here (settles a job deployed in several)', () => {
  const j = job('orders_job');
  assert.deepEqual(remoteBackfillRequest(plan([j], { kind: 'range', from: '2026-11-01', to: '2026-11-02' }), [j], NO_OPTIONS), {
    kind: 'job', request: { jobName: 'orders_job', partitionNames: ['2026-11-01', '2026-11-02'], locationName: 'analytics' },
  });
});

test('what a deployment cannot run is refused, naming what and why', () => {
  const command: CommandTarget = { kind: 'command', name: 'daily_counts', location: { file: 'backfills.yaml', line: 1 }, partitions: daily(), command: ['true'], cwd: '', env: {}, deps: ['orders'], backfillPolicy: null };
  const withCommand = [asset('orders'), command];
  assert.throws(() => remoteBackfillRequest(plan(withCommand, { kind: 'all' }), withCommand, NO_OPTIONS),
    (e: unknown) => e instanceof RemoteLaunchRefusal && /^daily_counts is a command target of backfills\.yaml: it runs on this machine only\. Choose "This machine"/.test(e.message));
  const mixed = [asset('orders'), asset('weekly_orders', ['orders'], weeklyPartitionsDefinition({ start_date: '2026-11-01' }))];
  assert.throws(() => remoteBackfillRequest(plan(mixed, { kind: 'range', from: '2026-11-02', to: '2026-11-20' }), mixed, NO_OPTIONS),
    (e: unknown) => e instanceof RemoteLaunchRefusal && /must share one partitions definition: orders is daily.*weekly_orders is weekly/.test(e.message));
  const withUnpartitioned = [asset('orders'), { ...asset('lookup', ['orders']), partitions: null }];
  assert.throws(() => remoteBackfillRequest(plan(withUnpartitioned, { kind: 'all' }), withUnpartitioned, NO_OPTIONS),
    (e: unknown) => e instanceof RemoteLaunchRefusal && /^lookup has no partitions/.test(e.message));
});

test('the preview says in words what will be sent, and what the server version cannot take', () => {
  const deployment = { name: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus' as const };
  const assets = [asset('orders'), asset('order_items', ['orders'])];
  const request = remoteBackfillRequest(plan(assets, { kind: 'range', from: '2026-11-01', to: '2026-11-03' }), assets, { tags: { team: 'data' }, title: 'T', description: '' });
  const newer = remotePlanPreview(deployment, request, {
    backfillParams: {
      partitionsByAssets: ['orders', 'order_items'].map((k) => ({ assetKey: { path: [k] }, partitions: { range: { start: '2026-11-01', end: '2026-11-03' } } })),
      tags: [{ key: 'team', value: 'data' }], title: 'T',
    },
    notSent: [],
  });
  assert.deepEqual(newer, {
    deployment: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus', notSent: [],
    asked: [
      { label: 'Assets', value: 'orders, order_items' },
      { label: 'Where', value: 'each asset by its key, in whichever code location of the deployment defines it' },
      { label: 'Partitions', value: '2026-11-01 … 2026-11-03 (3), one range per asset (partitionsByAssets)' },
      { label: 'Tags', value: 'team=data' },
      { label: 'Title', value: 'T' },
    ],
  });
  const many = Array.from({ length: 12 }, (_, i) => `2026-11-${String(i + 1).padStart(2, '0')}`);
  const old = remotePlanPreview(deployment, request, { backfillParams: { assetSelection: [{ path: ['orders'] }], partitionNames: many, tags: [{ key: 'team', value: 'data' }] }, notSent: ['title'] });
  assert.deepEqual(old.asked.find((a) => a.label === 'Partitions'), { label: 'Partitions', value: '2026-11-01, 2026-11-02, 2026-11-03, 2026-11-04, 2026-11-05 … and 7 more (12 by name)' });
  assert.deepEqual(old.notSent, ['title (this Dagster version has no backfill titles)']);
});
