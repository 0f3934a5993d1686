// Runs the end-to-end UI tier: installs a packaged .vsix into a fresh code-server profile and drives the workbench in headless Chromium.
//
//   npm run package && node test/e2e/runE2e.mjs [path/to.vsix]      (default: backfill-studio.vsix at the root)
//
// Packages nothing itself. Runs every test/e2e/*.e2e.mjs, each on its own workspace copy, profile and code-server
// (see test/harness/e2eRunner.mjs); evidence goes to
// test-results/e2e/. E2E_WORKSPACE overrides the workspace source (examples/quickstart) of files that name none of their own
// (`export const workspace = 'test/fixtures/...'`, from the repository root), E2E_GREP filters tests ("<file> > <name>"),
// KEEP=1 keeps the temp profile, PORT fixes the port.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runE2eFiles } from '../harness/e2eRunner.mjs';
import { freePort, startServerProcess, tail, waitForHttp } from '../harness/serverProcess.mjs';
import { writeUserSettings } from '../harness/userSettings.mjs';
import { repoRoot, vscodeToolchain } from '../harness/vscodeToolchain.mjs';

const t0 = Date.now();
const log = (msg) => console.log(`[runE2e +${((Date.now() - t0) / 1000).toFixed(1)}s] ${msg}`);
const fail = (msg) => { console.error(`runE2e: ${msg}`); process.exit(2); };

const vsix = path.resolve(process.argv[2] || path.join(repoRoot, 'backfill-studio.vsix'));
if (!fs.existsSync(vsix)) fail(`${vsix} not found; build it with \`npm run package\` or pass a .vsix path`);
const source = path.resolve(repoRoot, process.env.E2E_WORKSPACE || 'examples/quickstart');
if (!fs.statSync(source, { throwIfNoEntry: false })?.isDirectory()) fail(`workspace source ${source} is not a directory`);
const e2eDir = path.join(repoRoot, 'test', 'e2e');
const files = fs.readdirSync(e2eDir).filter((f) => f.endsWith('.e2e.mjs')).sort().map((f) => path.join(e2eDir, f));
if (files.length === 0) fail(`no *.e2e.mjs files in ${e2eDir}`);

const tools = vscodeToolchain();
const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-e2e-'));
const config = path.join(runDir, 'config.yaml');
fs.writeFileSync(config, ''); // otherwise code-server writes and reads ~/.config/code-server/config.yaml
// The extension is installed once; each test file gets its own workspace copy, profile and code-server, so no file
// sees the backfills, editors or restored panels another left (the files run in one order, but none depends on it).
const extensionsDir = path.join(runDir, 'extensions');
const installProfile = path.join(runDir, 'install-profile');
const install = spawnSync(tools.node24, [tools.codeServerEntry, '--config', config, '--user-data-dir', installProfile, '--extensions-dir', extensionsDir, '--install-extension', vsix], { encoding: 'utf8' });
const installed = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).filter((d) => !d.endsWith('.json') && !d.startsWith('.')) : [];
if (install.status !== 0 || installed.length === 0) {
  if (!process.env.KEEP) fs.rmSync(runDir, { recursive: true, force: true });
  fail(`installing ${vsix} failed (exit ${install.status}):\n${install.stdout}${install.stderr}`);
}
log(`installed ${path.basename(vsix)} as ${installed.join(', ')}`);

const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
let server;
let serverLog;
let interrupted = false;
async function stopServer(failedRun) {
  const s = server;
  server = undefined;
  if (!s) return;
  await s.stop();
  if (failedRun) console.error(`--- code-server.log (tail)\n${tail(serverLog, 30)}`);
}
async function finish(code) {
  await stopServer(code !== 0);
  if (process.env.KEEP) log(`kept ${runDir}`);
  else fs.rmSync(runDir, { recursive: true, force: true });
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { interrupted = true; finish(130); });

/** One test file on a fresh copy of the workspace, a fresh profile and its own code-server. */
async function runFile(file) {
  const base = path.basename(file, '.e2e.mjs');
  const fileDir = path.join(runDir, base);
  const workspace = path.join(fileDir, 'workspace');
  fs.cpSync(await workspaceSourceOf(file), workspace, { recursive: true, filter: (src) => !/[\\/](\.backfills|output|node_modules)$/.test(src) });
  const userDataDir = path.join(fileDir, 'user-data');
  writeUserSettings(userDataDir, { 'security.workspace.trust.enabled': false });
  const port = await freePort();
  serverLog = path.join(fileDir, 'code-server.log');
  server = startServerProcess(tools.node24, [tools.codeServerEntry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir,
    '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust',
    '--disable-getting-started-override', '--ignore-last-opened', workspace], { logFile: serverLog });
  try {
    await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, serverLog, 60000);
    log(`${base}: code-server on 127.0.0.1:${port} (process group ${server.pid})`);
    const result = await runE2eFiles([file], { baseUrl: `http://127.0.0.1:${port}`, workspace, resultsDir }, { summary: false });
    await stopServer(result.failed > 0);
    return result;
  } catch (e) {
    await stopServer(true);
    throw e;
  }
}

let code = 1;
let passed = 0;
let failed = 0;
try {
  for (const file of files) {
    if (interrupted) break;
    const base = path.basename(file, '.e2e.mjs');
    if (process.env.E2E_GREP && !(await selectsAny(file, base))) continue;
    const r = await runFile(file);
    passed += r.passed;
    failed += r.failed;
  }
  code = failed > 0 || passed === 0 ? 1 : 0;
} catch (e) {
  failed++;
  console.error(`runE2e: ${e?.stack ?? e}`);
}
console.log(`e2e: ${passed} passed, ${failed} failed`);
await finish(code);

/** The folder a test file's workspace is copied from: its own `workspace` export, else the run's. */
async function workspaceSourceOf(file) {
  const { workspace } = await import(pathToFileURL(file).href);
  if (workspace === undefined) return source;
  const own = path.resolve(repoRoot, workspace);
  if (typeof workspace !== 'string' || !fs.statSync(own, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`${path.basename(file)}: its workspace ${JSON.stringify(workspace)} is not a folder of the repository`);
  }
  return own;
}

/** Whether E2E_GREP keeps any test of the file (a file with none starts no code-server). */
async function selectsAny(file, base) {
  try {
    const { tests } = await import(pathToFileURL(file).href);
    return Array.isArray(tests) && tests.some((t) => `${base} > ${t?.name}`.includes(process.env.E2E_GREP));
  } catch {
    return true; // runE2eFiles reports a file that cannot load
  }
}
