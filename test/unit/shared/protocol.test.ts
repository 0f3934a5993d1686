// Webview messages are accepted only in their exact shapes; status runs encode losslessly.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeStatusRuns } from '../../../src/shared/protocol';
import { parseWebviewToHostMessage } from '../../../src/shared/webviewToHostMessage';

test('known messages are accepted', () => {
  assert.deepEqual(parseWebviewToHostMessage({ type: 'ready' }), { ok: true, value: { type: 'ready' } });
  assert.deepEqual(parseWebviewToHostMessage({ type: 'cancelBackfill', backfillId: 'abcdefgh' }), { ok: true, value: { type: 'cancelBackfill', backfillId: 'abcdefgh' } });
  assert.equal(parseWebviewToHostMessage({ type: 'openRunLog', runId: '0b9c1e2a-1d2b-4c55-9d1e-2b3c4d5e6f70' }).ok, true);
  const run = 'https://acme.dagster.cloud/prod/runs/a1000000-0000-4000-8000-000000000002';
  assert.deepEqual(parseWebviewToHostMessage({ type: 'openDagsterRun', url: run }), { ok: true, value: { type: 'openDagsterRun', url: run } });
});

test('hostile or malformed messages are rejected with a reason', () => {
  const bad: unknown[] = [
    null,
    'ready',
    [],
    { type: 'launchMissiles' },
    { type: 'ready', extra: 1 },
    { type: 'cancelBackfill' },
    { type: 'cancelBackfill', backfillId: 42 },
    { type: 'cancelBackfill', backfillId: '../../etc/passwd' },
    { type: 'cancelBackfill', backfillId: 'x'.repeat(65) },
    { type: 'openRunLog', runId: 'a; rm -rf /' },
    // Only http(s) pages, without credentials; which deployment's is the host's check (isDeploymentRunPage).
    { type: 'openDagsterRun', url: 'javascript:alert(1)' },
    { type: 'openDagsterRun', url: 'file:///etc/passwd' },
    { type: 'openDagsterRun', url: 'command:workbench.action.terminal.new' },
    { type: 'openDagsterRun', url: 'https://user:pw@acme.dagster.cloud/prod/runs/a1' },
    { type: 'openDagsterRun', url: `https://acme.dagster.cloud/${'x'.repeat(2100)}` },
    { type: 'openDagsterRun', url: 'https://acme.dagster.cloud/prod/runs/a1', runId: 'a1' },
    { type: '__proto__' },
  ];
  for (const m of bad) {
    const r = parseWebviewToHostMessage(m);
    assert.equal(r.ok, false, JSON.stringify(m));
    if (!r.ok) assert.ok(r.reason.length > 0);
  }
});

test('status runs are run-length encoded in order', () => {
  assert.deepEqual(encodeStatusRuns(['MATERIALIZED', 'MATERIALIZED', 'FAILED', 'MISSING', 'MISSING', 'MISSING']), [
    ['MATERIALIZED', 2],
    ['FAILED', 1],
    ['MISSING', 3],
  ]);
  assert.deepEqual(encodeStatusRuns([]), []);
});
