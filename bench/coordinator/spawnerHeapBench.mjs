// Benchmark: command-run spawn cost from a process shaped like an extension host (hundreds of MB of live JS
// objects and a state store holding 5,000 run records), Node's spawn vs the command spawner, in one run.
//
//   node bench/coordinator/spawnerHeapBench.mjs [runs per round] [--heap-mb=400] [--rounds=6]
//
// Runs go through CommandRunLauncher.launch (the coordinator's command path), one at a time so each is timed
// alone. Rounds alternate direct / spawner (the order flips each round) so drift in machine load hits both alike.
// Measured first with the small heap the engine and store leave, then again once the big heap is allocated.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCoreExports } from '../coreBundle.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const RUNS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 100);
const HEAP_MB = Number(process.argv.find((a) => a.startsWith('--heap-mb='))?.split('=')[1] ?? 400);
const ROUNDS = Number(process.argv.find((a) => a.startsWith('--rounds='))?.split('=')[1] ?? 6);
const SPAWNER = { python: process.env.BACKFILL_PYTHON ?? 'python3', script: join(root, 'src/runner/backfill_command_spawner.py') };
const STORED_RUNS = 5000;

const dir = mkdtempSync(join(tmpdir(), 'spawner-heap-bench-'));
const engine = await loadCoreExports(dir, { BackfillDaemon: 'backfill/backfillDaemon', planBackfill: 'backfill/planBackfill', systemClock: 'clock', CommandRunLauncher: 'coordinator/commandRunLauncher', RunCoordinator: 'coordinator/runCoordinator', StaticPartitionsDefinition: 'partitions/staticPartitionsDefinition', openStateStore: 'storage/openStateStore' });
const { BackfillDaemon, planBackfill, systemClock, CommandRunLauncher, RunCoordinator, StaticPartitionsDefinition, openStateStore } = engine;
const wasmPath = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');

// The state store: a finished backfill of 5,000 runs, recorded by the daemon as the extension would (the launcher
// here ends each run at once: the records, not their processes, are what the host keeps).
const keys = Array.from({ length: STORED_RUNS }, (_, i) => `p${String(i).padStart(5, '0')}`);
const partitions = new StaticPartitionsDefinition(keys);
const target = { kind: 'command', name: 'noop', location: { file: 'backfills.yaml', line: 1 }, partitions, command: ['/bin/true'], cwd: '', env: {}, deps: [], backfillPolicy: null };
const store = await openStateStore({ path: join(dir, 'state.sqlite'), wasmPath });
const instant = { launch: async () => ({ status: 'SUCCESS', exitCode: 0, error: null }) };
const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(8), launcher: instant, clock: systemClock, origin: 'cli' });
const record = daemon.launch(planBackfill([target], { kind: 'all' }, new Date()));
const final = await daemon.whenDone(record.id);
if (final.status !== 'COMPLETED_SUCCESS' || store.listRuns(record.id).length !== STORED_RUNS) throw new Error(`store setup: ${final.status}`);
await store.flush();

const direct = new CommandRunLauncher({ workspaceRoot: dir, targets: new Map([['noop', target]]) });
const viaSpawner = new CommandRunLauncher({ workspaceRoot: dir, targets: new Map([['noop', target]]), spawner: SPAWNER });
if (!(await viaSpawner.prepare())) throw new Error(`the spawner did not start (${SPAWNER.python} ${SPAWNER.script})`);

let n = 0;
/** RUNS runs one after another through `launcher`; ms per run. */
async function round(launcher) {
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) {
    const run = { runId: `bench-${n++}`, backfillId: 'bench', target: 'noop', targets: ['noop'], partitionKey: keys[i % STORED_RUNS], tags: {}, attempt: 1 };
    const outcome = await launcher.launch(run, { signal: new AbortController().signal, onLog: () => undefined });
    if (outcome.status !== 'SUCCESS') throw new Error(`run ended ${outcome.status}: ${outcome.error}`);
  }
  return (performance.now() - t0) / RUNS;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
async function measure(label) {
  await round(direct);
  await round(viaSpawner); // warm both paths once, untimed
  const d = [];
  const s = [];
  for (let r = 0; r < ROUNDS; r++) {
    if (r % 2 === 0) { d.push(await round(direct)); s.push(await round(viaSpawner)); }
    else { s.push(await round(viaSpawner)); d.push(await round(direct)); }
  }
  const rss = process.memoryUsage().rss / 2 ** 20;
  const heap = process.memoryUsage().heapUsed / 2 ** 20;
  const fmt = (xs) => xs.map((x) => x.toFixed(2)).join(' ');
  console.log(`${label}: heap used ${heap.toFixed(0)} MB, rss ${rss.toFixed(0)} MB; ${ROUNDS} rounds × ${RUNS} runs of /bin/true each way`);
  console.log(`  direct (Node spawn) ms/run: median ${median(d).toFixed(2)}  [${fmt(d)}]`);
  console.log(`  spawner (posix_spawn) ms/run: median ${median(s).toFixed(2)}  [${fmt(s)}]`);
  console.log(`  ratio spawner/direct: ${(median(s) / median(d)).toFixed(2)}×`);
}

await measure('small heap (engine + store with 5,000 runs)');

// The extension host's heap: arrays of small objects and strings, kept reachable until the end.
const live = [];
const before = process.memoryUsage().heapUsed;
while (process.memoryUsage().heapUsed - before < HEAP_MB * 2 ** 20) {
  const chunk = new Array(100_000);
  for (let i = 0; i < chunk.length; i++) chunk[i] = { id: n + i, name: `node-${i}-${Math.random().toString(36).slice(2)}`, tags: [i, i + 1] };
  live.push(chunk);
}
await measure(`big heap (+${HEAP_MB} MB of live objects)`);

if (live.length === 0) throw new Error('the heap was not allocated');
direct.close();
viaSpawner.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
