// End-to-end checks of the installed extension's place in the workbench: activity bar container, views grouped by
// code location with their context menu, and activation time.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { activityBarItem, openViewContainer, openWorkbench, runCommandFromPalette, saveScreenshot, sideBarPane, waitForTreeView } from '../harness/browser.mjs';
import { repoRoot } from '../harness/vscodeToolchain.mjs';

/** A tree row by its exact label (descriptions sit beside the label, so plain hasText would also match `raw_orders` for `raw`). */
const treeRow = (page, view, label) => sideBarPane(page, view).locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();

/** The extension's own activation log line, and the extensions the host activated within 5 ms of it (its log). */
function ownActivationShare(runDir) {
  const logsRoot = path.join(runDir, 'user-data', 'logs');
  const hostDirs = fs.readdirSync(logsRoot).flatMap((d) => fs.readdirSync(path.join(logsRoot, d)).filter((h) => h.startsWith('exthost')).map((h) => path.join(logsRoot, d, h)));
  const host = hostDirs.find((h) => fs.existsSync(path.join(h, 'backfill-studio.backfill-studio')));
  assert.ok(host, `no extension host log folder with the extension's log under ${logsRoot}`);
  const ownLog = fs.readFileSync(path.join(host, 'backfill-studio.backfill-studio', 'Backfill Studio.log'), 'utf8');
  const m = /activate\(\) took ([\d.]+) ms; loading the extension's code took (\d+) ms/.exec(ownLog);
  assert.ok(m, `the extension logged no activation timing with VS Code's marks:\n${ownLog.slice(0, 800)}`);
  const hostLog = fs.readFileSync(path.join(host, fs.readdirSync(host).find((f) => /exthost\.log$/.test(f))), 'utf8');
  const activations = [...hostLog.matchAll(/^(\S+ \S+) \[info\] ExtensionService#_doActivateExtension (\S+), startup: \w+, activationEvent: '([^']+)'/gm)]
    .map((a) => ({ at: Date.parse(a[1].replace(' ', 'T')), id: a[2], event: a[3] }));
  const ours = activations.find((a) => a.id === 'backfill-studio.backfill-studio');
  assert.ok(ours, 'the extension host log does not show the extension activating');
  const together = activations.filter((a) => a !== ours && Math.abs(a.at - ours.at) <= 5).map((a) => a.id);
  return { activateMs: Number(m[1]), codeLoadingMs: Number(m[2]), event: ours.event, together };
}

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
    async run(page, { resultsDir, workspace }) {
      await runCommandFromPalette(page, 'Developer: Show Running Extensions');
      const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: 'Backfill Studio' }).first();
      await row.waitFor({ state: 'visible', timeout: 30000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      const m = /(\d+)\s*ms/.exec(text);
      assert.ok(m, `no activation time in the Running Extensions row: ${text}`);
      console.log(`activation (VS Code's Running Extensions view): ${text}`);
      await saveScreenshot(page, resultsDir, 'running-extensions');
      // VS Code's figure starts before an await in the extension host, so extensions activated in the same
      // moment load inside it; the extension logs its own share from the host's marks around its require.
      const own = ownActivationShare(path.dirname(workspace));
      console.log(`activation, this extension's own share: code loading ${own.codeLoadingMs} ms + activate() ${own.activateMs} ms = ${(own.codeLoadingMs + own.activateMs).toFixed(1)} ms` +
        `; activated in the same moment (${own.event}): ${own.together.join(', ') || 'no other extension'}`);
    },
  },
];
