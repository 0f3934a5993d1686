// Benchmark: canceling a backfill of 52,000 hourly runs with four running and the rest queued, on the sql.js store:
// the cancel (every queued run and its untried partition marked canceled, then the write) against the launch of the
// same backfill in the same process, and the event loop's longest block during the cancel.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'cancel-bench-'));
const entry = join(dir, 'entry.ts');
const from = (p) => JSON.stringify(join(root, p));
writeFileSync(entry, [
  `export { openStateStore } from ${from('src/core/storage/openStateStore')};`,
  `export { BackfillDaemon } from ${from('src/core/backfill/backfillDaemon')};`,
  `export { planBackfill } from ${from('src/core/backfill/planBackfill')};`,
  `export { RunCoordinator } from ${from('src/core/coordinator/runCoordinator')};`,
  `export { hourlyPartitionsDefinition } from ${from('src/core/partitions/timeWindowSubclasses')};`,
].join('\n'));
const outfile = join(dir, 'bundle.cjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
const { openStateStore, BackfillDaemon, planBackfill, RunCoordinator, hourlyPartitionsDefinition } = createRequire(import.meta.url)(outfile);

const NOW = new Date('2025-01-01T00:00:00Z');
const partitions = hourlyPartitionsDefinition({ start_date: '2019-01-01-00:00', end_date: '2024-12-07-08:00' });
const target = { kind: 'command', name: 'hourly_clicks', location: { file: 'b.py', line: 1 }, partitions, command: ['true'], cwd: '', env: {}, deps: [], backfillPolicy: null };
/** A bench double for the run launcher: a run holds its slot until it is canceled (no process is started). */
const launcher = { launch: (_run, io) => new Promise((done) => io.signal.addEventListener('abort', () => done({ status: 'CANCELED', exitCode: null, error: 'canceled' }), { once: true })) };

const store = await openStateStore({ path: join(dir, 'state.sqlite'), wasmPath: join(root, 'node_modules/sql.js/dist/sql-wasm.wasm'), now: () => NOW.getTime() });
const daemon = new BackfillDaemon({ store, coordinator: new RunCoordinator(4), launcher, clock: { now: () => NOW }, origin: 'bench', adoptOrphansOnStart: false });
const keys = partitions.keys(NOW);
const plan = planBackfill([target], { kind: 'range', from: keys[0], to: keys[keys.length - 1] }, NOW);

let t0 = performance.now();
const record = daemon.launch(plan);
await store.flush();
const launchMs = performance.now() - t0;

const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
t0 = performance.now();
daemon.cancel(record.id);
const final = await daemon.whenDone(record.id);
await store.flush();
const cancelMs = performance.now() - t0;
delay.disable();

const canceledPartitions = [...store.partitionStatuses('hourly_clicks').values()].filter((s) => s === 'CANCELED').length;
console.log(`runs: ${plan.runs.length}; final status ${final.status}; partitions marked canceled: ${canceledPartitions}`);
console.log(`launch (baseline): ${launchMs.toFixed(0)} ms`);
console.log(`cancel: ${cancelMs.toFixed(0)} ms, longest event-loop block ${(delay.max / 1e6).toFixed(0)} ms`);
console.log(`ratio cancel/launch: ${(cancelMs / launchMs).toFixed(2)}x`);
await store.close?.();
rmSync(dir, { recursive: true, force: true });
