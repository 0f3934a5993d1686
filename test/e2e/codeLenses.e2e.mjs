// End to end: the code lenses a user sees above the quickstart's definitions, in the real editor.
import * as assert from 'node:assert/strict';
import { openFileByQuickOpen as openFile, openWorkbench, saveScreenshot } from '../harness/browser.mjs';

export const tests = [
  {
    name: 'definitions.py shows Launch Backfill and status lenses above each partitioned definition',
    async run(page, { baseUrl, workspace, resultsDir }) {
      await openWorkbench(page, baseUrl, workspace);
      await openFile(page, 'definitions.py');
      const launch = page.locator('.contentWidgets .codelens-decoration a', { hasText: 'Launch Backfill' });
      await launch.first().waitFor({ state: 'visible', timeout: 60000 });
      await page.waitForFunction(() => document.querySelectorAll('.codelens-decoration').length >= 3, null, { timeout: 30000 });
      const texts = await page.locator('.contentWidgets .codelens-decoration').allInnerTexts();
      assert.ok(texts.filter((t) => t.includes('Launch Backfill')).length >= 2, texts.join('\n'));
      assert.ok(texts.some((t) => /\d[\d,]*\/[\d,]+ materialized/.test(t)), texts.join('\n'));
      await page.waitForTimeout(300);
      await saveScreenshot(page, resultsDir, 'code-lenses-python');
    },
  },
  {
    name: 'backfills.yaml shows the lenses above the command target',
    async run(page, { resultsDir }) {
      await openFile(page, 'backfills.yaml');
      const lens = page.locator('.contentWidgets .codelens-decoration', { hasText: 'Launch Backfill' }).first();
      await lens.waitFor({ state: 'visible', timeout: 30000 });
      assert.match(await lens.innerText(), /materialized/);
      await saveScreenshot(page, resultsDir, 'code-lenses-yaml');
    },
  },
];
