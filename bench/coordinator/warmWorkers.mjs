// Benchmark: 500 partitions of a quickstart-like daily asset through warm Dagster workers beside one runner
// process per run, same concurrency, both against the dagster test double. Prints both times and the ratio.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const PARTITIONS = Number(process.argv[2] ?? 500);
const CONCURRENCY = Number(process.argv[3] ?? 4);

const dir = mkdtempSync(join(tmpdir(), 'warm-bench-'));
const entry = join(dir, 'entry.ts');
writeFileSync(entry, `export { DagsterRunLauncher } from ${JSON.stringify(join(root, 'src/core/coordinator/dagsterRunLauncher'))};\n`
  + `export { dailyPartitionsDefinition } from ${JSON.stringify(join(root, 'src/core/partitions/timeWindowSubclasses'))};`);
const outfile = join(dir, 'bundle.cjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'cjs', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
const { DagsterRunLauncher, dailyPartitionsDefinition } = createRequire(import.meta.url)(outfile);

// A quickstart-like code location: one daily asset that reads its partition and logs.
writeFileSync(join(dir, 'definitions.py'), `from dagster import DailyPartitionsDefinition, Definitions, asset

daily = DailyPartitionsDefinition(start_date="2023-01-01")


@asset(partitions_def=daily)
def daily_counts(context):
    context.log.info(f"counting {context.partition_key}")


defs = Definitions(assets=[daily_counts])
`);
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
const codeLocation = { name: 'definitions.py', root: '', entryFiles: ['definitions.py'] };
const asset = { kind: 'asset', key: ['daily_counts'], group: 'default', location: { file: 'definitions.py', line: 6 }, codeLocation, partitions: dailyPartitionsDefinition({ start_date: '2023-01-01' }), deps: [], backfillPolicy: null };
const keys = [];
for (let d = new Date(Date.UTC(2023, 0, 1)); keys.length < PARTITIONS; d = new Date(d.getTime() + 86_400_000)) keys.push(d.toISOString().slice(0, 10));

async function backfill(warm) {
  const launcher = new DagsterRunLauncher({
    workspaceRoot: dir, python, runnerScript: join(root, 'src/runner/backfill_runner.py'), warm, maxWorkers: CONCURRENCY,
    definition: (name) => (name === 'daily_counts' ? asset : undefined),
    env: { PYTHONPATH: join(root, 'test/fixtures/dagster-test-double'), PYTHONDONTWRITEBYTECODE: '1', DAGSTER_HOME: '', DAGSTER_TEST_DOUBLE_CALLS: '' },
  });
  const t0 = performance.now();
  let next = 0;
  let failed = 0;
  const io = { signal: new AbortController().signal, onLog: () => undefined };
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (next < keys.length) {
      const key = keys[next++];
      const outcome = await launcher.launch({ runId: crypto.randomUUID(), backfillId: 'benchmrk', target: 'daily_counts', targets: ['daily_counts'], partitionKey: key, tags: { 'dagster/backfill': 'benchmrk', 'dagster/partition': key }, attempt: 1 }, io);
      if (outcome.status !== 'SUCCESS') failed++;
    }
  }));
  const ms = performance.now() - t0;
  await launcher.retireAll();
  if (failed) throw new Error(`${failed} of ${keys.length} runs failed (${warm ? 'warm' : 'one process per run'})`);
  return ms;
}

try {
  const cold = await backfill(false);
  const warm = await backfill(true);
  const s = (ms) => `${(ms / 1000).toFixed(2)} s`;
  console.log(`${PARTITIONS} partitions, concurrency ${CONCURRENCY}, dagster test double`);
  console.log(`one process per run: ${s(cold)} (${(cold / PARTITIONS).toFixed(1)} ms/run)`);
  console.log(`warm workers:        ${s(warm)} (${(warm / PARTITIONS).toFixed(1)} ms/run)`);
  console.log(`ratio: warm workers are ${(cold / warm).toFixed(1)}x faster (target >= 10x)`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
