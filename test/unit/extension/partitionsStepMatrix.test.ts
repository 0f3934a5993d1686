// The job matrix of the partitions panel: discovered steps are its rows before any run, runs add what discovery missed;
// step statuses come from Dagster's step events, with its step stats overriding them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RunRecord } from '../../../src/core/backfill/backfill';
import type { JobDefinition } from '../../../src/core/definitions/definition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { partitionsGeometry, partitionsPanelModel } from '../../../src/extension/panels/partitionsPanelModel';
import { stepStatuses } from '../../../src/extension/panels/partitionsStepMatrix';
import { decodePartitionKeyList, type PartitionKeyList } from '../../../src/shared/partitionKeyList';
import { findProblem } from '../../../src/shared/messageSchema';
import { partitionsPanelModel as partitionsPanelModelSchema } from '../../../src/shared/partitionsPanelProtocol';

const decodedKeys = (list: PartitionKeyList): string[] => {
  const keys = decodePartitionKeyList(list);
  return Array.from({ length: keys.length }, (_, i) => keys.at(i)!);
};

const T0 = Date.UTC(2024, 0, 10);

function job(steps?: string[]): JobDefinition {
  const base: JobDefinition = { kind: 'job', name: 'etl', location: { file: 'jobs.py', line: 3 }, partitions: dailyPartitionsDefinition({ start_date: '2024-01-01' }) };
  return steps ? { ...base, steps } : base;
}

function modelOf(d: JobDefinition, store: InMemoryStateStore) {
  return partitionsPanelModel({ definition: d, geometry: partitionsGeometry(d, new Date(T0)), store, backfillFilter: null, canLaunch: true, statuses: store, statusSource: 'Statuses: this project\'s runs only.', now: T0 })!.stepMatrix!;
}

function run(store: InMemoryStateStore, key: string, status: 'SUCCESS' | 'FAILURE', events: [string, string][]): void {
  const id = `bf_${key}`;
  store.createBackfill({ id: `bf${key.slice(-2)}`, status: 'COMPLETED_SUCCESS', targets: ['etl'], partitionCount: 1, origin: 'extension', createdAt: T0, endedAt: T0, selection: key },
    [{ id, backfillId: `bf${key.slice(-2)}`, target: 'etl', partitionKey: key, status, createdAt: T0, startedAt: T0, endedAt: T0 + 1, exitCode: null, error: null }]);
  for (const [kind, step] of events) store.appendRunEvent(id, kind, { step_key: step });
}

test('discovered steps are the rows, in their order, before any run', () => {
  const store = new InMemoryStateStore(() => T0);
  const m = modelOf(job(['extract', 'transform', 'load']), store);
  assert.equal(m.stepSource, 'definition');
  assert.deepEqual(decodedKeys(m.keys), []);
  assert.deepEqual(m.steps.map((s) => [s.step, s.statusRuns]), [['extract', []], ['transform', []], ['load', []]]);
});

test('runs fill the discovered rows; steps only the runs reported come after them', () => {
  const store = new InMemoryStateStore(() => T0);
  run(store, '2024-01-02', 'FAILURE', [['STEP_START', 'load_2'], ['STEP_FAILURE', 'load_2'], ['STEP_START', 'extract'], ['STEP_SUCCESS', 'extract']]);
  run(store, '2024-01-01', 'SUCCESS', [['STEP_START', 'extract'], ['STEP_SUCCESS', 'extract'], ['STEP_SUCCESS', 'load']]);
  const m = modelOf(job(['extract', 'load']), store);
  assert.equal(m.stepSource, 'definition');
  assert.deepEqual(decodedKeys(m.keys), ['2024-01-01', '2024-01-02']);
  assert.deepEqual(m.steps.map((s) => [s.step, s.statusRuns]), [
    ['extract', [['MATERIALIZED', 2]]],
    ['load', [['MATERIALIZED', 1], ['MISSING', 1]]],
    ['load_2', [['MISSING', 1], ['FAILED', 1]]],
  ]);
});

test('without discovered steps the rows are the steps the runs reported, in the order first seen', () => {
  const store = new InMemoryStateStore(() => T0);
  assert.deepEqual(modelOf(job(), store).steps, []);
  run(store, '2024-01-01', 'SUCCESS', [['STEP_SUCCESS', 'b'], ['STEP_SUCCESS', 'a']]);
  const m = modelOf(job(), store);
  assert.equal(m.stepSource, 'runs');
  assert.deepEqual(m.steps.map((s) => s.step), ['b', 'a']);
});

/** One run's step statuses from events given as [kind, payload]. */
function statusesOf(status: RunRecord['status'], events: [string, unknown][]): Record<string, string> {
  const r: RunRecord = { id: 'r', backfillId: 'bf', target: 'etl', partitionKey: '2024-01-01', status, createdAt: T0, startedAt: T0, endedAt: null, exitCode: null, error: null };
  return Object.fromEntries(stepStatuses(r, events.map(([kind, payload], i) => ({ seq: i + 1, at: T0, kind, payload }))));
}

test('a skipped step (Dagster skipped it: an upstream step failed) is SKIPPED, not failed, under either spelling', () => {
  assert.deepEqual(statusesOf('FAILURE', [
    ['step_started', { step: 'extract' }], ['step_failed', { step: 'extract', error: { message: 'boom' } }],
    ['step_skipped', { step: 'transform' }], ['STEP_SKIPPED', { step_key: 'load' }],
  ]), { extract: 'FAILED', transform: 'SKIPPED', load: 'SKIPPED' });
});

test('a step still running when its run ended is canceled when the run was canceled, failed otherwise', () => {
  const events: [string, unknown][] = [['step_started', { step: 'extract' }], ['step_succeeded', { step: 'extract' }], ['step_started', { step: 'load' }]];
  assert.deepEqual(statusesOf('CANCELED', events), { extract: 'MATERIALIZED', load: 'CANCELED' });
  assert.deepEqual(statusesOf('FAILURE', events), { extract: 'MATERIALIZED', load: 'FAILED' });
  assert.deepEqual(statusesOf('STARTED', events), { extract: 'MATERIALIZED', load: 'IN_PROGRESS' });
});

test("step_stats, Dagster's own record of each step, overrides what the events said", () => {
  assert.deepEqual(statusesOf('CANCELED', [
    ['step_started', { step: 'extract' }], ['step_failed', { step: 'extract', error: null }],
    ['step_started', { step: 'transform' }],
    ['step_stats', { steps: [
      { step: 'extract', status: 'SUCCESS' }, { step: 'transform', status: 'IN_PROGRESS' },
      { step: 'load', status: 'SKIPPED' }, { step: 'audit', status: 'FAILURE' }, { step: 'odd', status: 'NOT_A_STATUS' }, { status: 'SUCCESS' },
    ] }],
  ]), { extract: 'MATERIALIZED', transform: 'CANCELED', load: 'SKIPPED', audit: 'FAILED' });
});

test('skipped and canceled steps reach the matrix and pass the panel\'s inbound check', () => {
  const store = new InMemoryStateStore(() => T0);
  run(store, '2024-01-01', 'FAILURE', [['STEP_FAILURE', 'extract'], ['STEP_SKIPPED', 'load']]);
  const m = modelOf(job(['extract', 'load']), store);
  assert.deepEqual(m.steps.map((s) => [s.step, s.statusRuns]), [['extract', [['FAILED', 1]]], ['load', [['SKIPPED', 1]]]]);
  const model = partitionsPanelModel({ definition: job(['extract', 'load']), geometry: partitionsGeometry(job(), new Date(T0)), store, backfillFilter: null, canLaunch: true, statuses: store, statusSource: 'Statuses: this project\'s runs only.', now: T0 })!;
  assert.equal(findProblem(partitionsPanelModelSchema, model, 'model'), null);
  const bad = { ...model, statusRuns: [['SKIPPED', model.keys.count]] };
  assert.match(findProblem(partitionsPanelModelSchema, bad, 'model')!, /model\.statusRuns\[0\] must be \[status, positive length\]/, 'SKIPPED is a step status, not a partition status');
});
