// Host -> webview messages are checked by their schemas: a rejection names the message, the field path and what is wrong.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseHostToWebviewMessage } from '../../../src/shared/hostToWebviewMessage';
import { encodePartitionKeyList } from '../../../src/shared/partitionKeyList';
import { parsePartitionsHostMessage } from '../../../src/shared/partitionsPanelProtocol';

const keys = encodePartitionKeyList(['2024-01-01', '2024-01-02', '2024-01-03']);
const form = { target: 'daily', includeDownstream: false, partitionMode: 'all', rangeFrom: '', rangeTo: '', latestCount: '7', selectionText: '', reprocess: 'all', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', runOn: '', title: '', description: '' };
const target = {
  target: 'daily', kind: 'asset', partitionsDescription: 'daily', keys, statusRuns: [['MISSING', 3]], policy: '', downstream: [], notLaunchable: null,
  dynamicPartitionsName: null, statusSource: '', defaultConcurrency: 4, deployments: [{ name: 'prod', url: 'https://acme.dagster.cloud/prod', kind: 'dagster-plus' }], form, prefillId: 0,
};
const row = { backfillId: 'b1', status: 'REQUESTED', statusLabel: 'In progress', statusTone: 'inProgress', targets: ['daily'], selection: 'all', progress: '', createdAt: '', duration: '', parentId: null, deployment: null };

test('models are accepted as sent', () => {
  assert.deepEqual(parseHostToWebviewMessage({ type: 'launchTargetLoaded', model: target }), { ok: true, value: { type: 'launchTargetLoaded', model: target } });
  assert.deepEqual(parseHostToWebviewMessage({ type: 'backfillsListed', model: { backfills: [row] } }), { ok: true, value: { type: 'backfillsListed', model: { backfills: [row] } } });
  const failed = { ok: false, requestId: 2, fieldErrors: { retries: 'retries: a whole number from 0 to 10' }, message: 'Fix the fields' };
  assert.deepEqual(parseHostToWebviewMessage({ type: 'planPreviewed', preview: failed }), { ok: true, value: { type: 'planPreviewed', preview: failed } });
});

test('a rejection names the message, the field path and what is wrong', () => {
  const { policy: _, ...noPolicy } = target;
  const cases: [unknown, string | RegExp][] = [
    [null, 'message is not an object'],
    [{ type: 'launchMissiles' }, 'message.type is not a known message type: "launchMissiles"'],
    [{ type: 'launchSettled', launched: 'yes', message: '' }, 'launchSettled.launched must be a boolean'],
    [{ type: 'launchTargetLoaded', model: { ...target, statusRuns: [['MISSING', 4]] } }, 'launchTargetLoaded.model.statusRuns cover 4 partitions but there are 3'],
    [{ type: 'launchTargetLoaded', model: { ...target, deployments: [{ name: 'prod', url: 'x', kind: 'k8s' }] } }, 'launchTargetLoaded.model.deployments[0].kind must be one of oss, dagster-plus'],
    [{ type: 'launchTargetLoaded', model: noPolicy }, 'launchTargetLoaded.model lacks "policy"'],
    [{ type: 'launchTargetLoaded', model: { ...target, form: { ...form, extra: 1 } } }, /^launchTargetLoaded\.model\.form must have exactly the fields concurrency,/],
    [{ type: 'launchTargetLoaded', model: { ...target, keys: { ...keys, count: 4 } } }, 'launchTargetLoaded.model.keys holds 3 keys but count is 4'],
    [{ type: 'backfillsListed', model: { backfills: [{ ...row, statusTone: 'green' }] } }, /^backfillsListed\.model\.backfills\[0\]\.statusTone must be one of queued, /],
    [{ type: 'planPreviewed', preview: { ok: 'maybe', requestId: 1 } }, /^planPreviewed\.preview\.ok must be an object whose ok is a boolean$/],
  ];
  for (const [raw, reason] of cases) {
    const r = parseHostToWebviewMessage(raw);
    assert.equal(r.ok, false, JSON.stringify(raw).slice(0, 80));
    if (!r.ok) assert.match(r.reason, typeof reason === 'string' ? new RegExp(`^${reason.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : reason);
  }
});

test('a failed plan preview may name only fields of the form', () => {
  const r = parseHostToWebviewMessage({ type: 'planPreviewed', preview: { ok: false, requestId: 2, fieldErrors: { planId: 'x' }, message: '' } });
  assert.equal(r.ok, false);
  if (!r.ok) assert.match(r.reason, /^planPreviewed\.preview\.fieldErrors\.planId must be one of partitions, latestCount, /);
});

test('a partitions update must fit the model shown', () => {
  const update = { target: 'daily', statusRuns: [['MISSING', 3]], lastRuns: [[2, 'r1', '', '', '']], stepMatrix: null };
  const shown = { target: 'daily', keyCount: 3 };
  assert.equal(parsePartitionsHostMessage({ type: 'partitionStatusesChanged', update }, shown).ok, true);
  const reasons = [
    parsePartitionsHostMessage({ type: 'partitionStatusesChanged', update }, { target: 'daily', keyCount: 2 }),
    parsePartitionsHostMessage({ type: 'partitionStatusesChanged', update: { ...update, lastRuns: [[3, 'r1', '', '', '']] } }, shown),
    parsePartitionsHostMessage({ type: 'partitionStatusesChanged', update: { ...update, lastRuns: [[0, 'r1', '', '']] } }, shown),
    parsePartitionsHostMessage({ type: 'partitionStatusesChanged', update }, { target: 'hourly', keyCount: 3 }),
  ].map((r) => (r.ok ? 'accepted' : r.reason));
  assert.deepEqual(reasons, [
    'partitionStatusesChanged.update.statusRuns cover 3 partitions but there are 2',
    'partitionStatusesChanged.update.lastRuns[0] names key index 3 but there are 3 keys',
    'partitionStatusesChanged.update.lastRuns[0][4] must be a string',
    'partitionStatusesChanged for "daily", which is not shown',
  ]);
});
