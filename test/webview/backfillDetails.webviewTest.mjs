// Browser tests of the Backfill Details panel against the fake webview host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backfillDetailsModel, dailyKeys } from './backfillDetailsFixture.mjs';
import { encodeStatusRunsForTest } from './statusRuns.mjs';
import { expandStatusRuns } from './webviewPage.mjs';

const screenshotPath = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview/details.png');

export const backfillDetailsTests = [
  ['posts ready once on load and shows a loading state before any model', async (panel) => {
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
    assert.equal(await panel.page.locator('.details-loading').isVisible(), true);
    assert.equal(await panel.page.locator('.details-content').isVisible(), false);
  }],

  ['renders the header, progress, per-target counts and the partition grid', async (panel) => {
    const model = backfillDetailsModel();
    await panel.sendModel(model);
    assert.equal(await panel.text('.details-title'), model.title);
    assert.equal(await panel.text('#backfill-id'), 'bf_20240201_a1b2c3');
    assert.equal(await panel.text('#backfill-status'), 'Running');
    assert.equal(await panel.page.getAttribute('#backfill-status', 'data-tone'), 'running');
    assert.equal(await panel.text('#backfill-created'), 'Feb 1, 2024, 09:15:02');
    assert.equal(await panel.text('#backfill-duration'), '4m 12s');
    assert.equal(await panel.text('#backfill-progress'), '28 / 31 runs · 1 failed · 2 running · 1 queued');
    const counts = await panel.page.$$eval('#target-counts tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(counts, [['daily_counts', '31', '2', '27', '1', '1', '0'], ['weekly_rollup', '5', '0', '2', '0', '3', '0']]);
    assert.deepEqual(await panel.cellStatuses('daily_counts'), expandStatusRuns(model.partitions[0].statusRuns));
    assert.deepEqual(await panel.cellStatuses('weekly_rollup'), ['MATERIALIZED', 'MATERIALIZED', 'MISSING', 'MISSING', 'MISSING']);
    assert.equal(await panel.text('#partition-summary-daily_counts'), 'daily_counts: 27 materialized, 2 in progress, 1 failed, 1 missing');
    const failedCell = panel.page.locator('#partition-summary-daily_counts + .partition-grid > [data-key="2024-01-15"]');
    assert.equal(await failedCell.getAttribute('data-status'), 'FAILED');
    assert.equal(await failedCell.getAttribute('title'), '2024-01-15: failed');
    // Colours come from the stylesheet, not from inline styles.
    const colours = await panel.page.$$eval('#partition-summary-daily_counts + .partition-grid > .partition-cell',
      (cells) => [cells[0], cells[14], cells[28]].map((c) => getComputedStyle(c).backgroundColor));
    assert.deepEqual(colours, ['rgb(46, 164, 79)', 'rgb(229, 72, 77)', 'rgb(59, 130, 246)']);
    // Virtualized: the rows in the DOM are the first ones, in order; aria-rowcount tells assistive tech the rest.
    const shownIds = await panel.page.$$eval('#runs-table tbody tr.run-row', (rows) => rows.map((r) => r.dataset.runId));
    assert.deepEqual(shownIds, model.runs.slice(0, shownIds.length).map((r) => r.runId));
    assert.ok(shownIds.length >= 15, `only ${shownIds.length} rows drawn`);
    assert.equal(await panel.page.getAttribute('#runs-table', 'aria-rowcount'), '32');
    assert.equal(await panel.text('#runs-count'), '31');
    const failedRun = await panel.page.$$eval('#runs-table tr[data-run-id="run_0014"] td', (cells) => cells.slice(0, 5).map((c) => c.textContent));
    assert.deepEqual(failedRun, ['2024-01-15', 'daily_counts', 'FAILURE', '1.0s', model.runs[14].error]);
  }],

  ['an update with the same partition count patches only the changed cells and rows in place', async (panel) => {
    const first = backfillDetailsModel();
    await panel.sendModel(first);
    await panel.page.evaluate(() => {
      window.__marked = [...document.querySelectorAll('.partition-cell[data-key], #runs-table tbody tr.run-row')];
      window.__changedCells = new Set();
      new MutationObserver((records) => records.forEach((r) => r.target.matches?.('.partition-cell') && window.__changedCells.add(r.target.dataset.key)))
        .observe(document.getElementById('partitions-section'), { attributes: true, subtree: true, childList: true });
    });
    const statuses = expandStatusRuns(first.partitions[0].statusRuns);
    statuses[28] = 'MATERIALIZED';
    statuses[29] = 'FAILED';
    const second = backfillDetailsModel({ statuses });
    await panel.sendModel(second);
    const sameElements = await panel.page.evaluate(() =>
      window.__marked.every((el, i) => el === [...document.querySelectorAll('.partition-cell[data-key], #runs-table tbody tr.run-row')][i]));
    assert.equal(sameElements, true, 'cells and rows must be reused, not rebuilt');
    assert.deepEqual(await panel.page.evaluate(() => [...window.__changedCells].sort()), ['2024-01-29', '2024-01-30']);
    assert.equal(await panel.text('#partition-summary-daily_counts'), 'daily_counts: 28 materialized, 2 failed, 1 missing');
    assert.equal(await panel.text('#backfill-progress'), '30 / 31 runs · 2 failed · 1 queued');
    assert.equal(await panel.page.getAttribute('[data-key="2024-01-30"]', 'title'), '2024-01-30: failed');
  }],

  ['a different partition count redraws the grid, and 20,000 partitions use the dense layout', async (panel) => {
    const model = backfillDetailsModel();
    const keys = dailyKeys(20_000, '1970-01-01');
    const statuses = keys.map((_, i) => (i % 97 === 0 ? 'FAILED' : i < 15_000 ? 'MATERIALIZED' : 'MISSING'));
    model.partitions[0] = { target: 'daily_counts', keys, statusRuns: encodeStatusRunsForTest(statuses) };
    await panel.sendModel(model);
    assert.equal(await panel.page.locator('#partition-summary-daily_counts + .partition-grid-dense').count(), 1);
    assert.deepEqual(await panel.cellStatuses('daily_counts'), statuses);
    assert.equal(await panel.page.locator('#partition-summary-weekly_rollup + .partition-grid-dense').count(), 0);
  }],

  ['Cancel posts cancelBackfill with the backfill id once, and hides when the backfill cannot be canceled', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    const button = panel.page.locator('#cancel-backfill');
    assert.equal(await button.isVisible(), true);
    await button.click();
    await button.click({ force: true });
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }, { type: 'cancelBackfill', backfillId: 'bf_20240201_a1b2c3' }]);
    assert.equal(await button.innerText(), 'Canceling…');
    await panel.send({ type: 'errorShown', message: 'Could not cancel: state store is locked by another process' });
    await panel.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await panel.text('.error-banner-text'), 'Could not cancel: state store is locked by another process');
    assert.equal(await button.innerText(), 'Cancel backfill');
    await panel.sendModel(backfillDetailsModel({ canCancel: false }));
    await panel.page.waitForSelector('#cancel-backfill', { state: 'hidden' });
    assert.equal(await panel.page.getAttribute('#backfill-status', 'data-tone'), 'canceled');
  }],

  ['Open log posts openRunLog with the run id', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    await panel.page.locator('#runs-table tr[data-run-id="run_0014"] .run-log-button').click();
    assert.deepEqual((await panel.posted()).at(-1), { type: 'openRunLog', runId: 'run_0014' });
  }],

  ['restores the last model from saved state on reload before the host answers', async (panel) => {
    const model = backfillDetailsModel();
    await panel.sendModel(model);
    assert.deepEqual(await panel.savedState(), { view: 'backfillDetails', model });
    await panel.page.reload();
    await panel.page.waitForFunction(() => window.__fakeWebviewHost?.posted.length > 0);
    assert.deepEqual(await panel.posted(), [{ type: 'ready' }]);
    assert.equal(await panel.page.locator('.details-content').isVisible(), true);
    assert.equal(await panel.text('#backfill-id'), model.backfillId);
    assert.deepEqual(await panel.cellStatuses('daily_counts'), expandStatusRuns(model.partitions[0].statusRuns));
  }],

  ['rejects a malformed model with an error naming the field, keeping what is shown', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    const bad = backfillDetailsModel();
    bad.partitions[0].statusRuns[0][1] += 1;
    bad.title = 'should not be shown';
    await panel.send({ type: 'backfillDetailsLoaded', model: bad });
    await panel.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await panel.text('.error-banner-text'),
      'Ignored a message from the extension: backfillDetailsLoaded.model.partitions[0].statusRuns cover 32 partitions but backfillDetailsLoaded.model.partitions[0].keys has 31');
    assert.notEqual(await panel.text('.details-title'), 'should not be shown');
  }],

  ['shows a not-found message for an unknown backfill', async (panel) => {
    await panel.send({ type: 'backfillNotFound', backfillId: 'bf_missing' });
    await panel.page.waitForSelector('.details-not-found:not([hidden])');
    assert.equal(await panel.text('.details-not-found'), "Backfill bf_missing was not found in this workspace's state store.");
  }],

  ['an unknown view name shows an error naming it and posts nothing', async (panel) => {
    await panel.page.waitForSelector('.fatal-error');
    assert.equal(await panel.text('.fatal-error'), 'Unknown view "partitionsExplorer" in <body data-view>; expected "backfillDetails", "launch" or "backfills".');
    assert.deepEqual(await panel.posted(), []);
    panel.pageErrors.length = 0; // the same message is logged to the console on purpose
  }, { view: 'partitionsExplorer', waitForReady: false }],

  ['renders toolkit components with no CSP violations, and the CSP check itself catches inline styles', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    await panel.page.locator('#cancel-backfill').hover();
    const upgraded = await panel.page.evaluate(() =>
      ['vscode-button', 'vscode-divider', 'vscode-progress-ring'].map((tag) => Boolean(document.querySelector(tag)?.shadowRoot)));
    assert.deepEqual(upgraded, [true, true, true]);
    // The hovered secondary button takes --vscode-button-secondaryHoverBackground: toolkit styles and theme tokens applied.
    const buttonBackground = await panel.page.$eval('#cancel-backfill', (b) => getComputedStyle(b).backgroundColor);
    assert.equal(buttonBackground, 'rgb(60, 60, 60)');
    assert.deepEqual(await panel.cspViolations(), []);
    await panel.page.evaluate(() => document.body.insertAdjacentHTML('beforeend', '<div style="color:red"></div>'));
    await panel.page.waitForFunction(() => window.__fakeWebviewHost.cspViolations.length > 0);
    assert.equal((await panel.cspViolations())[0].directive, 'style-src-attr');
    panel.pageErrors.length = 0; // the deliberate violation above is reported on the console
  }],

  ['screenshot of the details panel (test-results/webview/details.png)', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await panel.page.screenshot({ path: screenshotPath, fullPage: true });
    assert.deepEqual(await panel.cspViolations(), []);
  }],

  ['screenshot in a light theme (test-results/webview/details-light.png)', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    assert.equal(await panel.page.$eval('body', (b) => getComputedStyle(b).backgroundColor), 'rgb(255, 255, 255)');
    await panel.page.screenshot({ path: screenshotPath.replace('details.png', 'details-light.png'), fullPage: true });
  }, { theme: 'light' }],
];
