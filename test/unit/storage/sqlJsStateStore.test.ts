// Tests for the sql.js state store: records, log tails, persistence, batched writes, reloads, bad files and write failures.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { loadSqlJs } from '../../../src/core/storage/loadSqlJs';
import { openStateStore, type StateStoreOptions } from '../../../src/core/storage/openStateStore';
import { StateStoreError, type CorruptStateFile } from '../../../src/core/storage/sqlJsStateStore';
import { JournalAppender } from '../../../src/core/storage/stateJournal';
import { RUN_LOG_TAIL_BYTES } from '../../../src/core/storage/runLogTail';
import { writeFileAtomic } from '../../../src/core/storage/writeFileAtomic';
import type { FileSignature } from '../../../src/core/storage/writeFileAtomic';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-store-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

function freshPath(): string {
  return path.join(root, `ws${++counter}`, '.backfills', 'state.sqlite');
}

function backfill(id: string, createdAt: number): BackfillRecord {
  return { id, status: 'REQUESTED', targets: ['daily_counts'], partitionCount: 2, origin: 'cli', createdAt, endedAt: null, selection: '2024-01-01...2024-01-02' };
}

function run(id: string, backfillId: string, partitionKey: string): RunRecord {
  return { id, backfillId, target: 'daily_counts', partitionKey, status: 'QUEUED', createdAt: 1000, startedAt: null, endedAt: null, exitCode: null, error: null };
}

/** Wraps the real snapshot writer and journal appender to count writes (both kinds) and to fail on demand. */
function countingWriter() {
  const real = new JournalAppender();
  async function attempt<T>(kind: 'checkpoint' | 'append', act: () => Promise<T>): Promise<T> {
    writer.writes++;
    writer.kinds.push(kind);
    const waiters = writer.waiters.splice(0);
    try {
      if (writer.failNext > 0) {
        writer.failNext--;
        throw new Error('disk full (simulated)');
      }
      const result = await act();
      writer.succeeded++;
      return result;
    } finally {
      waiters.forEach((w) => w());
    }
  }
  const writer = {
    writes: 0,
    succeeded: 0,
    failNext: 0,
    kinds: [] as ('checkpoint' | 'append')[],
    waiters: [] as (() => void)[],
    write: (file: string, data: Uint8Array): Promise<FileSignature> => attempt('checkpoint', () => writeFileAtomic(file, data)),
    appender: {
      append: (file: string, ino: number, data: Uint8Array, position: number, size: number) => attempt('append', () => real.append(file, ino, data, position, size)),
      close: () => real.close(),
    },
    /** Resolves when the next write attempt has finished (succeeded or failed). */
    nextWrite: () => new Promise<void>((resolve) => writer.waiters.push(resolve)),
  };
  return writer;
}

async function open(file: string, extra: Partial<StateStoreOptions> = {}) {
  return openStateStore({ path: file, now: () => 5000, ...extra });
}

/** A store whose writes and appends all go through `writer`. */
function counted(writer: ReturnType<typeof countingWriter>, extra: Partial<StateStoreOptions> = {}): Partial<StateStoreOptions> {
  return { writeFile: writer.write, journalAppender: writer.appender, ...extra };
}

test('opening, reading and closing a missing store creates nothing: no folder, no file', async () => {
  const file = freshPath();
  const store = await open(file);
  assert.deepEqual(store.listBackfills(), []);
  assert.equal(await store.reloadIfChanged(), false);
  await store.flush();
  await store.close();
  assert.equal(fs.existsSync(path.dirname(path.dirname(file))), false, 'not even the workspace folder of the test is made');
});

test('the first write creates the folder with a .gitignore and the database file, then stores and reads backfills and runs', async () => {
  const file = freshPath();
  const store = await open(file);
  assert.equal(fs.existsSync(path.dirname(file)), false, 'nothing is created at open');
  store.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', '2024-01-01'), run('r2', 'aaaaaaaa', '2024-01-02')]);
  await store.flush();
  assert.equal(fs.readFileSync(path.join(path.dirname(file), '.gitignore'), 'utf8'), '*\n');
  assert.ok(fs.existsSync(file), 'the first write is a snapshot: a journal alone would name no snapshot');
  const reopened = await open(file);
  assert.deepEqual(reopened.listBackfills().map((b) => b.id), ['aaaaaaaa']);
  await reopened.close();

  store.createBackfill(backfill('bbbbbbbb', 2), []);
  assert.deepEqual(store.listBackfills().map((b) => b.id), ['bbbbbbbb', 'aaaaaaaa']);
  assert.deepEqual(store.getBackfill('aaaaaaaa'), backfill('aaaaaaaa', 1));
  assert.equal(store.getBackfill('zzzzzzzz'), undefined);
  assert.deepEqual(store.listRuns('aaaaaaaa').map((r) => r.partitionKey), ['2024-01-01', '2024-01-02']);

  store.updateRun('r1', { status: 'FAILURE', startedAt: 10, endedAt: 20, exitCode: 3, error: 'exit code 3' });
  assert.deepEqual(store.getRun('r1'), { ...run('r1', 'aaaaaaaa', '2024-01-01'), status: 'FAILURE', startedAt: 10, endedAt: 20, exitCode: 3, error: 'exit code 3' });
  store.updateBackfillStatus('aaaaaaaa', 'COMPLETED_FAILED', 30);
  assert.equal(store.getBackfill('aaaaaaaa')!.status, 'COMPLETED_FAILED');
  assert.equal(store.getBackfill('aaaaaaaa')!.endedAt, 30);

  assert.throws(() => store.updateRun('nope', { status: 'SUCCESS' }), /nope/);
  assert.throws(() => store.updateBackfillStatus('nope', 'CANCELED', null), /nope/);
  assert.throws(() => store.appendRunLog('nope', 'x'), /nope/);
  assert.throws(() => store.createBackfill(backfill('aaaaaaaa', 3), []), /aaaaaaaa already exists/);
  assert.throws(() => store.createBackfill(backfill('cccccccc', 3), [run('r1', 'cccccccc', 'x')]), /run r1 already exists/);
  assert.equal(store.getBackfill('cccccccc'), undefined, 'a failed create leaves nothing behind');
  await store.close();
  assert.throws(() => store.listBackfills(), /closed/);
});

test('partition statuses: latest per key, per target, MISSING clears', async () => {
  const store = await open(freshPath());
  store.setPartitionStatus('a', '2024-01-01', 'IN_PROGRESS', 'r1');
  store.setPartitionStatus('a', '2024-01-01', 'MATERIALIZED', 'r1');
  store.setPartitionStatus('a', '2024-01-02', 'FAILED', 'r2');
  store.setPartitionStatus('a', '2024-01-03', 'FAILED', null);
  store.setPartitionStatus('a', '2024-01-03', 'MISSING', null);
  store.setPartitionStatus('b', '2024-01-01', 'IN_PROGRESS', null);
  assert.deepEqual([...store.partitionStatuses('a')].sort(), [['2024-01-01', 'MATERIALIZED'], ['2024-01-02', 'FAILED']]);
  assert.deepEqual([...store.partitionStatuses('b')], [['2024-01-01', 'IN_PROGRESS']]);
  assert.equal(store.partitionStatuses('c').size, 0);
  await store.close();
});

test('run logs keep a bounded tail behind a truncation marker', async () => {
  const store = await open(freshPath());
  store.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k')]);
  assert.equal(store.runLog('r1'), '');
  store.appendRunLog('r1', 'hello\n');
  store.appendRunLog('r1', 'world\n');
  assert.equal(store.runLog('r1'), 'hello\nworld\n');
  const line = 'x'.repeat(99) + '\n';
  for (let i = 0; i < 1000; i++) store.appendRunLog('r1', line);
  store.appendRunLog('r1', 'the end\n');
  const log = store.runLog('r1');
  const marker = /^\[\.\.\. (\d+) bytes truncated \.\.\.\]\n/.exec(log);
  assert.ok(marker, log.slice(0, 80));
  const tail = log.slice(marker[0].length);
  assert.ok(tail.endsWith(line + 'the end\n'));
  assert.ok(Buffer.byteLength(tail) <= RUN_LOG_TAIL_BYTES);
  assert.ok(tail.startsWith('x'), 'the tail starts at a whole line');
  assert.equal(Number(marker[1]) + Buffer.byteLength(tail), 12 + 100 * 1000 + 8, 'kept + truncated = everything appended');
  await store.close();
});

test('everything survives close and reopen', async () => {
  const file = freshPath();
  const first = await open(file);
  first.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k')]);
  first.updateRun('r1', { status: 'SUCCESS', exitCode: 0 });
  first.appendRunLog('r1', 'done\n');
  first.setPartitionStatus('daily_counts', 'k', 'MATERIALIZED', 'r1');
  await first.close();

  const second = await open(file);
  assert.deepEqual(second.listBackfills(), [backfill('aaaaaaaa', 1)]);
  assert.equal(second.getRun('r1')!.status, 'SUCCESS');
  assert.equal(second.runLog('r1'), 'done\n');
  assert.deepEqual([...second.partitionStatuses('daily_counts')], [['k', 'MATERIALIZED']]);
  await second.close();
});

test('a burst of 1,000 mutations is one journal append; close checkpoints once', async () => {
  const writer = countingWriter();
  const file = freshPath();
  const seed = await open(file);
  seed.createBackfill(backfill('bbbbbbbb', 1), []);
  await seed.close();
  const store = await open(file, counted(writer));
  assert.deepEqual(writer.kinds, [], 'opening an intact file writes nothing');
  store.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k')]);
  for (let i = 0; i < 999; i++) store.setPartitionStatus('t', `key-${i}`, 'MATERIALIZED', 'r1');
  await store.flush();
  assert.deepEqual(writer.kinds, ['append']);
  await store.flush();
  assert.equal(writer.writes, 1, 'nothing new, nothing written');
  await Promise.all([store.flush(), store.flush()]);
  assert.equal(writer.writes, 1);
  await store.close();
  assert.deepEqual(writer.kinds, ['append', 'checkpoint'], 'close folds the journal into the snapshot');
});

test('changes reach disk by themselves after the flush delay', async () => {
  const writer = countingWriter();
  const file = freshPath();
  const store = await open(file, counted(writer, { flushDelayMs: 1 }));
  const written = writer.nextWrite();
  store.createBackfill(backfill('aaaaaaaa', 1), []);
  await written;
  const reader = await open(file);
  assert.deepEqual(reader.listBackfills().map((b) => b.id), ['aaaaaaaa']);
  await reader.close();
  await store.close();
});

test('a failed write is reported by flush(), never as an unhandled rejection, and retried', async () => {
  const writer = countingWriter();
  const file = freshPath();
  const store = await open(file, counted(writer, { flushDelayMs: 1 }));
  writer.failNext = 2;
  const timed = writer.nextWrite();
  store.createBackfill(backfill('aaaaaaaa', 1), []);
  await timed; // the timer's write fails; nothing may escape from it
  await assert.rejects(store.flush(), (err: unknown) => err instanceof StateStoreError && err.message.includes(file) && /disk full/.test(err.message));
  await store.flush();
  const reader = await open(file);
  assert.deepEqual(reader.listBackfills().map((b) => b.id), ['aaaaaaaa']);
  await reader.close();
  await store.close();
});

test('a failed background write goes to onWriteError and is retried by itself; memory stays authoritative', async () => {
  const writer = countingWriter();
  const file = freshPath();
  const errors: Error[] = [];
  const store = await open(file, counted(writer, { flushDelayMs: 1, retryDelayMs: 5, onWriteError: (e) => errors.push(e) }));
  writer.failNext = 3;
  const before = writer.succeeded;
  store.createBackfill(backfill('aaaaaaaa', 1), []);
  while (writer.succeeded === before) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.equal(writer.writes, before + 4, 'the timed write, then three retries with nobody calling flush()');
  assert.ok(errors.every((e) => e instanceof StateStoreError && /disk full/.test(e.message) && e.message.includes('kept in memory')));
  assert.deepEqual(store.listBackfills().map((b) => b.id), ['aaaaaaaa'], 'reads see the change all along');
  const reader = await open(file);
  assert.deepEqual(reader.listBackfills().map((b) => b.id), ['aaaaaaaa'], 'the fourth attempt, by the retry timer alone, reached disk');
  await reader.close();
  await store.close();
  assert.equal(errors.length, 3);
});

test('reloadIfChanged sees another instance\'s writes, and merges our unflushed changes with them', async () => {
  const file = freshPath();
  // Only explicit flushes write here: a timer flush landing mid-test under load would change what reload sees.
  // Without the writer lock, two stores may both hold unflushed changes: the merge on write is what keeps both.
  const a = await open(file, { flushDelayMs: 600_000, lock: false });
  const b = await open(file, { flushDelayMs: 600_000, lock: false });
  assert.equal(await b.reloadIfChanged(), false);

  a.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k')]);
  await a.flush();
  assert.equal(await b.reloadIfChanged(), true);
  assert.deepEqual(b.listBackfills().map((x) => x.id), ['aaaaaaaa']);
  assert.equal(await b.reloadIfChanged(), false);

  // Both change the file; b's flush must not overwrite a's change, and a must see b's.
  b.createBackfill(backfill('bbbbbbbb', 2), []);
  a.updateRun('r1', { status: 'SUCCESS' });
  await a.flush();
  await b.flush();
  assert.equal(b.getRun('r1')!.status, 'SUCCESS');
  assert.equal(await a.reloadIfChanged(), true);
  assert.deepEqual(a.listBackfills().map((x) => x.id), ['bbbbbbbb', 'aaaaaaaa']);

  // Pending changes at reload time are kept and written together with the other version.
  b.setPartitionStatus('t', 'k', 'FAILED', null);
  a.setPartitionStatus('t', 'j', 'MATERIALIZED', null);
  await a.flush();
  assert.equal(await b.reloadIfChanged(), true);
  assert.deepEqual([...b.partitionStatuses('t')].sort(), [['j', 'MATERIALIZED'], ['k', 'FAILED']]);
  await b.close();
  const check = await open(file);
  assert.deepEqual([...check.partitionStatuses('t')].sort(), [['j', 'MATERIALIZED'], ['k', 'FAILED']]);
  await check.close();
  await a.close();
});

test('a file that is not a database is moved aside with a timestamp, reported, and a fresh store starts', async () => {
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const garbage = Buffer.from('this is not SQLite at all, just some text that happens to be here\n'.repeat(50));
  fs.writeFileSync(file, garbage);
  const reported: CorruptStateFile[] = [];
  const store = await open(file, { onCorruptFile: (info) => reported.push(info) });
  assert.equal(reported.length, 1);
  assert.deepEqual(store.corruptFile, reported[0]);
  const { movedTo, reason } = reported[0]!;
  assert.match(path.basename(movedTo), /^state\.sqlite\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z$/);
  assert.match(reason, /not a valid state database/);
  assert.deepEqual(fs.readFileSync(movedTo), garbage, 'the damaged file is kept byte for byte');
  assert.deepEqual(store.listBackfills(), []);
  store.createBackfill(backfill('aaaaaaaa', 1), []);
  await store.close();
  // A second damaged file never replaces the first one set aside, even within the same millisecond.
  fs.writeFileSync(file, garbage);
  const again = await open(file);
  assert.notEqual(again.corruptFile!.movedTo, movedTo);
  await again.close();
  assert.equal(fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('state.sqlite.corrupt-')).length, 2);
  assert.equal(fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('state.sqlite.journal.corrupt-')).length, 1, 'the journal that followed the damaged snapshot is kept beside it');
  assert.deepEqual(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.lock') || f.endsWith('.tmp')), [], 'no lock or temp file left');
});

test('an SQLite file of another program, or of a newer schema, is refused and left untouched', async () => {
  const other = freshPath();
  const seed = await open(other);
  seed.createBackfill(backfill('aaaaaaaa', 1), []);
  await seed.close();
  const SQL = await loadSqlJs();
  const foreign = new SQL.Database();
  foreign.exec('CREATE TABLE notes (body TEXT)');
  const foreignFile = path.join(path.dirname(other), 'foreign.sqlite');
  const foreignBytes = Buffer.from(foreign.export());
  fs.writeFileSync(foreignFile, foreignBytes);
  await assert.rejects(open(foreignFile), /foreign\.sqlite is an SQLite database but not a Backfill Studio state store/);
  assert.deepEqual(fs.readFileSync(foreignFile), foreignBytes);

  const newer = new SQL.Database(fs.readFileSync(other));
  newer.run('INSERT INTO schema_version (version, applied_at) VALUES (999, 0)');
  const newerBytes = Buffer.from(newer.export());
  fs.writeFileSync(other, newerBytes);
  await assert.rejects(open(other), /state\.sqlite was written by a newer Backfill Studio \(schema version 999/);
  assert.deepEqual(fs.readFileSync(other), newerBytes);
  foreign.close();
  newer.close();
});

test('an existing folder gets no .gitignore (it may be the workspace root)', async () => {
  const dir = path.join(root, `ws${++counter}`);
  fs.mkdirSync(dir);
  const store = await open(path.join(dir, 'state.sqlite'));
  store.createBackfill(backfill('aaaaaaaa', 1), []);
  await store.close();
  assert.deepEqual(fs.readdirSync(dir).sort(), ['state.sqlite', 'state.sqlite.journal']);
});
