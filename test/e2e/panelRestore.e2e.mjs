// End to end as a user: the partitions grid opens at the newest days and a failed day's hover card carries its
// error; then the partitions and backfill details panels come back, with their content, after a window reload.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWebviewFrame, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane, waitForWorkbench } from '../harness/browser.mjs';
import { repoRoot } from '../harness/vscodeToolchain.mjs';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
const tab = (page, text) => page.locator('.tabs-container .tab', { hasText: text }).first();
const PARTITIONS_SUMMARY = '.partitions-summary';
const DETAILS_SUMMARY = '[id="partition-summary-daily_counts"]';

/**
 * The two newest days of daily_counts fail, as a terminal's CLI would record them: the pipeline's input is moved
 * away for the launch, so each run ends with Python's FileNotFoundError as its last line of stderr.
 */
function launchFailingNewestDays(workspace) {
  const csv = path.join(workspace, 'data', 'events.csv');
  fs.renameSync(csv, `${csv}.away`);
  try {
    const cli = spawnSync(process.execPath, [path.join(repoRoot, 'dist', 'cli.js'), 'asset', '--select', 'daily_counts', '--latest', '2', '--noprompt', '-w', workspace], { encoding: 'utf8', timeout: 120_000 });
    assert.equal(cli.status, 1, `the CLI backfill should fail (exit 1):\n${cli.stdout}\n${cli.stderr}`);
  } finally {
    fs.renameSync(`${csv}.away`, csv);
  }
}

/** Hovers the cells of the grid's last row from the right until the hover card names a key; returns its text. */
async function hoverLastDay(page, frame) {
  const box = await frame.locator('.partition-grid-canvas').first().boundingBox();
  const d = await frame.$eval('.partition-grid-scroller', (e) => ({ ...e.dataset, top: e.scrollTop, left: e.scrollLeft }));
  const row = Number(d.rows) - 1;
  for (let column = Number(d.columns) - 1; column >= 0; column--) {
    const x = box.x + Number(d.gutter) + column * Number(d.pitchX) + 4 - d.left;
    const y = box.y + Number(d.header) + row * Number(d.pitchY) + 4 - d.top;
    await page.mouse.move(x, y);
    const text = await frame.$eval('.partition-tooltip', (t) => (t.hidden ? null : t.textContent));
    if (text) return text;
  }
  throw new Error('no cell in the last row of the grid answered a hover');
}

export const tests = [
  {
    name: 'the partitions grid opens at the newest days, and hovering a failed day shows its error',
    async run(page, { baseUrl, workspace }) {
      launchFailingNewestDays(workspace);
      await openWorkbench(page, baseUrl, workspace);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Show Partitions');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      await tab(page, 'Partitions: daily_counts').waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, PARTITIONS_SUMMARY, 30000);
      await frame.waitForFunction((s) => / 2 failed/.test(document.querySelector(s).textContent), PARTITIONS_SUMMARY, { timeout: 30000 });
      const scroll = await frame.$eval('.partition-grid-scroller', (e) => ({ top: e.scrollTop, height: e.clientHeight, total: e.scrollHeight }));
      // Almost three years of days since 2024-01-01: the grid scrolls, and it opens at its end.
      assert.ok(scroll.total > scroll.height && scroll.top > 0 && scroll.top + scroll.height >= scroll.total - 2, `opened at the newest days: ${JSON.stringify(scroll)}`);
      // A toast (the missing-dagster warning of this interpreter, shown with the status item's "No Dagster") would
      // cover the grid's bottom right corner.
      await page.locator('.statusbar-item', { hasText: 'No Dagster' }).first().waitFor({ timeout: 60000 });
      await runCommandFromPalette(page, 'Notifications: Clear All Notifications');
      await page.locator('.notifications-toasts .notification-toast').first().waitFor({ state: 'hidden', timeout: 15000 });
      const card = await hoverLastDay(page, frame);
      assert.match(card, /^\d{4}-\d{2}-\d{2}: failed · last run /);
      assert.match(card, /\nFileNotFoundError: .*events\.csv/);
    },
  },
  {
    name: 'the partitions and details panels come back with their content after a window reload',
    async run(page, { workspace, resultsDir }) {
      await runCommandFromPalette(page, 'Backfill Studio: Show Backfill Details');
      // The command opens the one backfill at once, or asks which (earlier test files leave theirs): this file's
      // failed one.
      const details = tab(page, /^Backfill [a-z0-9]{8}/);
      const pick = page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: /Failed · daily_counts/ }).first();
      // The first use of the command loads the engine and reads the store: slow on a busy machine.
      await Promise.race([details.waitFor({ timeout: 90000 }), pick.waitFor({ timeout: 90000 }).then(() => pick.click())]);
      await details.waitFor({ timeout: 90000 });
      const before = await findWebviewFrame(page, DETAILS_SUMMARY, 30000);
      await before.waitForFunction((s) => /2 failed/.test(document.querySelector(s)?.textContent ?? ''), DETAILS_SUMMARY, { timeout: 30000 });
      const title = (await details.innerText()).trim();

      // Reload Window as a user does (the palette): VS Code saves the open editors and the webviews' states first.
      const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 60000 });
      await runCommandFromPalette(page, 'Developer: Reload Window');
      await reloaded;
      await waitForWorkbench(page);
      // The details panel was the active editor: it is shown again, rebuilt from its saved identity.
      await tab(page, title).waitFor({ timeout: 60000 });
      const restoredDetails = await findWebviewFrame(page, DETAILS_SUMMARY, 60000);
      await restoredDetails.waitForFunction((s) => /2 failed/.test(document.querySelector(s)?.textContent ?? ''), DETAILS_SUMMARY, { timeout: 60000 });
      await saveScreenshot(page, resultsDir, 'panel-restore-details');
      // The partitions panel is restored when its tab is shown.
      await tab(page, 'Partitions: daily_counts').click();
      const restoredGrid = await findWebviewFrame(page, PARTITIONS_SUMMARY, 60000);
      await restoredGrid.waitForFunction((s) => / 2 failed/.test(document.querySelector(s)?.textContent ?? ''), PARTITIONS_SUMMARY, { timeout: 60000 });
      assert.equal(await restoredGrid.$eval('.partition-grid-scroller', (e) => e.dataset.columns), '7');
      // It was at the newest days before the reload, and is again.
      await restoredGrid.waitForFunction(() => {
        const e = document.querySelector('.partition-grid-scroller');
        return e.scrollTop > 0 && e.scrollTop + e.clientHeight >= e.scrollHeight - 2;
      }, null, { timeout: 30000 });
      await saveScreenshot(page, resultsDir, 'panel-restore-partitions');
      assert.ok(fs.existsSync(path.join(workspace, '.backfills')));
    },
  },
];
