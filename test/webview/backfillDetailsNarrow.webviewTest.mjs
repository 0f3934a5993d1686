// Browser tests of the details panel in a split editor (600 px): whole partition keys in the runs table, and a
// row brought into view never hidden under the sticky header.
import * as assert from 'node:assert/strict';
import { backfillDetailsModel } from './backfillDetailsFixture.mjs';

/** Hourly keys ("2024-01-01-00:00"): the widest the partition column usually has to be. */
function hourlyModel() {
  const model = backfillDetailsModel();
  for (const [i, run] of model.runs.entries()) run.partitionKey = `${run.partitionKey}-${String(i % 24).padStart(2, '0')}:00`;
  return model;
}

export const backfillDetailsNarrowTests = [
  ['details at 600 px: the runs table shows whole partition keys, and the failed run keeps room for its error', async (panel) => {
    await panel.page.setViewportSize({ width: 600, height: 800 });
    await panel.send({ type: 'backfillDetailsLoaded', model: hourlyModel() });
    await panel.page.waitForSelector('#runs-table tr[data-run-id="run_0014"]');
    const cells = await panel.page.$$eval('#runs-table tr.run-row td.col-partition', (tds) => tds.map((td) => ({ text: td.textContent, clipped: td.scrollWidth > td.clientWidth })));
    assert.ok(cells.length > 5);
    assert.deepEqual(cells.filter((c) => c.clipped), [], 'no partition key is cut');
    const error = await panel.page.$eval('#runs-table tr[data-run-id="run_0014"] td.col-error', (td) => td.getBoundingClientRect().width);
    assert.ok(error >= 60, `the error column keeps ${error} px`);
    const page = await panel.page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
    assert.ok(page.scroll <= page.client, `the panel does not scroll sideways (${page.scroll} > ${page.client})`);
  }, { view: 'backfillDetails' }],

  ['details at 600 px: a row focused from above the view (its log button) sits below the one-line sticky header', async (panel) => {
    await panel.page.setViewportSize({ width: 600, height: 800 });
    await panel.send({ type: 'backfillDetailsLoaded', model: hourlyModel() });
    await panel.page.waitForSelector('#runs-table tr[data-run-id="run_0010"]');
    await panel.page.$eval('#runs-viewport', (v) => { v.scrollTop = 11 * 26 + 10; });
    await panel.page.waitForFunction(() => document.getElementById('runs-viewport').scrollTop > 11 * 26);
    await panel.page.focus('#runs-table tr[data-run-id="run_0010"] button.run-log-button');
    const { row, header } = await panel.page.evaluate(() => ({
      row: document.querySelector('#runs-table tr[data-run-id="run_0010"]').getBoundingClientRect().top,
      header: document.querySelector('#runs-table thead').getBoundingClientRect().bottom,
    }));
    assert.ok(row >= header - 1, `the focused row (top ${row}) is not under the header (bottom ${header})`);
  }, { view: 'backfillDetails' }],
];
