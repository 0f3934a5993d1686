// Benchmark: plan a backfill of 500 layered assets with mixed mappings × 3,650 daily partitions, beside a baseline copy loop.
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ASSETS = 500;
const LAYERS = 25;
const PARTITIONS = 3650;
const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

/** Each measurement runs in its own process so that peak RSS (maxRSS) belongs to it alone. */
async function child(kind) {
  if (kind === 'baseline') {
    const t0 = performance.now();
    const out = [];
    for (let a = 0; a < ASSETS; a++) for (let p = 0; p < PARTITIONS; p++) out.push({ asset: a, partition: p, status: 1 });
    return { ms: performance.now() - t0, items: out.length };
  }
  const dir = mkdtempSync(join(tmpdir(), 'planning-bench-'));
  const entry = join(dir, 'entry.ts');
  writeFileSync(entry, [
    `export { planBackfill } from ${JSON.stringify(join(root, 'src/core/backfill/planBackfill'))};`,
    `export { dailyPartitionsDefinition } from ${JSON.stringify(join(root, 'src/core/partitions/timeWindowSubclasses'))};`,
  ].join('\n'));
  const outfile = join(dir, 'bundle.mjs');
  await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
  const { planBackfill, dailyPartitionsDefinition } = await import(pathToFileURL(outfile).href);
  rmSync(dir, { recursive: true, force: true });
  const daily = dailyPartitionsDefinition({ start_date: '2015-01-01' });
  const now = new Date(Date.UTC(2015, 0, 1) + PARTITIONS * 86_400_000);
  const mappings = [null, null, 'TimeWindowPartitionMapping(start_offset=-1, allow_nonexistent_upstream_partitions=True)', null, 'TimeWindowPartitionMapping(start_offset=-1, end_offset=0, allow_nonexistent_upstream_partitions=True)'];
  const perLayer = ASSETS / LAYERS;
  const assets = [];
  for (let i = 0; i < ASSETS; i++) {
    const layer = Math.floor(i / perLayer);
    const deps = [];
    if (layer > 0) {
      for (const k of [i % perLayer, (i * 7 + 3) % perLayer]) {
        const parent = (layer - 1) * perLayer + k;
        if (!deps.some((d) => d.key[0] === `a${parent}`)) deps.push({ key: [`a${parent}`], mapping: mappings[(i + k) % mappings.length] });
      }
    }
    const policy = i % 50 === 49 ? 'BackfillPolicy.multi_run(30)' : null;
    assets.push({ kind: 'asset', key: [`a${i}`], group: 'g', location: { file: 'defs.py', line: i + 1 }, partitions: daily, deps, backfillPolicy: policy });
  }
  const t0 = performance.now();
  const plan = planBackfill(assets, { kind: 'all' }, now);
  const ms = performance.now() - t0;
  return { ms, runs: plan.runs.length, assetPartitions: plan.partitionCount };
}

if (process.argv[2] === '--child') {
  const result = await child(process.argv[3]);
  process.stdout.write(JSON.stringify({ ...result, peakMb: process.resourceUsage().maxRSS / 1024 }));
} else {
  const measure = (kind) => {
    const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', kind], { encoding: 'utf8', maxBuffer: 1 << 20 });
    if (r.status !== 0) throw new Error(`${kind} failed: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const baseline = measure('baseline');
  const plan = measure('plan');
  console.log(`planning ${ASSETS} assets × ${PARTITIONS} daily partitions (${plan.assetPartitions} asset partitions, ${plan.runs} runs)`);
  console.log(`  plan:     ${plan.ms.toFixed(0)} ms, peak RSS ${plan.peakMb.toFixed(0)} MB`);
  console.log(`  baseline: ${baseline.ms.toFixed(0)} ms, peak RSS ${baseline.peakMb.toFixed(0)} MB (copying ${baseline.items} small objects into an array)`);
  console.log(`  ratio:    time ×${(plan.ms / baseline.ms).toFixed(2)}, peak memory ×${(plan.peakMb / baseline.peakMb).toFixed(2)}`);
}
