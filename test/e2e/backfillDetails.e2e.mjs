// End to end as a user: Launch Backfill through the palette's quick picks, then read the partition grid of
// the Backfill Details webview and keep a screenshot of it.
import * as assert from 'node:assert/strict';
import { findWebviewFrame, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane } from '../harness/browser.mjs';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();

export const tests = [
  {
    name: 'Launch Backfill from the palette runs 31 partitions of daily_counts',
    async run(page, { baseUrl, workspace }) {
      await openWorkbench(page, baseUrl, workspace);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Launch Backfill');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      await quickPickRow(page, 'Range…').click({ timeout: 15000 });
      const input = page.locator('.quick-input-widget input.input');
      await input.fill('2024-01-01...2024-01-31');
      await page.keyboard.press('Enter');
      const launch = page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Launch' }).first();
      await page.locator('.monaco-dialog-box', { hasText: 'Launch 31 runs over 31 partitions of daily_counts?' }).waitFor({ timeout: 15000 });
      await launch.click();
      const done = page.locator('.notifications-toasts .notification-toast', { hasText: /Backfill [a-z]{8} succeeded: 31\/31 runs succeeded/ });
      await done.waitFor({ state: 'visible', timeout: 90000 });
    },
  },
  {
    name: 'the Backfills view and the details panel show every partition materialized',
    async run(page, { resultsDir }) {
      const row = page.locator('.sidebar .monaco-list-row', { hasText: 'daily_counts · 2024-01-01...2024-01-31' }).first();
      await row.waitFor({ state: 'visible', timeout: 15000 });
      assert.match(await row.innerText(), /COMPLETED_SUCCESS · 31\/31 runs/);
      await row.click();
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, '[id="partition-summary-daily_counts"]', 30000);
      const summary = frame.locator('[id="partition-summary-daily_counts"]');
      await frame.waitForFunction(() => /31 materialized/.test(document.getElementById('partition-summary-daily_counts')?.textContent ?? ''), null, { timeout: 30000 });
      assert.match(await summary.innerText(), /daily_counts: 31 materialized/);
      const cells = await frame.locator('[data-status="MATERIALIZED"]').count();
      assert.equal(cells, 31, 'one green cell per partition');
      await page.waitForTimeout(500);
      await saveScreenshot(page, resultsDir, 'backfill-details');
    },
  },
];
