// End to end, one story in numbers: after a cancel and after a pause, the details panel, the Backfills and Definitions
// views and the code lens, as the workbench renders them, count the same runs and partitions and use the same words.
// The backfills are launched by the `backfill` CLI (another process, as a terminal user would), and canceled and
// paused from the editor: the views follow the shared state file.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findWebviewFrame, openFileByQuickOpen, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane, waitForTreeView } from '../harness/browser.mjs';

const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'dist', 'cli.js');
const JANUARY = '2024-01-01...2024-01-31';
/**
 * A command target of this file's own, added to backfills.yaml: the definition's views count every partition the
 * project ever ran, so they agree with one backfill's runs only for a definition no other test has run.
 */
const TARGET = 'counts_story';
const FEBRUARY = '2024-02-01...2024-02-29';

/** What the first backfill left, for the second test. */
const state = { january: null };

function launchFromCli(workspace, from, to) {
  const child = spawn(process.execPath, [CLI, 'asset', '--select', TARGET, '--from', from, '--to', to, '--noprompt', '-w', workspace], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const exited = new Promise((resolve) => child.on('exit', (code) => resolve({ code, output })));
  return { child, exited };
}

/** Runs `steps`; a CLI backfill a failed step left running is interrupted (the CLI cancels it on SIGINT), so nothing outlives the test. */
async function withCli(child, steps) {
  try {
    await steps();
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
  }
}

const backfillRow = (page, selection) => sideBarPane(page, 'Backfills').locator('.monaco-list-row', { hasText: selection }).first();
const definitionRow = (page) => sideBarPane(page, 'Definitions').locator('.monaco-list-row', { hasText: TARGET }).first();
const statusLens = (page) => page.locator('.contentWidgets .codelens-decoration a', { hasText: 'materialized' }).first();

/** Brings backfills.yaml (and so its lenses) to the front: a panel opened since covers it. */
async function showLenses(page) {
  await page.locator('.tabs-container .tab', { hasText: 'backfills.yaml' }).first().click();
  await statusLens(page).waitFor({ state: 'visible', timeout: 30000 });
}

/** "5/1,072 materialized · 1 failed · 26 canceled · 2 in progress" (Definitions view, lens) as numbers. */
function partitionCounts(text) {
  const m = /([\d,]+)\/([\d,]+) materialized/.exec(text);
  assert.ok(m, `no partition counts in ${JSON.stringify(text)}`);
  const num = (re) => Number((re.exec(text)?.[1] ?? '0').replace(/,/g, ''));
  return { materialized: Number(m[1].replace(/,/g, '')), failed: num(/([\d,]+) failed/), canceled: num(/([\d,]+) canceled/), inProgress: num(/([\d,]+) in progress/) };
}

/** The details panel's per-target row, as its cells read. */
async function targetRow(frame) {
  const cell = async (field) => Number(await frame.locator(`#target-counts tr[data-target="${TARGET}"] td[data-field="${field}"]`).innerText());
  return { materialized: await cell('materialized'), failed: await cell('failed'), canceled: await cell('canceled'), inProgress: await cell('inProgress'), queued: await cell('queued') };
}

/** Opens a backfill's details from its row in the Backfills view and returns the webview frame showing it. */
async function openDetails(page, selection) {
  await backfillRow(page, selection).click();
  // Each backfill has its own panel: the frame is the one whose title names this selection.
  const frame = await findWebviewFrame(page, `.details-title:has-text("${selection}")`, 30000);
  await frame.locator(`#target-counts tr[data-target="${TARGET}"]`).waitFor({ timeout: 30000 });
  return frame;
}

export const tests = [
  {
    name: 'after a cancel the details panel, the Backfills and Definitions views and the lens count the same',
    async run(page, { baseUrl, workspace, resultsDir }) {
      const yaml = path.join(workspace, 'backfills.yaml');
      // Runs take a while, so the cancel finds some succeeded, some running and the rest queued.
      fs.appendFileSync(yaml, [
        `  ${TARGET}:`,
        '    partitions: DailyPartitionsDefinition(start_date="2024-01-01")',
        '    command: ["python3", "pipelines/daily_counts.py", "--date", "{partition_key}", "--delay", "1.5"]',
        '',
      ].join('\n'));
      await openWorkbench(page, baseUrl, workspace);
      await openViewContainer(page, 'Backfill Studio');
      await waitForTreeView(page, 'Definitions');
      await openFileByQuickOpen(page, 'backfills.yaml');
      await statusLens(page).waitFor({ state: 'visible', timeout: 60000 });

      const { child, exited } = launchFromCli(workspace, '2024-01-01', '2024-01-31');
      await withCli(child, async () => {
        await backfillRow(page, JANUARY).filter({ hasText: /In progress · [1-9]\d*\/31 runs/ }).waitFor({ timeout: 90000 });
        const frame = await openDetails(page, JANUARY);
        await frame.locator('#backfill-status', { hasText: 'In progress' }).waitFor({ timeout: 30000 });
        await frame.locator('#cancel-backfill').click();
        await frame.locator('#backfill-status', { hasText: 'Canceled' }).waitFor({ timeout: 60000 });
        const cli = await exited;
        assert.equal(cli.code, 1, `the CLI exits 1 for a backfill that did not succeed:\n${cli.output}`);
        assert.match(cli.output, /^Backfill [a-z]{8}: Canceled in /m);

        // The details panel: badge, progress words, per-target counts, and the actions a canceled backfill has.
        const details = await targetRow(frame);
        const progress = await frame.locator('#backfill-progress').innerText();
        console.log(`details after cancel: ${progress} | ${JSON.stringify(details)}`);
        assert.ok(details.materialized >= 1 && details.canceled >= 1, `a cancel mid-backfill: ${JSON.stringify(details)}`);
        assert.equal(details.materialized + details.canceled + details.failed, 31);
        assert.equal(progress, `${details.materialized}/31 runs succeeded · ${details.canceled} canceled`);
        assert.equal(await frame.locator('#backfill-status').getAttribute('data-tone'), 'canceled');
        assert.equal(await frame.locator('#resume-backfill').isVisible(), true, 'canceled runs to launch again: Resume is offered');
        assert.equal(await frame.locator('#reexecute-backfill').isVisible(), true);
        assert.equal(await frame.locator('#cancel-backfill').isVisible(), false);

        // The Backfills view: the same word and run counts.
        const row = backfillRow(page, JANUARY).filter({ hasText: `Canceled · ${details.materialized}/31 runs · ${details.canceled} canceled` });
        await row.waitFor({ timeout: 30000 });
        assert.match(await row.getAttribute('aria-label'), new RegExp(`, Canceled, ${details.materialized} of 31 runs succeeded$`));

        // The Definitions view and the lens: the same partitions, canceled ones canceled (not failed).
        const expected = { materialized: details.materialized, failed: 0, canceled: details.canceled, inProgress: 0 };
        const tree = definitionRow(page).filter({ hasText: `${details.materialized.toLocaleString('en-US')}/` }).filter({ hasText: `${details.canceled} canceled` });
        await tree.waitFor({ timeout: 30000 });
        const treeText = await tree.innerText();
        assert.deepEqual(partitionCounts(treeText), expected, treeText);
        await showLenses(page);
        const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: `${details.canceled} canceled` }).first();
        await lens.waitFor({ timeout: 30000 });
        const lensText = await lens.innerText();
        assert.deepEqual(partitionCounts(lensText), expected, lensText);
        assert.equal(await page.locator('.contentWidgets .codelens-decoration a', { hasText: /failed/ }).count(), 0, 'no failed lens: nothing failed');
        console.log(`tree: ${treeText.replace(/\n/g, ' ')} | lens: ${lensText}`);
        state.january = details;
        await saveScreenshot(page, resultsDir, 'counts-agree-canceled');
      });
    },
  },
  {
    name: 'after a pause the details panel says Paused, offers Resume, and it agrees with the views and the lens',
    async run(page, { workspace, resultsDir }) {
      assert.ok(state.january, 'the cancel test ran first');
      const { child, exited } = launchFromCli(workspace, '2024-02-01', '2024-02-29');
      await withCli(child, async () => {
        await backfillRow(page, FEBRUARY).filter({ hasText: /In progress · [1-9]\d*\/29 runs/ }).waitFor({ timeout: 90000 });
        const running = page.locator('.statusbar-item', { hasText: /Backfill \d+\/29/ }).first();
        await running.waitFor({ state: 'visible', timeout: 30000 });

        await runCommandFromPalette(page, 'Backfill Studio: Pause Backfill');
        await page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: FEBRUARY }).first().click({ timeout: 15000 });
        const frame = await openDetails(page, FEBRUARY);
        await frame.locator('#backfill-status', { hasText: 'Paused' }).waitFor({ timeout: 60000 });
        // The run that was going when the pause came may end; nothing new starts. Settled when none is in progress.
        await frame.locator('#backfill-progress', { hasNotText: 'running' }).waitFor({ timeout: 60000 });
        assert.equal(await frame.locator('#backfill-status').getAttribute('data-tone'), 'paused');
        assert.equal(await frame.locator('#resume-backfill').isVisible(), true, 'a paused backfill offers Resume');
        assert.equal(await frame.locator('#cancel-backfill').isVisible(), true);
        assert.equal(await frame.locator('#reexecute-backfill').isVisible(), false);
        await running.waitFor({ state: 'hidden', timeout: 30000 });

        const details = await targetRow(frame);
        const progress = await frame.locator('#backfill-progress').innerText();
        console.log(`details after pause: ${progress} | ${JSON.stringify(details)}`);
        assert.deepEqual([details.failed, details.canceled, details.inProgress], [0, 0, 0]);
        assert.ok(details.materialized >= 1 && details.queued >= 1, JSON.stringify(details));
        assert.equal(details.materialized + details.queued, 29);
        assert.equal(progress, `${details.materialized}/29 runs succeeded · ${details.queued} queued`);
        await backfillRow(page, FEBRUARY).filter({ hasText: `Paused · ${details.materialized}/29 runs` }).waitFor({ timeout: 30000 });
        await saveScreenshot(page, resultsDir, 'counts-agree-paused-details');

        // The definition's partitions: January's story (materialized and canceled) plus February's materialized.
        const expected = { materialized: state.january.materialized + details.materialized, failed: 0, canceled: state.january.canceled, inProgress: 0 };
        const tree = definitionRow(page).filter({ hasText: `${expected.materialized}/` }).filter({ hasNotText: 'in progress' });
        await tree.waitFor({ timeout: 30000 });
        assert.deepEqual(partitionCounts(await tree.innerText()), expected);
        await showLenses(page);
        const lens = page.locator('.contentWidgets .codelens-decoration a', { hasText: `${expected.materialized}/` }).filter({ hasText: 'backfill Paused' }).first();
        await lens.waitFor({ timeout: 30000 });
        assert.deepEqual(partitionCounts(await lens.innerText()), expected, await lens.innerText());
        await saveScreenshot(page, resultsDir, 'counts-agree-paused-lens');

        // Cancel ends the CLI's backfill (and process), so nothing outlives the test.
        const again = await openDetails(page, FEBRUARY);
        await again.locator('#cancel-backfill').click();
        await again.locator('#backfill-status', { hasText: 'Canceled' }).waitFor({ timeout: 60000 });
        assert.equal((await exited).code, 1);
      });
    },
  },
];
