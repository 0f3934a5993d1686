// Benchmark: how long `backfill --help` takes to start and answer, beside a bare `node -e 0` in the same run.
// The target is under 150 ms; the ratio to bare Node shows what the CLI itself costs on this machine.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const cli = path.join(root, 'dist', 'cli.js');
if (!fs.existsSync(cli)) {
  console.error('dist/cli.js is missing: run `node esbuild.mjs` first');
  process.exit(2);
}
const ROUNDS = Number(process.env.ROUNDS ?? 15);

function timeOnce(args) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const cases = {
  'node -e 0 (baseline)': ['-e', '0'],
  'backfill --help': [cli, '--help'],
  'backfill job -h': [cli, 'job', '-h'],
  // What help cost before the split: loading the commands bundle (engine, sql.js glue, parser) at start.
  'require(cliCommands.js)': ['-e', `require(${JSON.stringify(path.join(root, 'dist', 'cliCommands.js'))})`],
};
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// Interleaved rounds, so load on the machine affects every case alike.
for (let i = 0; i < ROUNDS; i++) for (const [name, args] of Object.entries(cases)) times[name].push(timeOnce(args));
const base = median(times['node -e 0 (baseline)']);
console.log(`rounds: ${ROUNDS} (median of each)`);
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(26)} ${median(xs).toFixed(1).padStart(7)} ms   ratio to bare node ${(median(xs) / base).toFixed(2)}`);
}
