// The state store's journal: appends per flush, replay at open, torn tails dropped, damage set aside, other processes' appends seen.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { loadSqlJs } from '../../../src/core/storage/loadSqlJs';
import { MIGRATIONS } from '../../../src/core/storage/migrations';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import type { StateStoreOptions } from '../../../src/core/storage/openStateStore';
import type { CorruptStateFile } from '../../../src/core/storage/sqlJsStateStore';
import { JournalAppender, journalBatch, parseJournal } from '../../../src/core/storage/stateJournal';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-journal-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `ws${++counter}`, 'state.sqlite');
const open = (file: string, extra: Partial<StateStoreOptions> = {}) => openStateStore({ path: file, flushDelayMs: 600_000, now: () => 7, ...extra });

const backfill = (id: string): BackfillRecord => ({ id, status: 'REQUESTED', targets: ['t'], partitionCount: 1, origin: 'cli', createdAt: 1, endedAt: null, selection: 'k' });
const run = (id: string, backfillId: string): RunRecord => ({ id, backfillId, target: 't', partitionKey: 'k', status: 'QUEUED', createdAt: 1, startedAt: null, endedAt: null, exitCode: null, error: null });

/** A store killed after flushing: its changes live only in the journal (no checkpoint on close). */
async function journalOnly(file: string, changes: number): Promise<void> {
  const appender = new JournalAppender();
  const s = await open(file, { lock: false, journalAppender: appender });
  s.createBackfill(backfill('aaaaaaaa'), [run('r1', 'aaaaaaaa')]);
  // A new file's first write is its snapshot (a journal names one); the changes after it are appended.
  await s.flush();
  for (let i = 1; i <= changes; i++) {
    s.setPartitionStatus('t', `k${i}`, 'MATERIALIZED', 'r1');
    await s.flush();
  }
  // Leave without close(), what a killed process leaves behind; only the file handle is let go.
  await appender.close();
}

test('flushes append to the journal; a reopen replays them; close folds them into the snapshot', async () => {
  const file = freshPath();
  await journalOnly(file, 3);
  const snapshotBefore = fs.readFileSync(file);
  const lines = fs.readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean);
  assert.equal(lines.length, 1 + 3, 'a header, then one line per flush (the create went into the snapshot)');
  const s = await open(file);
  assert.deepEqual([...s.partitionStatuses('t').keys()].sort(), ['k1', 'k2', 'k3']);
  assert.deepEqual(fs.readFileSync(file), snapshotBefore, 'opening reads; it does not rewrite the snapshot');
  await s.close();
  assert.equal(fs.readFileSync(`${file}.journal`, 'utf8').split('\n').filter(Boolean).length, 1, 'after the checkpoint only a header is left');
  const again = await open(file);
  assert.equal(again.partitionStatuses('t').size, 3);
  assert.equal(again.getRun('r1')!.id, 'r1');
  await again.close();
});

test('a torn last record (a crash mid-append) is dropped silently, and the next append replaces it', async () => {
  const file = freshPath();
  await journalOnly(file, 2);
  const torn = journalBatch([{ op: 'setPartitionStatuses', target: 't', keys: ['torn'], status: 'FAILED', runId: null, at: 1 }]);
  fs.appendFileSync(`${file}.journal`, torn.subarray(0, torn.length - 7));
  const reported: CorruptStateFile[] = [];
  const s = await open(file, { onCorruptFile: (c) => reported.push(c) });
  assert.deepEqual(reported, []);
  assert.deepEqual([...s.partitionStatuses('t').keys()].sort(), ['k1', 'k2']);
  s.setPartitionStatus('t', 'k3', 'MATERIALIZED', null);
  await s.flush();
  const parsed = parseJournal('j', fs.readFileSync(`${file}.journal`), 0);
  assert.equal(parsed.damage, undefined, 'the torn bytes were cut off before the append');
  assert.equal(parsed.batches.length, 3);
  await s.close();
});

test('a damaged record in the middle: the records before it are kept, the journal is set aside and reported, the snapshot kept', async () => {
  const file = freshPath();
  await journalOnly(file, 3);
  const journal = `${file}.journal`;
  const bytes = fs.readFileSync(journal);
  const lines = bytes.toString('utf8').split('\n');
  // Damage the second flush (k2); the third (k3) stays intact after it.
  lines[2] = lines[2]!.replace('"k2"', '"kX"');
  fs.writeFileSync(journal, lines.join('\n'));
  const damaged = fs.readFileSync(journal);
  const reported: CorruptStateFile[] = [];
  const s = await open(file, { onCorruptFile: (c) => reported.push(c) });
  assert.equal(reported.length, 1);
  assert.match(reported[0]!.reason, /the record at byte \d+ is damaged and is followed by intact ones/);
  assert.match(path.basename(reported[0]!.movedTo), /^state\.sqlite\.journal\.corrupt-/);
  assert.deepEqual(fs.readFileSync(reported[0]!.movedTo), damaged, 'kept byte for byte');
  assert.deepEqual([...s.partitionStatuses('t').keys()], ['k1'], 'what came before the damage is applied');
  assert.equal(s.getBackfill('aaaaaaaa')!.id, 'aaaaaaaa');
  await s.close();
  const again = await open(file);
  assert.deepEqual([...again.partitionStatuses('t').keys()], ['k1'], 'and was checkpointed into the snapshot');
  await again.close();
});

test('another process\'s appends are picked up by reloadIfChanged, and a checkpoint of it too', async () => {
  const file = freshPath();
  const writer = await open(file, { lock: false });
  const reader = await open(file, { lock: false });
  writer.createBackfill(backfill('aaaaaaaa'), [run('r1', 'aaaaaaaa')]);
  await writer.flush();
  assert.equal(await reader.reloadIfChanged(), true);
  assert.equal(reader.getRun('r1')!.status, 'QUEUED');
  assert.equal(await reader.reloadIfChanged(), false);
  writer.updateRun('r1', { status: 'STARTED', pid: 321 });
  await writer.flush();
  assert.equal(await reader.reloadIfChanged(), true);
  assert.deepEqual([reader.getRun('r1')!.status, reader.getRun('r1')!.pid], ['STARTED', 321]);
  // Our own pending change and theirs: theirs is replayed first, ours on top, then written after theirs.
  writer.setPartitionStatus('t', 'x', 'FAILED', null);
  reader.setPartitionStatus('t', 'x', 'MATERIALIZED', null);
  await writer.flush();
  assert.equal(await reader.reloadIfChanged(), true);
  assert.equal(reader.partitionStatuses('t').get('x'), 'MATERIALIZED');
  await writer.close(); // checkpoints: a new snapshot and journal
  assert.equal(await reader.reloadIfChanged(), true);
  assert.equal(reader.partitionStatuses('t').get('x'), 'MATERIALIZED');
  await reader.close();
  const check = await open(file);
  assert.equal(check.partitionStatuses('t').get('x'), 'MATERIALIZED');
  assert.equal(check.getRun('r1')!.status, 'STARTED');
  await check.close();
});

test('a journal left by a checkpoint that replaced the snapshot but crashed before a new journal is not replayed twice', async () => {
  const file = freshPath();
  await journalOnly(file, 1);
  const stale = fs.readFileSync(`${file}.journal`);
  const s = await open(file);
  s.appendRunLog('r1', 'once\n');
  await s.close();
  // Put the pre-checkpoint journal back, as if the crash came between the snapshot replace and the new journal.
  fs.writeFileSync(`${file}.journal`, stale);
  const again = await open(file);
  assert.equal(again.runLog('r1'), 'once\n');
  assert.equal(again.listBackfills().length, 1);
  await again.close();
});

test('migration 6 turns the rows one range run wrote into a range and keeps every status', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 5)) {
    db.exec(m.sql);
    db.run('INSERT INTO schema_version VALUES (?, 0)', [m.version]);
  }
  for (let d = 1; d <= 20; d++) db.run("INSERT INTO partition_status VALUES ('t', ?, 'MATERIALIZED', 'r1', 100)", [`2024-01-${String(d).padStart(2, '0')}`]);
  db.run("INSERT INTO partition_status VALUES ('t', '2024-02-01', 'FAILED', 'r2', 200)");
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, db.export());
  db.close();
  const s = await open(file);
  assert.deepEqual(s.partitionStatusRanges('t').map((r) => [r.firstKey, r.lastKey, r.count, r.status, r.runId]), [
    ['2024-01-01', '2024-01-20', 20, 'MATERIALIZED', 'r1'],
    ['2024-02-01', '2024-02-01', 1, 'FAILED', 'r2'],
  ]);
  assert.equal(s.partitionStatuses('t').size, 21);
  s.setPartitionStatus('t', '2024-01-10', 'FAILED', 'r3');
  const days = Array.from({ length: 32 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
  assert.deepEqual(s.partitionStatusRanges('t', { indexOf: (k) => days.indexOf(k) }).map((r) => [r.firstKey, r.count, r.status]), [
    ['2024-01-01', 9, 'MATERIALIZED'], ['2024-01-10', 1, 'FAILED'], ['2024-01-11', 10, 'MATERIALIZED'], ['2024-02-01', 1, 'FAILED'],
  ]);
  await s.close();
});

test('migration 7: a version-6 file reads back unpaused with no retry due; a pause and a due time written after survive the journal and a checkpoint', async () => {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of MIGRATIONS.filter((x) => x.version <= 6)) {
    db.exec(m.sql);
    db.run('INSERT INTO schema_version VALUES (?, 0)', [m.version]);
  }
  db.run("INSERT INTO backfills (id, seq, status, targets, partition_count, origin, created_at, ended_at, selection) VALUES ('aaaaaaaa', 1, 'REQUESTED', '[\"t\"]', 1, 'cli', 1, NULL, 'k')");
  db.run("INSERT INTO runs (id, backfill_id, seq, target, partition_key, status, created_at, attempt) VALUES ('r1', 'aaaaaaaa', 0, 't', 'k', 'QUEUED', 1, 2)");
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, db.export());
  db.close();
  const appender = new JournalAppender();
  const s = await open(file, { lock: false, journalAppender: appender });
  assert.deepEqual(s.getBackfill('aaaaaaaa'), backfill('aaaaaaaa'));
  assert.deepEqual(s.getRun('r1'), { ...run('r1', 'aaaaaaaa'), attempt: 2 });
  s.setBackfillPaused('aaaaaaaa', 5000);
  s.updateRun('r1', { retryDueAt: 65_000 });
  await s.flush();
  // Killed after the flush: the pause and the due time live only in the journal.
  await appender.close();
  const replayed = await open(file);
  assert.equal(replayed.getBackfill('aaaaaaaa')!.pausedAt, 5000);
  assert.equal(replayed.getRun('r1')!.retryDueAt, 65_000);
  await replayed.close();
  const checkpointed = await open(file);
  assert.equal(checkpointed.getBackfill('aaaaaaaa')!.pausedAt, 5000);
  assert.equal(checkpointed.getRun('r1')!.retryDueAt, 65_000);
  await checkpointed.close();
});
