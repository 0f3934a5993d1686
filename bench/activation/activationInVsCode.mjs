// Benchmark: the extension's activation time as the real VS Code (code-server) reports it, beside an empty extension activated the same way.
//
//   npm run package && node bench/activation/activationInVsCode.mjs [rounds]     (default 3 rounds)
//
// At start-up VS Code activates many extensions in the same moment, and its "Activation" figure (code loading +
// activate()) starts before an await in the extension host, so the others' loading lands in every one of them.
// Here each extension is activated alone: the workspace holds a Python file but no backfills.yaml, no editor is
// open and the sidebar is closed, so nothing activates Backfill Studio until its command runs from the palette,
// once the extension host has finished starting. An empty extension (one command, an activate() that does
// nothing) is activated the same way in the same window: the ratio is ours over the floor every extension pays.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { launchBrowser, openWorkbench, runCommandFromPalette } from '../../test/harness/browser.mjs';
import { freePort, startServerProcess, waitForHttp } from '../../test/harness/serverProcess.mjs';
import { writeUserSettings } from '../../test/harness/userSettings.mjs';
import { repoRoot, vscodeToolchain } from '../../test/harness/vscodeToolchain.mjs';

const ROUNDS = Number(process.argv[2] ?? 3);
const vsix = path.join(repoRoot, 'backfill-studio.vsix');
if (!fs.existsSync(vsix)) throw new Error(`${vsix} not found: run \`npm run package\` first`);
const tools = vscodeToolchain();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The floor: an installed extension whose activate() does nothing, activated by its one command. */
function emptyExtension(dir) {
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'empty-extension', publisher: 'bench', displayName: 'Empty Extension', version: '0.0.1', engines: { vscode: '^1.80.0' }, main: './extension.js',
    activationEvents: [], contributes: { commands: [{ command: 'emptyExtension.hello', title: 'Empty Extension: Hello' }] },
  }));
  fs.writeFileSync(path.join(dir, 'extension.js'), "exports.activate = (context) => { context.subscriptions.push(require('vscode').commands.registerCommand('emptyExtension.hello', () => undefined)); };\n");
  fs.writeFileSync(path.join(dir, 'LICENSE'), 'MIT\n');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const out = path.join(dir, 'empty.vsix');
  const r = spawnSync(vsce, ['package', '--allow-missing-repository', '--skip-license', '-o', out], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`packaging the empty extension failed: ${r.stdout}${r.stderr}`);
  return out;
}

async function round(runDir, emptyVsix) {
  const workspace = path.join(runDir, 'workspace');
  fs.mkdirSync(workspace, { recursive: true });
  fs.copyFileSync(path.join(repoRoot, 'examples/quickstart/definitions.py'), path.join(workspace, 'definitions.py'));
  const config = path.join(runDir, 'config.yaml');
  fs.writeFileSync(config, '');
  const userDataDir = path.join(runDir, 'user-data');
  const extensionsDir = path.join(runDir, 'extensions');
  writeUserSettings(userDataDir, { 'security.workspace.trust.enabled': false, 'workbench.startupEditor': 'none' });
  const codeServer = [tools.codeServerEntry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];
  for (const v of [vsix, emptyVsix]) {
    const r = spawnSync(tools.node24, [...codeServer, '--install-extension', v], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`installing ${v} failed: ${r.stdout}${r.stderr}`);
  }
  const port = await freePort();
  const server = startServerProcess(tools.node24, [...codeServer, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--ignore-last-opened', workspace], { logFile: path.join(runDir, 'server.log') });
  const browser = await launchBrowser();
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, path.join(runDir, 'server.log'), 60000);
    const page = await browser.context.newPage();
    await openWorkbench(page, `http://127.0.0.1:${port}`, workspace);
    const hostLog = await waitForFile(() => findHostLog(userDataDir), 60000);
    await waitFor(() => fs.readFileSync(hostLog, 'utf8').includes('Eager extensions activated'), 90000, 'the extension host to finish starting');
    // Let onStartupFinished activations and their loading settle.
    await new Promise((r) => setTimeout(r, 5000));
    const activations = () => fs.readFileSync(hostLog, 'utf8');
    await runCommandFromPalette(page, 'Backfill Studio: Refresh Definitions');
    await waitFor(() => activations().includes('_doActivateExtension backfill-studio.backfill-studio'), 60000, 'Backfill Studio to activate');
    await new Promise((r) => setTimeout(r, 3000));
    await runCommandFromPalette(page, 'Empty Extension: Hello');
    await waitFor(() => activations().includes('_doActivateExtension bench.empty-extension'), 60000, 'the empty extension to activate');
    await runCommandFromPalette(page, 'Developer: Show Running Extensions');
    const figure = async (name) => {
      const list = page.locator('.runtime-extensions-editor .monaco-list').first();
      await list.waitFor({ state: 'visible', timeout: 30000 });
      const row = page.locator('.runtime-extensions-editor .monaco-list-row', { hasText: name }).first();
      // The list (sorted slowest first) draws only the rows in view: scroll down until the row is there.
      await list.hover();
      for (let i = 0; i < 20 && !(await row.isVisible()); i++) await page.mouse.wheel(0, 300);
      await row.waitFor({ state: 'visible', timeout: 10000 });
      const text = (await row.innerText()).replace(/\s+/g, ' ');
      const m = /Activation: (\d+)\s*ms/.exec(text);
      if (!m) throw new Error(`no activation time in the row of ${name}: ${text}`);
      if (process.env.KEEP) await page.screenshot({ path: path.join(repoRoot, 'test-results', 'activation-running-extensions.png') });
      return Number(m[1]);
    };
    const ours = await figure('Backfill Studio').catch(async (e) => { await page.screenshot({ path: '/tmp/act-fail.png' }); throw e; });
    const empty = await figure('Empty Extension').catch(async (e) => { await page.screenshot({ path: '/tmp/act-fail.png' }); throw e; });
    // Which extensions the host activated within 5 ms of ours: none, if the measurement is clean.
    const lines = [...activations().matchAll(/^(\S+ \S+) \[info\] ExtensionService#_doActivateExtension (\S+),/gm)].map((m) => ({ at: Date.parse(m[1].replace(' ', 'T')), id: m[2] }));
    const at = lines.find((l) => l.id === 'backfill-studio.backfill-studio').at;
    const together = lines.filter((l) => l.id !== 'backfill-studio.backfill-studio' && Math.abs(l.at - at) <= 5).map((l) => l.id);
    const ownLog = fs.readFileSync(path.join(path.dirname(hostLog), 'backfill-studio.backfill-studio', 'Backfill Studio.log'), 'utf8');
    const own = /activate\(\) took ([\d.]+) ms; loading the extension's code took (\d+) ms \(VS Code's marks\)(?:, of which running the bundle's top-level code ([\d.]+) ms)?/.exec(ownLog);
    return { ours, empty, together, activateMs: own ? Number(own[1]) : NaN, codeLoadingMs: own ? Number(own[2]) : NaN, evaluationMs: own?.[3] ? Number(own[3]) : NaN };
  } finally {
    await browser.close();
    await server.stop();
  }
}

function findHostLog(userDataDir) {
  const logs = path.join(userDataDir, 'logs');
  if (!fs.existsSync(logs)) return undefined;
  for (const session of fs.readdirSync(logs)) {
    for (const host of fs.readdirSync(path.join(logs, session)).filter((d) => d.startsWith('exthost'))) {
      const file = fs.readdirSync(path.join(logs, session, host)).find((f) => /exthost\.log$/.test(f));
      if (file) return path.join(logs, session, host, file);
    }
  }
  return undefined;
}

async function waitFor(check, timeoutMs, what) {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function waitForFile(find, timeoutMs) {
  let found;
  await waitFor(() => (found = find()) !== undefined, timeoutMs, 'the extension host log');
  return found;
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'activation-bench-'));
try {
  const emptyVsix = emptyExtension(path.join(base, 'empty-extension'));
  const results = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(path.join(base, `round-${i}`), emptyVsix);
    results.push(r);
    console.log(`round ${i + 1}: Backfill Studio ${r.ours} ms, empty extension ${r.empty} ms (VS Code's Running Extensions); ` +
      `own log: code loading ${r.codeLoadingMs} ms (top-level code ${r.evaluationMs} ms of it) + activate() ${r.activateMs} ms; activated in the same moment: ${r.together.join(', ') || 'nothing else'}`);
  }
  const ours = median(results.map((r) => r.ours));
  const empty = median(results.map((r) => r.empty));
  console.log(`median of ${ROUNDS}: Backfill Studio ${ours} ms, empty extension ${empty} ms: ratio ${(ours / Math.max(empty, 1)).toFixed(2)}× the empty extension (target: under 50 ms)`);
} finally {
  fs.rmSync(base, { recursive: true, force: true });
}
