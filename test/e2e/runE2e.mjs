// Runs the end-to-end UI tier: installs a packaged .vsix into a fresh code-server profile and drives the workbench in headless Chromium.
//
//   npm run package && node test/e2e/runE2e.mjs [path/to.vsix]      (default: backfill-studio.vsix at the root)
//
// Packages nothing itself. Runs every test/e2e/*.e2e.mjs (see test/harness/e2eRunner.mjs); evidence goes to
// test-results/e2e/. E2E_WORKSPACE overrides the workspace source (examples/quickstart), E2E_GREP filters tests ("<file> > <name>"),
// KEEP=1 keeps the temp profile, PORT fixes the port.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
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
const workspace = path.join(runDir, 'workspace');
fs.cpSync(source, workspace, { recursive: true, filter: (src) => !/[\\/](\.backfills|output|node_modules)$/.test(src) });
const config = path.join(runDir, 'config.yaml');
fs.writeFileSync(config, ''); // otherwise code-server writes and reads ~/.config/code-server/config.yaml
const userDataDir = path.join(runDir, 'user-data');
const extensionsDir = path.join(runDir, 'extensions');
writeUserSettings(userDataDir, { 'security.workspace.trust.enabled': false });
const codeServer = [tools.codeServerEntry, '--config', config, '--user-data-dir', userDataDir, '--extensions-dir', extensionsDir];

const install = spawnSync(tools.node24, [...codeServer, '--install-extension', vsix], { encoding: 'utf8' });
const installed = fs.existsSync(extensionsDir) ? fs.readdirSync(extensionsDir).filter((d) => !d.endsWith('.json') && !d.startsWith('.')) : [];
if (install.status !== 0 || installed.length === 0) {
  if (!process.env.KEEP) fs.rmSync(runDir, { recursive: true, force: true });
  fail(`installing ${vsix} failed (exit ${install.status}):\n${install.stdout}${install.stderr}`);
}
log(`installed ${path.basename(vsix)} as ${installed.join(', ')}`);

const port = await freePort();
const serverLog = path.join(runDir, 'code-server.log');
const server = startServerProcess(tools.node24, [...codeServer, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
  '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
  '--ignore-last-opened', workspace], { logFile: serverLog });
async function finish(code) {
  await server.stop();
  if (code !== 0) console.error(`--- code-server.log (tail)\n${tail(serverLog, 30)}`);
  if (process.env.KEEP) log(`kept ${runDir}`);
  else fs.rmSync(runDir, { recursive: true, force: true });
  log(`done in ${((Date.now() - t0) / 1000).toFixed(1)}s`);
  process.exit(code);
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => { finish(130); });

let code = 1;
try {
  await waitForHttp(`http://127.0.0.1:${port}/healthz`, server, serverLog, 60000);
  log(`code-server on 127.0.0.1:${port} (process group ${server.pid})`);
  const resultsDir = path.join(repoRoot, 'test-results', 'e2e');
  const { passed, failed } = await runE2eFiles(files, { baseUrl: `http://127.0.0.1:${port}`, workspace, resultsDir });
  code = failed > 0 || passed === 0 ? 1 : 0;
} catch (e) {
  console.error(`runE2e: ${e?.stack ?? e}`);
}
await finish(code);
