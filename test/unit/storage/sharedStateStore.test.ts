// Many writers on one state file: a busy writer in another process never makes a mutation throw or block, claims are compare-and-set, records that do not apply are reported.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillOwner, BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { openStateStore, type StateStoreOptions } from '../../../src/core/storage/openStateStore';
import { JournalAppender, journalBatch } from '../../../src/core/storage/stateJournal';

/*
 * This bundle is also the child: started with SHARED_STORE_FILE set, it is a busy writer on that file (a
 * change on every turn of its event loop, written every 5 ms, as a backfill streaming output) until stdin closes.
 */
const CHILD_FILE = process.env['SHARED_STORE_FILE'];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-shared-store-test-'));
let counter = 0;
const freshPath = () => path.join(root, `ws${++counter}`, 'state.sqlite');
const open = (file: string, extra: Partial<StateStoreOptions> = {}) => openStateStore({ path: file, flushDelayMs: 5, ...extra });

function backfill(id: string, owner?: BackfillOwner): BackfillRecord {
  return { id, status: 'REQUESTED', targets: ['t'], partitionCount: 1, origin: 'cli', createdAt: 1, endedAt: null, selection: 'k', ...(owner ? { owner } : {}) };
}

function run(id: string, backfillId: string): RunRecord {
  return { id, backfillId, target: 't', partitionKey: 'k', status: 'QUEUED', createdAt: 1, startedAt: null, endedAt: null, exitCode: null, error: null };
}

async function busyWriter(file: string): Promise<void> {
  const store = await open(file, { owner: 'busy child' });
  store.createBackfill(backfill('childbfl'), [run('child-run', 'childbfl')]);
  await store.flush();
  process.stdout.write('ready\n');
  let n = 0;
  let stopping = false;
  // A change on every turn of the event loop: there are always changes newer than the last write.
  const tick = () => {
    if (stopping) return;
    store.setPartitionStatus('child', `k${n++}`, 'MATERIALIZED', 'child-run');
    if (n % 10 === 0) store.appendRunLog('child-run', `line ${n}\n`);
    setImmediate(tick);
  };
  tick();
  process.stdin.resume();
  process.stdin.once('end', () => {
    stopping = true;
    void store.close().then(() => process.stdout.write(`done ${n}\n`));
  });
}

/** Starts the busy child and resolves once it has written its first change. */
async function startBusyChild(file: string) {
  const child = spawn(process.execPath, [__filename], { env: { ...process.env, SHARED_STORE_FILE: file }, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const lines: string[] = [];
  const waiters: Array<() => void> = [];
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    const parts = out.split('\n');
    out = parts.pop()!;
    lines.push(...parts);
    waiters.splice(0).forEach((w) => w());
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = async (prefix: string) => {
    for (;;) {
      const found = lines.find((l) => l.startsWith(prefix));
      if (found) return found;
      const code = await Promise.race([new Promise<'more'>((resolve) => waiters.push(() => resolve('more'))), exited]);
      if (code !== 'more' && !lines.some((l) => l.startsWith(prefix))) throw new Error(`the busy child exited (${code}) before "${prefix}":\n${err}`);
    }
  };
  await line('ready');
  return {
    stderr: () => err,
    async stop(): Promise<number> {
      child.stdin.end();
      const done = await line('done ');
      assert.equal(await exited, 0, err);
      return Number(done.slice(5));
    },
  };
}

if (CHILD_FILE) {
  void busyWriter(CHILD_FILE).catch((e: unknown) => {
    process.stderr.write(String(e instanceof Error ? e.stack : e));
    process.exit(1);
  });
} else {
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  test('beside a busy writer in another process, mutations never throw and all land after flush; both processes\' changes are kept', async () => {
    const file = freshPath();
    const store = await open(file, { owner: 'test parent' });
    const child = await startBusyChild(file);
    let stopped = false;
    try {
      store.createBackfill(backfill('parentbf'), [run('parent-run', 'parentbf')]);
      for (let i = 0; i < 200; i++) {
        // Each mutation returns at once, whoever holds the lock; the event loop turns between them.
        store.setPartitionStatus('parent', `p${i}`, 'MATERIALIZED', 'parent-run');
        store.updateRun('parent-run', { status: 'STARTED', exitCode: i });
        if (i % 20 === 0) await store.flush();
        await new Promise((resolve) => setImmediate(resolve));
      }
      await store.flush();
      const written = await child.stop();
      stopped = true;
      const check = await open(file);
      assert.equal(check.partitionStatuses('parent').size, 200);
      assert.equal(check.getRun('parent-run')?.exitCode, 199);
      assert.equal(check.partitionStatuses('child').size, written, 'every change of the busy child is there too');
      assert.ok(written > 0);
      await check.close();
    } finally {
      if (!stopped) await child.stop().catch(() => undefined);
      await store.close();
    }
  });

  test('two processes claim one orphan: one claim wins, the other is dropped at its write without a warning, and the loser can tell', async () => {
    const file = freshPath();
    const dead: BackfillOwner = { origin: 'cli', pid: 999_999, host: os.hostname(), heartbeatAt: 1 };
    const setup = await open(file);
    setup.createBackfill(backfill('orphanbf', dead), []);
    await setup.close();
    const warnings: string[] = [];
    const a = await open(file, { onWarning: (m) => warnings.push(m) });
    const b = await open(file, { onWarning: (m) => warnings.push(m) });
    const ownerA: BackfillOwner = { origin: 'cli', pid: 1001, host: os.hostname(), heartbeatAt: 2 };
    const ownerB: BackfillOwner = { origin: 'extension', pid: 1002, host: os.hostname(), heartbeatAt: 3 };
    // Both read the dead owner and claim over it before either wrote.
    a.setBackfillOwner('orphanbf', ownerA, dead);
    b.setBackfillOwner('orphanbf', ownerB, dead);
    await a.flush();
    await b.flush();
    assert.deepEqual(a.getBackfill('orphanbf')?.owner, ownerA);
    assert.deepEqual(b.getBackfill('orphanbf')?.owner, ownerA, 'b replayed its claim onto a\'s version, where it no longer applies');
    assert.throws(() => b.setBackfillOwner('orphanbf', ownerB, dead), /changed owner/);
    assert.deepEqual(warnings, [], 'a lost claim is an answer, not a problem');
    await a.close();
    await b.close();
    const check = await open(file);
    assert.deepEqual(check.getBackfill('orphanbf')?.owner, ownerA);
    await check.close();
  });

  test('a change that does not apply onto the version another process wrote is reported with its op and id, not silently lost', async () => {
    const file = freshPath();
    const warnings: string[] = [];
    const a = await open(file, { onWarning: (m) => warnings.push(m) });
    a.createBackfill(backfill('goneback'), [run('gone-run', 'goneback')]);
    await a.flush();
    // Another process replaces the file with one that has no such run (a recovery, a restore from backup).
    const b = await open(path.join(path.dirname(file), 'other.sqlite'));
    b.setPartitionStatus('t', 'x', 'MATERIALIZED', null);
    await b.close();
    fs.renameSync(path.join(path.dirname(file), 'other.sqlite'), file);
    a.updateRun('gone-run', { status: 'SUCCESS' });
    a.setPartitionStatus('t', 'y', 'MATERIALIZED', null);
    await a.flush();
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /1 change to .*state\.sqlite could not be applied .*updateRun of run gone-run: .*gone-run/);
    assert.deepEqual([...a.partitionStatuses('t').keys()].sort(), ['x', 'y'], 'the changes that apply are written');
    await a.close();
  });

  test('journal records that do not apply at open are reported with their op and id, and the rest is kept', async () => {
    const file = freshPath();
    const a = await open(file);
    a.createBackfill(backfill('realbfil'), []);
    await a.flush();
    a.setBackfillError('realbfil', 'first');
    await a.flush();
    // A record for a run that does not exist (written by a build with a bug, or a hand edit), then a good one.
    fs.appendFileSync(`${file}.journal`, journalBatch([{ op: 'updateRun', id: 'no-such-run', update: { status: 'SUCCESS' } }]));
    fs.appendFileSync(`${file}.journal`, journalBatch([{ op: 'setBackfillError', id: 'realbfil', error: 'second' }]));
    // Dropped without a close, so the journal is what holds the records.
    const warnings: string[] = [];
    const b = await open(file, { onWarning: (m) => warnings.push(m) });
    assert.equal(b.getBackfill('realbfil')?.error, 'second');
    assert.equal(warnings.length, 1, warnings.join('\n'));
    assert.match(warnings[0]!, /1 record of .*state\.sqlite\.journal could not be applied and is left out: updateRun of run no-such-run: .*no-such-run/);
    await b.close();
    await a.close();
  });

  test('a writer that stalls mid-write past the lock\'s staleness, and is taken over, does not write over the new holder\'s records', async () => {
    const file = freshPath();
    const real = new JournalAppender();
    let arrived!: () => void;
    const atGate = new Promise<void>((resolve) => (arrived = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let armed = false;
    const stalling: Pick<JournalAppender, 'append' | 'close'> = {
      async append(...args) {
        if (armed) {
          armed = false;
          arrived();
          await gate;
        }
        return real.append(...args);
      },
      close: () => real.close(),
    };
    // a beats rarely, so b soon judges its lock abandoned; both write through the journal.
    const a = await open(file, { journalAppender: stalling, heartbeatMs: 60_000 });
    const b = await open(file, { staleLockMs: 50 });
    a.setPartitionStatus('t', 'a-first', 'MATERIALIZED', null);
    await a.flush();
    b.setPartitionStatus('t', 'b-first', 'MATERIALIZED', null);
    await b.flush();
    a.setPartitionStatus('t', 'from-a', 'MATERIALIZED', null);
    armed = true;
    const stalled = a.flush();
    await atGate;
    // a holds the lock and is about to append at the end it read; b takes the lock over and appends there first.
    const heartbeatOfA = (JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as { heartbeat: number }).heartbeat;
    while (Date.now() - heartbeatOfA <= 60) await new Promise((resolve) => setTimeout(resolve, 10));
    b.setPartitionStatus('t', 'from-b', 'MATERIALIZED', null);
    await b.flush();
    release();
    await stalled;
    const check = await open(file);
    assert.deepEqual([...check.partitionStatuses('t').keys()].sort(), ['a-first', 'b-first', 'from-a', 'from-b']);
    await check.close();
    await a.close();
    await b.close();
  });
}
