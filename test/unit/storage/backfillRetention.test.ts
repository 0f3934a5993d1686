// Retention: pruning by age and by log size over the sql.js store and the log folder; active backfills, statuses and fresh folders stay.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord, BackfillStatus, RunRecord } from '../../../src/core/backfill/backfill';
import { pruneBackfills } from '../../../src/core/backfill/backfillRetention';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { RunLogFiles } from '../../../src/core/storage/runLogFiles';
import type { StateStore } from '../../../src/core/storage/stateStore';
import { fixedClock } from '../../../src/core/clock';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';
import { until } from '../backfill/recordingTarget';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-retention-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const DAY = 24 * 60 * 60 * 1000;
const NOW = Date.UTC(2025, 0, 31);

async function workspace() {
  const dir = path.join(root, `ws${++counter}`, '.backfills');
  const store = await openStateStore({ path: path.join(dir, 'state.sqlite'), now: () => NOW });
  return { dir, store, logs: new RunLogFiles(path.join(dir, 'logs')) };
}

/** A backfill of two runs that ended `ageDays` ago with `status`, each run with a log file of `logBytes` and a stored tail. */
async function seed(store: StateStore, logs: RunLogFiles, id: string, ageDays: number, status: BackfillStatus, logBytes = 1000, extra: Partial<BackfillRecord> = {}): Promise<void> {
  const at = NOW - ageDays * DAY;
  const b: BackfillRecord = { id, status: 'REQUESTED', targets: ['daily'], partitionCount: 2, origin: 'cli', createdAt: at - 1000, endedAt: null, selection: 'k1,k2', ...extra };
  const runs: RunRecord[] = ['k1', 'k2'].map((k) => ({ id: `${id}-${k}`, backfillId: id, target: 'daily', partitionKey: k, status: 'SUCCESS', createdAt: at, startedAt: at, endedAt: at, exitCode: 0, error: null }));
  store.createBackfill(b, runs);
  if (status !== 'REQUESTED') store.updateBackfillStatus(id, status, at);
  for (const r of runs) {
    store.appendRunLog(r.id, `${r.id} done\n`);
    store.appendRunEvent(r.id, 'RUN_SUCCESS', {});
    const w = logs.open(id, r.id);
    w.write('x'.repeat(logBytes));
    await w.close();
  }
  store.setPartitionStatuses('daily', [`${id}-k1`, `${id}-k2`], 'MATERIALIZED', runs[0]!.id);
  await store.flush();
}

test('by age: finished backfills past it go whole with their log folders; active ones of any age and partition statuses stay', async () => {
  const { store, logs } = await workspace();
  await seed(store, logs, 'oldgood', 40, 'COMPLETED_SUCCESS');
  await seed(store, logs, 'oldfail', 35, 'COMPLETED_FAILED');
  await seed(store, logs, 'oldcanc', 31, 'CANCELED');
  await seed(store, logs, 'oldlive', 60, 'REQUESTED');
  await seed(store, logs, 'oldpaus', 60, 'REQUESTED', 1000, { pausedAt: NOW - 59 * DAY });
  await seed(store, logs, 'oldstop', 60, 'CANCELING');
  await seed(store, logs, 'recent', 5, 'COMPLETED_SUCCESS');
  const statusesBefore = store.partitionStatuses('daily');

  const dry = await pruneBackfills(store, logs, { maxAgeDays: 30, maxLogBytes: null }, NOW, true);
  assert.deepEqual(dry.removed.map((b) => b.id), ['oldgood', 'oldfail', 'oldcanc']);
  assert.equal(dry.logFileBytes, 6000);
  assert.equal(store.listBackfills().length, 7, 'a dry run changes nothing');
  assert.equal((await logs.backfillFolders()).length, 7);

  const report = await pruneBackfills(store, logs, { maxAgeDays: 30, maxLogBytes: null }, NOW);
  assert.deepEqual(report.removed.map((b) => b.id), ['oldgood', 'oldfail', 'oldcanc']);
  assert.equal(report.logFileBytes, 6000);
  assert.deepEqual(store.listBackfills().map((b) => b.id).sort(), ['oldlive', 'oldpaus', 'oldstop', 'recent']);
  assert.deepEqual((await logs.backfillFolders()).map((f) => f.backfillId).sort(), ['oldlive', 'oldpaus', 'oldstop', 'recent']);
  assert.deepEqual(store.partitionStatuses('daily'), statusesBefore, 'partition statuses are unchanged');
  assert.equal(statusesBefore.get('oldgood-k1'), 'MATERIALIZED');
  await store.close();
});

test('by size: the oldest finished backfills lose their logs and events until the rest fits; they stay listed', async () => {
  const { store, logs } = await workspace();
  await seed(store, logs, 'first', 20, 'COMPLETED_SUCCESS', 5000);
  await seed(store, logs, 'runnin', 19, 'REQUESTED', 5000);
  await seed(store, logs, 'second', 10, 'COMPLETED_FAILED', 5000);
  await seed(store, logs, 'third', 2, 'COMPLETED_SUCCESS', 5000);
  const stored = store.storedLogBytes();
  const budget = 20_000 + stored.get('runnin')! + stored.get('third')!;
  // Room for two backfills' logs: the oldest finished one and then the next finished one go, the running one stays.
  const report = await pruneBackfills(store, logs, { maxAgeDays: null, maxLogBytes: budget }, NOW);
  assert.deepEqual(report.logsRemoved.map((b) => b.id), ['first', 'second']);
  assert.equal(report.keptLogBytes, budget);
  assert.deepEqual(store.listBackfills().map((b) => b.id), ['third', 'second', 'runnin', 'first'], 'every backfill stays listed');
  assert.equal(store.listRuns('first').length, 2);
  assert.equal(store.runLog('first-k1'), '');
  assert.deepEqual(store.runEvents('first-k1'), []);
  assert.equal(await logs.size('first', 'first-k1'), undefined);
  assert.equal(await logs.size('runnin', 'runnin-k1'), 5000, 'a running backfill keeps its logs even past the budget');
  assert.equal(store.runLog('third-k1'), 'third-k1 done\n');
  // Already within the budget: nothing more goes.
  const again = await pruneBackfills(store, logs, { maxAgeDays: null, maxLogBytes: budget }, NOW);
  assert.deepEqual(again.logsRemoved, []);
  await store.close();
});

test('a log folder no backfill owns goes once it is older than the age limit, not before (another process may be creating its backfill)', async () => {
  const { store, logs } = await workspace();
  for (const id of ['stale', 'fresh']) {
    const w = logs.open(id, 'r1');
    w.write('orphan\n');
    await w.close();
  }
  const old = new Date(NOW - 45 * DAY);
  fs.utimesSync(logs.pathOf('stale', 'r1'), old, old);
  fs.utimesSync(path.dirname(logs.pathOf('stale', 'r1')), old, old);
  await pruneBackfills(store, logs, { maxAgeDays: 30, maxLogBytes: null }, NOW);
  assert.deepEqual((await logs.backfillFolders()).map((f) => f.backfillId), ['fresh']);
  await store.close();
});

test('the state file shrinks after a prune (vacuumed at the checkpoint) and the prune holds after reopening', async () => {
  const { dir, store, logs } = await workspace();
  for (let i = 0; i < 40; i++) {
    const id = `b${String(i).padStart(3, '0')}`;
    await seed(store, logs, id, 60 - i, 'COMPLETED_SUCCESS', 10);
    for (let j = 0; j < 20; j++) store.appendRunLog(`${id}-k1`, `${'y'.repeat(199)}\n`);
  }
  await store.close();
  const file = path.join(dir, 'state.sqlite');
  const before = fs.statSync(file).size;
  const reopened = await openStateStore({ path: file, now: () => NOW });
  const report = await pruneBackfills(reopened, logs, { maxAgeDays: 30, maxLogBytes: null }, NOW);
  assert.equal(report.removed.length, 30);
  const after = fs.statSync(file).size;
  assert.ok(after < before / 2, `the file went from ${before} to ${after} bytes`);
  await reopened.close();
  const third = await openStateStore({ path: file, now: () => NOW });
  assert.equal(third.listBackfills().length, 10);
  await third.close();
});

test('a small prune leaves the file its size: its free pages are reused rather than the whole database rewritten', async () => {
  const { dir, store, logs } = await workspace();
  for (let i = 0; i < 20; i++) {
    const id = `s${String(i).padStart(3, '0')}`;
    await seed(store, logs, id, i === 0 ? 60 : 5, 'COMPLETED_SUCCESS', 10);
    // Enough per backfill that removing one frees whole pages.
    for (let j = 0; j < 40; j++) store.appendRunLog(`${id}-k1`, `${'y'.repeat(199)}\n`);
  }
  await store.close();
  const file = path.join(dir, 'state.sqlite');
  const before = fs.statSync(file).size;
  const reopened = await openStateStore({ path: file, now: () => NOW });
  const report = await pruneBackfills(reopened, logs, { maxAgeDays: 30, maxLogBytes: null }, NOW);
  assert.deepEqual(report.removed.map((b) => b.id), ['s000']);
  assert.equal(fs.statSync(file).size, before);
  await reopened.close();
});

test('an engine with pruneOnStart prunes once after its delay, without being asked; close() waits for a prune under way', async () => {
  const { dir, store, logs } = await workspace();
  await seed(store, logs, 'aged', 45, 'COMPLETED_SUCCESS');
  await seed(store, logs, 'young', 1, 'COMPLETED_SUCCESS');
  await store.close();
  const ws = new BackfillWorkspace({
    root: path.dirname(dir), origin: 'test', adoptOrphansOnStart: false, clock: fixedClock(new Date(NOW)),
    pruneOnStart: { policy: { maxAgeDays: 30, maxLogBytes: null }, delayMs: 0 },
  });
  const engine = await ws.engine();
  await until('the aged backfill to be pruned', () => engine.store.getBackfill('aged') === undefined);
  assert.deepEqual(engine.store.listBackfills().map((b) => b.id), ['young']);
  await ws.close();
  assert.deepEqual((await logs.backfillFolders()).map((f) => f.backfillId), ['young']);
});
