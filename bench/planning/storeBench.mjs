// Benchmark: persisting 100,000 run status changes through the sql.js state store, beside an array-copy baseline.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const CHANGES = 100_000;
/**
 * Run status changes per flush: a daemon flushes whatever its flush delay collected; 1,000 is a busy backfill;
 * 8 is the coordinator's pattern (it flushes before launching each batch of runs).
 */
const BATCHES = (process.argv[2] ?? '8,1000,2000,5000').split(',').map(Number);

const dir = mkdtempSync(join(tmpdir(), 'store-bench-'));
const entry = join(dir, 'entry.ts');
writeFileSync(entry, `export { openStateStore } from ${JSON.stringify(join(root, 'src/core/storage/openStateStore'))};`);
const outfile = join(dir, 'bundle.cjs');
// CommonJS, because sql.js's loader uses require(); the wasm is passed by path since the bundle lives in tmp.
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
const { openStateStore } = createRequire(import.meta.url)(outfile);
const wasmPath = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');

const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));

/** The baseline: the same number of small status objects copied into an array. */
function baseline() {
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  const out = [];
  for (let i = 0; i < CHANGES; i++) out.push({ runId: `run-${i >> 1}`, status: i % 2 === 0 ? 'STARTED' : 'SUCCESS', partitionKey: `p-${i >> 1}`, at: i });
  const ms = performance.now() - t0;
  return { ms, rssGrowth: process.memoryUsage().rss - before, length: out.length };
}

/**
 * Each run goes STARTED then SUCCESS, each change an updateRun plus the partition's status: 50,000 runs
 * make 100,000 run status changes. Write time is everything the caller waits for: the calls and the flushes.
 */
async function persist(batch) {
  const file = join(dir, `state-${batch}.sqlite`);
  const store = await openStateStore({ path: file, wasmPath, flushDelayMs: 60_000 });
  const runs = CHANGES / 2;
  const backfillId = 'benchbfx';
  const records = [];
  for (let i = 0; i < runs; i++) {
    records.push({ id: `run-${i}`, backfillId, target: 'daily_events', partitionKey: `p-${i}`, status: 'QUEUED', createdAt: 1, startedAt: null, endedAt: null, exitCode: null, error: null });
  }
  let t0 = performance.now();
  store.createBackfill({ id: backfillId, status: 'REQUESTED', targets: ['daily_events'], partitionCount: runs, origin: 'cli', createdAt: 1, endedAt: null, selection: 'bench' }, records);
  await store.flush();
  const setupMs = performance.now() - t0;
  sample();

  let writeMs = 0;
  let flushes = 0;
  // CPU time beside wall time: on a shared, loaded machine wall time mostly measures the wait for a core.
  const cpu0 = process.cpuUsage();
  let change = 0;
  while (change < CHANGES) {
    t0 = performance.now();
    for (let n = 0; n < batch && change < CHANGES; n++, change++) {
      const run = change >> 1;
      if (change % 2 === 0) {
        store.updateRun(`run-${run}`, { status: 'STARTED', startedAt: change });
        store.setPartitionStatus('daily_events', `p-${run}`, 'IN_PROGRESS', `run-${run}`);
      } else {
        store.updateRun(`run-${run}`, { status: 'SUCCESS', endedAt: change, exitCode: 0 });
        store.setPartitionStatus('daily_events', `p-${run}`, 'MATERIALIZED', `run-${run}`);
      }
    }
    await store.flush();
    writeMs += performance.now() - t0;
    flushes++;
    sample();
  }
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;
  const journalBytes = statSync(`${file}.journal`).size;
  await store.close();
  return { batch, setupMs, writeMs, cpuMs, flushes, fileBytes: statSync(file).size, journalBytes };
}

/**
 * The disk's own floor for the same number of durable appends: one small write and one fdatasync each,
 * measured here in the same run, since a flush per 8 changes cannot be cheaper than its fdatasync.
 */
async function fsyncFloor(count) {
  const { open } = await import('node:fs/promises');
  const handle = await open(join(dir, 'fsync-floor'), 'w');
  const line = Buffer.alloc(600, 120);
  const t0 = performance.now();
  for (let i = 0; i < count; i++) {
    await handle.write(line, 0, line.length, i * line.length);
    await handle.datasync();
  }
  const ms = performance.now() - t0;
  await handle.close();
  return ms;
}

const base = baseline();
console.log(`baseline: ${CHANGES.toLocaleString()} small objects copied into an array in ${base.ms.toFixed(1)} ms, RSS +${mb(base.rssGrowth)}`);
try {
  for (const batch of BATCHES) {
    peakRss = 0;
    const r = await persist(batch);
    const floor = await fsyncFloor(r.flushes);
    console.log(
      `store: ${CHANGES.toLocaleString()} run status changes in batches of ${batch} (${r.flushes} flushes): ` +
      `total write time ${r.writeMs.toFixed(0)} ms (${(r.writeMs / base.ms).toFixed(0)}× baseline; target < 2000 ms; CPU ${r.cpuMs.toFixed(0)} ms), ` +
      `fdatasync floor for ${r.flushes} appends ${floor.toFixed(0)} ms, ` +
      `setup of 50,000 runs ${r.setupMs.toFixed(0)} ms, snapshot ${mb(r.fileBytes)} + journal ${mb(r.journalBytes)}, peak RSS ${mb(peakRss)}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
