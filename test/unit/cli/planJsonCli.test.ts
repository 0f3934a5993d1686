// `backfill plan --json` lists the runs and their keys (the definition's whole key space only with --key-space), and
// commands that only read leave no state folder behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const cli = path.join(repoRoot(), 'dist', 'cli.js');
const NOW = ['--now', '2026-01-01T00:00:00+00:00'];

/** A workspace with one hourly command target over six years: 52,608 keys. */
function hourlyWorkspace(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-plan-json-'));
  fs.writeFileSync(path.join(dir, 'backfills.yaml'), [
    'targets:',
    '  hourly_export:',
    '    partitions: HourlyPartitionsDefinition(start_date="2020-01-01-00:00")',
    '    command: ["true", "{partition_key}"]',
    '',
  ].join('\n'));
  return dir;
}

function backfill(dir: string, args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args, '-w', dir], { encoding: 'utf8', input: '', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('plan --json for one hourly partition lists its run and key, not the 52,608 keys of the definition', () => {
  const dir = hourlyWorkspace();
  const plan = backfill(dir, ['plan', '--select', 'hourly_export', '--partitions', '2025-06-01-03:00', '--json', ...NOW]);
  assert.equal(plan.code, 0, plan.stderr);
  const doc = JSON.parse(plan.stdout) as Record<string, unknown>;
  assert.deepEqual(doc.runs, [{ index: 0, targets: ['hourly_export'], partitionKey: '2025-06-01-03:00', range: null, keys: ['2025-06-01-03:00'], upstream: [] }]);
  assert.deepEqual(doc.partitionKeys, ['2025-06-01-03:00']);
  assert.equal('keySpaces' in doc, false);
  const full = backfill(dir, ['plan', '--select', 'hourly_export', '--partitions', '2025-06-01-03:00', '--json', '--key-space', ...NOW]);
  assert.equal(full.code, 0, full.stderr);
  const fullDoc = JSON.parse(full.stdout) as { keySpaces: string[][]; runs: { keySpace: number; startIndex: number }[] };
  assert.equal(fullDoc.keySpaces[0]!.length, 52_608);
  assert.equal(fullDoc.keySpaces[0]![fullDoc.runs[0]!.startIndex], '2025-06-01-03:00');
  // The figures the change is about (as a user reported them): bytes of stdout, before (--key-space) and after.
  console.log(`plan --json, one hourly partition of 52,608: ${Buffer.byteLength(plan.stdout)} bytes; with --key-space ${Buffer.byteLength(full.stdout)} bytes`);
  assert.ok(Buffer.byteLength(plan.stdout) * 100 < Buffer.byteLength(full.stdout));
});

test('--key-space is a flag of plan, with --json', () => {
  const dir = hourlyWorkspace();
  const text = backfill(dir, ['plan', '--select', 'hourly_export', '--latest', '1', '--key-space', ...NOW]);
  assert.equal(text.code, 2);
  assert.match(text.stderr, /--key-space changes what `backfill plan --json` prints: add --json/);
  const asset = backfill(dir, ['asset', '--select', 'hourly_export', '--latest', '1', '--key-space', '--noprompt', ...NOW]);
  assert.equal(asset.code, 2);
  assert.match(asset.stderr, /backfill asset: unknown option --key-space/);
  assert.match(backfill(dir, ['plan', '-h']).stdout, /^ {2}--key-space {11}with --json: the plan as saved/m);
});

test('commands that only read create no state folder; the first launch does, with its .gitignore', () => {
  const dir = hourlyWorkspace();
  for (const args of [['list'], ['defs'], ['status', '--select', 'hourly_export', ...NOW], ['plan', '--select', 'hourly_export', '--latest', '2', ...NOW], ['prune', '--dry-run']]) {
    const r = backfill(dir, args);
    assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.deepEqual(fs.readdirSync(dir), ['backfills.yaml'], `backfill ${args.join(' ')} left a state folder`);
  }
  const launched = backfill(dir, ['asset', '--select', 'hourly_export', '--latest', '1', '--noprompt', ...NOW]);
  assert.equal(launched.code, 0, launched.stdout + launched.stderr);
  assert.equal(fs.readFileSync(path.join(dir, '.backfills', '.gitignore'), 'utf8'), '*\n');
  assert.ok(fs.existsSync(path.join(dir, '.backfills', 'state.sqlite')));
});
