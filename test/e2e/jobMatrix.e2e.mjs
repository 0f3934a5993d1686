// End to end as a user: Show Partitions of the quickstart's job, see its step row (from the job's body) before any
// run, launch four partitions through the runner with the stand-in dagster package (a test double: Dagster cannot
// be installed here) and watch the step boxes turn green, one red where the double was told to fail.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWebviewFrame, gridCellColours, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, scrollGridToStart, sideBarPane } from '../harness/browser.mjs';
import { repoRoot } from '../harness/vscodeToolchain.mjs';
import { updateWorkspaceSettings as updateSettings, workspaceSettingsFile as settingsFile } from '../harness/userSettings.mjs';

const JOB = 'do_stuff_partitioned';
const FAILING = '2021-04-03';
const NOTE = '.step-matrix-note';
let frame;
let settingsBefore;

/** Main-page centre of cell (row, column) of the nth grid of the panel (0: partitions calendar, 1: job steps). */
async function cellPoint(row, column, grid) {
  const box = await frame.locator('.partition-grid-canvas').nth(grid).boundingBox();
  const d = await frame.locator('.partition-grid-scroller').nth(grid).evaluate((e) => ({ ...e.dataset, top: e.scrollTop, left: e.scrollLeft }));
  const half = (Number(d.pitchY) - 2) / 2;
  return { x: box.x + Number(d.gutter) + column * Number(d.pitchX) + half - d.left, y: box.y + Number(d.header) + row * Number(d.pitchY) + half - d.top };
}

/** The step matrix's drawn colour of cell (row, column) and the panel's colour of each status, as [r, g, b]. */
const stepCell = (row, column) => gridCellColours(frame, 1, row, column);

/** The step matrix in view and no notification toast over it, for a screenshot. */
async function showStepMatrix(page, resultsDir, name) {
  await runCommandFromPalette(page, 'Notifications: Clear All Notifications');
  await frame.locator('#step-matrix').evaluate((e) => e.scrollIntoView({ block: 'end' }));
  await saveScreenshot(page, resultsDir, name);
}

const near = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 3);

async function setTheme(page, workspace, theme, bodyClass) {
  updateSettings(workspace, { 'workbench.colorTheme': theme });
  await frame.waitForFunction((c) => document.body.classList.contains(c), bodyClass, { timeout: 30000 });
  await page.waitForTimeout(700);
}

export const tests = [
  {
    name: "Show Partitions of the job shows its step do_stuff from the job's body before any run",
    async run(page, { baseUrl, workspace, resultsDir }) {
      settingsBefore = fs.existsSync(settingsFile(workspace)) ? fs.readFileSync(settingsFile(workspace), 'utf8') : null;
      // An "interpreter" that is python3 with the stand-in dagster package on its path, as a virtualenv's python would be.
      const wrapper = path.join(workspace, '.python-with-dagster-test-double');
      const double = path.join(repoRoot, 'test', 'fixtures', 'dagster-test-double');
      fs.writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH=${JSON.stringify(double)} PYTHONDONTWRITEBYTECODE=1 DAGSTER_TEST_DOUBLE_FAIL_STEP=do_stuff@${FAILING} exec python3 "$@"\n`, { mode: 0o755 });
      updateSettings(workspace, { 'backfillStudio.pythonPath': wrapper });
      await openWorkbench(page, baseUrl, workspace);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Show Partitions');
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: JOB }).first().click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: `Partitions: ${JOB}` }).first().waitFor({ timeout: 30000 });
      frame = await findWebviewFrame(page, '#step-matrix:not([hidden])', 30000);
      await frame.waitForFunction((job) => document.querySelector('.partitions-title')?.textContent === job, JOB, { timeout: 30000 });
      assert.equal((await frame.locator(NOTE).innerText()).trim(), "1 step from the job's body, no runs yet: launch a backfill to see each step of each partition.");
      const steps = await frame.locator('.partition-grid-scroller').nth(1).evaluate((e) => ({ ...e.dataset }));
      assert.deepEqual([steps.rows, steps.columns], ['1', '0']);
      assert.ok(Number(steps.gutter) > 0, 'the step row has its label in the gutter');
      await showStepMatrix(page, resultsDir, 'job-matrix-before-runs');
      await frame.locator('.partitions-title').evaluate((e) => e.scrollIntoView());
    },
  },
  {
    name: 'launching four partitions turns their do_stuff boxes green, and red where the step failed',
    async run(page) {
      // 2021-04-01 is a Thursday: row 0, columns 3-6 of the calendar (which opens at the newest days).
      await scrollGridToStart(frame, 0);
      const from = await cellPoint(0, 3, 0);
      const to = await cellPoint(0, 6, 0);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.mouse.up();
      assert.equal(await frame.locator('#partition-selection-text').innerText(), 'Selected 2021-04-01…2021-04-04 (4 partitions)');
      // "Launch backfill…" opens the Launch panel with the four partitions filled in; 4 runs asks nothing.
      await frame.locator('#launch-selection').click();
      await page.locator('.tabs-container .tab', { hasText: `Launch ${JOB}` }).first().waitFor({ timeout: 30000 });
      const launch = await findWebviewFrame(page, '#launch-button', 30000);
      await launch.locator('#plan-headline', { hasText: /^4 runs over 4 partitions/ }).waitFor({ timeout: 60000 });
      await launch.locator('#launch-button', { hasText: 'Launch 4 runs' }).click();
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: `Partitions: ${JOB}` }).first().click();
      frame = await findWebviewFrame(page, '#step-matrix:not([hidden])', 30000);
      const deadline = Date.now() + 120000;
      const seen = [];
      for (;;) {
        const note = (await frame.locator(NOTE).innerText()).trim();
        if (seen[seen.length - 1] !== note) seen.push(note);
        const columns = await frame.locator('.partition-grid-scroller').nth(1).evaluate((e) => e.dataset.columns);
        if (columns === '4') {
          const cells = await Promise.all([0, 1, 2, 3].map((c) => stepCell(0, c)));
          const want = cells.map((c, i) => (i === 2 ? c.colours.failed : c.colours.materialized));
          if (cells.every((c, i) => near(c.drawn, want[i]))) break;
        }
        if (Date.now() > deadline) throw new Error(`the do_stuff boxes never settled; notes seen: ${seen.join(' | ')}`);
        await page.waitForTimeout(250);
      }
      assert.equal((await frame.locator(NOTE).innerText()).trim(), "1 step (from the job's body) × 4 partitions with a run");
      // The matrix sits below the calendar: in view before pointing at it (a taller header would push it off screen).
      await frame.locator('#step-matrix').evaluate((e) => e.scrollIntoView({ block: 'end' }));
      const p = await cellPoint(0, 2, 1);
      await page.mouse.move(p.x, p.y);
      await frame.locator('.partition-tooltip:not([hidden])').waitFor({ timeout: 10000 });
      assert.equal(await frame.locator('.partition-tooltip').innerText(), `do_stuff · ${FAILING}: failed`);
    },
  },
  {
    name: 'the matrix filters to the backfill; screenshots in dark and light themes',
    async run(page, { resultsDir, workspace }) {
      const options = await frame.locator('#step-matrix-filter option').evaluateAll((os) => os.map((o) => o.value));
      assert.equal(options[0], '', 'first choice: all backfills');
      await frame.locator('#step-matrix-filter').selectOption(options[1]);
      await frame.waitForFunction(() => document.querySelector('#step-matrix-filter').value !== '', undefined, { timeout: 30000 });
      assert.match((await frame.locator(NOTE).innerText()).trim(), /× 4 partitions with a run$/);
      try {
        await setTheme(page, workspace, 'Default Dark Modern', 'vscode-dark');
        await showStepMatrix(page, resultsDir, 'job-matrix-dark');
        await setTheme(page, workspace, 'Default Light Modern', 'vscode-light');
        await showStepMatrix(page, resultsDir, 'job-matrix-light');
        const green = await stepCell(0, 0);
        assert.ok(near(green.drawn, green.colours.materialized), `redrawn in the light theme's colours: ${JSON.stringify(green)}`);
      } finally {
        // Later files expect the workspace as they found it: no stand-in interpreter.
        if (settingsBefore === null) fs.rmSync(settingsFile(workspace), { force: true });
        else fs.writeFileSync(settingsFile(workspace), settingsBefore);
        fs.rmSync(path.join(workspace, '.python-with-dagster-test-double'), { force: true });
      }
    },
  },
];
