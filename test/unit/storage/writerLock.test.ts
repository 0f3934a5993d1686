// The state store's writer lock: held only while changes are unflushed, read-only beside a live holder, stale takeover.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord } from '../../../src/core/backfill/backfill';
import { openStateStore, type StateStoreOptions } from '../../../src/core/storage/openStateStore';
import { StateStoreReadOnlyError } from '../../../src/core/storage/sqlJsStateStore';
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
  fs.writeFileSync(`${file}.lock`, JSON.stringify(content));
  // A real abandoned lock was last touched at its last heartbeat.
  fs.utimesSync(`${file}.lock`, new Date(content.heartbeat), new Date(content.heartbeat));
}

/** A process that stays alive until killed, so its pid is live on this host. */
function liveProcess(script = 'setInterval(() => {}, 1000)') {
  const child = spawn(process.execPath, ['-e', script], { stdio: 'ignore' });
  return child;
}

test('the lock is held only while changes are unflushed; meanwhile a second store is read-only, reads and reloads work', async () => {
  const file = freshPath();
  const a = await open(file, { owner: 'VS Code extension' });
  const b = await open(file, { owner: 'backfill CLI' });
  assert.equal(fs.existsSync(`${file}.lock`), false, 'an idle store holds no lock');
  assert.equal(a.readOnly, false);

  a.createBackfill(backfill('aaaaaaaa'), []);
  const held = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder;
  assert.equal(held.pid, process.pid);
  assert.equal(held.hostname, os.hostname());
  assert.equal(held.owner, 'VS Code extension');
  assert.equal(typeof held.heartbeat, 'number');
  assert.equal(b.readOnly, true);
  assert.equal(a.readOnly, false);
  assert.throws(() => b.createBackfill(backfill('bbbbbbbb'), []), (err: unknown) => {
    assert.ok(err instanceof StateStoreReadOnlyError);
    assert.match(err.message, new RegExp(`state\\.sqlite is being written by process ${process.pid} \\(VS Code extension\\) since \\d{4}-.*read-only`));
    return true;
  });
  assert.deepEqual(b.listBackfills(), [], 'reads keep working');
  assert.equal(await b.reloadIfChanged(), false);

  await a.flush();
  assert.equal(fs.existsSync(`${file}.lock`), false, 'released once everything is on disk');
  assert.equal(b.readOnly, false);
  assert.equal(await b.reloadIfChanged(), true);
  b.createBackfill(backfill('bbbbbbbb'), []);
  assert.equal(a.readOnly, true);
  await b.close();
  assert.equal(fs.existsSync(`${file}.lock`), false, 'released on close');
  assert.equal(await a.reloadIfChanged(), true);
  assert.deepEqual(a.listBackfills().map((x) => x.id).sort(), ['aaaaaaaa', 'bbbbbbbb']);
  await a.close();
});

test('a mutation that throws on a clean store does not keep the lock', async () => {
  const file = freshPath();
  const a = await open(file);
  assert.throws(() => a.updateRun('nope', { status: 'SUCCESS' }), /nope/);
  assert.equal(fs.existsSync(`${file}.lock`), false);
  await a.close();
});

test('a live holder in another process: the mutation waits, then is refused naming it; when it dies, the lock is taken over', async () => {
  const file = freshPath();
  const store = await open(file, { lockWaitMs: 50 });
  const holder = liveProcess();
  try {
    writeLock(file, { pid: holder.pid!, owner: 'backfill CLI' });
    assert.equal(store.readOnly, true);
    const started = Date.now();
    assert.throws(() => store.setPartitionStatus('t', 'k', 'MATERIALIZED', null), new RegExp(`being written by process ${holder.pid} \\(backfill CLI\\)`));
    assert.ok(Date.now() - started >= 40, 'it waited for the holder first');
  } finally {
    holder.kill('SIGKILL');
    await new Promise((resolve) => holder.once('exit', resolve));
  }
  assert.equal(store.readOnly, false, 'a dead pid on this host is a stale lock');
  store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
  assert.equal((JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder).pid, process.pid);
  await store.close();
  assert.equal(fs.existsSync(`${file}.lock`), false);
});

test('a holder that finishes within the wait lets the mutation through', async () => {
  const file = freshPath();
  const store = await open(file, { lockWaitMs: 10_000 });
  // The holder removes its lock after 150 ms; our synchronous wait must see that without yielding.
  const holder = liveProcess(`setTimeout(() => require('fs').rmSync(${JSON.stringify(`${file}.lock`)}), 150); setTimeout(() => {}, 5000)`);
  try {
    writeLock(file, { pid: holder.pid! });
    store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
    assert.equal((JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder).pid, process.pid);
  } finally {
    holder.kill('SIGKILL');
  }
  await store.close();
});

test('stale locks are taken over: a dead pid on this host, or an old heartbeat from anywhere', async () => {
  const file = freshPath();
  const store = await open(file, { staleLockMs: 1000, lockWaitMs: 20 });
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  writeLock(file, { pid: dead });
  store.setPartitionStatus('t', 'a', 'MATERIALIZED', null);
  await store.flush();

  writeLock(file, { hostname: 'elsewhere', pid: 4242, heartbeat: Date.now() - 5000 });
  store.setPartitionStatus('t', 'b', 'MATERIALIZED', null);
  await store.flush();

  writeLock(file, { hostname: 'elsewhere', pid: 4242, owner: 'backfill CLI' });
  assert.throws(() => store.setPartitionStatus('t', 'c', 'MATERIALIZED', null), /process 4242 \(backfill CLI\) on elsewhere since/);
  fs.rmSync(`${file}.lock`);
  assert.deepEqual([...store.partitionStatuses('t').keys()].sort(), ['a', 'b']);
  await store.close();
  assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((f) => f.includes('.lock')), [], 'nothing left beside the file');
});

test('the heartbeat is refreshed while the lock is held', async () => {
  const file = freshPath();
  const store = await open(file, { heartbeatMs: 5 });
  store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
  const first = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder;
  let current = first;
  while (current.heartbeat === first.heartbeat) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    current = JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')) as LockHolder;
  }
  assert.equal(current.nonce, first.nonce);
  assert.equal(current.since, first.since);
  await store.close();
});

test('lock: false never creates a lock file and is never read-only', async () => {
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  writeLock(file, { pid: process.pid, nonce: 'someone-else' });
  const store = await open(file, { lock: false });
  assert.equal(store.readOnly, false);
  store.setPartitionStatus('t', 'k', 'MATERIALIZED', null);
  await store.close();
  assert.equal(JSON.parse(fs.readFileSync(`${file}.lock`, 'utf8')).nonce, 'someone-else');
});
