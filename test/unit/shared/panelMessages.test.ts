// The launch, overview and details-action messages from webviews are accepted only in their exact shapes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseWebviewToHostMessage } from '../../../src/shared/webviewToHostMessage';

const form = { target: 'daily', includeDownstream: false, partitionMode: 'all', rangeFrom: '', rangeTo: '', latestCount: '7', selectionText: '', reprocess: 'all', concurrency: '', order: 'oldest-first', retries: '0', tagsText: '', runOn: '', title: '', description: '' };

test('panel intents are accepted', () => {
  assert.deepEqual(parseWebviewToHostMessage({ type: 'previewPlan', requestId: 3, form }), { ok: true, value: { type: 'previewPlan', requestId: 3, form } });
  assert.equal(parseWebviewToHostMessage({ type: 'launchPlan', requestId: 0, form, planId: 'a1b2c3' }).ok, true);
  assert.equal(parseWebviewToHostMessage({ type: 'openBackfill', backfillId: 'abcdefgh' }).ok, true);
  assert.equal(parseWebviewToHostMessage({ type: 'resumeBackfill', backfillId: 'abcdefgh' }).ok, true);
  assert.deepEqual(parseWebviewToHostMessage({ type: 'reexecuteBackfill', backfillId: 'abcdefgh', fromFailure: true }), { ok: true, value: { type: 'reexecuteBackfill', backfillId: 'abcdefgh', fromFailure: true } });
  assert.deepEqual(parseWebviewToHostMessage({ type: 'addDynamicPartitions', target: 's3/core/per_customer' }), { ok: true, value: { type: 'addDynamicPartitions', target: 's3/core/per_customer' } });
});

test('malformed panel intents are rejected with a reason naming the field', () => {
  const cases: [unknown, RegExp][] = [
    [{ type: 'previewPlan', requestId: 1 }, /exactly requestId and form/],
    [{ type: 'previewPlan', requestId: -1, form }, /requestId/],
    [{ type: 'previewPlan', requestId: 1.5, form }, /requestId/],
    [{ type: 'launchPlan', requestId: 1, planId: 'a1b2c3', form: { ...form, partitionMode: 'everything' } }, /partitionMode/],
    [{ type: 'launchPlan', requestId: 1, planId: 'a1b2c3', form: { ...form, extra: 1 } }, /exactly the fields/],
    [{ type: 'launchPlan', requestId: 1, planId: 'a1b2c3', form: { ...form, tagsText: 'x'.repeat(100_001) } }, /tagsText/],
    [{ type: 'launchPlan', requestId: 1, planId: 'a1b2c3', form: { ...form, includeDownstream: 'yes' } }, /includeDownstream/],
    [{ type: 'reexecuteBackfill', backfillId: 'abcdefgh' }, /fromFailure/],
    [{ type: 'openBackfill', backfillId: '../x' }, /backfillId/],
    [{ type: 'resumeBackfill', backfillId: 'abcdefgh', now: true }, /backfillId/],
    // The webview names the target only: the keys are asked by the host, never taken from the page.
    [{ type: 'addDynamicPartitions', target: 'per_customer', keys: ['a'] }, /addDynamicPartitions needs a target/],
    [{ type: 'addDynamicPartitions', target: '' }, /^addDynamicPartitions\.target must be 1 to 256 printable characters$/],
    [{ type: 'addDynamicPartitions', target: 'a\u0000b' }, /^addDynamicPartitions\.target must be 1 to 256 printable characters$/],
  ];
  for (const [m, reason] of cases) {
    const r = parseWebviewToHostMessage(m);
    assert.equal(r.ok, false, JSON.stringify(m).slice(0, 80));
    if (!r.ok) assert.match(r.reason, reason);
  }
});
