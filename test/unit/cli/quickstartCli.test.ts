// The built `backfill` CLI as a user runs it on a copy of the quickstart: runs, records, lists, refuses bad input.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

function quickstartCopy(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cli-'));
  fs.cpSync(path.join(root, 'examples', 'quickstart'), dir, { recursive: true, filter: (src) => !/[/\\](\.backfills|output)$/.test(src) });
  return dir;
}

function backfill(args: string[], cwd = root) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd, encoding: 'utf8', input: '', timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

test('asset backfill of daily_counts runs 31 partitions, records them and lists the backfill', () => {
  assert.ok(fs.existsSync(cli), 'dist/cli.js is missing: build first (node esbuild.mjs)');
  const ws = quickstartCopy();
  const run = backfill(['asset', '--select', 'daily_counts', '--from', '2024-01-01', '--to', '2024-01-31', '--noprompt', '-w', ws]);
  assert.equal(run.code, 0, run.stderr + run.stdout);
  assert.match(run.stdout, /31 partitions, 31 runs/);
  assert.match(run.stdout, /Partitions: 2024-01-01\.\.\.2024-01-31/);
  assert.match(run.stdout, /^Backfill [a-z]{8}: Success in /m);
  const outputs = fs.readdirSync(path.join(ws, 'output', 'daily_counts')).sort();
  assert.equal(outputs.length, 31);
  assert.equal(outputs[0], '2024-01-01.json');
  const jan5 = JSON.parse(fs.readFileSync(path.join(ws, 'output', 'daily_counts', '2024-01-05.json'), 'utf8'));
  assert.equal(jan5.date, '2024-01-05');
  assert.ok(jan5.events > 0);
  assert.ok(fs.existsSync(path.join(ws, '.backfills', 'state.sqlite')));

  const list = backfill(['list', '--json', '-w', ws]);
  assert.equal(list.code, 0, list.stderr);
  const { backfills } = JSON.parse(list.stdout);
  assert.equal(backfills.length, 1);
  assert.equal(backfills[0].status, 'COMPLETED_SUCCESS');
  assert.deepEqual(backfills[0].targets, ['daily_counts']);
  assert.equal(backfills[0].counts.succeeded, 31);
  const text = backfill(['list', '-w', ws]);
  assert.match(text.stdout, new RegExp(`${backfills[0].id}\\s+Success\\s+daily_counts\\s+31\\s+31\\s+31\\s+0`));
  const show = backfill(['show', backfills[0].id, '-w', ws]);
  assert.match(show.stdout, /31 succeeded, 0 failed/);
});

test('a failing partition makes the backfill COMPLETED_FAILED with exit code 1 and its error listed', () => {
  const ws = quickstartCopy();
  fs.writeFileSync(path.join(ws, 'data', 'events.csv'), 'not,the,right,header\n');
  const run = backfill(['asset', '--select', 'daily_counts', '--partitions', '2024-01-02,2024-01-03', '--noprompt', '-w', ws]);
  assert.equal(run.code, 1, run.stdout + run.stderr);
  assert.match(run.stdout, /^Backfill [a-z]{8}: Failed in /m);
  // Known by the program's last stderr line, not by its exit code: failures group by cause.
  assert.match(run.stdout, /daily_counts 2024-01-02: daily_counts: data\/events\.csv lacks the column\(s\) day, event/);
});

test('bad input exits 2 with a message that says what is wrong', () => {
  const ws = quickstartCopy();
  const cases: [string[], RegExp][] = [
    [['asset', '--select', 'nope', '--all', '--noprompt', '-w', ws], /no asset, job or command target named "nope".*known: daily_counts/],
    [['asset', '--select', 'daily_counts', '--from', '2024-01-31', '--to', '2024-01-01', '--noprompt', '-w', ws], /daily_counts/],
    [['asset', '--select', 'daily_counts', '--partitions', '2024-02-30', '--noprompt', '-w', ws], /2024-02-30/],
    [['asset', '--select', 'daily_counts', '--from', '2024-01-01', '--noprompt', '-w', ws], /--from and --to go together/],
    [['asset', '--select', 'daily_counts', '--all', '--partitions', '2024-01-01', '-w', ws], /alternatives/],
    [['asset', '--select', 'daily_counts', '--all', '-w', ws], /not a terminal.*--noprompt/],
    [['asset', '--bogus'], /^backfill asset: unknown option --bogus \(see backfill asset --help\)$/m],
    [['frobnicate'], /unknown command "frobnicate"/],
    [['show', 'zzzzzzzz', '-w', ws], /no backfill with id "zzzzzzzz"/],
  ];
  for (const [args, message] of cases) {
    const r = backfill(args);
    assert.equal(r.code, 2, `${args.join(' ')}\n${r.stdout}${r.stderr}`);
    assert.match(r.stderr, message, args.join(' '));
  }
  const json = backfill(['asset', '--select', 'nope', '--all', '--noprompt', '--json', '-w', ws]);
  assert.equal(JSON.parse(json.stdout).error.type, 'InvalidSelection');
  assert.equal(fs.existsSync(path.join(ws, 'output')), false, 'nothing ran');
});

test('help is printed with exit 0', () => {
  const r = backfill(['--help']);
  assert.equal(r.code, 0);
  assert.match(r.stdout, /usage: backfill <command>/);
});
