// End-to-end checks of the installed extension's place in the workbench: activity bar container and Definitions view.
import * as assert from 'node:assert/strict';
import { activityBarItem, openViewContainer, openWorkbench, saveScreenshot, sideBarPane, waitForTreeView } from '../harness/browser.mjs';

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
];
