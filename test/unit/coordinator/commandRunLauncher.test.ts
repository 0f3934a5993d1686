// Command runs: argv substitution without a shell, exit codes, missing programs and cancel of the process group.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { CommandRunLauncher, partitionValues, substitutePartition } from '../../../src/core/coordinator/commandRunLauncher';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';

function target(command: string[], partitions: PartitionsDefinition = dailyPartitionsDefinition({ start_date: '2024-01-01' })): CommandTarget {
  return { kind: 'command', name: 't', location: { file: 'backfills.yaml', line: 2 }, partitions, command, cwd: '', env: { EXTRA: 'yes' }, deps: [], backfillPolicy: null };
}

function launcher(t: CommandTarget, root = os.tmpdir()) {
  return new CommandRunLauncher({ workspaceRoot: root, targets: new Map([['t', t]]), killGraceMs: 500 });
}

const request = (partitionKey: string, tags: Record<string, string> = {}) => ({ runId: 'r1', backfillId: 'abcdefgh', target: 't', targets: ['t'], partitionKey, tags, attempt: 1 });

test('substitution fills known placeholders and leaves others alone', () => {
  assert.equal(substitutePartition('--date={partition_key}/{unknown}', { partition_key: '2024-01-02' }), '--date=2024-01-02/{unknown}');
});

test('the partition reaches the program as one argument, with the time window and env', async () => {
  let log = '';
  const t = target([process.execPath, '-e', 'console.log(JSON.stringify([process.argv.slice(1), process.env.EXTRA, process.env.BACKFILL_PARTITION_KEY]))', '{partition_key}', '{partition_start}', '{partition_end}']);
  const outcome = await launcher(t).launch(request('2024-01-02'), { signal: new AbortController().signal, onLog: (s) => (log += s) });
  assert.deepEqual(outcome, { status: 'SUCCESS', exitCode: 0, error: null });
  const [argv, extra, key] = JSON.parse(log);
  assert.deepEqual(argv, ['2024-01-02', '2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00']);
  assert.equal(extra, 'yes');
  assert.equal(key, '2024-01-02');
});

test('a range run gets its bounds and the span of its windows', () => {
  const t = target(['x']);
  assert.deepEqual(partitionValues(t, '2024-01-01...2024-01-31'), {
    partition_key: '2024-01-01...2024-01-31',
    partition_start: '2024-01-01T00:00:00+00:00',
    partition_end: '2024-02-01T00:00:00+00:00',
    range_start: '2024-01-01',
    range_end: '2024-01-31',
  });
});

test('shell metacharacters in a partition key are never interpreted', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-meta-'));
  const key = 'a; touch pwned && echo $(id)';
  let log = '';
  const t = target([process.execPath, '-e', 'console.log(process.argv[1])', '{partition_key}'], new StaticPartitionsDefinition([key]));
  const outcome = await launcher(t, dir).launch(request(key), { signal: new AbortController().signal, onLog: (s) => (log += s) });
  assert.equal(outcome.status, 'SUCCESS');
  assert.equal(log.trim(), key);
  assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
});

test('keys with spaces, quotes, ;, $() and newlines arrive as one literal argument and in the environment', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-keys-'));
  const keys = ['two words', `it's "quoted"`, 'a;b', '$(touch pwned)', 'line1\nline2', '`touch pwned2` && echo |x'];
  const script = 'console.log(JSON.stringify({ argv: process.argv.slice(1), env: process.env.BACKFILL_PARTITION_KEY }))';
  // Dagster refuses newlines in partition keys, so no real definition holds them all: a stand-in without time windows does.
  const anyKeys = { timeWindow: () => null } as unknown as PartitionsDefinition;
  const t = target([process.execPath, '-e', script, '{partition_key}'], anyKeys);
  for (const key of keys) {
    let log = '';
    const outcome = await launcher(t, dir).launch(request(key), { signal: new AbortController().signal, onLog: (s) => (log += s) });
    assert.equal(outcome.status, 'SUCCESS');
    assert.deepEqual(JSON.parse(log), { argv: [key], env: key });
  }
  assert.deepEqual(fs.readdirSync(dir), [], 'nothing was executed by a shell');
});

test('the run gets its window, range bounds and tags as environment variables, and reports its pid', async () => {
  let log = '';
  const pids: number[] = [];
  const script = 'const e=process.env;console.log(JSON.stringify([e.BACKFILL_PARTITION_START,e.BACKFILL_PARTITION_END,e.BACKFILL_RANGE_START,e.BACKFILL_RANGE_END,JSON.parse(e.BACKFILL_RUN_TAGS),process.pid]))';
  const tags = { 'dagster/backfill': 'abcdefgh', 'dagster/asset_partition_range_start': '2024-01-01', 'dagster/asset_partition_range_end': '2024-01-03', team: 'a b' };
  const outcome = await launcher(target([process.execPath, '-e', script])).launch(request('2024-01-01...2024-01-03', tags), {
    signal: new AbortController().signal, onLog: (s) => (log += s), onProcess: (pid) => pids.push(pid),
  });
  assert.equal(outcome.status, 'SUCCESS');
  const [start, end, rangeStart, rangeEnd, runTags, pid] = JSON.parse(log);
  assert.deepEqual([start, end, rangeStart, rangeEnd], ['2024-01-01T00:00:00+00:00', '2024-01-04T00:00:00+00:00', '2024-01-01', '2024-01-03']);
  assert.deepEqual(runTags, tags);
  assert.deepEqual(pids, [pid]);
});

test('a non-zero exit is a failure with its code; a missing program is a failure that says so', async () => {
  const io = { signal: new AbortController().signal, onLog: () => undefined };
  const failed = await launcher(target([process.execPath, '-e', 'process.exit(3)'])).launch(request('2024-01-01'), io);
  assert.deepEqual(failed, { status: 'FAILURE', exitCode: 3, error: 'exited with code 3' });
  const missing = await launcher(target(['definitely-not-a-program-xyz'])).launch(request('2024-01-01'), io);
  assert.equal(missing.status, 'FAILURE');
  assert.match(missing.error!, /could not start "definitely-not-a-program-xyz"/);
});

test('cancel terminates the run and its child processes', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cancel-'));
  const pidFile = path.join(dir, 'child.pid');
  // The run starts a grandchild that would outlive a plain kill of the direct child.
  const script = `const c=require('child_process').spawn(process.execPath,['-e','setTimeout(()=>{},60000)'],{stdio:'ignore'});require('fs').writeFileSync(${JSON.stringify(pidFile)},String(c.pid));setTimeout(()=>{},60000)`;
  const controller = new AbortController();
  const running = launcher(target([process.execPath, '-e', script])).launch(request('2024-01-01'), { signal: controller.signal, onLog: () => undefined });
  while (!fs.existsSync(pidFile)) await new Promise((r) => setTimeout(r, 20));
  controller.abort();
  const outcome = await running;
  assert.equal(outcome.status, 'CANCELED');
  const grandchild = Number(fs.readFileSync(pidFile, 'utf8'));
  // A killed process whose parent is gone may linger as a zombie until pid 1 reaps it: that counts as dead.
  const isAlive = () => {
    try {
      process.kill(grandchild, 0);
    } catch {
      return false;
    }
    const stat = fs.existsSync(`/proc/${grandchild}/stat`) ? fs.readFileSync(`/proc/${grandchild}/stat`, 'utf8') : '';
    return !/^\d+ \(.*\) Z/.test(stat);
  };
  let alive = isAlive();
  for (let i = 0; i < 50 && alive; i++) {
    await new Promise((r) => setTimeout(r, 20));
    alive = isAlive();
  }
  assert.equal(alive, false, 'the grandchild process survived the cancel');
});
