// End to end as a user: open the launch panel from the palette, pick February's first ten days, watch the live
// plan, click Launch, watch the details panel fill in, then look at the panels in light, dark and
// high-contrast themes (screenshots in test-results/e2e/).
import * as assert from 'node:assert/strict';
import { findWebviewFrame, followTextUntil, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane } from '../harness/browser.mjs';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
const SUMMARY = '[id="partition-summary-daily_counts"]';
/** code-server's default here is Light Modern, so the first screenshots are the light ones. */
const THEMES = [['light', 'Light Modern'], ['dark', 'Dark Modern'], ['high-contrast', 'Dark High Contrast']];

/** Preferences: Color Theme through the palette; rows that browse the marketplace (no network here) are avoided. */
async function selectTheme(page, name) {
  const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  await page.keyboard.press('Escape');
  await page.keyboard.press('F1');
  await page.locator('.quick-input-widget input.input').fill('>Preferences: Color Theme');
  await rows.filter({ hasText: 'Color Theme' }).filter({ hasNotText: /Marketplace|Browse|Product Icon|File Icon/ }).first().click({ timeout: 15000 });
  await page.locator('.quick-input-widget input.input').fill(name);
  await rows.filter({ hasText: name }).filter({ hasNotText: 'Browse' }).first().click({ timeout: 15000 });
  await page.locator('.quick-input-widget').waitFor({ state: 'hidden', timeout: 15000 });
  await page.waitForTimeout(800);
}

/** Clicks the tab whose label is exactly `title` (a string would also match "backfills.yaml" for "Backfills"). */
async function showTab(page, title) {
  const exact = typeof title === 'string' ? new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) : title;
  await page.locator('.tabs-container .tab', { has: page.locator('.label-name', { hasText: exact }) }).first().click();
}

export const tests = [
  {
    name: 'Open Launch Panel shows daily_counts with a live plan preview',
    async run(page, { baseUrl, workspace, resultsDir }) {
      // Two cores shared with other test runs: the first load of the workbench can take over 30 s.
      page.setDefaultNavigationTimeout(120000);
      await openWorkbench(page, baseUrl, workspace, 120000);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Open Launch Panel');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: 'Launch daily_counts' }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, '#plan-headline', 30000);
      await frame.locator('.launch-title', { hasText: 'Launch a backfill of daily_counts' }).waitFor({ timeout: 15000 });
      // Keyboard only: nothing is chosen and the first mode, Range, has focus; Space chooses it, tab into the fields, type.
      await frame.locator('#partition-mode-range:focus').waitFor({ timeout: 15000 });
      await page.keyboard.press('Space');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2024-02-01');
      await page.keyboard.press('Tab');
      await page.keyboard.type('2024-02-10');
      await frame.locator('#plan-headline', { hasText: '10 runs over 10 partitions · 2024-02-01...2024-02-10' }).waitFor({ timeout: 30000 });
      assert.equal(await frame.locator('#launch-button').innerText(), 'Launch 10 runs');
      // A bad key is reported next to the field by the host's planner, then fixed.
      await frame.locator('#range-to').fill('2024-02-31');
      await frame.locator('#range-to-error', { hasText: '2024-02-31' }).waitFor({ timeout: 30000 });
      await frame.locator('#range-to').fill('2024-02-10');
      await frame.locator('#plan-headline', { hasText: '10 runs over 10 partitions' }).waitFor({ timeout: 30000 });
      await saveScreenshot(page, resultsDir, 'launch-panel-light');
    },
  },
  {
    name: 'Launch launches the previewed plan and the details panel updates until 10 materialized',
    async run(page, { resultsDir }) {
      const launchFrame = await findWebviewFrame(page, '#range-to');
      // 10 runs is under backfillStudio.launch.confirmAboveRuns (100): no question.
      await launchFrame.locator('#launch-button', { hasText: 'Launch 10 runs' }).click();
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, SUMMARY, 30000);
      const seen = await followTextUntil(frame, SUMMARY, 'daily_counts: 10 materialized', 'the details panel');
      console.log(`details summaries seen: ${seen.join(' | ')}`);
      assert.ok(seen.length >= 2, `the details panel did not update live: ${seen.join(' | ')}`);
      await frame.locator('#backfill-status', { hasText: 'Success' }).waitFor({ timeout: 30000 });
      assert.equal(await frame.locator('#runs-table tr.run-row').count(), 10);
      assert.equal(await frame.locator('#reexecute-backfill').isVisible(), true);
      await saveScreenshot(page, resultsDir, 'details-panel-light');
    },
  },
  {
    name: 'the backfills overview lists the launches and filters them',
    async run(page, { resultsDir }) {
      await runCommandFromPalette(page, 'Backfill Studio: Show Backfills Overview');
      const frame = await findWebviewFrame(page, '#backfills-table', 30000);
      await frame.locator('#backfills-table tbody tr', { hasText: '2024-02-01...2024-02-10' }).first().waitFor({ timeout: 30000 });
      await frame.locator('#filter-text').fill('2024-02');
      await frame.locator('#backfills-count', { hasText: /^1 of \d+ backfills$/ }).waitFor({ timeout: 15000 });
      await saveScreenshot(page, resultsDir, 'backfills-overview-light');
      await frame.locator('#filter-text').fill('');
    },
  },
  {
    name: 'screenshots of the three panels in dark and high-contrast themes',
    async run(page, { resultsDir }) {
      for (const [slug, theme] of THEMES.slice(1)) {
        await selectTheme(page, theme);
        for (const [tab, selector, name] of [['Backfills', '#backfills-table', 'backfills-overview'], ['Launch daily_counts', '#plan-headline', 'launch-panel'], [/^Backfill [a-z]{8}/, SUMMARY, 'details-panel']]) {
          await showTab(page, tab);
          const frame = await findWebviewFrame(page, selector, 30000);
          await frame.locator(selector).first().waitFor({ timeout: 30000 });
          await page.waitForTimeout(500);
          await saveScreenshot(page, resultsDir, `${name}-${slug}`);
        }
      }
      await selectTheme(page, THEMES[0][1]);
      assert.equal(await page.locator('.monaco-workbench.vs').count(), 1, 'back in the light theme');
    },
  },
];
