// Benchmark: the runner's status mode on a large instance built with the dagster test double (real-format records):
// 50 daily assets x 10,000 materialized partitions. Measures (a) a cold `python -c 'import dagster'`, (b) the first full
// status read, (c) one refresh after 10 new materializations in the same warm process, and an unchanged refresh; prints
// each and the ratio (c)/(a) (goal: under 5%). (c) is the median of ROUNDS rounds, each after its own 10 new keys.
import { spawn, spawnSync, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const ASSETS = Number(process.argv[2] ?? 50);
const PARTITIONS = Number(process.argv[3] ?? 10_000);
const NEW = 10;
const ROUNDS = 5;
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const dir = mkdtempSync(join(tmpdir(), 'status-bench-'));
const home = join(dir, 'home');
mkdirSync(home);
writeFileSync(join(home, 'dagster.yaml'), '');
const env = { ...process.env, PYTHONPATH: join(root, 'test/fixtures/dagster-test-double'), PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: home, DAGSTER_TEST_DOUBLE_CALLS: '' };

// The definition has PARTITIONS + NEW * ROUNDS keys up to yesterday; the first PARTITIONS are materialized, NEW more a round.
writeFileSync(join(dir, 'defs.py'), `from datetime import date, timedelta
from dagster import DailyPartitionsDefinition, Definitions, asset

daily = DailyPartitionsDefinition(start_date=(date.today() - timedelta(days=${PARTITIONS + NEW * ROUNDS})).strftime("%Y-%m-%d"))


def make(i):
    @asset(name="asset_%02d" % i, partitions_def=daily)
    def _asset(context) -> None:
        pass
    return _asset


defs = Definitions(assets=[make(i) for i in range(${ASSETS})])
`);

// Runless materializations as report_runless_asset_event stores them (run id and job name ""), written in batches
// through the event log storage's store_event_batch (one transaction each) instead of one commit per event.
const build = `
import logging, os, sys, time
sys.path.insert(0, ${JSON.stringify(dir)})
import defs
from dagster import AssetKey, AssetMaterialization, DagsterEventType, DagsterInstance
from dagster._double_events import DagsterEvent, EventLogEntry, StepMaterializationData
inst = DagsterInstance.get()
keys = defs.daily.get_partition_keys()[:${PARTITIONS}]
storage = inst.event_log_storage
for i in range(${ASSETS}):
    key = AssetKey("asset_%02d" % i)
    storage.store_event_batch([EventLogEntry(None, logging.INFO, "", "", time.time(), None, "", DagsterEvent(DagsterEventType.ASSET_MATERIALIZATION.value, "", None, StepMaterializationData(AssetMaterialization(key, partition=p))))
                               for p in keys])
# One real run too, so planned materializations and run records exist.
defs.defs.get_implicit_global_asset_job_def().execute_in_process(instance=inst, partition_key=keys[-1], asset_selection=[AssetKey("asset_00")])
print(storage.get_maximum_record_id())
`;
const materializeNew = (round) => `
import sys
sys.path.insert(0, ${JSON.stringify(dir)})
import defs
from dagster import AssetMaterialization, DagsterInstance
inst = DagsterInstance.get()
for i, p in enumerate(defs.daily.get_partition_keys()[${PARTITIONS} + ${NEW} * ${round}:][:${NEW}]):
    inst.report_runless_asset_event(AssetMaterialization("asset_%02d" % (i % ${ASSETS}), partition=p))
`;

function runPython(code) {
  const r = spawnSync(python, ['-c', code], { env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return r.stdout.trim();
}

function coldImport() {
  const t0 = performance.now();
  const r = spawnSync(python, ['-c', 'import dagster'], { env });
  if (r.status !== 0) throw new Error(String(r.stderr));
  return performance.now() - t0;
}

class Runner {
  constructor() {
    this.child = spawn(python, [join(root, 'src/runner/backfill_runner.py'), 'status'], { cwd: dir, env, stdio: ['pipe', 'ignore', 'inherit', 'pipe'] });
    this.waiters = [];
    let buffered = '';
    this.child.stdio[3].on('data', (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop();
      for (const line of lines.filter(Boolean)) {
        const event = JSON.parse(line);
        for (const w of this.waiters.filter((x) => x.match(event))) { this.waiters.splice(this.waiters.indexOf(w), 1); w.resolve(event); }
      }
    });
  }
  next(match) { return new Promise((resolve) => this.waiters.push({ match, resolve })); }
  async status(id, cursor) {
    const answer = this.next((e) => e.run === id && e.event === 'status_result');
    const t0 = performance.now();
    this.child.stdin.write(JSON.stringify({ requestId: id, op: 'status', workspaceRoot: dir, location: { name: 'defs.py', root: '', entryFiles: ['defs.py'] }, assets, cursor }) + '\n');
    const event = await answer;
    if (event.error) throw new Error(JSON.stringify(event.error));
    return { event, ms: performance.now() - t0 };
  }
}

const assets = Array.from({ length: ASSETS }, (_, i) => `asset_${String(i).padStart(2, '0')}`);
try {
  const t0 = performance.now();
  const top = runPython(build);
  console.log(`instance: ${ASSETS} assets x ${PARTITIONS} materialized daily partitions, ${top} event log records (built in ${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  const imports = [coldImport(), coldImport(), coldImport()].sort((a, b) => a - b);
  const cold = imports[1];
  const runner = new Runner();
  await runner.next((e) => e.event === 'worker_ready');
  const first = await runner.status('full', null);
  const materialized = first.event.assets.reduce((n, a) => n + a.statuses.MATERIALIZED.length, 0);
  const refreshes = [];
  let cursor = first.event.cursor;
  for (let round = 0; round < ROUNDS; round++) {
    runPython(materializeNew(round));
    const refresh = await runner.status(`delta${round}`, cursor);
    const changed = refresh.event.assets.reduce((n, a) => n + a.statuses.MATERIALIZED.reduce((m, [x, y]) => m + (x === y ? 1 : 2), 0), 0);
    if (refresh.event.full || changed !== NEW) throw new Error(`round ${round}: expected a delta of ${NEW} keys, got ${JSON.stringify(refresh.event).slice(0, 300)}`);
    refreshes.push(refresh.ms);
    cursor = refresh.event.cursor;
  }
  const refreshMs = [...refreshes].sort((a, b) => a - b)[Math.floor(ROUNDS / 2)];
  const unchanged = await runner.status('same', cursor);
  runner.child.stdin.end();
  const ms = (v) => `${v.toFixed(1)} ms`;
  console.log(`(a) cold python -c 'import dagster' (median of 3): ${ms(cold)}`);
  console.log(`(b) first full status read:                     ${ms(first.ms)} (${first.event.assets.length} assets, ${materialized} MATERIALIZED ranges)`);
  console.log(`(c) refresh after ${NEW} new materializations:      ${ms(refreshMs)} (median of ${ROUNDS} rounds: ${refreshes.map((v) => v.toFixed(1)).join(', ')} ms; each a delta of ${NEW} keys)`);
  console.log(`    unchanged refresh:                          ${ms(unchanged.ms)} (assets listed: ${unchanged.event.assets.length})`);
  console.log(`ratio (c)/(a): ${((refreshMs / cold) * 100).toFixed(1)}% (goal: under 5%)`);
} finally {
  if (!process.env.KEEP_BENCH) rmSync(dir, { recursive: true, force: true }); else console.log(dir);
}
