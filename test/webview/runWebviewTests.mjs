// Runs the webview browser tests: builds dist/webview.js, serves it from the fake host, drives Debian's Chromium.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { backfillDetailsTests } from './backfillDetails.webviewTest.mjs';
import { backfillDetailsNarrowTests } from './backfillDetailsNarrow.webviewTest.mjs';
import { backfillDetailsRemoteTests } from './backfillDetailsRemote.webviewTest.mjs';
import { backfillDetailsRunsTests } from './backfillDetailsRuns.webviewTest.mjs';
import { backfillsOverviewTests } from './backfillsOverview.webviewTest.mjs';
import { launchPanelTests } from './launchPanel.webviewTest.mjs';
import { launchRunOnTests } from './launchRunOn.webviewTest.mjs';
import { launchStripKeyboardTests } from './launchStripKeyboard.webviewTest.mjs';
import { startFakeWebviewHost } from './fakeWebviewHost.mjs';
import { openPanel } from './webviewPage.mjs';
import { partitionsTests } from './partitions.webviewTest.mjs';
import { partitionsGridTests } from './partitionsGrid.webviewTest.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));

async function main() {
  if (!process.argv.includes('--no-build')) {
    // Same options as esbuild.mjs uses for the webview, so the tests exercise what ships.
    await esbuild.build({ absWorkingDir: root, entryPoints: ['src/webview/webviewMain.ts'], outfile: 'dist/webview.js', bundle: true,
      sourcemap: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  }
  if (!fs.existsSync(chromiumPath)) throw new Error(`Chromium not found at ${chromiumPath} (apt-get install -y chromium, or set CHROMIUM_PATH)`);
  const host = await startFakeWebviewHost();
  const browser = await chromium.launch({ executablePath: chromiumPath, headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  let passed = 0;
  let failed = 0;
  const failures = [];
  try {
    for (const [name, run, options] of [...backfillDetailsTests, ...backfillDetailsRunsTests, ...backfillDetailsRemoteTests, ...backfillDetailsNarrowTests, ...launchPanelTests, ...launchRunOnTests, ...launchStripKeyboardTests, ...backfillsOverviewTests, ...partitionsTests, ...partitionsGridTests]) {
      if (filter && !name.includes(filter)) continue;
      const panel = await openPanel(browser, host, options);
      try {
        await run(panel);
        if (panel.pageErrors.length) throw new Error(`the page reported errors:\n  ${panel.pageErrors.join('\n  ')}`);
        passed++;
        console.log(`ok - ${name}`);
      } catch (error) {
        failed++;
        console.log(`not ok - ${name}\n  ${String(error?.stack ?? error).split('\n').join('\n  ')}`);
        failures.push(`FAILED webview: ${name}: ${String(error?.message ?? error).split('\n')[0].slice(0, 300)}`);
      } finally {
        await panel.close();
      }
    }
  } finally {
    await browser.close();
    await host.close();
  }
  for (const line of failures) console.log(line);
  console.log(`webview: ${passed} passed, ${failed} failed`);
  process.exitCode = failed > 0 || passed === 0 ? 1 : 0;
}

main().catch((error) => {
  console.error(error);
  console.log('webview: 0 passed, 1 failed');
  process.exitCode = 1;
});
