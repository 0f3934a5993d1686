// Browser tests of the details panel's virtualized runs table, failures grouped by error and the re-run actions.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { backfillDetailsModel, dailyKeys, failureGroupsOf } from './backfillDetailsFixture.mjs';

/** A backfill of 10,000 runs: every 50th failed with one of two errors. */
function bigModel() {
  const model = backfillDetailsModel({ canCancel: false });
  const keys = dailyKeys(10_000, '1990-01-01');
  model.runs = keys.map((key, i) => ({
    runId: `run_${String(i).padStart(5, '0')}`, target: 'daily_counts', partitionKey: key,
    status: i % 50 === 0 ? 'FAILURE' : 'SUCCESS', statusLabel: i % 50 === 0 ? 'Failed' : 'Success', statusTone: i % 50 === 0 ? 'failed' : 'success', duration: '1.0s',
    error: i % 50 === 0 ? (i % 100 === 0 ? 'KeyError: event_date' : 'timeout after 60s') : null, runUrl: null,
  }));
  model.failureGroups = failureGroupsOf(model.runs);
  return model;
}

const resultsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview');

export const backfillDetailsRunsTests = [
  ['details: 10,000 runs keep only the visible rows in the DOM, and scrolling shows the right ones', async (panel) => {
    const model = bigModel();
    await panel.send({ type: 'backfillDetailsLoaded', model });
    await panel.page.waitForSelector('#runs-table tr[data-run-id="run_00000"]');
    const drawn = await panel.page.locator('#runs-table tbody tr.run-row').count();
    assert.ok(drawn > 10 && drawn < 80, `${drawn} rows in the DOM`);
    assert.equal(await panel.text('#runs-count'), '10000');
    // Scroll to the end: the last runs are drawn, the first ones are gone, the row count in the DOM does not grow.
    await panel.page.$eval('#runs-viewport', (v) => (v.scrollTop = v.scrollHeight));
    await panel.page.waitForSelector('#runs-table tr[data-run-id="run_09999"]');
    assert.equal(await panel.page.locator('#runs-table tr[data-run-id="run_00000"]').count(), 0);
    assert.ok((await panel.page.locator('#runs-table tbody tr.run-row').count()) <= drawn + 1);
    // The middle: the row at 5,000 row heights is run 5,000, in view and at its fixed height.
    await panel.page.$eval('#runs-viewport', (v) => (v.scrollTop = 5000 * 26));
    await panel.page.waitForSelector('#runs-table tr[data-run-id="run_05000"]');
    const bounds = await panel.page.$eval('#runs-table tr[data-run-id="run_05000"]', (r) => {
      const v = document.getElementById('runs-viewport').getBoundingClientRect();
      const b = r.getBoundingClientRect();
      return { inView: b.bottom > v.top && b.top < v.bottom, height: b.height };
    });
    assert.deepEqual(bounds, { inView: true, height: 26 });
    assert.deepEqual(await panel.page.$$eval('#runs-table tr[data-run-id="run_05000"] td', (c) => c.slice(0, 3).map((x) => x.textContent)),
      [model.runs[5000].partitionKey, 'daily_counts', 'Failed']);
  }],

  ['details: failures are grouped by error with counts and partitions, and open a log', async (panel) => {
    const model = bigModel();
    await panel.send({ type: 'backfillDetailsLoaded', model });
    await panel.page.waitForSelector('.failure-group');
    const groups = await panel.page.$$eval('.failure-group', (g) => g.map((x) => [x.querySelector('.failure-count').textContent, x.querySelector('.failure-error').textContent]));
    assert.deepEqual(groups, [['100 failed', 'KeyError: event_date'], ['100 failed', 'timeout after 60s']]);
    assert.equal(await panel.text('#failures-count'), '200');
    assert.match(await panel.page.locator('.failure-partitions').first().innerText(), /^1990-01-01, 1990-04-11, .* and 88 more$/);
    await panel.page.locator('.failure-group').nth(1).locator('button').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openRunLog', runId: 'run_00050' });
  }],

  ['details: Resume, Re-execute and Re-execute from failure post their intents for a finished backfill', async (panel) => {
    await panel.sendModel(backfillDetailsModel({ canCancel: false }));
    for (const id of ['#resume-backfill', '#reexecute-backfill', '#reexecute-from-failure-backfill']) await panel.page.click(id);
    assert.deepEqual((await panel.posted()).slice(1), [
      { type: 'resumeBackfill', backfillId: 'bf_20240201_a1b2c3' },
      { type: 'reexecuteBackfill', backfillId: 'bf_20240201_a1b2c3', fromFailure: false },
      { type: 'reexecuteBackfill', backfillId: 'bf_20240201_a1b2c3', fromFailure: true },
    ]);
    await panel.sendModel(backfillDetailsModel({ canCancel: true }));
    await panel.page.waitForSelector('#reexecute-backfill', { state: 'hidden' });
    assert.equal(await panel.page.isVisible('#cancel-backfill'), true);
  }],

  ['details: a backfill stopped before launch shows its one error, not a failure per partition (test-results/webview/details-not-launched.png)', async (panel) => {
    const model = backfillDetailsModel({ canCancel: false });
    const error = "The backfill could not import code location \"definitions.py\" with Dagster 1.2.0 (interpreter /usr/bin/python3): TypeError: asset() got an unexpected keyword argument 'deps' (definitions.py, line 28). No run was launched: every partition would fail alike.";
    model.status = 'FAILED';
    model.runs = model.runs.map((r) => ({ ...r, status: 'CANCELED', statusLabel: 'Canceled', statusTone: 'canceled', error: "not launched: the backfill failed before launching any run (see the backfill's error)" }));
    model.failureGroups = [];
    model.error = error;
    await panel.send({ type: 'backfillDetailsLoaded', model });
    await panel.page.waitForSelector('.backfill-error');
    assert.deepEqual(await panel.page.$$eval('.failure-group', (g) => g.map((x) => x.querySelector('.failure-count').textContent)), ['Not launched']);
    assert.equal(await panel.page.locator('.backfill-error .failure-error').innerText(), error);
    assert.equal(await panel.text('#failures-count'), '1');
    assert.equal(await panel.page.locator('#failure-groups .details-empty').count(), 0);
    await panel.page.screenshot({ path: path.join(resultsDir, 'details-not-launched.png'), fullPage: true });
  }],

  ['details: screenshot with grouped failures in a high-contrast theme (test-results/webview/details-high-contrast.png)', async (panel) => {
    await panel.send({ type: 'backfillDetailsLoaded', model: bigModel() });
    await panel.page.waitForSelector('.failure-group');
    assert.equal(await panel.page.$eval('.runs-table-viewport', (v) => getComputedStyle(v).borderTopColor), 'rgb(111, 195, 223)');
    await panel.page.screenshot({ path: path.join(resultsDir, 'details-high-contrast.png'), fullPage: true });
    assert.deepEqual(await panel.cspViolations(), []);
  }, { theme: 'high-contrast' }],
];
