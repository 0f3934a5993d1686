// Benchmark: whole-process time of `backfill --help`, `backfill partitions keys` (96,432 hourly keys as JSON) and
// `backfill defs` on the quickstart, beside a bare `node -e 0` and a bare script printing the same keys, in the same run.
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
const KEYS = 96_432;
// 2015-01-01 00:00 UTC plus 96,432 whole hours is 2026-01-01 00:00 UTC.
const keysArgs = [cli, 'partitions', 'keys', '--def', 'HourlyPartitionsDefinition(start_date="2015-01-01-00:00")', '--now', '2026-01-01T00:00:00+00:00', '--json'];

function run(args, stdout) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', stdout, 'pipe'], maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return { ms, stdout: r.stdout };
}

// Checked once, so the timed runs measure what was asked for (their output goes to /dev/null, as a redirect would).
const checked = JSON.parse(run(keysArgs, 'pipe').stdout);
if (checked.count !== KEYS || checked.keys.length !== KEYS) throw new Error(`partitions keys printed ${checked.count} keys, not ${KEYS}`);
run([cli, 'defs', '-w', path.join(root, 'examples', 'quickstart')], 'pipe');

// The floor for any implementation: the same 96,432 keys and the same indented JSON from a few lines with nothing
// to load, so what `partitions keys` costs beyond this is the CLI's own.
const floorScript = `const P=(n)=>(n<10?'0':'')+n,keys=[],t0=Date.UTC(2015,0,1);
for(let i=0;i<${KEYS};i++){const d=new Date(t0+i*3600000);keys.push(d.getUTCFullYear()+'-'+P(d.getUTCMonth()+1)+'-'+P(d.getUTCDate())+'-'+P(d.getUTCHours())+':00')}
process.stdout.write(JSON.stringify({count:keys.length,keys},null,2)+'\\n')`;
const floor = JSON.parse(run(['-e', floorScript], 'pipe').stdout);
if (floor.count !== KEYS || floor.keys[KEYS - 1] !== checked.keys[KEYS - 1] || floor.keys[0] !== checked.keys[0]) throw new Error('the bare script does not print the keys the CLI prints');
const cases = {
  'node -e 0 (baseline)': ['-e', '0'],
  'the same keys by a bare script': ['-e', floorScript],
  'backfill --help': [cli, '--help'],
  [`partitions keys (${KEYS.toLocaleString('en')}, JSON)`]: keysArgs,
  'defs -w examples/quickstart': [cli, 'defs', '-w', path.join(root, 'examples', 'quickstart')],
};
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const times = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
// Interleaved rounds, so load on the machine affects every case alike.
for (let i = 0; i < ROUNDS; i++) for (const [name, args] of Object.entries(cases)) times[name].push(run(args, 'ignore').ms);
const base = median(times['node -e 0 (baseline)']);
console.log(`node ${process.version}, ${ROUNDS} rounds (median of each)`);
for (const [name, xs] of Object.entries(times)) {
  console.log(`${name.padEnd(34)} ${median(xs).toFixed(1).padStart(7)} ms   ${(median(xs) / base).toFixed(2)}x node -e 0`);
}
