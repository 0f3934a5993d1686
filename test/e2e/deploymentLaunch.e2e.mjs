// End to end as a user whose backfills belong on their Dagster deployment: the workspace holds the definitions the
// recorded Dagster 1.2 webserver served, backfillStudio.deployments names that server ("prod": the fake webserver
// replaying the recordings, a process of its own on loopback). From the Launch panel the user runs regions on prod,
// sees the backfill in the Backfills view marked with prod and follows it to its end in the details panel; with
// backfillStudio.statusDeployment set, the lenses and the partitions panel show prod's statuses and say so, and
// when prod goes away the lens says it is unreachable rather than showing this machine's statuses.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as readline from 'node:readline';
import * as esbuild from 'esbuild';
import { findWebviewFrame, followTextUntil, openFileByQuickOpen, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane, waitFor } from '../harness/browser.mjs';
import { updateWorkspaceSettings } from '../harness/userSettings.mjs';
import { repoRoot } from '../harness/vscodeToolchain.mjs';

/** The folder runE2e copies for this file (see runE2e.mjs). */
export const workspace = 'test/fixtures/deployment-project';

const quickPickRow = (page, text) => page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: text }).first();
const lensTexts = (page) => page.locator('.contentWidgets .codelens-decoration').allInnerTexts();

/** The fake webserver process, and where it records the requests it received. */
let fake;

/**
 * Bundles test/harness/fakeDagsterWebserverMain.ts where `node esbuild.mjs --tests` puts it (bundled here, so the
 * test never runs a stale build; below the repository, where it finds the fixtures), starts it and waits for its
 * URL. Its stdin is a pipe: it ends when this process does. `dir` receives the requests it records.
 */
async function startFakeDeployment(dir) {
  const entry = path.join(repoRoot, 'out', 'test', 'harness', 'fakeDagsterWebserverMain.js');
  await esbuild.build({ entryPoints: [path.join(repoRoot, 'test', 'harness', 'fakeDagsterWebserverMain.ts')], outfile: entry, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning', absWorkingDir: repoRoot });
  const requestsFile = path.join(dir, 'fake-dagster-requests.json');
  const child = spawn(process.execPath, [entry, '--fixtures', '1.2', '--requests', requestsFile], { cwd: repoRoot, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const first = await new Promise((resolve, reject) => {
    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`the fake Dagster webserver exited (${code}) before starting: ${stderr}`)));
  });
  const { url } = JSON.parse(first);
  const requests = () => (fs.existsSync(requestsFile) ? JSON.parse(fs.readFileSync(requestsFile, 'utf8')) : []);
  const stop = () => new Promise((resolve) => {
    if (child.exitCode !== null) { resolve(); return; }
    child.once('exit', () => resolve());
    child.stdin.end();
  });
  return { url, requests, stop };
}

export const tests = [
  {
    name: 'the Launch panel runs regions on prod: the preview shows what prod is asked for, and Launch asks it',
    async run(page, { baseUrl, workspace: folder, resultsDir }) {
      page.setDefaultNavigationTimeout(120000);
      fake = await startFakeDeployment(path.dirname(folder));
      updateWorkspaceSettings(folder, { 'backfillStudio.deployments': [{ name: 'prod', url: fake.url, kind: 'oss' }] });

      await openWorkbench(page, baseUrl, folder, 120000);
      await openViewContainer(page, 'Backfill Studio');
      await sideBarPane(page, 'Definitions').waitFor({ state: 'visible' });
      await runCommandFromPalette(page, 'Backfill Studio: Open Launch Panel');
      await quickPickRow(page, 'regions').click({ timeout: 30000 });
      await page.locator('.tabs-container .tab', { hasText: 'Launch regions' }).first().waitFor({ timeout: 30000 });
      const frame = await findWebviewFrame(page, '#plan-headline', 30000);
      await frame.locator('#partition-mode-all').check();
      await frame.locator('#run-on').selectOption('prod');
      // The preview is what prod will be asked for: its partitions by name (Dagster 1.2 takes no ranges).
      await frame.locator('#plan-headline', { hasText: /^On prod: 3 partitions/ }).waitFor({ timeout: 60000 });
      const asked = await frame.locator('#plan-remote > *').allInnerTexts();
      assert.ok(asked.some((t) => /us, eu, apac/.test(t)), asked.join(' | '));
      await saveScreenshot(page, resultsDir, 'deployment-launch-preview');
      await frame.locator('#launch-button', { hasText: 'Launch on prod (3 partitions)' }).click();

      const launch = await waitFor('the launch to reach prod', () => fake.requests().find((r) => /launchPartitionBackfill/.test(r.query) && r.status === 200));
      assert.deepEqual(launch.variables, { backfillParams: { assetSelection: [{ path: ['regions'] }], partitionNames: ['us', 'eu', 'apac'] } });
    },
  },
  {
    name: 'the Backfills view marks it with prod, and its details follow it to Dagster\'s final status',
    async run(page, { resultsDir }) {
      const backfills = sideBarPane(page, 'Backfills');
      const row = backfills.locator('.monaco-list-row', { hasText: 'prod' }).first();
      await row.waitFor({ state: 'visible', timeout: 60000 });
      assert.match(await row.getAttribute('aria-label'), /prod/);
      await row.click();
      await page.locator('.tabs-container .tab', { hasText: /^Backfill [a-z]{8}/ }).first().waitFor({ timeout: 30000 });
      const details = await findWebviewFrame(page, '#backfill-deployment', 30000);
      await details.locator('#backfill-deployment', { hasText: 'prod' }).waitFor({ timeout: 30000 });
      assert.equal((await details.locator('#backfill-dagster-id').innerText()).trim(), 'obzveuif');
      // The recorded polls: REQUESTED with no run, runs starting, then COMPLETED with three successful runs.
      const seen = await followTextUntil(details, '#backfill-status', 'Success', 'the remote backfill\'s status', 120000);
      console.log(`remote statuses seen: ${seen.join(' | ')}`);
      await details.locator('#runs-table tr.run-row').nth(2).waitFor({ timeout: 30000 });
      assert.equal(await details.locator('#runs-table tr.run-row').count(), 3);
      await saveScreenshot(page, resultsDir, 'deployment-launch-details');
      const polls = fake.requests().filter((r) => /partitionBackfillOrError/.test(r.query));
      assert.ok(polls.length >= 5, `followed with ${polls.length} polls`);
      assert.deepEqual(fake.requests().flatMap((r) => r.unmatched), [], 'a request no recorded exchange answers');
      assert.deepEqual(fake.requests().filter((r) => r.status === 400).map((r) => r.operationName), [], 'a request the 1.2 schema rejects');
    },
  },
  {
    name: 'with statusDeployment = prod the lenses and the partitions panel show prod\'s statuses, saying so',
    async run(page, { workspace: folder, resultsDir }) {
      updateWorkspaceSettings(folder, { 'backfillStudio.statusDeployment': 'prod' });
      await openFileByQuickOpen(page, 'defs.py');
      // prod (as recorded): regions all three materialized, raw_events 2026-11-01..06, broken_events 04..06 failed.
      const lenses = await waitFor('lenses with prod\'s statuses', async () => {
        const texts = await lensTexts(page);
        return texts.some((t) => /3\/3 materialized( · backfill on prod)? · statuses from prod/.test(t)) && texts.some((t) => /6\/[\d,]+ materialized · statuses from prod/.test(t)) ? texts : undefined;
      });
      await saveScreenshot(page, resultsDir, 'deployment-statuses-lenses');
      // Below the fold (an editor renders the lenses of the lines it shows): broken_events failed on prod, and the job.
      await page.locator('.monaco-editor .view-lines').first().click();
      await page.keyboard.press('Control+End');
      const below = await waitFor('the lenses of broken_events and the job', async () => {
        const texts = await lensTexts(page);
        return texts.some((t) => /3 failed on prod/.test(t)) && texts.some((t) => /keeps statuses per asset only/.test(t)) ? texts : undefined;
      });
      assert.ok(below.some((t) => /0\/[\d,]+ materialized · statuses from prod/.test(t)), below.join(' | '));
      assert.ok(below.some((t) => /No statuses: "prod" keeps statuses per asset only/.test(t)), below.join(' | '));
      await saveScreenshot(page, resultsDir, 'deployment-statuses-lenses-below');

      await runCommandFromPalette(page, 'Backfill Studio: Show Partitions');
      await quickPickRow(page, 'raw_events').click({ timeout: 30000 });
      const frame = await findWebviewFrame(page, '.partitions-source', 30000);
      await frame.locator('.partitions-source', { hasText: 'Statuses: Dagster deployment "prod" (missing means missing there)' }).waitFor({ timeout: 60000 });
      await frame.locator('.partitions-summary', { hasText: /6 materialized/ }).waitFor({ timeout: 30000 });
      await saveScreenshot(page, resultsDir, 'deployment-statuses-partitions');
    },
  },
  {
    name: 'when prod goes away the lens names it as unreachable and shows no statuses',
    async run(page, { resultsDir }) {
      await fake.stop();
      await page.locator('.tabs-container .tab', { hasText: 'defs.py' }).first().click();
      // Answers live 30 s; a visible lens asks again then, and gets the refusal.
      const texts = await waitFor('the unreachable lens', async () => {
        const t = await lensTexts(page);
        return t.some((x) => /No statuses: "prod" is unreachable/.test(x)) ? t : undefined;
      }, 90000);
      assert.ok(!texts.some((t) => /materialized/.test(t)), `statuses still shown: ${texts.join(' | ')}`);
      await saveScreenshot(page, resultsDir, 'deployment-statuses-unreachable');
    },
  },
];
