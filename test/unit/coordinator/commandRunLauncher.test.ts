// Command runs: argv substitution without a shell, exit codes, missing programs and cancel of the process group.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { CommandRunLauncher, partitionValues, substitutePartition } from '../../../src/core/coordinator/commandRunLauncher';
import type { CommandTarget } from '../../../src/core/definitions/definition';
import type { PartitionsDefinition } from '../../../src/core/partitions/partitionsDefinition';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { repoRoot } from '../project/repoRoot';

function target(command: string[], partitions: PartitionsDefinition = dailyPartitionsDefinition({ start_date: '2024-01-01' })): CommandTarget {
  return { kind: 'command', name: 't', location: { file: 'backfills.yaml', line: 2 }, partitions, command, cwd: '', env: { EXTRA: 'yes' }, deps: [], backfillPolicy: null };
}

const spawnerScript = path.join(repoRoot(), 'src/runner/backfill_command_spawner.py');

/** Every run test runs twice: spawned by Node, and through the spawner process (which must actually be used). */
const modes = [
  { name: 'spawned by Node', spawner: undefined },
  { name: 'through the command spawner', spawner: { python: 'python3', script: spawnerScript } },
] as const;
const open: CommandRunLauncher[] = [];

async function launcher(mode: (typeof modes)[number], t: CommandTarget, root = os.tmpdir()) {
  const l = new CommandRunLauncher({ workspaceRoot: root, targets: new Map([['t', t]]), killGraceMs: 500, ...(mode.spawner ? { spawner: mode.spawner } : {}) });
  open.push(l);
  if (mode.spawner) assert.equal(await l.prepare(), true, `the spawner ${spawnerScript} did not start`);
  return l;
}

const request = (partitionKey: string, tags: Record<string, string> = {}) => ({ runId: 'r1', backfillId: 'abcdefgh', target: 't', targets: ['t'], partitionKey, tags, attempt: 1 });

test('substitution fills known placeholders and leaves others alone', () => {
  assert.equal(substitutePartition('--date={partition_key}/{unknown}', { partition_key: '2024-01-02' }), '--date=2024-01-02/{unknown}');
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

test('a run of a static × static multi-partitioned target gets its key in every placeholder (issue 16)', () => {
  const grid = new MultiPartitionsDefinition({ size: new StaticPartitionsDefinition(['s', 'm']), color: new StaticPartitionsDefinition(['red', 'blue']) });
  assert.deepEqual(partitionValues(target(['x'], grid), 'red|s'), {
    partition_key: 'red|s', partition_start: 'red|s', partition_end: 'red|s', range_start: 'red|s', range_end: 'red|s',
  });
});

for (const m of modes) {
  test(`${m.name}: the partition reaches the program as one argument, with the time window and env`, async () => {
    let log = '';
    const t = target([process.execPath, '-e', 'console.log(JSON.stringify([process.argv.slice(1), process.env.EXTRA, process.env.BACKFILL_PARTITION_KEY]))', '{partition_key}', '{partition_start}', '{partition_end}']);
    const outcome = await (await launcher(m, t)).launch(request('2024-01-02'), { signal: new AbortController().signal, onLog: (s) => (log += s) });
    assert.deepEqual(outcome, { status: 'SUCCESS', exitCode: 0, error: null });
    const [argv, extra, key] = JSON.parse(log);
    assert.deepEqual(argv, ['2024-01-02', '2024-01-02T00:00:00+00:00', '2024-01-03T00:00:00+00:00']);
    assert.equal(extra, 'yes');
    assert.equal(key, '2024-01-02');
  });


  test(`${m.name}: shell metacharacters in a partition key are never interpreted`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-meta-'));
    const key = 'a; touch pwned && echo $(id)';
    let log = '';
    const t = target([process.execPath, '-e', 'console.log(process.argv[1])', '{partition_key}'], new StaticPartitionsDefinition([key]));
    const outcome = await (await launcher(m, t, dir)).launch(request(key), { signal: new AbortController().signal, onLog: (s) => (log += s) });
    assert.equal(outcome.status, 'SUCCESS');
    assert.equal(log.trim(), key);
    assert.equal(fs.existsSync(path.join(dir, 'pwned')), false);
  });

  test(`${m.name}: keys with spaces, quotes, ;, $() and newlines arrive as one literal argument and in the environment`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-keys-'));
    const keys = ['two words', `it's "quoted"`, 'a;b', '$(touch pwned)', 'line1\nline2', '`touch pwned2` && echo |x'];
    const script = 'console.log(JSON.stringify({ argv: process.argv.slice(1), env: process.env.BACKFILL_PARTITION_KEY }))';
    // Dagster refuses newlines in partition keys, so no real definition holds them all: a stand-in without time windows does.
    const anyKeys = { timeWindow: () => null } as unknown as PartitionsDefinition;
    const t = target([process.execPath, '-e', script, '{partition_key}'], anyKeys);
    for (const key of keys) {
      let log = '';
      const outcome = await (await launcher(m, t, dir)).launch(request(key), { signal: new AbortController().signal, onLog: (s) => (log += s) });
      assert.equal(outcome.status, 'SUCCESS');
      assert.deepEqual(JSON.parse(log), { argv: [key], env: key });
    }
    assert.deepEqual(fs.readdirSync(dir), [], 'nothing was executed by a shell');
  });

  test(`${m.name}: the run gets its window, range bounds and tags as environment variables, and reports its pid`, async () => {
    let log = '';
    const pids: number[] = [];
    const script = 'const e=process.env;console.log(JSON.stringify([e.BACKFILL_PARTITION_START,e.BACKFILL_PARTITION_END,e.BACKFILL_RANGE_START,e.BACKFILL_RANGE_END,JSON.parse(e.BACKFILL_RUN_TAGS),process.pid]))';
    const tags = { 'dagster/backfill': 'abcdefgh', 'dagster/asset_partition_range_start': '2024-01-01', 'dagster/asset_partition_range_end': '2024-01-03', team: 'a b' };
    const outcome = await (await launcher(m, target([process.execPath, '-e', script]))).launch(request('2024-01-01...2024-01-03', tags), {
      signal: new AbortController().signal, onLog: (s) => (log += s), onProcess: (pid) => pids.push(pid),
    });
    assert.equal(outcome.status, 'SUCCESS');
    const [start, end, rangeStart, rangeEnd, runTags, pid] = JSON.parse(log);
    assert.deepEqual([start, end, rangeStart, rangeEnd], ['2024-01-01T00:00:00+00:00', '2024-01-04T00:00:00+00:00', '2024-01-01', '2024-01-03']);
    assert.deepEqual(runTags, tags);
    assert.deepEqual(pids, [pid]);
  });

  test(`${m.name}: a non-zero exit is a failure with its code; a missing program is a failure that says so`, async () => {
    const io = { signal: new AbortController().signal, onLog: () => undefined };
    const failed = await (await launcher(m, target([process.execPath, '-e', 'process.exit(3)']))).launch(request('2024-01-01'), io);
    assert.deepEqual(failed, { status: 'FAILURE', exitCode: 3, error: 'exited with code 3' });
    // A failure is known by its last non-empty stderr line (stdout after it, and blank lines, do not count).
    const script = "process.stderr.write('warming up\\nValueError: no rows for 2024-01-01\\n\\n');process.stdout.write('done\\n');process.exitCode=1";
    const said = await (await launcher(m, target([process.execPath, '-e', script]))).launch(request('2024-01-01'), io);
    assert.deepEqual(said, { status: 'FAILURE', exitCode: 1, error: 'ValueError: no rows for 2024-01-01' });
    const missing = await (await launcher(m, target(['definitely-not-a-program-xyz']))).launch(request('2024-01-01'), io);
    assert.equal(missing.status, 'FAILURE');
    assert.match(missing.error!, /could not start "definitely-not-a-program-xyz"/);
  });

  test(`${m.name}: cancel terminates the run and its child processes`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-cancel-'));
    const pidFile = path.join(dir, 'child.pid');
    // The run starts a grandchild that would outlive a plain kill of the direct child.
    // The pid is written whole (a rename), so a cancel landing mid-write never leaves an empty file to read as pid 0.
    const script = `const fs=require('fs');const c=require('child_process').spawn(process.execPath,['-e','setTimeout(()=>{},60000)'],{stdio:'ignore'});fs.writeFileSync(${JSON.stringify(pidFile + '.tmp')},String(c.pid));fs.renameSync(${JSON.stringify(pidFile + '.tmp')},${JSON.stringify(pidFile)});setTimeout(()=>{},60000)`;
    const controller = new AbortController();
    const running = (await launcher(m, target([process.execPath, '-e', script]))).launch(request('2024-01-01'), { signal: controller.signal, onLog: () => undefined });
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
    // The signal reaches the grandchild at once, but on a busy machine it may take seconds to be scheduled and exit:
    // wait for that, bounded only so a survivor fails the test instead of hanging it.
    assert.ok(grandchild > 0, `the run wrote no grandchild pid: ${grandchild}`);
    const deadline = Date.now() + 30_000;
    let alive = isAlive();
    while (alive && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      alive = isAlive();
    }
    assert.equal(alive, false, 'the grandchild process survived the cancel');
  });
  test(`${m.name}: output split inside a UTF-8 character arrives whole; the run sees the launcher's PATH`, async () => {
    let log = '';
    // "é" is two bytes: the first is written, flushed, and the second follows 50 ms later.
    const script = "process.stdout.write(Buffer.from([0xc3]));setTimeout(()=>{process.stdout.write(Buffer.from([0xa9]));console.log('|'+process.env.PATH)},50)";
    const outcome = await (await launcher(m, target([process.execPath, '-e', script]))).launch(request('2024-01-01'), { signal: new AbortController().signal, onLog: (s) => (log += s) });
    assert.equal(outcome.status, 'SUCCESS');
    assert.equal(log, `é|${process.env.PATH}\n`);
  });

  test(`${m.name}: a bare program name is looked up on the run's own PATH`, async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-path-'));
    fs.writeFileSync(path.join(dir, 'say-hello'), `#!/bin/sh\necho "hello $1"\n`, { mode: 0o755 });
    let log = '';
    const t = { ...target(['say-hello', '{partition_key}']), env: { PATH: `${dir}${path.delimiter}${process.env.PATH}` } };
    const outcome = await (await launcher(m, t)).launch(request('2024-01-05'), { signal: new AbortController().signal, onLog: (s) => (log += s) });
    assert.equal(outcome.status, 'SUCCESS', outcome.error ?? '');
    assert.equal(log, 'hello 2024-01-05\n');
  });

}

after(() => open.forEach((l) => l.close()));

test('when the spawner dies mid-run, the run is reported lost and terminated, and the next run gets a new spawner', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bf-lost-'));
  const pidFile = path.join(dir, 'run.pid');
  const script = `require('fs').writeFileSync(${JSON.stringify(pidFile)},String(process.pid)+' '+process.ppid);setTimeout(()=>{},60000)`;
  const l = await launcher(modes[1], target([process.execPath, '-e', script]));
  const running = l.launch(request('2024-01-01'), { signal: new AbortController().signal, onLog: () => undefined });
  while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').includes(' ')) await new Promise((r) => setTimeout(r, 20));
  const [runPid, spawnerPid] = fs.readFileSync(pidFile, 'utf8').split(' ').map(Number);
  process.kill(spawnerPid!, 'SIGKILL');
  const outcome = await running;
  assert.equal(outcome.status, 'FAILURE');
  assert.match(outcome.error!, /command spawner stopped while the run was going .*SIGKILL.*terminated/);
  let alive = true;
  for (let i = 0; i < 100 && alive; i++) {
    await new Promise((r) => setTimeout(r, 20));
    const stat = fs.existsSync(`/proc/${runPid}/stat`) ? fs.readFileSync(`/proc/${runPid}/stat`, 'utf8') : '';
    alive = stat !== '' && !/^\d+ \(.*\) Z/.test(stat);
  }
  assert.equal(alive, false, 'the run outlived its spawner');
  assert.equal(await l.prepare(), true, 'a new spawner started');
  fs.rmSync(pidFile);
  const controller = new AbortController();
  const again = l.launch(request('2024-01-02'), { signal: controller.signal, onLog: () => undefined });
  while (!fs.existsSync(pidFile) || !fs.readFileSync(pidFile, 'utf8').includes(' ')) await new Promise((r) => setTimeout(r, 20));
  const parent = Number(fs.readFileSync(pidFile, 'utf8').split(' ')[1]);
  assert.notEqual(parent, spawnerPid);
  assert.notEqual(parent, process.pid, 'the second run went through a new spawner, not Node');
  controller.abort();
  assert.equal((await again).status, 'CANCELED');
});

test('a run started by the spawner has default signal handling: SIGPIPE and SIGINT are not ignored', async () => {
  let log = '';
  // The run reads its own status: a shell reading its own (`/proc/$$`) would catch the moment it blocks every
  // signal around waiting for its child, which a busy machine makes likely.
  const l = await launcher(modes[1], target(['grep', '-E', '^Sig(Ign|Blk)', '/proc/self/status']));
  const outcome = await l.launch(request('2024-01-01'), { signal: new AbortController().signal, onLog: (s) => (log += s) });
  assert.equal(outcome.status, 'SUCCESS', outcome.error ?? '');
  const mask = (name: string) => BigInt(`0x${new RegExp(`^${name}:\\s*([0-9a-f]+)`, 'm').exec(log)![1]}`);
  const bit = (signal: number) => 1n << BigInt(signal - 1);
  for (const [name, n] of [['SIGINT', os.constants.signals.SIGINT], ['SIGPIPE', os.constants.signals.SIGPIPE]] as const) {
    assert.equal(mask('SigIgn') & bit(n), 0n, `${name} is ignored in the run`);
  }
  assert.equal(mask('SigBlk'), 0n, 'the run starts with signals blocked');
});

for (const m of modes) {
  test(`${m.name}: a working directory that does not exist fails the run saying where it tried to start`, async () => {
    const t = { ...target([process.execPath, '-e', '0']), cwd: 'no-such-folder' };
    const outcome = await (await launcher(m, t)).launch(request('2024-01-01'), { signal: new AbortController().signal, onLog: () => undefined });
    assert.equal(outcome.status, 'FAILURE');
    assert.match(outcome.error!, /could not start ".*" in .*no-such-folder: .*ENOENT/);
  });
}
