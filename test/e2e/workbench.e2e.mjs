// End-to-end checks of the installed extension's place in the workbench: activity bar container, views grouped by
// code location with their context menu, and activation time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activityBarItem, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane, waitForTreeView } from '../harness/browser.mjs';
import { repoRoot } from '../harness/vscodeToolchain.mjs';

/** A tree row by its exact label (descriptions sit beside the label, so plain hasText would also match `raw_orders` for `raw`). */
const treeRow = (page, view, label) => sideBarPane(page, view).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();

export const tests = [
  {
    name: 'the activity bar has the Backfill Studio container',
    async run(page, { baseUrl, workspace }) {
      await openWorkbench(page, baseUrl, workspace);
      const item = activityBarItem(page, 'Backfill Studio');
      await item.waitFor({ state: 'visible', timeout: 30000 });
      assert.match(await item.getAttribute('aria-label') ?? '', /^Backfill Studio/);
    },
  },
  {
    name: 'clicking it shows the Definitions view',
    async run(page, { resultsDir }) {
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible', timeout: 30000 });
      await sideBarPane(page, 'Backfills').waitFor({ state: 'visible', timeout: 30000 });
      // proves the extension activated and backs the view, whatever the workspace holds
      await waitForTreeView(page, 'Definitions');
      await page.waitForTimeout(500); // let the tree's first paint land before the picture
      await saveScreenshot(page, resultsDir, 'sidebar');
    },
  },
  {
    name: 'with two code locations the Definitions view groups by code location, then asset group, with a context menu',
    async run(page, { workspace, resultsDir }) {
      const fixture = path.join(repoRoot, 'test', 'fixtures', 'discovery', 'two_locations');
      const added = ['sales', 'marketing'].map((d) => path.join(workspace, d));
      for (const d of added) fs.cpSync(path.join(fixture, path.basename(d)), d, { recursive: true });
      try {
        await runCommandFromPalette(page, 'Backfill Studio: Refresh Definitions');
        for (const label of ['marketing', 'sales', 'marts', 'raw', 'orders_by_day', 'campaign_job']) {
          await treeRow(page, 'Definitions', label).waitFor({ state: 'visible', timeout: 60000 });
        }
        await page.waitForTimeout(500);
        await saveScreenshot(page, resultsDir, 'sidebar-code-locations');
        await treeRow(page, 'Definitions', 'orders_by_day').click({ button: 'right' });
        const menu = page.locator('.context-view .monaco-menu');
        await menu.locator('.action-label', { hasText: 'Go to Definition' }).waitFor({ state: 'visible', timeout: 15000 });
        const items = (await menu.locator('.action-label').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
        for (const want of ['Launch Backfill', 'Show Partitions', 'Go to Definition']) assert.ok(items.includes(want), `context menu: ${items.join(' | ')}`);
        await saveScreenshot(page, resultsDir, 'definitions-context-menu');
        await page.keyboard.press('Escape');
      } finally {
        for (const d of added) fs.rmSync(d, { recursive: true, force: true });
      }
      await runCommandFromPalette(page, 'Backfill Studio: Refresh Definitions');
      await treeRow(page, 'Definitions', 'Command targets').waitFor({ state: 'visible', timeout: 30000 });
    },
  },
  {
    name: 'VS Code reports the extension activated, with its activation time',
    async run(page, { resultsDir }) {
      await runCommandFromPalette(page, 'Developer: Show Running Extensions');
      const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Backfill Studio' }).first();
      await row.waitFor({ state: 'visible', timeout: 30000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      const m = /(\d+)\s*ms/.exec(text);
      assert.ok(m, `no activation time in the Running Extensions row: ${text}`);
      console.log(`activation (VS Code's Running Extensions view): ${text}`);
      await saveScreenshot(page, resultsDir, 'running-extensions');
    },
  },
];
