// Discovery benchmark: cold discovery of 2,000 generated modules and re-discovery after one edit, beside
// CPython's ast.parse of the same files measured in the same run. Prints figures and ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { generateWorkspace } from './generateWorkspace.mjs';

const MODULES = Number(process.env.DISCOVERY_BENCH_MODULES ?? 2000);
const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');

// Garbage collection between phases makes the memory figure mean something; re-run with the flag if missing.
if (typeof globalThis.gc !== 'function') {
  const r = spawnSync(process.execPath, ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'discovery-bench-'));
try {
  const entry = path.join(work, 'entry.ts');
  fs.writeFileSync(entry, [
    `export { DefinitionIndex } from ${JSON.stringify(path.join(repo, 'src/core/definitions/definitionIndex'))};`,
    `export { NodeSourceFiles } from ${JSON.stringify(path.join(repo, 'src/core/workspace/nodeSourceFiles'))};`,
  ].join('\n'));
  const bundle = path.join(work, 'discovery.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error', nodePaths: [path.join(repo, 'node_modules')] });
  const { DefinitionIndex, NodeSourceFiles } = await import(pathToFileURL(bundle).href);

  const root = path.join(work, 'workspace');
  const files = generateWorkspace(root, MODULES);
  const pyFiles = files.filter((f) => f.endsWith('.py'));
  const bytes = pyFiles.reduce((n, f) => n + fs.statSync(path.join(root, f)).size, 0);
  console.log(`workspace: ${pyFiles.length} Python files, ${(bytes / 1e6).toFixed(1)} MB, ${MODULES / 5} modules with partitioned assets`);

  // CPython: read and ast.parse every file (interpreter start-up excluded from the inner figure).
  const list = path.join(work, 'files.txt');
  fs.writeFileSync(list, pyFiles.map((f) => path.join(root, f)).join('\n'));
  const script = 'import ast,sys,time\nt=time.perf_counter()\nfor p in open(sys.argv[1]).read().split("\\n"):\n    ast.parse(open(p, encoding="utf-8").read())\nprint(time.perf_counter()-t)';
  const python = spawnSync('python3', ['-c', script, list], { encoding: 'utf8' });
  const pythonMs = python.status === 0 ? Number(python.stdout.trim()) * 1000 : NaN;
  if (python.status !== 0) console.log(`python3 failed: ${python.stderr || python.error}`);

  globalThis.gc();
  const heapBefore = process.memoryUsage().heapUsed;
  let t = performance.now();
  const index = await DefinitionIndex.load(new NodeSourceFiles(root));
  const snapshot = index.snapshot();
  const coldMs = performance.now() - t;
  globalThis.gc();
  const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
  const partitioned = snapshot.assets.filter((a) => a.partitions !== null).length;
  console.log(`cold discovery: ${coldMs.toFixed(0)} ms (read + scan + parse + resolve), ${snapshot.assets.length} assets (${partitioned} partitioned), ${snapshot.diagnostics.length} diagnostics, index heap ${heapMb.toFixed(1)} MB, rss ${(process.memoryUsage().rss / 1e6).toFixed(0)} MB`);
  console.log(`python3 ast.parse of the same files: ${pythonMs.toFixed(0)} ms`);
  console.log(`ratio ast.parse / cold discovery: ${(pythonMs / coldMs).toFixed(2)}x (target >= 3x)`);

  // One edit: a partitioned module changes its start date; it and its importers are re-read.
  const edited = pyFiles.find((f) => f.endsWith('/module_500.py'));
  const original = fs.readFileSync(path.join(root, edited), 'utf8');
  const times = [];
  for (let i = 0; i < 20; i++) {
    const text = i % 2 === 0 ? original.replace('group_name="pkg_0"', 'group_name="pkg_0_edited"') : original;
    fs.writeFileSync(path.join(root, edited), text);
    t = performance.now();
    index.update([{ path: edited, text: fs.readFileSync(path.join(root, edited), 'utf8') }]);
    index.snapshot();
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`re-discovery after a one-file edit: median ${times[10].toFixed(1)} ms, max ${times[19].toFixed(1)} ms, ${index.recomputed.size} modules re-read (target < 20 ms)`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
