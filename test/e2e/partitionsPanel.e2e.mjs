// End to end as a user: Show Partitions from the palette, brush-select a week on the calendar, launch it, watch
// the cells turn green, and keep screenshots in dark, light and high-contrast themes.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWebviewFrame, gridCellColours, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, scrollGridToStart, sideBarPane } from '../harness/browser.mjs';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
const SUMMARY = '.partitions-summary';
let frame;

/** Main-page coordinates of the centre of a grid cell (the canvas is drawn; its geometry is on the scroller's data-*). */
async function cellPoint(row, column) {
  const box = await frame.locator('.partition-grid-canvas').first().boundingBox();
  const d = await frame.$eval('.partition-grid-scroller', (e) => ({ ...e.dataset, top: e.scrollTop, left: e.scrollLeft }));
  const half = (Number(d.pitchY) - 2) / 2;
  return { x: box.x + Number(d.gutter) + column * Number(d.pitchX) + half - d.left, y: box.y + Number(d.header) + row * Number(d.pitchY) + half - d.top };
}

/** The grid canvas pixel at a cell, and the colour the panel uses for a status, both as [r, g, b]. */
async function cellColour(row, column, status) {
  const { drawn, colours } = await gridCellColours(frame, 0, row, column);
  return { drawn, expected: colours[status] };
}

async function setTheme(workspace, theme, bodyClass, page) {
  const dir = path.join(workspace, '.vscode');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'settings.json'), JSON.stringify({ 'workbench.colorTheme': theme }, null, 2));
  await frame.waitForFunction((c) => document.body.classList.contains(c), bodyClass, { timeout: 30000 });
  await page.waitForTimeout(700);
}

/** The theme colours the panel maps its statuses to, as VS Code defines them in the current theme. */
function themeColours() {
  return frame.evaluate(() => Object.fromEntries(['--vscode-charts-green', '--vscode-charts-blue', '--vscode-charts-red', '--vscode-disabledForeground', '--vscode-testing-iconPassed', '--vscode-testing-iconFailed']
    .map((v) => [v, getComputedStyle(document.documentElement).getPropertyValue(v).trim()])));
}

export const tests = [
  {
    name: 'Show Partitions from the palette opens the calendar of daily_counts',
    async run(page, { baseUrl, workspace }) {
      await openWorkbench(page, baseUrl, workspace);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Show Partitions');
      await quickPickRow(page, 'daily_counts').click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: 'Partitions: daily_counts' }).first().waitFor({ timeout: 30000 });
      frame = await findWebviewFrame(page, SUMMARY, 30000);
      await frame.waitForFunction((s) => /^[\d,]+ partitions: /.test(document.querySelector(s).textContent), SUMMARY, { timeout: 30000 });
      assert.equal(await frame.$eval('.partition-grid-scroller', (e) => e.dataset.columns), '7');
    },
  },
  {
    name: 'dragging over the first week and Launch runs 7 partitions, and the cells turn green',
    async run(page) {
      // 2024-01-01 is a Monday: the first row of the calendar, columns 0-6 (the grid opens at the newest days).
      await scrollGridToStart(frame);
      const from = await cellPoint(0, 0);
      const to = await cellPoint(0, 6);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.mouse.up();
      assert.equal(await frame.locator('#partition-selection-text').innerText(), 'Selected 2024-01-01…2024-01-07 (7 partitions)');
      // "Launch backfill…" opens the Launch panel with the range filled in (Missing only, as the panel always opens).
      await frame.locator('#launch-selection').click();
      await page.locator('.tabs-container .tab', { hasText: 'Launch daily_counts' }).first().waitFor({ timeout: 30000 });
      const launch = await findWebviewFrame(page, '#launch-button', 30000);
      await launch.locator('#selection-text').waitFor({ timeout: 30000 });
      assert.equal(await launch.locator('#selection-text').inputValue(), '2024-01-01...2024-01-07');
      assert.equal(await launch.locator('#reprocess-missing').isChecked(), true);
      // Earlier suites may have materialized this week already: run all seven again (7 runs asks nothing).
      await launch.locator('#reprocess-all').check();
      await launch.locator('#launch-button', { hasText: 'Launch 7 runs' }).click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: 'Partitions: daily_counts' }).first().click();
      frame = await findWebviewFrame(page, SUMMARY, 30000);
      // Earlier suites may have materialized this week already: wait for this backfill to finish, not for green.
      await sideBarPane(page, 'Backfills').locator('.monaco-list-row', { hasText: '7/7 runs' }).first().waitFor({ timeout: 90000 });
      const deadline = Date.now() + 90000;
      for (;;) {
        const cells = await Promise.all([0, 1, 2, 3, 4, 5, 6].map((c) => cellColour(0, c, 'materialized')));
        if (cells.every(({ drawn, expected }) => drawn.every((v, i) => Math.abs(v - expected[i]) <= 3))) break;
        if (Date.now() > deadline) throw new Error(`the first week never turned green: ${JSON.stringify(cells)}`);
        await page.waitForTimeout(250);
      }
      assert.match(await frame.locator(SUMMARY).innerText(), /[\d,]+ materialized, .*[\d,]+ missing$/);
    },
  },
  {
    name: 'hover shows key, status and last run; screenshots in dark, light and high-contrast themes',
    async run(page, { resultsDir, workspace }) {
      const p = await cellPoint(0, 2);
      await page.mouse.move(p.x, p.y);
      await frame.locator('.partition-tooltip:not([hidden])').waitFor({ timeout: 10000 });
      assert.match(await frame.locator('.partition-tooltip').innerText(), /^2024-01-03: materialized · last run [\w-]+, .+, [\d.]+m?s/);
      await setTheme(workspace, 'Default Dark Modern', 'vscode-dark', page);
      await page.mouse.move(p.x, p.y);
      await saveScreenshot(page, resultsDir, 'partitions-dark');
      const colours = { dark: await themeColours() };
      await setTheme(workspace, 'Default Light Modern', 'vscode-light', page);
      await page.mouse.move(p.x, p.y);
      await saveScreenshot(page, resultsDir, 'partitions-light');
      colours.light = await themeColours();
      await setTheme(workspace, 'Default High Contrast', 'vscode-high-contrast', page);
      await saveScreenshot(page, resultsDir, 'partitions-high-contrast');
      colours.highContrast = await themeColours();
      console.log(`theme colours: ${JSON.stringify(colours)}`);
      // The four the panel draws with must exist in every theme kind (the testing.* ones are logged for comparison).
      for (const [theme, c] of Object.entries(colours)) {
        for (const name of ['--vscode-charts-green', '--vscode-charts-blue', '--vscode-charts-red', '--vscode-disabledForeground']) assert.ok(c[name] !== '', `${name} is not defined in the ${theme} theme`);
      }
      const green = await cellColour(0, 0, 'materialized');
      assert.ok(green.drawn.every((v, i) => Math.abs(v - green.expected[i]) <= 3), `redrawn in the high-contrast colours: ${JSON.stringify(green)}`);
    },
  },
];
