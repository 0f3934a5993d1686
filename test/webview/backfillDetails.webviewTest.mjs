// Browser tests of the Backfill Details panel against the fake webview host.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { backfillDetailsModel, dailyKeys, hourlyKeys } from './backfillDetailsFixture.mjs';
import { canvasSelector, hasColourOf, keysInOrder, pointAtPaintedPixels, readoutText } from './backfillDetailsStripPage.mjs';
import { encodePartitionKeyList } from './partitionKeyListCodec.mjs';
import { encodeStatusRunsForTest } from './statusRuns.mjs';
import { expandStatusRuns } from './webviewPage.mjs';

/** The partitions each strip names when pointed at, in order, with the status the readout gives and the pixel's colour. */
async function pointedStatuses(panel, target) {
  const samples = await pointAtPaintedPixels(panel, target);
  const wrongColour = samples.filter((s) => s.key === null || !hasColourOf(s.rgb, s.status));
  const status = new Map(samples.map((s) => [s.key, s.status]));
  return { keys: keysInOrder(samples), statuses: keysInOrder(samples).map((k) => status.get(k)), wrongColour, samples };
}

const STATUS_NAMES = ['MATERIALIZED', 'FAILED', 'CANCELED', 'IN_PROGRESS', 'MISSING'];
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
    assert.equal(await panel.text('#backfill-status'), 'In progress');
    assert.equal(await panel.page.getAttribute('#backfill-status', 'data-tone'), 'inProgress');
    assert.equal(await panel.page.getAttribute('#backfill-status', 'title'), 'In progress: runs are being launched');
    assert.equal(await panel.text('#backfill-created'), 'Feb 1, 2024, 09:15:02');
    assert.equal(await panel.text('#backfill-duration'), '4m 12s');
    assert.equal(await panel.text('#backfill-progress'), '27/31 runs succeeded · 1 failed · 2 running · 1 queued');
    const counts = await panel.page.$$eval('#target-counts tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(counts, [['daily_counts', '31', '2', '27', '1', '0', '1', '0'], ['weekly_rollup', '5', '0', '2', '0', '0', '3', '0']]);
    assert.equal(await panel.text('#partition-summary-daily_counts'), 'daily_counts: 27 materialized, 2 in progress, 1 failed, 1 missing');
    assert.equal(await panel.text('#partition-summary-weekly_rollup'), 'weekly_rollup: 2 materialized, 3 missing');
    // Pointing at every painted pixel names exactly the partitions, in order, each painted in its status' colour.
    const daily = await pointedStatuses(panel, 'daily_counts');
    assert.deepEqual(daily.keys, dailyKeys(31));
    assert.deepEqual(daily.statuses, expandStatusRuns(model.partitions[0].statusRuns));
    assert.deepEqual(daily.wrongColour, [], 'a pixel not in the colour of the partition the readout names');
    const weekly = await pointedStatuses(panel, 'weekly_rollup');
    assert.deepEqual(weekly.keys, ['2024-01-01', '2024-01-08', '2024-01-15', '2024-01-22', '2024-01-29']);
    assert.deepEqual(weekly.statuses, ['MATERIALIZED', 'MATERIALIZED', 'MISSING', 'MISSING', 'MISSING']);
    assert.deepEqual(weekly.wrongColour, []);
    // Missing partitions are faded as the legend's swatch is; the others are opaque.
    assert.deepEqual([...new Set(daily.samples.map((p) => `${p.status} ${p.alpha}`))].sort(), ['FAILED 255', 'IN_PROGRESS 255', 'MATERIALIZED 255', 'MISSING 115']);
    // A real pointer over the failed partition: the readout names it; leaving the strip restores the span.
    const failed = daily.samples.find((p) => p.key === '2024-01-15');
    await panel.page.mouse.move(failed.x, failed.y);
    assert.equal(await readoutText(panel, 'daily_counts'), '2024-01-15: failed');
    await panel.page.mouse.move(5, 5);
    assert.equal(await readoutText(panel, 'daily_counts'), '2024-01-01 … 2024-01-31 (31 partitions)');
    assert.equal(await panel.page.locator('#partitions-section canvas').count(), 2, 'one canvas per target, no node per partition');
    // Virtualized: the rows in the DOM are the first ones, in order; aria-rowcount tells assistive tech the rest.
    const shownIds = await panel.page.$$eval('#runs-table tbody tr.run-row', (rows) => rows.map((r) => r.dataset.runId));
    assert.deepEqual(shownIds, model.runs.slice(0, shownIds.length).map((r) => r.runId));
    assert.ok(shownIds.length >= 15, `only ${shownIds.length} rows drawn`);
    assert.equal(await panel.page.getAttribute('#runs-table', 'aria-rowcount'), '32');
    assert.equal(await panel.text('#runs-count'), '31');
    const failedRun = await panel.page.$$eval('#runs-table tr[data-run-id="run_0014"] td', (cells) => cells.slice(0, 5).map((c) => c.textContent));
    assert.deepEqual(failedRun, ['2024-01-15', 'daily_counts', 'Failed', '1.0s', model.runs[14].error]);
  }],

  ['an update redraws the same strips in place with the new statuses, and keeps the rows', async (panel) => {
    const first = backfillDetailsModel();
    await panel.sendModel(first);
    await panel.page.evaluate(() => {
      window.__marked = [...document.querySelectorAll('#partitions-section *, #runs-table tbody tr.run-row')];
    });
    const statuses = expandStatusRuns(first.partitions[0].statusRuns);
    statuses[28] = 'MATERIALIZED';
    statuses[29] = 'FAILED';
    const second = backfillDetailsModel({ statuses });
    await panel.sendModel(second);
    // Reused means every element drawn before is still in the page, in the same order. The runs table may add rows
    // after the first draw (its resize observer settles the view height a frame later on a busy machine): added
    // rows are not a rebuild, a replaced one is.
    const replaced = await panel.page.evaluate(() => {
      const now = [...document.querySelectorAll('#partitions-section *, #runs-table tbody tr.run-row')];
      const kept = now.filter((el) => window.__marked.includes(el));
      const gone = window.__marked.filter((el) => !el.isConnected).map((el) => el.id || el.className || el.tagName);
      return { gone, reordered: kept.length === window.__marked.length && kept.some((el, i) => el !== window.__marked[i]) };
    });
    assert.deepEqual(replaced, { gone: [], reordered: false }, 'strips and rows must be reused, not rebuilt');
    const daily = await pointedStatuses(panel, 'daily_counts');
    assert.deepEqual(daily.statuses, statuses);
    assert.deepEqual(daily.wrongColour, []);
    assert.equal(await panel.text('#partition-summary-daily_counts'), 'daily_counts: 28 materialized, 2 failed, 1 missing');
    assert.equal(await panel.text('#backfill-progress'), '28/31 runs succeeded · 2 failed · 1 queued');
  }],

  ['a canceled backfill: canceled runs are their own count, bar segment and partition colour, never failed or done (details-canceled.png)', async (panel) => {
    const statuses = dailyKeys(31).map((_, i) => (i < 20 ? 'MATERIALIZED' : i === 20 ? 'FAILED' : i < 30 ? 'CANCELED' : 'MISSING'));
    const model = backfillDetailsModel({ statuses, canCancel: false });
    // The last run was never launched because its upstream failed: skipped, not canceled and not queued.
    model.progress = { ...model.progress, done: 31, queued: 0, skipped: 1, summary: '20/31 runs succeeded · 1 failed · 9 canceled · 1 skipped (upstream failed)' };
    model.targets[0] = { ...model.targets[0], queued: 0, skipped: 1 };
    await panel.sendModel(model);
    assert.equal(await panel.text('#backfill-progress'), '20/31 runs succeeded · 1 failed · 9 canceled · 1 skipped (upstream failed)');
    const segments = await panel.page.$$eval('#backfill-progress-bar .progress-segment', (all) => all.map((s) => {
      const bar = s.parentElement.getBoundingClientRect().width;
      return [s.dataset.outcome, s.hidden ? 0 : Math.round((s.getBoundingClientRect().width / bar) * 31), s.title, getComputedStyle(s).backgroundColor];
    }));
    assert.deepEqual(segments, [
      ['succeeded', 20, '20 succeeded', 'rgb(46, 164, 79)'],
      ['failed', 1, '1 failed', 'rgb(229, 72, 77)'],
      ['canceled', 9, '9 canceled', 'rgb(139, 148, 158)'],
      ['skipped', 1, '1 skipped (upstream failed)', 'rgb(139, 148, 158)'],
      ['inProgress', 0, '0 running', 'rgb(59, 130, 246)'],
    ]);
    assert.deepEqual(await panel.page.$eval('#backfill-progress-bar', (b) => [b.getAttribute('role'), b.getAttribute('aria-valuenow'), b.getAttribute('aria-valuemax')]), ['progressbar', '31', '31']);
    const counts = await panel.page.$$eval('#target-counts tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    assert.deepEqual(counts[0], ['daily_counts', '31', '0', '20', '1', '9', '0', '1']);
    assert.equal(await panel.page.getAttribute('#target-counts th:last-child', 'title'), 'Never launched: an upstream run failed');
    assert.equal(await panel.text('#partition-summary-daily_counts'), 'daily_counts: 20 materialized, 1 failed, 9 canceled, 1 missing');
    const legend = await panel.page.$$eval('.partition-legend-item', (items) => items.map((i) => i.textContent));
    assert.deepEqual(legend, ['materialized', 'in progress', 'failed', 'canceled', 'missing']);
    const daily = await pointedStatuses(panel, 'daily_counts');
    assert.deepEqual(daily.statuses, statuses);
    assert.deepEqual(daily.wrongColour, []);
    // Canceled is the neutral grey at full strength; missing is the same grey faded; neither is red.
    assert.deepEqual([...new Set(daily.samples.filter((p) => p.status === 'CANCELED' || p.status === 'MISSING').map((p) => `${p.status} ${p.alpha}`))].sort(), ['CANCELED 255', 'MISSING 115']);
    assert.ok(daily.samples.filter((p) => p.status === 'CANCELED').every((p) => !hasColourOf(p.rgb, 'FAILED')));
    const canceled = daily.samples.find((p) => p.key === '2024-01-25');
    await panel.page.mouse.move(canceled.x, canceled.y);
    assert.equal(await readoutText(panel, 'daily_counts'), '2024-01-25: canceled');
    fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
    await panel.page.screenshot({ path: screenshotPath.replace('details.png', 'details-canceled.png'), fullPage: true });
  }],

  ['100,000 hourly partitions draw as a few wrapped bars with a bounded number of nodes; pointing and keys name the right partition', async (panel) => {
    const model = backfillDetailsModel();
    const keys = hourlyKeys(100_000);
    const statuses = keys.map((_, i) => (i === 61_234 ? 'FAILED' : i < 60_000 ? 'MATERIALIZED' : i < 70_000 ? 'IN_PROGRESS' : 'MISSING'));
    model.partitions[0] = { target: 'daily_counts', keys: encodePartitionKeyList(keys), statusRuns: encodeStatusRunsForTest(statuses) };
    await panel.sendModel(model);
    assert.equal(await panel.text('#partition-summary-daily_counts'), 'daily_counts: 60,000 materialized, 9,999 in progress, 1 failed, 30,000 missing');
    const nodes = await panel.page.$$eval('#partitions-section *', (all) => all.length);
    assert.ok(nodes < 40, `${nodes} nodes in the partitions section`);
    const height = await panel.page.$eval(canvasSelector('daily_counts'), (c) => c.getBoundingClientRect().height);
    assert.ok(height > 60 && height < 200, `the strip is ${height}px tall: it wraps into several rows, not one bar or hundreds`);
    // Pointing along each row: the keys named only move forward, from the first partition to the last, and every
    // pixel has the colour of the partition named or of one of the few sharing its pixel (about 14 here).
    const samples = await pointAtPaintedPixels(panel, 'daily_counts', { rowStep: 6 });
    const index = new Map(keys.map((k, i) => [k, i]));
    const named = samples.map((p) => index.get(p.key));
    assert.ok(named.every((i) => i !== undefined), 'every pixel names a partition');
    // Each pixel line moves forward through the keys, and each line starts at or past where the line above started.
    const backwards = samples.filter((p, j) => j > 0 && p.y === samples[j - 1].y && named[j] < named[j - 1]).map((p) => `${p.key} at ${p.x},${p.y}`);
    assert.deepEqual(backwards, [], 'pointing left to right along a row moves forward through the keys');
    const lineStarts = samples.filter((p, j) => j === 0 || p.y !== samples[j - 1].y).map((p) => index.get(p.key));
    assert.ok(lineStarts.every((i, j) => j === 0 || i >= lineStarts[j - 1]), `rows start in order: ${lineStarts}`);
    assert.ok(new Set(lineStarts).size >= 4, `the strip wraps into rows: ${lineStarts}`);
    assert.ok(named[0] < 20, `the first pixel names partition ${named[0]}`);
    assert.ok(named.at(-1) > 99_950, `the last pixel names partition ${named.at(-1)}`);
    const near = (i, status) => statuses.slice(Math.max(0, i - 20), i + 21).includes(status);
    assert.deepEqual(samples.filter((p, j) => !STATUS_NAMES.some((s) => hasColourOf(p.rgb, s) && near(named[j], s))), []);
    // The lone failure is a visible pixel, where it belongs.
    const red = samples.filter((p) => hasColourOf(p.rgb, 'FAILED'));
    assert.ok(red.length > 0 && red.every((p) => Math.abs(index.get(p.key) - 61_234) < 30), 'the lone failed partition shows where it is');
    // The keyboard reaches every partition: End, then Left, Up (a row back) and Page Down (a tenth) from there.
    await panel.page.focus(canvasSelector('daily_counts'));
    const aria = () => panel.page.$eval(canvasSelector('daily_counts'), (c) => [c.getAttribute('aria-valuenow'), c.getAttribute('aria-valuetext')]);
    await panel.page.keyboard.press('End');
    assert.deepEqual(await aria(), ['99999', `${keys[99_999]}: missing`]);
    await panel.page.keyboard.press('Home');
    for (let i = 0; i < 6; i++) await panel.page.keyboard.press('PageDown');
    for (let i = 0; i < 3; i++) await panel.page.keyboard.press('ArrowRight');
    assert.deepEqual(await aria(), ['60003', `${keys[60_003]}: in progress`]);
    assert.equal(await readoutText(panel, 'daily_counts'), `${keys[60_003]}: in progress`);
    await panel.page.keyboard.press('ArrowDown');
    const [below] = await aria();
    assert.ok(Number(below) > 60_003 + 10_000 && Number(below) < 60_003 + 15_000, `Down moves a row (${below})`);
    await panel.page.locator('#partitions-section').screenshot({ path: screenshotPath.replace('details.png', 'details-strip-100k.png') });
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
    const daily = await pointedStatuses(panel, 'daily_counts');
    assert.deepEqual(daily.statuses, expandStatusRuns(model.partitions[0].statusRuns));
    assert.deepEqual(daily.wrongColour, []);
  }],

  ['rejects a malformed model with an error naming the field, keeping what is shown', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    const bad = backfillDetailsModel();
    bad.partitions[0].statusRuns[0][1] += 1;
    bad.title = 'should not be shown';
    await panel.send({ type: 'backfillDetailsLoaded', model: bad });
    await panel.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await panel.text('.error-banner-text'),
      'Ignored a message from the extension: backfillDetailsLoaded.model.partitions[0].statusRuns cover 32 partitions but there are 31');
    assert.notEqual(await panel.text('.details-title'), 'should not be shown');
  }],

  ['rejects partition keys sent as a plain array or as a list that does not hold its count', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    const asArray = backfillDetailsModel();
    asArray.partitions[0].keys = dailyKeys(31);
    await panel.send({ type: 'backfillDetailsLoaded', model: asArray });
    await panel.page.waitForSelector('.error-banner:not([hidden])');
    assert.equal(await panel.text('.error-banner-text'),
      'Ignored a message from the extension: backfillDetailsLoaded.model.partitions[0].keys must be an object {count, runs, text}');
    const forged = backfillDetailsModel();
    forged.partitions[1].keys = { ...forged.partitions[1].keys, count: 6 };
    await panel.send({ type: 'backfillDetailsLoaded', model: forged });
    await panel.page.waitForFunction(() => /partitions\[1\]\.keys holds 5 keys but count is 6/.test(document.querySelector('.error-banner-text').textContent));
    assert.equal(await panel.text('#partition-summary-weekly_rollup'), 'weekly_rollup: 2 materialized, 3 missing');
  }],

  ['the strip takes the keyboard: Tab reaches it, arrows move a cursor that is drawn and announced', async (panel) => {
    await panel.sendModel(backfillDetailsModel());
    const canvas = canvasSelector('daily_counts');
    const cells = await pointAtPaintedPixels(panel, 'daily_counts');
    // Shift+Tab back from the runs, past the failure group's link, reaches the last strip first.
    await panel.page.focus('#runs-viewport');
    for (let i = 0; i < 6 && !(await panel.page.evaluate(() => document.activeElement?.id ?? '')).startsWith('partition-canvas-'); i++) {
      await panel.page.keyboard.press('Shift+Tab');
    }
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'partition-canvas-weekly_rollup');
    await panel.page.keyboard.press('Shift+Tab');
    assert.equal(await panel.page.evaluate(() => document.activeElement?.id), 'partition-canvas-daily_counts');
    const state = () => panel.page.$eval(canvas, (c) => ({ role: c.getAttribute('role'), label: c.getAttribute('aria-label'), now: c.getAttribute('aria-valuenow'),
      text: c.getAttribute('aria-valuetext'), live: document.getElementById('partition-readout-daily_counts').getAttribute('aria-live') }));
    let s = await state();
    assert.deepEqual([s.role, s.now, s.text, s.live], ['slider', '0', '2024-01-01: materialized', 'polite']);
    assert.match(s.label, /^daily_counts partitions\. Arrow keys move/);
    assert.equal(await panel.page.$eval(canvas, (c) => document.getElementById(c.getAttribute('aria-describedby')).textContent),
      'daily_counts: 27 materialized, 2 in progress, 1 failed, 1 missing');
    for (let i = 0; i < 14; i++) await panel.page.keyboard.press('ArrowRight');
    s = await state();
    assert.deepEqual([s.now, s.text], ['14', '2024-01-15: failed']);
    assert.equal(await readoutText(panel, 'daily_counts'), '2024-01-15: failed');
    await panel.page.screenshot({ path: screenshotPath.replace('details.png', 'details-strip-keyboard.png'), clip: await panel.page.locator('#partitions-section').boundingBox() });
    // The cursor is drawn: a frame in the theme's focus colour round the cell, clear of the cell's own colour.
    const cell = cells.filter((p) => p.key === '2024-01-15');
    const left = Math.min(...cell.map((p) => p.cx));
    const top = Math.min(...cell.map((p) => p.cy));
    const frame = await panel.page.$eval(canvas, (c, [x, y]) => [...c.getContext('2d').getImageData(x, y, 1, 1).data.slice(0, 3)].join(','), [left - 2, top - 2]);
    assert.equal(frame, '0,120,212', `pixel left of the cursor's cell at ${left},${top}`);
    await panel.page.keyboard.press('End');
    assert.deepEqual([(await state()).now, await readoutText(panel, 'daily_counts')], ['30', '2024-01-31: missing']);
    await panel.page.keyboard.press('ArrowUp');
    assert.equal((await state()).now, '0', 'Up goes back a row: all 31 fit in one, so to the first');
    assert.deepEqual(await panel.cspViolations(), []);
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
