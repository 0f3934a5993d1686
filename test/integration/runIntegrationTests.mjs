// Runs the integration tier: bundled mocha suites in a real VS Code extension host, through @vscode/test-electron and test/harness/codeShim.
//
//   node esbuild.mjs --tests && node test/integration/runIntegrationTests.mjs
//
// Builds nothing itself. Four passes, each in a fresh temp copy of examples/quickstart (INTEGRATION_WORKSPACE
// overrides the source; multiRoot's is its own) and a fresh profile: `trusted` (workspace trust off) runs every test file except those under
// untrusted/ and reload/; `untrusted` (trust on, folder not trusted) runs those under untrusted/; `reload` (trusted,
// with reload/workspace/ laid over the copy) runs reload/beforeReload/ in the first extension host, which reloads the
// window, and reload/afterReload/ in the next (see reloadPhases.ts); `multiRoot` (trusted) runs multiRoot/ in a
// workspace of two folders, multiRoot/workspace/roots.code-workspace. INTEGRATION_PASSES=trusted,reload (say) runs
// some. MOCHA_GREP, FORCE_FAIL, TEST_TIMEOUT, KEEP and VERBOSE pass through to the harness and the extension host.
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const t0 = Date.now();
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const elapsed = () => `${((Date.now() - t0) / 1000).toFixed(1)}s`;

const required = [
  [path.join(root, 'dist', 'extension.js'), 'the extension bundle'],
  [path.join(root, 'out', 'test', 'integration', 'index.js'), 'the integration test entry'],
];
for (const [file, what] of required) {
  if (!fs.existsSync(file)) {
    console.error(`runIntegrationTests: ${what} is missing (${path.relative(root, file)}); run \`node esbuild.mjs --tests\` first`);
    process.exit(2);
  }
}
const source = path.resolve(root, process.env.INTEGRATION_WORKSPACE || 'examples/quickstart');
if (!fs.statSync(source, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`runIntegrationTests: workspace source ${source} is not a directory (set INTEGRATION_WORKSPACE to another folder)`);
  process.exit(2);
}

const PASSES = ['trusted', 'untrusted', 'reload', 'multiRoot'];
const passes = (process.env.INTEGRATION_PASSES || PASSES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
for (const p of passes) {
  if (!PASSES.includes(p)) {
    console.error(`runIntegrationTests: unknown pass ${p} in INTEGRATION_PASSES (expected ${PASSES.join(', ')})`);
    process.exit(2);
  }
}

/** One run of the harness; the test entry chooses its files from BACKFILL_INTEGRATION_PASS. */
async function runPass(pass) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `backfill-integration-${pass}-`));
  const workspace = path.join(runDir, 'workspace');
  // Leftover state and outputs of a local quickstart run would leak into the tests.
  const from = pass === 'multiRoot' ? path.join(root, 'test', 'integration', 'multiRoot', 'workspace') : source;
  fs.cpSync(from, workspace, { recursive: true, filter: (src) => !/[\\/](\.backfills|output|node_modules)$/.test(src) });
  // VS Code opens a .code-workspace file as a multi-root workspace.
  const opened = pass === 'multiRoot' ? path.join(workspace, 'roots.code-workspace') : workspace;
  const env = { BACKFILL_INTEGRATION_PASS: pass, BACKFILL_INTEGRATION_TRUST: pass === 'untrusted' ? 'untrusted' : 'trusted' };
  if (pass === 'reload') {
    fs.cpSync(path.join(root, 'test', 'integration', 'reload', 'workspace'), workspace, { recursive: true });
    // Where the first extension host leaves what the next one checks: outside the workspace, empty at the start.
    env.BACKFILL_INTEGRATION_RELOAD_DIR = path.join(runDir, 'reload');
    fs.mkdirSync(env.BACKFILL_INTEGRATION_RELOAD_DIR);
  }
  console.log(`runIntegrationTests: ${pass} pass (+${elapsed()})`);
  try {
    await runTests({
      vscodeExecutablePath: path.join(root, 'test', 'harness', 'codeShim'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: env,
      // a throw-away profile: test-electron's default is a shared .vscode-test/ folder in the cwd
      launchArgs: [opened, '--disable-extensions',
        `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
    });
    if (env.BACKFILL_INTEGRATION_RELOAD_DIR) return reloadPassEnded(env.BACKFILL_INTEGRATION_RELOAD_DIR);
    return 0;
  } catch (e) {
    console.error(`runIntegrationTests: ${pass} pass: ${e?.message ?? e}`);
    return typeof e?.code === 'number' && e.code !== 0 ? e.code : 1;
  } finally {
    if (process.env.KEEP) console.log(`runIntegrationTests: kept ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
}

/**
 * A green exit is the reload pass's only when its second phase ran to the end: an exit code the workbench reported
 * for the first extension host, as the reload ended it, must not pass for the result. (phase-ended.json: reloadPhases.ts)
 */
function reloadPassEnded(reloadDir) {
  const file = path.join(reloadDir, 'phase-ended.json');
  const ended = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : undefined;
  if (ended?.phase === 2 && ended.failed === 0) return 0;
  console.error(`runIntegrationTests: reload pass: the run exited 0 but ${ended ? `phase ${ended.phase} ended with ${ended.failed} failed` : 'no phase recorded its end'} (${file})`);
  // With no summary of the second phase, the tier's count would miss this pass: report it as one failure.
  if (ended?.phase !== 2) console.log('integration: 0 passed, 1 failed');
  return 1;
}

let code = 0;
for (const pass of passes) {
  const passCode = await runPass(pass);
  if (code === 0) code = passCode;
}
console.log(`runIntegrationTests: ${code === 0 ? 'green' : `red (exit ${code})`} in ${elapsed()}`);
process.exit(code);
