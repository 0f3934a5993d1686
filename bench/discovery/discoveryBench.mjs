// Discovery benchmark: cold discovery of 2,000 generated modules and re-discovery after one edit, beside
// CPython's ast.parse of the same files measured in the same run; then how long the calling thread's event loop is
// blocked by the same cold discovery in that thread and through the discovery worker (as in the extension host),
// and what reviving the worker's snapshot costs. Prints figures and ratios; asserts nothing.
import { spawnSync } from 'node:child_process';
import { monitorEventLoopDelay } from 'node:perf_hooks';
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
    `export { InProcessDiscovery } from ${JSON.stringify(path.join(repo, 'src/core/workspace/inProcessDiscovery'))};`,
    `export { WorkerDiscovery } from ${JSON.stringify(path.join(repo, 'src/core/workspace/workerDiscovery'))};`,
    `export { transferableDefinitions, revivedDefinitions } from ${JSON.stringify(path.join(repo, 'src/core/definitions/transferredDefinitions'))};`,
  ].join('\n'));
  const bundle = path.join(work, 'discovery.mjs');
  const workerScript = path.join(work, 'discoveryWorker.js');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'error', nodePaths: [path.join(repo, 'node_modules')] });
  // The worker as the extension ships it (esbuild.mjs builds the same entry into dist/).
  await build({ entryPoints: [path.join(repo, 'src/core/workspace/discoveryWorker.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: workerScript, logLevel: 'error' });
  const { DefinitionIndex, NodeSourceFiles, InProcessDiscovery, WorkerDiscovery, transferableDefinitions, revivedDefinitions } = await import(pathToFileURL(bundle).href);

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
  fs.writeFileSync(path.join(root, edited), original);

  // The longest time this thread's event loop could not run anything (a timer, another extension's request)
  // while `work` ran: the largest delay monitorEventLoopDelay saw, sampling every millisecond.
  const blocked = async (work) => {
    globalThis.gc();
    const h = monitorEventLoopDelay({ resolution: 1 });
    h.enable();
    // Let the monitor's first sample happen before the work starts.
    await new Promise((r) => setTimeout(r, 20));
    const started = performance.now();
    const result = await work();
    const wallMs = performance.now() - started;
    await new Promise((r) => setTimeout(r, 20));
    h.disable();
    return { result, wallMs, maxBlockedMs: h.max / 1e6 };
  };
  const inThread = await blocked(() => new InProcessDiscovery(new NodeSourceFiles(root, { blockingReads: true })).load());
  const worker = new WorkerDiscovery({ root, workerScript });
  let viaWorker;
  let workerUpdate;
  try {
    viaWorker = await blocked(() => worker.load());
    const text = original.replace('group_name="pkg_0"', 'group_name="pkg_0_edited"');
    fs.writeFileSync(path.join(root, edited), text);
    workerUpdate = await blocked(() => worker.update([edited]));
  } finally {
    worker.dispose();
    fs.writeFileSync(path.join(root, edited), original);
  }
  if (viaWorker.result.assets.length !== inThread.result.assets.length) throw new Error(`the worker found ${viaWorker.result.assets.length} assets, in-thread discovery ${inThread.result.assets.length}`);
  console.log(`event loop blocked during cold discovery, in this thread: ${inThread.maxBlockedMs.toFixed(0)} ms (discovery ${inThread.wallMs.toFixed(0)} ms)`);
  console.log(`event loop blocked during cold discovery, through the worker: ${viaWorker.maxBlockedMs.toFixed(1)} ms (discovery ${viaWorker.wallMs.toFixed(0)} ms, worker start included) (target < 50 ms)`);
  console.log(`ratio blocked in-thread / through the worker: ${(inThread.maxBlockedMs / viaWorker.maxBlockedMs).toFixed(0)}x`);
  console.log(`event loop blocked during a one-file update through the worker: ${workerUpdate.maxBlockedMs.toFixed(1)} ms (update ${workerUpdate.wallMs.toFixed(1)} ms)`);

  // What the host does with a snapshot, in parts: deserializing its messages (structured clone, as postMessage) and
  // reviving partitions, the latter cold and with the previous snapshot's definitions (an update).
  const { head, chunks } = transferableDefinitions(inThread.result);
  const sent = chunks.map((c) => structuredClone(c));
  let largestChunkMs = 0;
  for (const c of chunks) {
    const t0 = performance.now();
    structuredClone(c);
    largestChunkMs = Math.max(largestChunkMs, performance.now() - t0);
  }
  const cache = new Map();
  let t0 = performance.now();
  revivedDefinitions(structuredClone(head), sent, cache);
  const reviveMs = performance.now() - t0;
  t0 = performance.now();
  revivedDefinitions(structuredClone(head), sent, cache);
  const reviveCachedMs = performance.now() - t0;
  console.log(`snapshot on the host: ${chunks.length} chunks, the slowest cloned in ${largestChunkMs.toFixed(1)} ms; reviving ${head.sites.length} partitions (${head.partitions.length} distinct definitions) and assembling ${reviveMs.toFixed(1)} ms cold, ${reviveCachedMs.toFixed(1)} ms with the previous snapshot's definitions`);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
