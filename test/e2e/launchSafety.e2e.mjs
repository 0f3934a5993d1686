// End to end as a user: a launch is never an accident. The Launch panel opens with nothing chosen and Enter in it
// never launches; a launch above backfillStudio.launch.confirmAboveRuns (100) asks in a modal with the run count,
// from the panel and from the palette's quick picks, and cancelling launches nothing; a click on Launch while a
// status refresh re-plans the panel launches the plan shown, opening its details and one notification.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWebviewFrame, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane } from '../harness/browser.mjs';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
const detailsTabs = (page) => page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ });
const launchedToasts = (page) => page.locator('.notifications-toasts .notification-toast', { hasText: /Backfill [a-z]{8} launched:/ });
const dialog = (page) => page.locator('.monaco-dialog-box');
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');

/** The backfills in the workspace's state (earlier test files leave theirs, and their details tabs, open). */
function backfillIds(workspace) {
  const list = spawnSync(process.execPath, [CLI, 'list', '--json', '-w', workspace], { encoding: 'utf8' });
  assert.equal(list.status, 0, list.stderr);
  return JSON.parse(list.stdout).backfills.map((b) => b.id);
}

/** The Launch panel's frame, found again each time (a hidden tab's webview may be recreated). */
const launchFrame = (page) => findWebviewFrame(page, '#launch-button', 30000);

async function showLaunchTab(page) {
  await page.locator('.tabs-container .tab', { hasText: 'Launch daily_counts' }).first().click();
  return launchFrame(page);
}

export const tests = [
  {
    name: 'Enter in the panel never launches',
    async run(page, { baseUrl, workspace, resultsDir }) {
      const before = { backfills: backfillIds(workspace), tabs: 0 };
      // Runs take a second each here, so the backfill of the last test is still running when Launch is clicked.
      const yaml = path.join(workspace, 'backfills.yaml');
      fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace('"{partition_key}"]', '"{partition_key}", "--delay", "1"]'));
      page.setDefaultNavigationTimeout(120000);
      await openWorkbench(page, baseUrl, workspace, 120000);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Open Launch Panel');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      const frame = await launchFrame(page);
      await frame.locator('.launch-title', { hasText: 'Launch a backfill of daily_counts' }).waitFor({ timeout: 30000 });
      before.tabs = await detailsTabs(page).count();
      // Nothing chosen, Missing only, and focus on the first partition mode (Range), not on All or a button.
      await frame.locator('#partition-mode-range:focus').waitFor({ timeout: 15000 });
      assert.equal(await frame.locator('input[name="partition-mode"]:checked').count(), 0);
      assert.equal(await frame.locator('#reprocess-missing').isChecked(), true);
      await frame.locator('#plan-headline', { hasText: 'No plan yet' }).waitFor({ timeout: 15000 });
      assert.equal(await frame.locator('#launch-button').isDisabled(), true);
      assert.equal(await frame.locator('#launch-hint').innerText(), 'Choose partitions first: nothing is selected.');
      await page.keyboard.press('Enter');
      // Keyboard: Space chooses Range, Tab into its fields, type, and press Enter in every text field.
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2025-03-01');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2025-03-05');
      await frame.locator('#plan-headline', { hasText: '5 runs over 5 partitions · 2025-03-01...2025-03-05' }).waitFor({ timeout: 30000 });
      assert.equal(await frame.locator('#launch-button').innerText(), 'Launch 5 runs');
      for (const field of ['#range-from', '#range-to', '#concurrency', '#retries', '#tags']) {
        await frame.locator(field).press('Enter');
        // A launch from Enter would turn the button into "Launching…" at once, in the same task as the key press.
        assert.equal(await frame.locator('#launch-button').innerText(), 'Launch 5 runs', `Enter in ${field} started a launch`);
      }
      // A round trip through the host (a changed field is planned again) after the presses: still no backfill.
      await frame.locator('#range-to').fill('2025-03-04');
      await frame.locator('#launch-button', { hasText: 'Launch 4 runs' }).waitFor({ timeout: 30000 });
      await frame.locator('#range-to').fill('2025-03-05');
      await frame.locator('#launch-button', { hasText: 'Launch 5 runs' }).waitFor({ timeout: 30000 });
      assert.deepEqual(backfillIds(workspace), before.backfills, 'a backfill was launched');
      assert.equal(await detailsTabs(page).count(), before.tabs, 'a details panel was opened');
      assert.equal(await launchedToasts(page).count(), 0, 'a launch was announced');
      assert.equal(await frame.locator('.error-banner:not([hidden])').count(), 0);
      await saveScreenshot(page, resultsDir, 'launch-safety-enter');
    },
  },
  {
    name: 'a large launch asks (modal shows the run count; cancelling it launches nothing)',
    async run(page, { workspace, resultsDir }) {
      const before = { backfills: backfillIds(workspace), tabs: await detailsTabs(page).count() };
      const frame = await showLaunchTab(page);
      await frame.locator('#partition-mode-all').check();
      await frame.locator('#reprocess-all').check();
      const headline = frame.locator('#plan-headline', { hasText: /^[\d,]+ runs over [\d,]+ partitions · all partitions/ });
      await headline.waitFor({ timeout: 60000 });
      const runs = (await headline.innerText()).match(/^([\d,]+) runs/)[1];
      assert.ok(Number(runs.replace(/,/g, '')) > 100, `${runs} runs is not above the threshold of 100`);
      await frame.locator('#launch-button', { hasText: `Launch ${runs} runs` }).click();
      await dialog(page).filter({ hasText: `Launch ${runs} runs over ${runs} partitions of daily_counts?` }).waitFor({ timeout: 30000 });
      await saveScreenshot(page, resultsDir, 'launch-safety-confirm');
      await dialog(page).locator('.monaco-button', { hasText: 'Cancel' }).first().click();
      await dialog(page).waitFor({ state: 'hidden', timeout: 15000 });
      await frame.locator('.error-banner:not([hidden])', { hasText: `Not launched: the launch of ${runs} runs was not confirmed.` }).waitFor({ timeout: 15000 });
      assert.equal(await frame.locator('#launch-button').innerText(), `Launch ${runs} runs`);
      // Closing the dialog hands the focus back to the panel a moment later, which would close a quick pick opened
      // meanwhile: the focus goes to the panel first, and the palette opens once it is there.
      await frame.locator('.launch-title').click();
      await frame.waitForFunction(() => document.hasFocus(), undefined, { timeout: 15000 });
      // The palette's quick picks are a fast path to the same question: All partitions, Missing only (offered first).
      await runCommandFromPalette(page, 'Backfill Studio: Launch Backfill');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      await quickPickRow(page, 'All partitions').click({ timeout: 15000 });
      const first = page.locator('.quick-input-widget .quick-input-list .monaco-list-row').first();
      await first.filter({ hasText: 'Missing only' }).click({ timeout: 15000 });
      await dialog(page).filter({ hasText: /Launch [\d,]+ runs over [\d,]+ partitions of daily_counts\?/ }).waitFor({ timeout: 30000 });
      await page.keyboard.press('Escape');
      await dialog(page).waitFor({ state: 'hidden', timeout: 15000 });
      await frame.locator('#launch-button', { hasText: `Launch ${runs} runs` }).waitFor({ timeout: 15000 });
      assert.deepEqual(backfillIds(workspace), before.backfills, 'a cancelled launch started a backfill');
      assert.equal(await detailsTabs(page).count(), before.tabs, 'a cancelled launch opened a details panel');
      assert.equal(await launchedToasts(page).count(), 0, 'a cancelled launch was announced');
    },
  },
  {
    name: 'a click during a status refresh launches',
    async run(page, { resultsDir }) {
      // Another backfill running makes the panel re-plan on every status refresh (at most once a second). 31 runs is
      // under the threshold: no question; the launch opens its details and announces itself once.
      let frame = await showLaunchTab(page);
      await frame.locator('#partition-mode-range').check();
      // Ranges other test files do not touch, so their counts hold in a full run.
      await frame.locator('#range-from').fill('2025-06-01');
      await frame.locator('#range-to').fill('2025-07-01');
      await frame.locator('#reprocess-missing').check();
      await frame.locator('#launch-button', { hasText: 'Launch 31 runs' }).click({ timeout: 30000 });
      await detailsTabs(page).first().waitFor({ timeout: 30000 });
      await launchedToasts(page).filter({ hasText: '31 runs of daily_counts' }).waitFor({ timeout: 30000 });
      frame = await showLaunchTab(page);
      await frame.locator('#range-from').fill('2025-09-01');
      await frame.locator('#range-to').fill('2025-09-05');
      await frame.locator('#launch-button', { hasText: 'Launch 5 runs' }).waitFor({ timeout: 30000 });
      // Click at the moment a status refresh's re-plan starts (the preview says "Planning…" for the unchanged form).
      const atClick = await frame.evaluate(() => new Promise((resolve, reject) => {
        const status = document.getElementById('plan-status');
        const button = document.getElementById('launch-button');
        const timer = setTimeout(() => reject(new Error('no status refresh re-planned the panel within 60 s')), 60000);
        new MutationObserver((_, observer) => {
          if (status.textContent !== 'Planning…') return;
          observer.disconnect();
          clearTimeout(timer);
          const seen = { disabled: button.disabled, text: button.textContent };
          button.click();
          resolve({ ...seen, after: button.textContent });
        }).observe(status, { childList: true, characterData: true, subtree: true });
      }));
      assert.deepEqual(atClick, { disabled: false, text: 'Launch 5 runs', after: 'Launching…' }, 'the click during the re-plan was not taken');
      // The launch opens its details (which hides the Launch panel) and announces itself once, with a way back to them.
      const toast = launchedToasts(page).filter({ hasText: /launched: 5 runs of daily_counts, partitions 2025-09-01\.\.\.2025-09-05/ });
      await toast.waitFor({ timeout: 30000 });
      assert.equal(await toast.count(), 1, 'one notification for the launch');
      const id = (await toast.innerText()).match(/Backfill ([a-z]{8}) launched/)[1];
      await page.locator('.tabs-container .tab', { hasText: `Backfill ${id}` }).first().waitFor({ timeout: 30000 });
      assert.equal(await toast.locator('.monaco-button', { hasText: 'Show Details' }).count(), 1);
      await saveScreenshot(page, resultsDir, 'launch-safety-during-refresh');
    },
  },
];
