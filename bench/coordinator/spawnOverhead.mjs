// Benchmark: 5,000 runs of a command target that exits at once, concurrency 8, through the daemon, coordinator,
// command launcher and sql.js state store, beside a bare loop spawning the same processes the same way.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const RUNS = Number(process.argv[2] ?? 5000);
const CONCURRENCY = 8;
const PROGRAM = '/bin/true';

const dir = mkdtempSync(join(tmpdir(), 'coordinator-bench-'));
const entry = join(dir, 'entry.ts');
const src = (p) => JSON.stringify(join(root, 'src/core', p));
writeFileSync(entry, [
  `export { BackfillDaemon } from ${src('backfill/backfillDaemon')};`,
  `export { planBackfill } from ${src('backfill/planBackfill')};`,
  `export { systemClock } from ${src('clock')};`,
  `export { CommandRunLauncher } from ${src('coordinator/commandRunLauncher')};`,
  `export { RunCoordinator } from ${src('coordinator/runCoordinator')};`,
  `export { StaticPartitionsDefinition } from ${src('partitions/staticPartitionsDefinition')};`,
  `export { openStateStore } from ${src('storage/sqlJsStateStore')};`,
].join('\n'));
const outfile = join(dir, 'bundle.cjs');
// CommonJS, because sql.js's loader uses require(); the wasm is passed by path since the bundle lives in tmp.
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
const engine = createRequire(import.meta.url)(outfile);
const wasmPath = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');

/** The baseline: the same spawn as the command launcher (no shell, own process group, piped output), 8 at a time. */
async function bareLoop() {
  const t0 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < RUNS) {
      next++;
      await new Promise((done, fail) => {
        const child = spawn(PROGRAM, [], { shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
        child.stdout.on('data', () => undefined);
        child.stderr.on('data', () => undefined);
        child.on('error', fail);
        child.on('close', (code) => (code === 0 ? done() : fail(new Error(`exit ${code}`))));
      });
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  return performance.now() - t0;
}

async function throughCoordinator() {
  const { BackfillDaemon, planBackfill, systemClock, CommandRunLauncher, RunCoordinator, StaticPartitionsDefinition, openStateStore } = engine;
  const keys = Array.from({ length: RUNS }, (_, i) => `p${String(i).padStart(5, '0')}`);
  const partitions = new StaticPartitionsDefinition(keys);
  const target = { kind: 'command', name: 'noop', location: { file: 'backfills.yaml', line: 1 }, partitions, command: [PROGRAM], cwd: '', env: {}, deps: [], backfillPolicy: null };
  const plan = planBackfill([target], { kind: 'all' }, new Date());
  if (plan.runs.length !== RUNS) throw new Error(`expected ${RUNS} runs, planned ${plan.runs.length}`);
  const store = await openStateStore({ path: join(dir, 'state.sqlite'), wasmPath });
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
  const launcher = new CommandRunLauncher({ workspaceRoot: dir, targets: new Map([['noop', target]]) });
  const daemon = new BackfillDaemon({ store, coordinator, launcher, clock: systemClock, origin: 'cli' });
  const t0 = performance.now();
  const record = daemon.launch(plan);
  const final = await daemon.whenDone(record.id);
  const ms = performance.now() - t0;
  if (final.status !== 'COMPLETED_SUCCESS') throw new Error(`the backfill ended ${final.status}`);
  await store.close();
  return { ms, flushes, flushMs };
}

const bare = await bareLoop();
const coordinated = await throughCoordinator();
// Node spawns by fork(), whose cost grows with the parent's memory; after the engine has loaded sql.js and
// run 5,000 runs the same bare loop is slower. Both are printed: the first is the baseline.
const bareAfter = await bareLoop();
rmSync(dir, { recursive: true, force: true });
const per = (ms) => `${((ms * 1000) / RUNS).toFixed(0)} µs/run`;
console.log(`bare spawn loop:        ${RUNS} runs × ${PROGRAM}, concurrency ${CONCURRENCY}: ${bare.toFixed(0)} ms (${per(bare)})`);
console.log(`daemon + coordinator:   ${coordinated.ms.toFixed(0)} ms (${per(coordinated.ms)}); ${coordinated.flushes} store flushes, ${coordinated.flushMs.toFixed(0)} ms awaited in them (overlapping)`);
console.log(`bare loop again after:  ${bareAfter.toFixed(0)} ms (${per(bareAfter)}), in the same process once the engine is loaded`);
console.log(`ratio: ${(coordinated.ms / bare).toFixed(2)}× the bare loop run first (target ≤ 1.25×); ${(coordinated.ms / bareAfter).toFixed(2)}× the bare loop run after`);
