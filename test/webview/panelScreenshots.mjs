// Screenshots of every panel at 600 px (a split editor) and at full width, in dark, light and high contrast
// themes, into test-results/screenshots/: the real webview bundle and stylesheets in the fake webview host.
//   node test/webview/panelScreenshots.mjs [name filter]
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { chromium } from 'playwright-core';
import { backfillDetailsModel, remoteBackfillDetailsModel } from './backfillDetailsFixture.mjs';
import { overviewModel } from './backfillsOverview.webviewTest.mjs';
import { startFakeWebviewHost } from './fakeWebviewHost.mjs';
import { DEPLOYMENTS, launchForm, launchTargetModel, remotePlanPreview } from './launchFixture.mjs';
import { loaded } from './launchPage.mjs';
import { partitionsFixture, sendPartitions, cellCentre } from './partitionsPage.mjs';
import { openPanel } from './webviewPage.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const outDir = path.join(root, 'test-results/screenshots');
const filter = process.argv.slice(2).find((a) => !a.startsWith('--'));
const WIDTHS = [['600', 600], ['full', 1400]];
const THEMES = [['dark', 'dark'], ['light', 'light'], ['hc', 'high-contrast']];

/** Hourly keys make the widest Partition column the details table has to fit. */
function hourlyDetailsModel() {
  const model = backfillDetailsModel();
  for (const [i, run] of model.runs.entries()) run.partitionKey = `${run.partitionKey}-${String(i % 24).padStart(2, '0')}:00`;
  return model;
}

/** fullPage: panels longer than the window are taken whole, so what is below the fold is looked at too. */
const PANELS = {
  launch: { view: 'launch', fullPage: true, show: (panel) => loaded(panel) },
  'launch-deployment': {
    view: 'launch', fullPage: true,
    show: (panel) => loaded(panel, {
      ...launchTargetModel({ deployments: DEPLOYMENTS, form: launchForm({ target: 'raw_events', runOn: 'prod', includeDownstream: true, tagsText: 'team=data', title: 'Orders November' }) }),
      target: 'raw_events', kind: 'asset', downstream: ['events'], statusSource: 'Statuses: Dagster instance /home/me/dagster_home and this project\'s runs.',
    }, (id) => remotePlanPreview(id)),
  },
  'partitions-hourly': {
    view: 'partitions',
    async show(panel) {
      await sendPartitions(panel, partitionsFixture('hourlyYears'));
      // A selection and the hover card on the failed hour, as a user sees them.
      const rows = Number(await panel.page.$eval('.partition-grid-scroller', (e) => e.dataset.rows));
      const from = await cellCentre(panel, rows - 3, 20);
      const to = await cellCentre(panel, rows - 2, 3);
      await panel.page.mouse.move(from.x, from.y);
      await panel.page.mouse.down();
      await panel.page.mouse.move(to.x, to.y, { steps: 3 });
      await panel.page.mouse.up();
      const failed = await cellCentre(panel, rows - 2, 23);
      await panel.page.mouse.move(failed.x, failed.y);
      await panel.page.waitForFunction(() => !document.querySelector('.partition-tooltip').hidden);
    },
  },
  'partitions-daily': { view: 'partitions', show: (panel) => sendPartitions(panel, partitionsFixture('daily')) },
  details: { view: 'backfillDetails', fullPage: true, show: (panel) => panel.sendModel(hourlyDetailsModel()) },
  'details-remote': {
    view: 'backfillDetails', fullPage: true,
    show: (panel) => panel.sendModel(remoteBackfillDetailsModel({ followError: 'Dagster deployment "prod" (https://acme.dagster.cloud/prod) did not answer within 30 s. Check that its webserver is up and reachable from here; following goes on.' })),
  },
  overview: {
    view: 'backfills',
    async show(panel) {
      await panel.send({ type: 'backfillsListed', model: overviewModel });
      await panel.page.waitForFunction(() => document.querySelectorAll('#backfills-table tbody tr').length === 3);
    },
  },
};

async function main() {
  await esbuild.build({ absWorkingDir: root, entryPoints: ['src/webview/webviewMain.ts'], outfile: 'dist/webview.js', bundle: true,
    sourcemap: true, platform: 'browser', format: 'iife', target: 'es2022', logLevel: 'warning' });
  fs.mkdirSync(outDir, { recursive: true });
  const host = await startFakeWebviewHost();
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  const written = [];
  try {
    for (const [name, { view, show, fullPage = false }] of Object.entries(PANELS)) {
      for (const [widthName, width] of WIDTHS) {
        for (const [themeName, theme] of THEMES) {
          const file = `${name}-${widthName}-${themeName}.png`;
          if (filter && !file.includes(filter)) continue;
          const panel = await openPanel(browser, host, { view, theme });
          try {
            await panel.page.setViewportSize({ width, height: 800 });
            await show(panel);
            if (panel.pageErrors.length) throw new Error(`${file}: the page reported errors:\n  ${panel.pageErrors.join('\n  ')}`);
            await panel.page.screenshot({ path: path.join(outDir, file), fullPage });
            written.push(file);
          } finally {
            await panel.close();
          }
        }
      }
    }
  } finally {
    await browser.close();
    await host.close();
  }
  console.log(`wrote ${written.length} screenshots to ${path.relative(root, outDir)}:\n  ${written.join('\n  ')}`);
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
