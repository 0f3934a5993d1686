// Runs every test tier in order (type check, build, package, unit, webview, integration, e2e), times each,
// and ends with the total "N passed, N failed". `--only unit,webview` runs a subset.
import { spawn } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const onlyArg = process.argv.indexOf('--only');
const only = onlyArg > 0 ? new Set(process.argv[onlyArg + 1].split(',')) : null;

/**
 * A tier either counts its own tests (a "<tier>: N passed, N failed" line per run; `runs` of them, summed: the
 * integration tier runs its harness four times, trusted, untrusted, reload and multiRoot) or counts as one check.
 */
const TIERS = [
  { name: 'typecheck', cmd: ['npx', 'tsc', '--noEmit', '-p', '.'], counts: false },
  { name: 'typecheck-webview', cmd: ['npx', 'tsc', '--noEmit', '-p', 'src/webview'], counts: false },
  { name: 'build', cmd: ['node', 'esbuild.mjs', '--tests'], counts: false },
  { name: 'package', cmd: ['npm', 'run', '--silent', 'package'], counts: false },
  { name: 'unit', cmd: ['node', 'test/runUnitTests.mjs'], counts: true },
  { name: 'webview', cmd: ['node', 'test/webview/runWebviewTests.mjs'], counts: true },
  { name: 'integration', cmd: ['node', 'test/integration/runIntegrationTests.mjs'], counts: true, runs: 4 },
  { name: 'e2e', cmd: ['node', 'test/e2e/runE2e.mjs'], counts: true },
];

function run(cmd) {
  return new Promise((resolve) => {
    const child = spawn(cmd[0], cmd.slice(1), { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const keep = (chunk, stream) => {
      stream.write(chunk);
      output += chunk.toString();
    };
    child.stdout.on('data', (c) => keep(c, process.stdout));
    child.stderr.on('data', (c) => keep(c, process.stderr));
    child.on('error', (e) => resolve({ code: 127, output: String(e) }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

const started = Date.now();
let passed = 0;
let failed = 0;
const report = [];
/** Each tier's "FAILED ..." lines, repeated above the summary so the tail of a CI log names what failed. */
const failureLines = [];
for (const tier of TIERS) {
  if (only && !only.has(tier.name)) continue;
  console.log(`\n=== ${tier.name}: ${tier.cmd.join(' ')}`);
  const t0 = Date.now();
  const { code, output } = await run(tier.cmd);
  const seconds = ((Date.now() - t0) / 1000).toFixed(1);
  let p = code === 0 ? 1 : 0;
  let f = code === 0 ? 0 : 1;
  if (tier.counts) {
    const summaries = [...output.matchAll(new RegExp(`^${tier.name}: (\\d+) passed, (\\d+) failed`, 'gm'))];
    if (summaries.length > 0) {
      p = summaries.reduce((sum, m) => sum + Number(m[1]), 0);
      f = summaries.reduce((sum, m) => sum + Number(m[2]), 0);
      if (summaries.length < (tier.runs ?? 1)) f += (tier.runs ?? 1) - summaries.length; // a run that never reported
      if (code !== 0 && f === 0) f = 1; // a runner that crashed after its summary still fails the tier
    } else {
      p = 0;
      f = 1; // no summary line at all: the runner died before reporting
    }
  }
  failureLines.push(...output.split('\n').filter((l) => /^FAILED /.test(l)));
  passed += p;
  failed += f;
  report.push(`${tier.name.padEnd(18)} ${String(p).padStart(4)} passed ${String(f).padStart(3)} failed  ${seconds.padStart(6)}s  exit ${code}`);
}
console.log('\n=== summary');
for (const line of failureLines) console.log(line);
for (const line of report) console.log(line);
console.log(`all tiers: ${((Date.now() - started) / 1000).toFixed(1)}s`);
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 ? 1 : 0;
