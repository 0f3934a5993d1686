// Benchmark of time-window key listing and key↔index lookups, each against a luxon formatting loop of the same size.
import { build } from 'esbuild';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DateTime } from 'luxon';

const root = resolve(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'partitions-bench-'));
const entry = join(dir, 'entry.ts');
writeFileSync(entry, [
  `export { hourlyPartitionsDefinition } from ${JSON.stringify(join(root, 'src/core/partitions/timeWindowSubclasses'))};`,
  `export { TimeWindowPartitionsDefinition } from ${JSON.stringify(join(root, 'src/core/partitions/timeWindowPartitionsDefinition'))};`,
].join('\n'));
const outfile = join(dir, 'bundle.mjs');
await build({ entryPoints: [entry], bundle: true, platform: 'node', format: 'esm', outfile, logLevel: 'warning', nodePaths: [join(root, 'node_modules')] });
const { hourlyPartitionsDefinition, TimeWindowPartitionsDefinition } = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true, force: true });

/** Best of `runs` timings of fn, in ms (the first run also pays for JIT and tz tables). */
function best(fn, runs = 7) {
  let min = Infinity;
  let result;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    result = fn();
    min = Math.min(min, performance.now() - t0);
  }
  return { ms: min, result };
}

/** Formats `n` consecutive instants `stepMs` apart with luxon, the way a naive implementation lists keys. */
function luxonLoop(n, startMs, stepMs, zone, format) {
  return best(() => {
    let total = 0;
    for (let i = 0; i < n; i++) total += DateTime.fromMillis(startMs + i * stepMs, { zone }).toFormat(format).length;
    return total;
  }, 3);
}

const now = new Date('2026-01-01T00:00:00Z');
const rows = [];
function row(name, ms, baselineMs, note) {
  rows.push({ name, ms, baselineMs, note });
}

// 1. All keys of the hourly UTC definition.
const utc = hourlyPartitionsDefinition({ start_date: '2015-01-01-00:00' });
const utcKeys = best(() => utc.keys(now));
if (utcKeys.result.length !== 96432) throw new Error(`expected 96,432 hourly UTC keys, got ${utcKeys.result.length}`);
const utcBase = luxonLoop(96432, Date.UTC(2015, 0, 1), 3_600_000, 'UTC', 'yyyy-MM-dd-HH:mm');
row('list 96,432 hourly keys, UTC', utcKeys.ms, utcBase.ms, `${utcKeys.result.length} keys`);

// 2. The same span in America/Los_Angeles (spring gaps, fall-back duplicates with offset suffixes).
const la = hourlyPartitionsDefinition({ start_date: '2015-01-01-00:00', timezone: 'America/Los_Angeles' });
const laFirst = performance.now();
la.keys(now);
const laFirstMs = performance.now() - laFirst;
const laKeys = best(() => la.keys(now));
const laBase = luxonLoop(laKeys.result.length, Date.UTC(2015, 0, 1, 8), 3_600_000, 'America/Los_Angeles', 'yyyy-MM-dd-HH:mm');
row('list hourly keys, America/Los_Angeles', laKeys.ms, laBase.ms, `${laKeys.result.length} keys; first call ${laFirstMs.toFixed(1)} ms`);

// 3. Key at index / index of key on a one-million-key minutely definition.
const minutely = new TimeWindowPartitionsDefinition({ cron: '* * * * *', start: '2024-01-01-00:00', fmt: '%Y-%m-%d-%H:%M' });
const minutelyNow = new Date(Date.UTC(2024, 0, 1) + 1_000_000 * 60_000);
const count = minutely.count(minutelyNow);
if (count !== 1_000_000) throw new Error(`expected 1,000,000 minutely keys, got ${count}`);
const calls = 200_000;
const indexes = Array.from({ length: calls }, (_, i) => (i * 7919) % count);
const keyAt = best(() => {
  let total = 0;
  for (const i of indexes) total += minutely.keyAtIndex(i, minutelyNow).length;
  return total;
}, 5);
const lookupKeys = indexes.map((i) => minutely.keyAtIndex(i, minutelyNow));
const indexOf = best(() => {
  let total = 0;
  for (const k of lookupKeys) total += minutely.indexOfKey(k, minutelyNow);
  return total;
}, 5);
for (let i = 0; i < 1000; i++) {
  if (minutely.indexOfKey(lookupKeys[i], minutelyNow) !== indexes[i]) throw new Error(`index of ${lookupKeys[i]} is wrong`);
}
const minuteBase = luxonLoop(calls, Date.UTC(2024, 0, 1), 60_000, 'UTC', 'yyyy-MM-dd-HH:mm');
row('keyAtIndex, 1,000,000-key minutely (per call)', keyAt.ms / calls, minuteBase.ms / calls, `${calls} calls`);
row('indexOfKey, 1,000,000-key minutely (per call)', indexOf.ms / calls, minuteBase.ms / calls, `${calls} calls`);

const fmt = (ms) => (ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(2)} µs`);
console.log('partitions benchmark (best of several runs; baseline = luxon DateTime.fromMillis(ms, {zone}).toFormat per key)');
for (const r of rows) {
  console.log(`  ${r.name.padEnd(50)} ${fmt(r.ms).padStart(10)}   luxon ${fmt(r.baselineMs).padStart(10)}   ratio ${(r.ms / r.baselineMs).toFixed(3)}   (${r.note})`);
}
