// The built CLI's `partitions keys` and `partitions map` commands, as outside checks call them (their arguments and JSON output are a stable contract).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';

const root = repoRoot();
const cli = path.join(root, 'dist', 'cli.js');

function backfill(args: string[]) {
  assert.ok(fs.existsSync(cli), 'dist/cli.js is missing: build first (node esbuild.mjs)');
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: 'utf8', input: '', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function json(args: string[]): unknown {
  const r = backfill([...args, '--json']);
  assert.equal(r.code, 0, r.stderr + r.stdout);
  return JSON.parse(r.stdout);
}

const DAILY = 'DailyPartitionsDefinition(start_date="2021-05-05")';
const HOURLY = 'HourlyPartitionsDefinition(start_date="2021-05-05-00:00")';

test('partitions keys --json: count, keys, and windows aligned with keys', () => {
  assert.deepEqual(json(['partitions', 'keys', '--def', DAILY, '--now', '2021-05-08T00:00:00+00:00']),
    { count: 3, keys: ['2021-05-05', '2021-05-06', '2021-05-07'] });
  assert.deepEqual(json(['partitions', 'keys', '--def', 'HourlyPartitionsDefinition(start_date="2021-11-07-00:00", timezone="US/Central")',
    '--now', '2021-11-07T04:01:00-06:00', '--windows']), {
    count: 5,
    keys: ['2021-11-07-00:00', '2021-11-07-01:00', '2021-11-07-01:00-0600', '2021-11-07-02:00', '2021-11-07-03:00'],
    windows: [
      ['2021-11-07T00:00:00-05:00', '2021-11-07T01:00:00-05:00'], ['2021-11-07T01:00:00-05:00', '2021-11-07T01:00:00-06:00'],
      ['2021-11-07T01:00:00-06:00', '2021-11-07T02:00:00-06:00'], ['2021-11-07T02:00:00-06:00', '2021-11-07T03:00:00-06:00'],
      ['2021-11-07T03:00:00-06:00', '2021-11-07T04:00:00-06:00'],
    ],
  });
  assert.deepEqual(json(['partitions', 'keys', '--def', DAILY, '--now', '2021-06-01T00:00:00Z', '--range', '2021-05-10...2021-05-12']),
    { count: 3, keys: ['2021-05-10', '2021-05-11', '2021-05-12'] });
  assert.deepEqual(json(['partitions', 'keys', '--def', 'StaticPartitionsDefinition(["a", "b"])', '--windows']), { count: 2, keys: ['a', 'b'], windows: [null, null] });
  // Issue 16: two static dimensions exited 1 with "Expected exactly one time window partitioned dimension".
  const grid = 'MultiPartitionsDefinition({"size": StaticPartitionsDefinition(["s", "m"]), "color": StaticPartitionsDefinition(["red", "blue"])})';
  assert.deepEqual(json(['partitions', 'keys', '--def', grid, '--windows']),
    { count: 4, keys: ['red|s', 'red|m', 'blue|s', 'blue|m'], windows: [null, null, null, null] });
  assert.deepEqual(json(['partitions', 'keys', '--def', grid, '--range', 'red|m...blue|m']), { count: 2, keys: ['red|m', 'blue|m'] });
});

test('partitions keys: bad definitions and ranges exit 2 with the reason', () => {
  const bad = backfill(['partitions', 'keys', '--def', 'WeeklyPartitionsDefinition(start_date="2021-05-01", day_offset=8)', '--json']);
  assert.equal(bad.code, 2);
  assert.match(JSON.parse(bad.stdout).error.message, /Found invalid cron schedule '0 0 \* \* 8' for a TimeWindowPartitionsDefinition\./);
  const range = backfill(['partitions', 'keys', '--def', DAILY, '--now', '2021-06-01T00:00:00Z', '--range', '2021-05-01...2021-05-03']);
  assert.equal(range.code, 2);
  assert.match(range.stderr, /before the partitions definition start time/);
});

test('partitions map: upstream keys by the default mapping, ranges as one subset, and offsets', () => {
  const now = ['--now', '2021-06-01T00:00:00Z'];
  assert.deepEqual(json(['partitions', 'map', '--upstream', DAILY, '--downstream', HOURLY, '--keys', '2021-05-07-05:00,2021-05-07-05:00...2021-05-09-09:00', ...now]),
    { '2021-05-07-05:00': ['2021-05-07'], '2021-05-07-05:00...2021-05-09-09:00': ['2021-05-07', '2021-05-08', '2021-05-09'] });
  const lag = ['--mapping', 'TimeWindowPartitionMapping(start_offset=-1, end_offset=-1)'];
  assert.deepEqual(json(['partitions', 'map', '--upstream', DAILY, '--downstream', DAILY, ...lag, '--keys', '2021-05-05,2021-05-07', ...now]),
    { '2021-05-05': [], '2021-05-07': ['2021-05-06'] });
  assert.deepEqual(json(['partitions', 'map', '--upstream', DAILY, '--downstream', DAILY, ...lag, '--keys', '2021-05-06', '--direction', 'downstream', ...now]),
    { '2021-05-06': ['2021-05-07'] });
  assert.deepEqual(json(['partitions', 'map', '--upstream', HOURLY, '--downstream', DAILY, '--keys', '2021-05-05-23:00...2021-05-06-01:00',
    '--direction', 'downstream', '--now', '2021-05-06T01:00:00Z']), { '2021-05-05-23:00...2021-05-06-01:00': ['2021-05-05'] });
});

test('partitions map: static and multi mappings, nonexistent upstream keys warned about on stderr', () => {
  const statics = ['--upstream', 'StaticPartitionsDefinition(["a", "b"])', '--downstream', 'StaticPartitionsDefinition(["x", "y"])'];
  const m = ['--mapping', 'StaticPartitionMapping({"a": ["x", "y"], "b": "y"})'];
  assert.deepEqual(json(['partitions', 'map', ...statics, ...m, '--keys', 'x,y']), { x: ['a'], y: ['a', 'b'] });
  assert.deepEqual(json(['partitions', 'map', ...statics, ...m, '--keys', 'a', '--direction', 'downstream']), { a: ['x', 'y'] });
  const multi = 'MultiPartitionsDefinition({"abc": StaticPartitionsDefinition(["a", "b", "c"]), "123": StaticPartitionsDefinition(["1", "2", "3"])})';
  assert.deepEqual(json(['partitions', 'map', '--upstream', multi, '--downstream', 'StaticPartitionsDefinition(["a", "b", "c"])', '--keys', 'a']),
    { a: ['1|a', '2|a', '3|a'] });
  const r = backfill(['partitions', 'map', '--upstream', DAILY, '--downstream', HOURLY, '--keys', '2021-06-01-00:00', '--now', '2021-06-01T01:00:00Z', '--json']);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { '2021-06-01-00:00': [] });
  assert.match(r.stderr, /2021-06-01-00:00 depends on upstream partitions that do not exist at 2021-06-01T01:00:00\.000Z: 2021-06-01/);
  const text = backfill(['partitions', 'map', ...statics, ...m, '--keys', 'y']);
  assert.equal(text.stdout, 'mapping: StaticPartitionMapping({\'a\': [\'x\', \'y\'], \'b\': [\'y\']})\ndownstream key\tupstream keys\ny\ta, b\n');
  const reverse = backfill(['partitions', 'map', '--upstream', DAILY, '--downstream', DAILY, '--keys', '2021-05-06', '--direction', 'downstream', '--now', '2021-06-01T00:00:00Z']);
  assert.equal(reverse.stdout, 'mapping: TimeWindowPartitionMapping() (the default for these definitions)\nupstream key\tdownstream keys\n2021-05-06\t2021-05-06\n');
});

test('partitions map: bad expressions, mappings, keys and flags exit 2 with the reason', () => {
  const fail = (args: string[], pattern: RegExp) => {
    const r = backfill(['partitions', 'map', ...args, '--json']);
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(JSON.parse(r.stdout).error.message, pattern);
  };
  fail(['--upstream', DAILY, '--downstream', DAILY, '--mapping', 'TimeWindowMapping()', '--keys', '2021-05-06'],
    /--mapping: unknown partition mapping 'TimeWindowMapping' .* at column 1/);
  fail(['--upstream', 'DailyPartitionsDefinition(start_date="2021-05-05", timezone="Europe/Berlin")', '--downstream', DAILY, '--keys', '2021-05-06'],
    /Timezones Europe\/Berlin and UTC don't match/);
  fail(['--upstream', 'StaticPartitionsDefinition(["a"])', '--downstream', 'StaticPartitionsDefinition(["x"])', '--mapping', 'StaticPartitionMapping({"b": "x"})', '--keys', 'x'],
    /mapping source partitions not in the upstream partitions definition: \{'b'\}/);
  fail(['--upstream', 'StaticPartitionsDefinition(["a"])', '--downstream', DAILY, '--mapping', 'IdentityPartitionMapping()', '--keys', '2021-05-06'],
    /Upstream and downstream partitions definitions must match/);
  fail(['--upstream', DAILY, '--downstream', HOURLY, '--keys', '2021-05-06-00:30'], /Partition key '2021-05-06-00:30' is not a partition of the downstream definition/);
  fail(['--upstream', DAILY, '--downstream', DAILY, '--keys', '2021-13-01'], /does not match the format '%Y-%m-%d'/);
  fail(['--upstream', DAILY, '--downstream', DAILY, '--keys', '2021-05-06', '--direction', 'sideways'], /--direction "sideways" must be upstream or downstream/);
  fail(['--upstream', DAILY, '--keys', '2021-05-06'], /partitions map needs --upstream EXPR --downstream EXPR --keys/);
  fail(['--upstream', 'DailyPartitionsDefinition(', '--downstream', DAILY, '--keys', '2021-05-06'], /--upstream: Python syntax error/);
});
