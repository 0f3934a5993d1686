// End-to-end checks of the installed extension's place in the workbench: activity bar container, views and activation.
import * as assert from 'node:assert/strict';
import { activityBarItem, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane, waitForTreeView } from '../harness/browser.mjs';

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
