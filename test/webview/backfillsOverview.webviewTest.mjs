// Browser tests of the backfills overview: rendering, filters, opening details, state and hostile messages.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';

const resultsDir = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../test-results/webview');
const view = { view: 'backfills' };

const WORDS = { REQUESTED: 'In progress', COMPLETED_FAILED: 'Failed', COMPLETED_SUCCESS: 'Success' };

function row(id, status, statusTone, targets, selection, progress) {
  return { backfillId: id, status, statusLabel: WORDS[status], statusTone, targets, selection, progress, createdAt: 'Feb 1, 2024, 9:15 AM', duration: '4m 12s', parentId: null, deployment: null };
}

export const overviewModel = {
  backfills: [
    row('qwertyui', 'REQUESTED', 'inProgress', ['daily_counts'], '2024-01-01...2024-01-31', '12/31 runs · 2 running'),
    row('asdfghjk', 'COMPLETED_FAILED', 'failed', ['daily_counts', 'weekly_rollup'], 'latest 7', '5/7 runs · 2 failed'),
    row('zxcvbnmm', 'COMPLETED_SUCCESS', 'success', ['events'], '2024-02-01', '1/1 runs'),
  ],
};

const shownIds = (panel) => panel.page.$$eval('#backfills-table tbody tr', (rows) => rows.map((r) => r.dataset.backfillId));

export const backfillsOverviewTests = [
  ['overview: a backfill on a Dagster deployment reads "on prod" and is found by the deployment\'s name', async (panel) => {
    const remote = { ...row('nwasbkfl', 'FAILING', 'failed', ['orders', 'order_items'], '2026-11-01...2026-11-03', 'on prod'), statusLabel: 'Failing', deployment: 'prod' };
    await panel.send({ type: 'backfillsListed', model: { backfills: [remote, ...overviewModel.backfills] } });
    await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 4);
    assert.deepEqual(await panel.page.$$eval('#backfills-table tbody tr:nth-child(1) td', (c) => c.slice(0, 5).map((x) => x.textContent)),
      ['nwasbkfl', 'Failing', 'orders, order_items', '2026-11-01...2026-11-03', 'on prod']);
    await panel.page.fill('#filter-text', 'prod');
    assert.deepEqual(await shownIds(panel), ['nwasbkfl']);
  }, view],

  ['overview: lists every backfill with status, targets, partitions and progress', async (panel) => {
    await panel.send({ type: 'backfillsListed', model: overviewModel });
    await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 3);
    assert.deepEqual(await panel.page.$$eval('#backfills-table tbody tr:nth-child(2) td', (c) => c.map((x) => x.textContent)),
      ['asdfghjk', 'Failed', 'daily_counts, weekly_rollup', 'latest 7', '5/7 runs · 2 failed', 'Feb 1, 2024, 9:15 AM', '4m 12s']);
    assert.equal(await panel.text('#backfills-count'), '3 of 3 backfills');
    await panel.page.screenshot({ path: path.join(resultsDir, 'backfills-overview.png'), fullPage: true });
    assert.deepEqual(await panel.cspViolations(), []);
  }, view],

  ['overview: status, target and text filters combine; the state survives a reload', async (panel) => {
    await panel.send({ type: 'backfillsListed', model: overviewModel });
    await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 3);
    await panel.page.selectOption('#filter-target', 'daily_counts');
    assert.deepEqual(await shownIds(panel), ['qwertyui', 'asdfghjk']);
    await panel.page.selectOption('#filter-status', 'failed');
    assert.deepEqual(await shownIds(panel), ['asdfghjk']);
    await panel.page.selectOption('#filter-status', '');
    await panel.page.fill('#filter-text', '2024-01');
    assert.deepEqual(await shownIds(panel), ['qwertyui']);
    assert.equal(await panel.text('#backfills-count'), '1 of 3 backfills');
    await panel.page.reload();
    await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 1);
    assert.equal(await panel.page.inputValue('#filter-text'), '2024-01');
    assert.deepEqual(await shownIds(panel), ['qwertyui']);
  }, view],

  ['overview: a row (or Enter on its id) opens the backfill', async (panel) => {
    await panel.send({ type: 'backfillsListed', model: overviewModel });
    await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 3);
    await panel.page.click('#backfills-table tr[data-backfill-id="zxcvbnmm"] td:nth-child(3)');
    await panel.page.focus('#backfills-table tr[data-backfill-id="asdfghjk"] button');
    await panel.page.keyboard.press('Enter');
    assert.deepEqual((await panel.posted()).slice(1), [{ type: 'openBackfill', backfillId: 'zxcvbnmm' }, { type: 'openBackfill', backfillId: 'asdfghjk' }]);
  }, view],

  ['overview: malformed lists are dropped', async (panel) => {
    await panel.send({ type: 'backfillsListed', model: overviewModel });
    await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 3);
    await panel.send({ type: 'backfillsListed', model: { backfills: [{ ...overviewModel.backfills[0], statusTone: 'on-fire' }] } });
    await panel.send({ type: 'backfillsListed', model: { backfills: 'all of them' } });
    await panel.page.waitForTimeout(50);
    assert.deepEqual(await shownIds(panel), ['qwertyui', 'asdfghjk', 'zxcvbnmm']);
    panel.pageErrors.length = 0;
  }, view],
];
