// Each command takes only the flags its help page names (exit 2 naming the stranger), and a reader that leaves (`| head`) ends the CLI quietly.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { OPTIONS } from '../../../src/cli/cliOptions';
import { COMMAND_HELP } from '../../../src/cli/cliUsage';
import { acceptedFlags } from '../../../src/cli/commandFlags';
import { repoRoot } from '../project/repoRoot';

const cli = path.join(repoRoot(), 'dist', 'cli.js');

function backfill(args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', input: '', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('a flag of another command is refused by name, exit 2, before anything opens', () => {
  const ws = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-flags-'));
  const cases: [string[], string][] = [
    [['list', '--tags', '{bad'], 'backfill list: unknown option --tags (see backfill list --help)'],
    [['show', 'abcdefgh', '-j', 'x'], 'backfill show: unknown option -j (see backfill show --help)'],
    [['plan', '--select', 'a', '--all', '--plan', 'f.json'], 'backfill plan: unknown option --plan (see backfill plan --help)'],
    [['cancel', 'abcdefgh', '--from-failure'], 'backfill cancel: unknown option --from-failure (see backfill cancel --help)'],
    [['pause', 'abcdefgh', '--python', 'python3'], 'backfill pause: unknown option --python (see backfill pause --help)'],
    [['logs', 'r1', '--older-than', '3'], 'backfill logs: unknown option --older-than (see backfill logs --help)'],
    [['prune', '--tail', '3'], 'backfill prune: unknown option --tail (see backfill prune --help)'],
    [['defs', '--select', 'x'], 'backfill defs: unknown option --select (see backfill defs --help)'],
    [['partitions', 'keys', '--def', 'StaticPartitionsDefinition(["a"])', '--keys', 'a'], 'backfill partitions keys: unknown option --keys (see backfill partitions --help)'],
    [['partitions', 'map', '--upstream', 'x', '--windows'], 'backfill partitions map: unknown option --windows (see backfill partitions --help)'],
    [['partitions', 'list', 'customers', '--now', '2024-01-01T00:00:00+00:00'], 'backfill partitions list: unknown option --now (see backfill partitions --help)'],
    [['asset', '--select', 'a', '--all', '--bogus'], 'backfill asset: unknown option --bogus (see backfill asset --help)'],
  ];
  for (const [args, message] of cases) {
    const r = backfill([...args, '-w', ws]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.equal(r.stderr.trim(), message, args.join(' '));
    const json = backfill([...args, '-w', ws, '--json']);
    assert.deepEqual(JSON.parse(json.stdout), { error: { type: 'BadInput', message } });
  }
  assert.deepEqual(fs.readdirSync(ws), [], 'no state was opened');
});

test('the flags a command takes are the ones its help page names, and every flag belongs to some command', () => {
  const every = new Set<string>();
  for (const command of Object.keys(COMMAND_HELP)) for (const f of acceptedFlags(command)!) every.add(f);
  for (const sub of ['keys', 'map', 'add', 'delete', 'list']) for (const f of acceptedFlags('partitions', sub)!) every.add(f);
  assert.deepEqual([...every].sort(), Object.keys(OPTIONS).sort());
  assert.deepEqual([...acceptedFlags('list')!].sort(), ['help', 'json', 'state-folder', 'workspace']);
  assert.deepEqual([...acceptedFlags('status')!].sort(), ['help', 'json', 'location', 'now', 'python', 'select', 'state-folder', 'workspace']);
  assert.deepEqual([...acceptedFlags('partitions', 'keys')!].sort(), ['def', 'help', 'json', 'now', 'range', 'state-folder', 'windows', 'workspace']);
  assert.ok(acceptedFlags('asset')!.has('plan') && !acceptedFlags('plan')!.has('plan'), 'prose mentioning a flag does not grant it');
  assert.ok(acceptedFlags('job')!.has('pipeline'), '-p on the usage line is --pipeline');
});

test('a reader that leaves early (backfill … | head -1) ends the CLI quietly: exit 0, no EPIPE stack trace', async () => {
  // About 45,000 keys: far more than a pipe holds, so the CLI is still writing when the reader goes.
  const child = spawn(process.execPath, [cli, 'partitions', 'keys', '--def', 'DailyPartitionsDefinition(start_date="1900-01-01")', '--now', '2024-01-01T00:00:00+00:00'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const first = await new Promise<string>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(d.toString())));
  child.stdout.destroy();
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  assert.match(first, /^1900-01-01\n/);
  assert.equal(stderr, '');
  assert.equal(code, 0);
});
