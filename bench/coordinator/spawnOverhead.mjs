// Benchmark: 5,000 runs of a command target that exits at once, concurrency 8, through the daemon, coordinator,
// command launcher and sql.js state store, beside a bare loop spawning the same processes the same way.
//
//   node bench/coordinator/spawnOverhead.mjs [runs] [--direct]
//
// The launcher starts runs through the command spawner (posix_spawn from a small Python process), as the
// workspace does. Two baselines: the bare loop with Node's spawn (the target: at most 1.25× it), and the same bare loop
// through the spawner (so the coordinator's own cost shows apart from the cheaper spawn). --direct adds a
// coordinator run with Node's spawn.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadCoreExports } from '../coreBundle.mjs';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const RUNS = Number(process.argv.slice(2).find((a) => /^\d+$/.test(a)) ?? 5000);
const DIRECT = process.argv.includes('--direct');
const SPAWNER = { python: process.env.BACKFILL_PYTHON ?? 'python3', script: join(root, 'src/runner/backfill_command_spawner.py') };
const CONCURRENCY = 8;
const PROGRAM = '/bin/true';

const dir = mkdtempSync(join(tmpdir(), 'coordinator-bench-'));
const engine = await loadCoreExports(dir, { BackfillDaemon: 'backfill/backfillDaemon', planBackfill: 'backfill/planBackfill', systemClock: 'clock', CommandRunLauncher: 'coordinator/commandRunLauncher', CommandSpawner: 'coordinator/commandSpawner', RunCoordinator: 'coordinator/runCoordinator', StaticPartitionsDefinition: 'partitions/staticPartitionsDefinition', openStateStore: 'storage/openStateStore' });
const wasmPath = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');

/** RUNS runs, CONCURRENCY at a time, each started by `runOne` (which resolves when its process has ended); ms taken. */
async function bareLoop(runOne) {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < RUNS) {
      next++;
      await new Promise(runOne);
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - t0;
}

/** The baseline: the same spawn as the command launcher's direct path (no shell, own process group, piped output). */
const nodeSpawn = (done, fail) => {
  const child = spawn(PROGRAM, [], { shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  child.stdout.on('data', () => undefined);
  child.stderr.on('data', () => undefined);
  child.on('error', fail);
  child.on('close', (code) => (code === 0 ? done() : fail(new Error(`exit ${code}`))));
};

/** The same loop, each run started by the spawner process instead of Node. */
async function bareSpawnerLoop() {
  const spawner = new engine.CommandSpawner(SPAWNER.python, SPAWNER.script, process.env);
  if (!(await spawner.whenReady())) throw new Error(`the spawner did not start (${SPAWNER.python} ${SPAWNER.script})`);
  const ms = await bareLoop((done, fail) => spawner.start({ program: PROGRAM, args: [], cwd: dir, env: {} }, {
    onPid: () => undefined, onOutput: () => undefined, onSpawnError: fail, onLost: fail,
    onClose: (code) => (code === 0 ? done() : fail(new Error(`exit ${code}`))),
  }));
  spawner.close();
  return ms;
}

async function throughCoordinator({ direct }) {
  const { BackfillDaemon, planBackfill, systemClock, CommandRunLauncher, RunCoordinator, StaticPartitionsDefinition, openStateStore } = engine;
  const keys = Array.from({ length: RUNS }, (_, i) => `p${String(i).padStart(5, '0')}`);
  const partitions = new StaticPartitionsDefinition(keys);
  const target = { kind: 'command', name: 'noop', location: { file: 'backfills.yaml', line: 1 }, partitions, command: [PROGRAM], cwd: '', env: {}, deps: [], backfillPolicy: null };
  const plan = planBackfill([target], { kind: 'all' }, new Date());
  if (plan.runs.length !== RUNS) throw new Error(`expected ${RUNS} runs, planned ${plan.runs.length}`);
  const store = await openStateStore({ path: join(dir, `state-${direct ? 'direct' : 'spawner'}.sqlite`), wasmPath });
  let flushes = 0;
  let flushMs = 0;
  const flush = store.flush.bind(store);
  store.flush = async () => {
    flushes++;
    const t = performance.now();
    try {
      return await flush();
    } finally {
      flushMs += performance.now() - t;
    }
  };
  const coordinator = new RunCoordinator(CONCURRENCY);
  const launcher = new CommandRunLauncher({ workspaceRoot: dir, targets: new Map([['noop', target]]), ...(direct ? {} : { spawner: SPAWNER }) });
  // The workspace starts the spawner with its first run; started here, every run of the bench goes through it.
  if (!direct && !(await launcher.prepare())) throw new Error(`the spawner did not start (${SPAWNER.python} ${SPAWNER.script})`);
  const daemon = new BackfillDaemon({ store, coordinator, launcher, clock: systemClock, origin: 'cli' });
  const t0 = performance.now();
  const record = daemon.launch(plan);
  const final = await daemon.whenDone(record.id);
  const ms = performance.now() - t0;
  if (final.status !== 'COMPLETED_SUCCESS') throw new Error(`the backfill ended ${final.status}`);
  await store.close();
  launcher.close();
  return { ms, flushes, flushMs };
}

const bare = await bareLoop(nodeSpawn);
const viaSpawner = await bareSpawnerLoop();
const coordinated = await throughCoordinator({ direct: false });
const coordinatedDirect = DIRECT ? await throughCoordinator({ direct: true }) : null;
// Node spawns by fork(), whose cost grows with the parent's memory; after the engine has loaded sql.js and
// run 5,000 runs the same bare loop is slower. Printed too; the first run is the baseline the target is measured against.
const bareAfter = await bareLoop(nodeSpawn);
rmSync(dir, { recursive: true, force: true });
const per = (ms) => `${((ms * 1000) / RUNS).toFixed(0)} µs/run`;
console.log(`bare spawn loop (Node):    ${RUNS} runs × ${PROGRAM}, concurrency ${CONCURRENCY}: ${bare.toFixed(0)} ms (${per(bare)})`);
console.log(`bare loop via spawner:     ${viaSpawner.toFixed(0)} ms (${per(viaSpawner)})`);
console.log(`daemon + coordinator:      ${coordinated.ms.toFixed(0)} ms (${per(coordinated.ms)}); ${coordinated.flushes} store flushes, ${coordinated.flushMs.toFixed(0)} ms awaited in them (overlapping)`);
if (coordinatedDirect) console.log(`  same, Node's spawn:      ${coordinatedDirect.ms.toFixed(0)} ms (${per(coordinatedDirect.ms)}); ${coordinatedDirect.flushes} store flushes`);
console.log(`bare loop (Node) again:    ${bareAfter.toFixed(0)} ms (${per(bareAfter)}), in the same process once the engine is loaded`);
// Like for like first: each coordinator run against the bare loop that spawns the same way.
console.log(`ratio: coordinator via the spawner ${(coordinated.ms / viaSpawner).toFixed(2)}× the bare loop through the same spawner (the coordinator's own cost)` +
  (coordinatedDirect ? `; coordinator with Node's spawn ${(coordinatedDirect.ms / bare).toFixed(2)}× the bare Node spawn loop` : '') +
  `; spawner loop ${(viaSpawner / bare).toFixed(2)}× the Node loop; coordinator via the spawner ${(coordinated.ms / bare).toFixed(2)}× the bare Node spawn loop (target ≤ 1.25×)`);
