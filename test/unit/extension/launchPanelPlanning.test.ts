// The launch panel's host logic without VS Code: form to plan request, plan to preview, prefills and option mapping.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { launchOptionsFromForm } from '../../../src/extension/panels/launchOptionsFromForm';
import { fieldOfPlanError, LaunchFormError, planPreviewModel, planRequestOf } from '../../../src/extension/panels/launchPlanPreview';
import { prefillOfPartitions, selectionTextOfKeys } from '../../../src/extension/panels/launchPrefill';
import type { LaunchFormValues } from '../../../src/shared/launchForm';

const NOW = new Date('2024-03-01T00:00:00Z');

function target(name: string, deps: string[] = []): CommandTarget {
  return { kind: 'command', name, location: { file: 'backfills.yaml', line: 1 }, partitions: dailyPartitionsDefinition({ start_date: '2024-01-01' }), command: ['true'], cwd: '', env: {}, deps, backfillPolicy: null };
}

function form(over: Partial<LaunchFormValues> = {}): LaunchFormValues {
  return { target: 'daily', includeDownstream: false, partitionMode: 'all', rangeFrom: '', rangeTo: '', latestCount: '7', selectionText: '', reprocess: 'all', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', runOn: '', title: '', description: '', ...over };
}

test('the form becomes the planner request: modes, Dagster selection text and downstream', () => {
  assert.deepEqual(planRequestOf(form()), { targets: ['daily'], selection: { kind: 'all' }, reprocess: 'all' });
  assert.deepEqual(planRequestOf(form({ partitionMode: 'latest', latestCount: ' 3 ', includeDownstream: true, reprocess: 'missing' })), { targets: ['daily*'], selection: { kind: 'latest', count: 3 }, reprocess: 'missing' });
  assert.deepEqual(planRequestOf(form({ partitionMode: 'range', rangeFrom: '2024-01-01 ', rangeTo: '2024-01-05' })).selection, { kind: 'range', from: '2024-01-01', to: '2024-01-05' });
  assert.deepEqual(planRequestOf(form({ partitionMode: 'selection', selectionText: '[2024-01-01...2024-01-03], "2024-02-01"' })).selection, {
    kind: 'union', parts: [{ kind: 'range', from: '2024-01-01', to: '2024-01-03' }, { kind: 'list', keys: ['2024-02-01'] }],
  });
  assert.throws(() => planRequestOf(form({ partitionMode: 'selection', selectionText: '[2024-01-01...2024-01-03' })), (e: unknown) => e instanceof LaunchFormError && e.field === 'selectionText' && /unclosed \[ at column 1/.test(e.message));
});

test('planner errors land beside the field they are about', () => {
  const f = form({ partitionMode: 'range', rangeFrom: '2024-01-01', rangeTo: '2024-13-01' });
  assert.equal(fieldOfPlanError(f, 'daily: partition "2024-13-01" is not a partition of daily'), 'rangeTo');
  assert.equal(fieldOfPlanError(f, 'daily: the range 2024-01-01...2024-13-01 ends before it starts'), 'rangeFrom');
  assert.equal(fieldOfPlanError(form(), 'select at least one target'), 'partitions');
});

test('the preview counts runs and partitions per target, spans, skips with reasons, and blocks zero runs', () => {
  const statuses = (t: string) => new Map(t === 'daily' ? [['2024-01-01', 'MATERIALIZED' as const], ['2024-01-02', 'MATERIALIZED' as const]] : []);
  const plan = planBackfill([target('daily'), target('rollup', ['daily'])], { kind: 'range', from: '2024-01-01', to: '2024-01-05' }, NOW, { reprocess: 'missing', statuses });
  const preview = planPreviewModel(7, plan, null);
  assert.ok(preview.ok);
  assert.equal(preview.requestId, 7);
  assert.deepEqual(preview.targets, [
    { target: 'daily', partitions: 3, runs: 3, span: '2024-01-03...2024-01-05' },
    { target: 'rollup', partitions: 5, runs: 5, span: '2024-01-01...2024-01-05' },
  ]);
  assert.deepEqual(preview.skipped, [{ target: 'daily', count: 2, reason: 'already materialized', ranges: '2024-01-01...2024-01-02' }]);
  assert.equal(preview.launchBlockedBy, null);
  const none = planBackfill([target('daily')], { kind: 'range', from: '2024-01-01', to: '2024-01-02' }, NOW, { reprocess: 'missing', statuses });
  const blocked = planPreviewModel(8, none, null);
  assert.ok(blocked.ok);
  assert.equal(blocked.runCount, 0);
  assert.match(blocked.launchBlockedBy ?? '', /^Nothing to run/);
  assert.equal((planPreviewModel(9, plan, 'daily is a Dagster definition') as { launchBlockedBy: string }).launchBlockedBy, 'daily is a Dagster definition');
});

test('a brush selection of keys becomes short selection text with ranges folded', () => {
  const all = ['a', 'b', 'c', 'd', 'e', 'f', 'x,y'];
  assert.equal(selectionTextOfKeys(['c', 'a', 'b', 'd', 'f', 'x,y'], all), '[a...d], f, "x,y"');
  assert.equal(selectionTextOfKeys(['a', 'b', 'zz'], all), 'a, b, zz');
  assert.deepEqual(prefillOfPartitions({ from: 'b', to: 'e' }, all), { partitionMode: 'range', rangeFrom: 'b', rangeTo: 'e' });
  assert.deepEqual(prefillOfPartitions('[a...c]', all), { partitionMode: 'selection', selectionText: '[a...c]' });
  assert.deepEqual(prefillOfPartitions(['a', 'b', 'c'], all), { partitionMode: 'selection', selectionText: '[a...c]' });
});

test('launch options come from the form through one mapping, or field errors', () => {
  assert.deepEqual(launchOptionsFromForm(form({ concurrency: '8', order: 'newest-first', retries: '2', tagsText: 'team=data,\n reason = late rows' })), {
    options: { maxConcurrent: 8, order: 'newest-first', retries: 2, tags: { team: 'data', reason: 'late rows' } },
  });
  assert.deepEqual(launchOptionsFromForm(form()), { options: { maxConcurrent: null, order: 'oldest-first', retries: 0, tags: {} } });
  const bad = launchOptionsFromForm(form({ concurrency: '0', retries: 'x', tagsText: 'dagster/partition=1', partitionMode: 'latest', latestCount: '' }));
  assert.deepEqual(bad, { errors: {
    latestCount: 'latest N: a whole number from 1 to 10000000',
    concurrency: 'concurrency: a whole number from 1 to 64',
    retries: 'retries: a whole number from 0 to 10',
    tagsText: 'tag key "dagster/partition" is reserved: Dagster sets dagster/ tags itself',
  } });
});
