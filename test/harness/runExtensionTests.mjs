// Runs mocha integration tests in VS Code's real Node extension host: the VS Code server inside code-server plus headless Chromium.
//
//   node runExtensionTests.mjs --tests out/test/integration/index.js --dev <extension root> [--dev ...]
//        [--folder <workspace>] [--user-data-dir D] [--extensions-dir D] [--server-arg=--disable-extensions ...]
//
// Exit code: the test run's (0 green, 1 red), 124 when no result arrives within TEST_TIMEOUT seconds (default 900: a guard against a hung run, sized for a busy 2-core machine).
// BACKFILL_INTEGRATION_TRUST=untrusted runs with workspace trust on and the folder not trusted (restricted mode);
// otherwise trust is off, so everything is trusted.
// The workbench URL carries a `payload` with extensionDevelopmentPath/extensionTestsPath as vscode-remote:// URIs;
// a built VS Code honours it only when its server runs with --enable-smoke-test-driver, which code-server's own
// CLI rejects, hence lib/vscode/out/server-main.js. The server's environment (MOCHA_GREP, FORCE_FAIL...) reaches the tests.
// A test may reload the window (workbench.action.reloadWindow): the page loads the same URL, so the new extension host
// runs the test entry again (the entry tells the phases apart), and the functions exposed below survive the navigation.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { format, parseArgs } from 'node:util';
import { launchBrowser } from './browser.mjs';
import { freePort, startServerProcess, tail, waitForHttp } from './serverProcess.mjs';
import { writeUserSettings } from './userSettings.mjs';
import { vscodeToolchain } from './vscodeToolchain.mjs';

const { values: o } = parseArgs({ options: {
  tests: { type: 'string' }, dev: { type: 'string', multiple: true }, folder: { type: 'string' },
  'user-data-dir': { type: 'string' }, 'extensions-dir': { type: 'string' }, 'server-arg': { type: 'string', multiple: true },
} });
const t0 = Date.now();
const log = (msg) => console.log(`[runExtensionTests +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
function mustExist(what, p) {
  if (!p || !fs.existsSync(p)) {
    console.error(`runExtensionTests: ${what} ${p ? `not found: ${p}` : 'is required'}${what === '--tests' ? ' (build it with `node esbuild.mjs --tests`)' : ''}`);
    process.exit(2);
  }
  return fs.realpathSync(p);
}
const testsPath = mustExist('--tests', o.tests);
const devPaths = (o.dev ?? []).map((d) => mustExist('--dev', d));
if (devPaths.length === 0) mustExist('--dev', undefined);
const folder = o.folder ? mustExist('--folder', o.folder) : undefined;
const timeoutSec = Number(process.env.TEST_TIMEOUT || 900);
const GRACE_MS = Number(process.env.EXIT_GRACE_MS || 5000);

const tools = vscodeToolchain();
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-it-'));
const userDataDir = o['user-data-dir'] || path.join(runDir, 'data');
const extensionsDir = o['extensions-dir'] || path.join(runDir, 'extensions');
const untrusted = process.env.BACKFILL_INTEGRATION_TRUST === 'untrusted';
// Restricted mode without the startup dialog: a modal would wait for a click that never comes.
writeUserSettings(userDataDir, untrusted ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.banner': 'never' } : {});
const serverLog = path.join(runDir, 'server.log');
const port = await freePort();
const server = startServerProcess(tools.node24, [tools.serverMain,
  '--host', '127.0.0.1', '--port', String(port), '--without-connection-token', '--accept-server-license-terms',
  '--enable-smoke-test-driver', '--disable-telemetry', ...(untrusted ? [] : ['--disable-workspace-trust']),
  // offline, these only add noise and a pending getSessions RPC that can die with "Canceled"
  '--disable-extension', 'vscode.github-authentication', '--disable-extension', 'vscode.github',
  ...(o['server-arg'] ?? []),
  '--server-data-dir', path.join(runDir, 'server'), '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
], { logFile: serverLog });

let browser;
async function finish(code) {
  if (browser) await browser.close();
  await server.stop();
  if (code !== 0) console.error(`--- server.log (tail)\n${tail(serverLog, 20)}`);
  if (!process.env.KEEP) fs.rmSync(runDir, { recursive: true, force: true });
  else log(`kept ${runDir}`);
  process.exit(code);
}
// playwright's own SIGTERM handler closes the browser without exiting, so take over both signals.
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { finish(130); });

try {
  await waitForHttp(`http://127.0.0.1:${port}/version`, server, serverLog, 60000);
} catch (e) {
  console.error(`runExtensionTests: ${e.message}`);
  await finish(1);
}
log(`VS Code server on 127.0.0.1:${port} (process group ${server.pid}), workspace ${untrusted ? "untrusted (restricted mode)" : "trusted (trust disabled)"}`);

const authority = `127.0.0.1:${port}`; // the server takes the browser's host as remote authority
const remote = (p) => `vscode-remote://${authority}${p}`;
const payload = [
  ...devPaths.map((d) => ['extensionDevelopmentPath', remote(d)]),
  ['extensionTestsPath', remote(testsPath)],
  ['skipWelcome', 'true'],
];
// A .code-workspace file opens as a (multi-root) workspace, anything else as a folder.
const folderQuery = !folder ? 'ew=true' : `${folder.endsWith('.code-workspace') ? 'workspace' : 'folder'}=${encodeURIComponent(folder)}`;
const url = `http://${authority}/?${folderQuery}&payload=${encodeURIComponent(JSON.stringify(payload))}`;

let settle;
const exited = new Promise((resolve) => { settle = resolve; });
// VS Code 1.139's web workbench usually hangs in _onExtensionHostExit -> _doStopExtensionHosts after a
// test run, so codeAutomationExit often never comes. The entry prints "<tier>: N passed, N failed" last
// (mocha's "N passing"/"N failing" also count): once seen, give the real exit code GRACE_MS, then decide.
let summaryTimer;
let mochaFailing = 0;
function arm(code) {
  if (summaryTimer && code === null) return;
  clearTimeout(summaryTimer);
  summaryTimer = setTimeout(() => {
    log(`no exit code from the workbench ${GRACE_MS} ms after the summary; deciding from the summary`);
    settle(code ?? (mochaFailing > 0 ? 1 : 0));
  }, GRACE_MS);
}
function sawOutput(text) {
  for (const line of text.split('\n')) {
    let m;
    if ((m = /^(?:[\w-]+: )?(\d+) passed, (\d+) failed/.exec(line))) arm(Number(m[2]) > 0 || Number(m[1]) === 0 ? 1 : 0);
    else if ((m = /^\s*(\d+) failing/.exec(line))) mochaFailing = Number(m[1]);
    else if (/^\s*\d+ passing \(/.test(line)) arm(null);
  }
}

const NOISE = /^Canceled: Canceled|open-vsx\.org|authentication provider 'github'|ENOTFOUND|vsda|ServiceWorker|^(Resolving connection token|Resolved connection token|Creating a socket|\[reconnection-grace-time\]|Updating additional builtin|\[AgentHost|\[AccountPolicyGate\]|Creation of workbench contribution)/;
try {
  browser = await launchBrowser();
  const page = browser.context.pages()[0] || (await browser.context.newPage());
  await page.exposeFunction('codeAutomationExit', (code) => settle(Number(code)));
  // The workbench forwards console calls here: (level, string) are its own lines, (level, [fmt, ...args])
  // come from the extension host's console, where mocha's reporter writes.
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const fromExtHost = Array.isArray(args);
    const line = fromExtHost ? format(...args) : String(args);
    const show = process.env.VERBOSE || (!NOISE.test(line) && (fromExtHost || type === 'error'));
    if (show) (type === 'error' ? console.error : console.log)(fromExtHost ? line : `[workbench ${type}] ${line}`);
    if (fromExtHost) sawOutput(line);
  });
  if (process.env.VERBOSE) {
    page.on('console', (m) => console.log('[page console]', m.text()));
    page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  }
  await page.goto(url);
  log('workbench opened; waiting for the test run');
} catch (e) {
  console.error(`runExtensionTests: browser failed: ${e.message}`);
  await finish(1);
}
const timer = new Promise((resolve) => setTimeout(() => resolve('timeout'), timeoutSec * 1000));
const code = await Promise.race([exited, timer, server.exited.then((c) => `server exited (${c})`)]);
clearTimeout(summaryTimer);
if (typeof code === 'string') {
  console.error(code === 'timeout' ? `runExtensionTests: no test result within ${timeoutSec}s (TEST_TIMEOUT)` : `runExtensionTests: ${code} during the test run`);
  await finish(code === 'timeout' ? 124 : 1);
}
log(`extension host exited with code ${code}`);
await finish(code);
