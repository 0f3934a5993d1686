// The state store's writer lock: held only for one write, waited for asynchronously and reported naming the holder, stale takeover.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord } from '../../../src/core/backfill/backfill';
import { openStateStore, type StateStoreOptions } from '../../../src/core/storage/openStateStore';
import type { LockHolder } from '../../../src/core/storage/writerLock';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-lock-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `ws${++counter}`, 'state.sqlite');
const open = (file: string, extra: Partial<StateStoreOptions> = {}) => openStateStore({ path: file, flushDelayMs: 600_000, ...extra });

function backfill(id: string): BackfillRecord {
  return { id, status: 'REQUESTED', targets: ['t'], partitionCount: 1, origin: 'cli', createdAt: 1, endedAt: null, selection: 'k' };
}

function writeLock(file: string, holder: Partial<LockHolder>): void {
  const now = Date.now();
  const content = { pid: 1, hostname: os.hostname(), owner: 'backfill CLI', since: now, heartbeat: now, nonce: 'n1', ...holder };
  // The holder's write made the folder (a store only opened makes none).
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.lock`, JSON.stringify(content));
  // A real abandoned lock was last touched at its last heartbeat.
  fs.utimesSync(`${file}.lock`, new Date(content.heartbeat), new Date(content.heartbeat));
}

/** A process that stays alive until killed, so its pid is live on this host. */
function liveProcess(script = 'setInterval(() => {}, 1000)') {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  return child;
}

/** Resolves when `promise` settles, or with 'pending' once the event loop has turned `turns` times with timers. */
async function stillPending(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  void promise.then(() => (settled = true), () => (settled = true));
  await new Promise((resolve) => setTimeout(resolve, ms));
  return !settled;
}

test('mutations never take the lock: two stores on one file both change it, nothing throws, both changes land', async () => {
  const file = freshPath();
  const a = await open(file, { owner: 'VS Code extension' });
  const b = await open(file, { owner: 'backfill CLI' });
  a.createBackfill(backfill('aaaaaaaa'), []);
  b.createBackfill(backfill('bbbbbbbb'), []);
  assert.equal(fs.existsSync(`${file}.lock`), false, 'an unwritten change holds no lock');
  await a.flush();
  await b.flush();
  assert.equal(fs.existsSync(`${file}.lock`), false, 'released right after each write');
  assert.deepEqual(b.listBackfills().map((x) => x.id).sort(), ['aaaaaaaa', 'bbbbbbbb'], 'b merged onto what a wrote');
  assert.equal(await a.reloadIfChanged(), true);
  assert.deepEqual(a.listBackfills().map((x) => x.id).sort(), ['aaaaaaaa', 'bbbbbbbb']);
  await a.close();
  await b.close();
});

test('a mutation that throws (unknown id) touches no lock', async () => {
  const file = freshPath();
  const a = await open(file);
  assert.throws(() => a.updateRun('nope', { status: 'SUCCESS' }), /nope/);
  assert.equal(fs.existsSync(`${file}.lock`), false);
  await a.close();
});

test('a live holder in another process: mutations go on in memory, flush waits without blocking the thread, is reported past the bound naming the holder, and lands once the holder dies', async () => {
  const file = freshPath();
  const warnings: string[] = [];
  const notices: string[] = [];
  const store = await open(file, { unwritableWarnMs: 50, onWarning: (m) => warnings.push(m), onWritable: (m) => notices.push(m) });
  const holder = liveProcess();
  let flushed: Promise<void>;
  try {
    writeLock(file, { pid: holder.pid!, owner: 'backfill CLI' });
    store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
    store.createBackfill(backfill('cccccccc'), []);
    assert.equal(store.getBackfill('cccccccc')?.id, 'cccccccc', 'applied in memory at once');
    flushed = store.flush();
    // The thread is free while the flush waits: timers fire, and the warning comes past the bound.
    while (warnings.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(await stillPending(flushed, 20), true, 'nothing is written while the live holder has the lock');
    assert.equal(warnings.length, 1);
    assert.match(warnings[0]!, new RegExp(`could not be written for \\d+ s: process ${holder.pid} \\(backfill CLI\\) has held the writer lock of .*state\\.sqlite since \\d{4}-.*Runs go on`));
    store.setPartitionStatus('t', 'k2', 'MATERIALIZED', null);
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  await flushed;
  assert.equal(warnings.length, 1, 'reported once');
  assert.equal(notices.length, 1);
  assert.match(notices[0]!, /is writable again/);
  const other = await open(file);
  assert.deepEqual([...other.partitionStatuses('t').keys()].sort(), ['k', 'k2']);
  assert.equal(other.getBackfill('cccccccc')?.id, 'cccccccc');
  await other.close();
  await store.close();
  assert.equal(fs.existsSync(`${file}.lock`), false);
});

test('a holder that finishes lets the waiting write through', async () => {
  const file = freshPath();
  const store = await open(file);
  const holder = liveProcess(`setTimeout(() => require('fs').rmSync(${JSON.stringify(`${file}.lock`)}), 150); setTimeout(() => {}, 5000)`);
  try {
    writeLock(file, { pid: holder.pid! });
    store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
    await store.flush();
    assert.equal(fs.existsSync(`${file}.lock`), false);
  } finally {
    holder.kill('SIGKILL');
  }
  const other = await open(file);
  assert.deepEqual([...other.partitionStatuses('t').keys()], ['k']);
  await other.close();
  await store.close();
});

test('stale locks are taken over: a dead pid on this host, or an old heartbeat from anywhere', async () => {
  const file = freshPath();
  const store = await open(file, { staleLockMs: 1000 });
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  writeLock(file, { pid: dead });
  store.setPartitionStatus('t', 'a', 'MATERIALIZED', null);
  await store.flush();

  writeLock(file, { hostname: 'elsewhere', pid: 4242, heartbeat: Date.now() - 5000 });
  store.setPartitionStatus('t', 'b', 'MATERIALIZED', null);
  await store.flush();

  writeLock(file, { hostname: 'elsewhere', pid: 4242, owner: 'backfill CLI' });
  store.setPartitionStatus('t', 'c', 'MATERIALIZED', null);
  const flushed = store.flush();
  assert.equal(await stillPending(flushed, 100), true, 'a live lock of another host is waited for');
  fs.rmSync(`${file}.lock`);
  await flushed;
  assert.deepEqual([...store.partitionStatuses('t').keys()].sort(), ['a', 'b', 'c']);
  await store.close();
  assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.lock')), [], 'nothing left beside the file');
});

test('the heartbeat is refreshed while a (slow) write holds the lock', async () => {
  const file = freshPath();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let writing = false;
  const slowAppender = {
    append: async () => {
      writing = true;
      await gate;
    },
    close: async () => undefined,
  };
  // A file that exists, so the write is an append (a store's first write is a snapshot).
  const seed = await open(file);
  seed.createBackfill(backfill('aaaaaaaa'), []);
  await seed.close();
  const store = await open(file, { heartbeatMs: 5, journalAppender: slowAppender });
  store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
  const flushed = store.flush();
  while (!writing) await new Promise((resolve) => setTimeout(resolve, 5));
  const first = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder;
  let current = first;
  while (current.heartbeat === first.heartbeat) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder;
  }
  assert.equal(current.nonce, first.nonce);
  assert.equal(current.since, first.since);
  release();
  await flushed;
  assert.equal(fs.existsSync(`${file}.lock`), false);
  await store.close();
});

test('lock: false never creates a lock file and is never read-only', async () => {
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeLock(file, { pid: process.pid, nonce: 'someone-else' });
  const store = await open(file, { lock: false });
  store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
  await store.close();
  assert.equal(JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')).nonce, 'someone-else');
});
