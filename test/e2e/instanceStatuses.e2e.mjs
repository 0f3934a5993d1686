// End to end as a user whose Dagster instance already holds history: partitions materialized outside the tool (a
// run on the instance, as `dagster dev` or a schedule makes) turn green in the lens and the partitions panel without
// a reload, a missing-only launch skips them, and a dynamically partitioned asset gets its first keys from the
// partitions panel's "Add partitions…" and runs them. Dagster is the stand-in package (a test double: Dagster cannot
// be installed here), used through the same interpreter setting a user would set.
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWebviewFrame, gridCellColours, openFileByQuickOpen as openFile, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, scrollGridToStart, sideBarPane, waitFor } from '../harness/browser.mjs';
import { updateWorkspaceSettings as updateSettings, workspaceSettingsFile as settingsFile } from '../harness/userSettings.mjs';
import { repoRoot } from '../harness/vscodeToolchain.mjs';

const DOUBLE = path.join(repoRoot, 'test', 'fixtures', 'dagster-test-double');
// January: the launch panel's e2e test filters the overview on "2024-02" and expects only its own backfill there.
const OUTSIDE = ['2024-01-13', '2024-01-14'];
const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();

/**
 * Runs a palette command that asks for a target, then picks it by typing its name and pressing Enter (rows move
 * while the list fills in). On a busy machine the picker's input can be inert for a moment while the workbench
 * settles, so the whole step is done again, as the harness's Quick Open is.
 */
async function commandForTarget(page, command, name, attempts = 3) {
  for (let attempt = 1; ; attempt++) {
    try {
      await page.keyboard.press('Escape');
      await runCommandFromPalette(page, command);
      await quickPickRow(page, name).waitFor({ state: 'visible', timeout: 30000 });
      await page.locator('.quick-input-widget input.input').fill(name, { timeout: 10000 });
      await page.locator('.quick-input-widget .quick-input-list .monaco-list-row.focused', { hasText: name }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      return;
    } catch (e) {
      if (attempt >= attempts) throw e;
    }
  }
}
const near = (a, b) => a.every((v, i) => Math.abs(v - b[i]) <= 3);
let restore = () => undefined;
let baseline = 0;

/** The dynamically partitioned asset this file adds to the quickstart's code location (and takes out again). */
const DYNAMIC_ASSET = `

customers = DynamicPartitionsDefinition(name="customers")


@asset(partitions_def=customers)
def per_customer(context):
    """One customer's report."""
    return {"customer": context.partition_key}
`;

/** The materialized count of the first status lens in definitions.py (raw_events, the first definition). */
async function rawEventsMaterialized(page) {
  const texts = await page.locator('.contentWidgets .codelens-decoration').allInnerTexts();
  const status = texts.map((t) => /(\d[\d,]*)\/[\d,]+ materialized/.exec(t)).find(Boolean);
  return status ? Number(status[1].replace(/,/g, '')) : undefined;
}

export const tests = [
  {
    name: 'partitions materialized outside the tool turn green in the lens and the partitions panel without a reload',
    async run(page, { baseUrl, workspace, resultsDir }) {
      const settingsBefore = fs.existsSync(settingsFile(workspace)) ? fs.readFileSync(settingsFile(workspace), 'utf8') : null;
      const definitions = path.join(workspace, 'definitions.py');
      const definitionsBefore = fs.readFileSync(definitions, 'utf8');
      const wrapper = path.join(workspace, '.python-with-dagster-test-double');
      restore = () => {
        // Later files expect the quickstart as they found it: no stand-in interpreter, no dynamic asset.
        fs.writeFileSync(definitions, definitionsBefore);
        if (settingsBefore === null) fs.rmSync(settingsFile(workspace), { force: true });
        else fs.writeFileSync(settingsFile(workspace), settingsBefore);
        fs.rmSync(wrapper, { force: true });
      };
      fs.writeFileSync(wrapper, `#!/bin/sh\nPYTHONPATH=${JSON.stringify(DOUBLE)} PYTHONDONTWRITEBYTECODE=1 exec python3 "$@"\n`, { mode: 0o755 });
      updateSettings(workspace, { 'backfillStudio.pythonPath': wrapper });
      const withDynamic = definitionsBefore
        .replace('    DailyPartitionsDefinition,\n', '    DailyPartitionsDefinition,\n    DynamicPartitionsDefinition,\n')
        .replace('defs = Definitions(assets=[raw_events, events]', `${DYNAMIC_ASSET.trimStart()}\n\ndefs = Definitions(assets=[raw_events, events, per_customer]`);
      assert.notEqual(withDynamic, definitionsBefore, 'the quickstart changed: update how this test adds its dynamic asset');
      fs.writeFileSync(definitions, withDynamic);

      await openWorkbench(page, baseUrl, workspace, 120000);
      await openFile(page, 'definitions.py');
      baseline = await waitFor('the raw_events status lens', () => rawEventsMaterialized(page), 90000);

      // The partitions panel first: once it says its statuses come from the instance, the tool has opened the
      // instance (a fresh home's storage is created then; Dagster creates it check-then-create, so a second process
      // opening it at that very moment fails, in real Dagster as in the stand-in).
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Show Partitions');
      await quickPickRow(page, 'raw_events').click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: 'Partitions: raw_events' }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, '.partitions-source', 30000);
      await frame.locator('.partitions-title', { hasText: 'raw_events' }).waitFor({ timeout: 30000 });
      await frame.locator('.partitions-source', { hasText: 'Statuses: Dagster instance' }).waitFor({ timeout: 60000 });
      // 2024-01-01 is a Monday: 2024-01-13 and -14 are the Saturday and Sunday of the calendar's second week (row 1).
      // The calendar opens at the newest days: back to its first weeks.
      await scrollGridToStart(frame);
      const secondWeekend = () => Promise.all([5, 6].map((column) => gridCellColours(frame, 0, 1, column)));
      assert.ok((await secondWeekend()).every((x) => !near(x.drawn, x.colours.materialized)), 'not materialized before');

      // The instance the tool reads is the one its runs use: $DAGSTER_HOME, here unset, so the project's own home.
      const home = path.join(workspace, '.backfills', 'dagster_home');
      const outside = spawnSync('python3', [path.join(repoRoot, 'test', 'fixtures', 'materializeOutside.py'), definitions, 'raw_events', ...OUTSIDE], {
        encoding: 'utf8', env: { ...process.env, PYTHONPATH: DOUBLE, PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: home },
      });
      assert.equal(outside.status, 0, `materializing outside failed:\n${outside.stdout}${outside.stderr}`);

      // The panel stays open: its cells turn green by themselves, no reload, no reopening.
      const cells = await waitFor('the outside partitions drawn green', async () => {
        const c = await secondWeekend();
        return c.every((x) => near(x.drawn, x.colours.materialized)) ? c : undefined;
      }, 60000);
      assert.equal(cells.length, 2);
      await saveScreenshot(page, resultsDir, 'instance-statuses-partitions');
      // And the lens, in the editor beside it.
      await page.locator('.tabs-container .tab', { hasText: 'definitions.py' }).first().click();
      const seen = await waitFor(`the lens to count ${baseline + OUTSIDE.length}`, async () => {
        const n = await rawEventsMaterialized(page);
        return n === baseline + OUTSIDE.length ? n : undefined;
      }, 60000);
      assert.equal(seen, baseline + OUTSIDE.length);
      await saveScreenshot(page, resultsDir, 'instance-statuses-lens');
    },
  },
  {
    name: 'a missing-only launch over them skips what Dagster materialized',
    async run(page) {
      await runCommandFromPalette(page, 'Backfill Studio: Open Launch Panel');
      await quickPickRow(page, 'raw_events').click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: 'Launch raw_events' }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, '#plan-headline', 30000);
      await frame.locator('#partition-mode-range').check();
      await frame.locator('#range-from').fill('2024-01-11');
      await frame.locator('#range-to').fill('2024-01-15');
      await frame.locator('#reprocess-missing').check();
      await frame.locator('#plan-headline', { hasText: /^3 runs over 3 partitions/ }).waitFor({ timeout: 30000 });
      assert.match(await frame.locator('#plan-skipped').innerText(), /raw_events: 2 skipped, .*\(2024-01-13\.\.\.2024-01-14\)/);
      await frame.locator('#launch-button', { hasText: 'Launch 3 runs' }).click();
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      const details = await findWebviewFrame(page, '#backfill-status', 30000);
      await details.locator('#backfill-status', { hasText: 'Success' }).waitFor({ timeout: 120000 });
      const keys = await details.locator('#runs-table tr.run-row').allInnerTexts();
      assert.equal(keys.length, 3, keys.join('\n'));
      assert.ok(!keys.some((k) => OUTSIDE.some((o) => k.includes(o))), keys.join('\n'));
    },
  },
  {
    name: 'a dynamic asset gets its first keys from Add partitions… and runs them',
    async run(page, { resultsDir }) {
      try {
        await commandForTarget(page, 'Backfill Studio: Show Partitions', 'per_customer');
        await page.locator('.tabs-container .tab', { hasText: 'Partitions: per_customer' }).first().waitFor({ timeout: 30000 });
        const frame = await findWebviewFrame(page, '.partitions-title:text("per_customer")', 30000);
        await frame.locator('.partitions-empty', { hasText: 'has no partitions yet' }).waitFor({ timeout: 30000 });
        await saveScreenshot(page, resultsDir, 'dynamic-partitions-empty');
        await frame.locator('#add-dynamic-partitions').click();
        const input = page.locator('.quick-input-widget input.input');
        await input.waitFor({ state: 'visible', timeout: 15000 });
        await input.fill('acme, globex');
        await page.keyboard.press('Enter');
        await frame.locator('.partitions-summary', { hasText: /^2 partitions: / }).waitFor({ timeout: 60000 });

        await commandForTarget(page, 'Backfill Studio: Open Launch Panel', 'per_customer');
        const launch = await findWebviewFrame(page, '.launch-title:text("Launch a backfill of per_customer")', 30000);
        // The panel opens with nothing chosen: both new keys are all there is.
        await launch.locator('#partition-mode-all').check();
        await launch.locator('#plan-headline', { hasText: /^2 runs over 2 partitions/ }).waitFor({ timeout: 30000 });
        await launch.locator('#launch-button', { hasText: 'Launch 2 runs' }).click();
        await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
        const details = await findWebviewFrame(page, '[id="partition-summary-per_customer"]', 30000);
        await details.locator('#backfill-status', { hasText: 'Success' }).waitFor({ timeout: 120000 });

        await page.locator('.tabs-container .tab', { hasText: 'Partitions: per_customer' }).first().click();
        const again = await findWebviewFrame(page, '.partitions-title:text("per_customer")', 30000);
        await again.locator('.partitions-summary', { hasText: /^2 partitions: 2 materialized/ }).waitFor({ timeout: 60000 });
        await saveScreenshot(page, resultsDir, 'dynamic-partitions-materialized');
      } finally {
        restore();
      }
      // The next files start from the quickstart as it was: wait until the Definitions view no longer lists the
      // dynamic asset, so their panels are not reloaded by this file's rediscovery.
      const definitions = sideBarPane(page, 'Definitions');
      // The container is open since the first test; clicking its icon again would close it.
      if (!(await definitions.isVisible())) await openViewContainer(page, 'Backfill Studio');
      await definitions.locator('.monaco-list-row', { hasText: 'raw_events' }).first().waitFor({ timeout: 30000 });
      await definitions.locator('.monaco-list-row', { hasText: 'per_customer' }).waitFor({ state: 'detached', timeout: 60000 });
    },
  },
];
