// Benchmark: the state file and the log folder after 100,000 runs over 100 days, without retention and after the default prune.
import { build } from 'esbuild';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const RUNS = Number(process.argv[2] ?? 100_000);
const DAYS = 100;
const RUNS_PER_BACKFILL = 100;
/** Output per run: 12 lines, about 1 KB, arriving in 3 chunks (a short run that says what it did). */
const LINES_PER_RUN = 12;
const CHUNKS_PER_RUN = 3;

const dir = mkdtempSync(join(tmpdir(), 'state-size-bench-'));
const entry = join(dir, 'entry.ts');
writeFileSync(entry, [
  `export { openStateStore } from ${JSON.stringify(join(root, 'src/core/storage/openStateStore'))};`,
  `export { RunLogFiles } from ${JSON.stringify(join(root, 'src/core/storage/runLogFiles'))};`,
  `export { pruneBackfills, DEFAULT_RETENTION } from ${JSON.stringify(join(root, 'src/core/backfill/backfillRetention'))};`,
].join('\n'));
const outfile = join(dir, 'bundle.cjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
const { openStateStore, RunLogFiles, pruneBackfills, DEFAULT_RETENTION } = createRequire(import.meta.url)(outfile);
const wasmPath = join(root, 'node_modules/sql.js/dist/sql-wasm.wasm');

const DAY = 24 * 3600 * 1000;
const END = Date.UTC(2025, 3, 10);
const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

function folderBytes(folder) {
  let total = 0;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const p = join(folder, entry.name);
    total += entry.isDirectory() ? folderBytes(p) : statSync(p).size;
  }
  return total;
}

const stateBytes = (file) => statSync(file).size + (statSync(`${file}.journal`, { throwIfNoEntry: false })?.size ?? 0);

/** What the daemon records for each run (ActiveBackfill.execute and complete), with its output to the store's tail and the run's file. */
async function generate(stateFile, logs) {
  let now = END - DAYS * DAY;
  const store = await openStateStore({ path: stateFile, wasmPath, now: () => now, flushDelayMs: 60_000 });
  const backfills = Math.ceil(RUNS / RUNS_PER_BACKFILL);
  const line = (i, k) => `2025-01-01 00:00:${String(k % 60).padStart(2, '0')} - dagster - DEBUG - daily_events - step ${k} of run ${i}: handled\n`;
  for (let b = 0; b < backfills; b++) {
    now = END - DAYS * DAY + Math.floor((b * DAYS * DAY) / backfills);
    const id = `bf${String(b).padStart(6, '0')}`;
    const runs = [];
    for (let r = 0; r < RUNS_PER_BACKFILL; r++) {
      runs.push({ id: `${id}-${r}`, backfillId: id, target: 'daily_events', partitionKey: `p-${b * RUNS_PER_BACKFILL + r}`, status: 'QUEUED', createdAt: now, startedAt: null, endedAt: null, exitCode: null, error: null, attempt: 1, pid: null });
    }
    store.createBackfill({ id, status: 'REQUESTED', targets: ['daily_events'], partitionCount: RUNS_PER_BACKFILL, origin: 'cli', createdAt: now, endedAt: null, selection: 'bench' }, runs);
    store.savePlan(id, JSON.stringify({ runs: runs.map((r) => r.partitionKey) }), 'hash');
    const writers = [];
    for (const run of runs) {
      store.updateRun(run.id, { status: 'STARTED', startedAt: now });
      store.appendRunEvent(run.id, 'RUN_START', { targets: ['daily_events'], partition: run.partitionKey, attempt: 1 });
      store.setPartitionStatus('daily_events', run.partitionKey, 'IN_PROGRESS', run.id);
      const file = logs.open(id, run.id);
      writers.push(file);
      for (let c = 0; c < CHUNKS_PER_RUN; c++) {
        let chunk = '';
        for (let k = 0; k < LINES_PER_RUN / CHUNKS_PER_RUN; k++) chunk += line(run.id, c * (LINES_PER_RUN / CHUNKS_PER_RUN) + k);
        file.write(chunk);
        store.appendRunLog(run.id, chunk);
      }
      store.appendRunEvent(run.id, 'RUN_SUCCESS', { exitCode: 0 });
      store.updateRun(run.id, { status: 'SUCCESS', endedAt: now + 1000, exitCode: 0 });
      store.setPartitionStatus('daily_events', run.partitionKey, 'MATERIALIZED', run.id);
    }
    store.updateBackfillStatus(id, 'COMPLETED_SUCCESS', now + 2000);
    await Promise.all(writers.map((w) => w.close()));
    await store.flush();
  }
  await store.close();
  return now;
}

try {
  const stateFile = join(dir, '.backfills', 'state.sqlite');
  const logs = new RunLogFiles(join(dir, '.backfills', 'logs'));
  const t0 = performance.now();
  const last = await generate(stateFile, logs);
  const generatedMs = performance.now() - t0;
  const without = { state: stateBytes(stateFile), logs: folderBytes(logs.folder) };

  const store = await openStateStore({ path: stateFile, wasmPath, now: () => last });
  const t1 = performance.now();
  // The extension prunes on its host's event loop: the longest stretch it holds the loop is what a user would feel.
  const loop = monitorEventLoopDelay({ resolution: 10 });
  loop.enable();
  // CPU time beside wall time: on a shared, loaded machine wall time mostly measures the wait for a core.
  const cpu0 = process.cpuUsage();
  const report = await pruneBackfills(store, logs, DEFAULT_RETENTION, last + DAY);
  loop.disable();
  const cpu = process.cpuUsage(cpu0);
  const pruneMs = performance.now() - t1;
  const statuses = store.partitionStatuses('daily_events');
  await store.close();
  const withRetention = { state: stateBytes(stateFile), logs: folderBytes(logs.folder) };
  const materialized = [...statuses.values()].filter((s) => s === 'MATERIALIZED').length;

  console.log(`${RUNS.toLocaleString()} runs in ${Math.ceil(RUNS / RUNS_PER_BACKFILL)} backfills over ${DAYS} days, ~${LINES_PER_RUN} log lines each (generated in ${(generatedMs / 1000).toFixed(0)} s)`);
  console.log(`without retention: state file ${mb(without.state)}, log folder ${mb(without.logs)}`);
  console.log(`with retention (${DEFAULT_RETENTION.maxAgeDays} days, ${mb(DEFAULT_RETENTION.maxLogBytes)} of logs; prune took ${pruneMs.toFixed(0)} ms, CPU ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms, longest event-loop block ${(loop.max / 1e6).toFixed(0)} ms, removed ${report.removed.length} backfills): state file ${mb(withRetention.state)}, log folder ${mb(withRetention.logs)}`);
  console.log(`ratio with/without: state file ${(withRetention.state / without.state).toFixed(2)}, log folder ${(withRetention.logs / without.logs).toFixed(2)}; partitions still MATERIALIZED after the prune: ${materialized.toLocaleString()} of ${RUNS.toLocaleString()}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
