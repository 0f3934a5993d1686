// End to end as a user: Launch Backfill through the palette's quick picks, open the running backfill from the
// Backfills view, watch the partition strip of the details webview fill in, and keep a screenshot of it.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWebviewFrame, followTextUntil, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane } from '../harness/browser.mjs';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
const SUMMARY = '[id="partition-summary-daily_counts"]';
const backfillRow = (page) => page.locator('.sidebar .monaco-list-row', { hasText: '2024-01-01...2024-01-31' }).first();

export const tests = [
  {
    name: 'Launch Backfill from the palette starts 31 runs of daily_counts',
    async run(page, { baseUrl, workspace }) {
      // Each run takes a little while here (the pipeline's --delay), so the panel can be watched mid-backfill.
      const yaml = path.join(workspace, 'backfills.yaml');
      fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('"{partition_key}"]', '"{partition_key}", "--delay", "0.4"]'));
      await openWorkbench(page, baseUrl, workspace);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Launch Backfill');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      await quickPickRow(page, 'Range…').click({ timeout: 15000 });
      await page.locator('.quick-input-widget input.input').fill('2024-01-01...2024-01-31');
      await page.keyboard.press('Enter');
      // 31 runs is under backfillStudio.launch.confirmAboveRuns (100): no question; the details open by themselves.
      await quickPickRow(page, 'All selected partitions').click({ timeout: 15000 });
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      await page.locator('.notifications-toasts .notification-toast', { hasText: /Backfill [a-z]{8} launched: 31 runs of daily_counts/ }).waitFor({ timeout: 30000 });
      await backfillRow(page).waitFor({ state: 'visible', timeout: 15000 });
    },
  },
  {
    name: 'the details panel grid updates while runs finish, ending with 31 materialized',
    async run(page, { resultsDir }) {
      await backfillRow(page).click();
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, SUMMARY, 30000);
      const seen = await followTextUntil(frame, SUMMARY, 'daily_counts: 31 materialized', 'the grid');
      console.log(`grid summaries seen: ${seen.join(' | ')}`);
      assert.ok(seen.length >= 2 && /in progress|missing/.test(seen[0]), `the grid did not update live: ${seen.join(' | ')}`);
      // The strip is one canvas: every painted pixel is green, and pointing at the first and last cells names them.
      const canvas = frame.locator('[id="partition-canvas-daily_counts"]');
      assert.equal(await canvas.getAttribute('aria-valuemax'), '30', '31 partitions on the strip');
      const painted = await canvas.evaluate((c) => {
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const colours = new Set();
        for (let p = 0; p < d.length; p += 4) if (d[p + 3] > 0) colours.add(`${d[p]},${d[p + 1]},${d[p + 2]}`);
        return [...colours];
      });
      assert.deepEqual(painted, ['46,164,79'], 'all partitions painted materialized green');
      const readout = frame.locator('[id="partition-readout-daily_counts"]');
      await canvas.hover({ position: { x: 9, y: 9 } });
      assert.equal(await readout.textContent(), '2024-01-01: materialized');
      await canvas.focus();
      await page.keyboard.press('End');
      assert.equal(await readout.textContent(), '2024-01-31: materialized');
      await page.locator('.notifications-toasts .notification-toast', { hasText: /Backfill [a-z]{8}: Success\. 31\/31 runs succeeded\./ }).waitFor({ timeout: 30000 });
      await backfillRow(page).filter({ hasText: '31/31 runs' }).waitFor({ timeout: 15000 });
      assert.match(await backfillRow(page).getAttribute('aria-label'), /, Success, 31 of 31 runs succeeded/);
      await page.waitForTimeout(500);
      await saveScreenshot(page, resultsDir, 'backfill-details');
    },
  },
];
