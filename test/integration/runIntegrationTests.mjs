// Runs the integration tier: bundled mocha suites in a real VS Code extension host, through @vscode/test-electron and test/harness/codeShim.
//
//   node esbuild.mjs --tests && node test/integration/runIntegrationTests.mjs
//
// Builds nothing itself. Two passes, each in a fresh temp copy of examples/quickstart (INTEGRATION_WORKSPACE
// overrides the source) and a fresh profile: `trusted` (workspace trust off) runs every test file except those under
// untrusted/, `untrusted` (trust on, folder not trusted) runs only those. INTEGRATION_PASSES=trusted or =untrusted
// runs one. MOCHA_GREP, FORCE_FAIL, TEST_TIMEOUT, KEEP and VERBOSE pass through to the harness and the extension host.
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

const PASSES = ['trusted', 'untrusted'];
const passes = (process.env.INTEGRATION_PASSES || PASSES.join(',')).split(',').map((p) => p.trim()).filter(Boolean);
for (const p of passes) {
  if (!PASSES.includes(p)) {
    console.error(`runIntegrationTests: unknown pass ${p} in INTEGRATION_PASSES (expected ${PASSES.join(', ')})`);
    process.exit(2);
  }
}

/** One run of the harness; the test entry chooses its files from BACKFILL_INTEGRATION_TRUST. */
async function runPass(trust) {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), `backfill-integration-${trust}-`));
  const workspace = path.join(runDir, 'workspace');
  // Leftover state and outputs of a local quickstart run would leak into the tests.
  fs.cpSync(source, workspace, { recursive: true, filter: (src) => !/[\\/](\.backfills|output|node_modules)$/.test(src) });
  console.log(`runIntegrationTests: ${trust} pass (+${elapsed()})`);
  try {
    await runTests({
      vscodeExecutablePath: path.join(root, 'test', 'harness', 'codeShim'),
      extensionDevelopmentPath: root,
      extensionTestsPath: path.join(root, 'out', 'test', 'integration', 'index.js'),
      extensionTestsEnv: { BACKFILL_INTEGRATION_TRUST: trust },
      // a throw-away profile: test-electron's default is a shared .vscode-test/ folder in the cwd
      launchArgs: [workspace, '--disable-extensions',
        `--user-data-dir=${path.join(runDir, 'user-data')}`, `--extensions-dir=${path.join(runDir, 'extensions')}`],
    });
    return 0;
  } catch (e) {
    console.error(`runIntegrationTests: ${trust} pass: ${e?.message ?? e}`);
    return typeof e?.code === 'number' && e.code !== 0 ? e.code : 1;
  } finally {
    if (process.env.KEEP) console.log(`runIntegrationTests: kept ${runDir}`);
    else fs.rmSync(runDir, { recursive: true, force: true });
  }
}

let code = 0;
for (const trust of passes) {
  const passCode = await runPass(trust);
  if (code === 0) code = passCode;
}
console.log(`runIntegrationTests: ${code === 0 ? 'green' : `red (exit ${code})`} in ${elapsed()}`);
process.exit(code);
