// The StateStore conformance suite, exported and run here against the sql.js store and the in-memory store.
import { after, describe, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BackfillRecord, RunRecord } from '../../../src/core/backfill/backfill';
import { isOrphaned } from '../../../src/core/backfill/backfillOwnership';
import { InMemoryStateStore } from '../../harness/inMemoryStateStore';
import { EVENTS_TRUNCATED_KIND, RUN_EVENTS_PER_RUN } from '../../../src/core/storage/runEventLog';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import type { StateStore } from '../../../src/core/storage/stateStore';

/** Opens a new, empty store whose clock reads `now()`. */
export type StateStoreFactory = (now: () => number) => Promise<StateStore>;

const backfill = (id: string, createdAt: number): BackfillRecord => ({
  id, status: 'REQUESTED', targets: ['daily'], partitionCount: 2, origin: 'cli', createdAt, endedAt: null, selection: 'a...b',
});
const run = (id: string, backfillId: string, partitionKey: string): RunRecord => ({
  id, backfillId, target: 'daily', partitionKey, status: 'QUEUED', createdAt: 1, startedAt: null, endedAt: null, exitCode: null, error: null,
});

export function describeStateStoreConformance(name: string, factory: StateStoreFactory): void {
  describe(`StateStore conformance: ${name}`, () => {
    let clock = 1000;
    const open = () => factory(() => clock);

    test('backfills and runs: create, list newest first, get, copies out, errors leave nothing', async () => {
      const s = await open();
      s.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k1'), run('r2', 'aaaaaaaa', 'k2')]);
      s.createBackfill(backfill('bbbbbbbb', 2), []);
      s.createBackfill(backfill('cccccccc', 2), []);
      assert.deepEqual(s.listBackfills().map((b) => b.id), ['cccccccc', 'bbbbbbbb', 'aaaaaaaa']);
      assert.deepEqual(s.getBackfill('aaaaaaaa'), backfill('aaaaaaaa', 1));
      assert.equal(s.getBackfill('nope'), undefined);
      // A re-execution keeps the id of the backfill it re-executes.
      s.createBackfill({ ...backfill('pppppppp', 0), parentId: 'aaaaaaaa' }, []);
      assert.equal(s.getBackfill('pppppppp')!.parentId, 'aaaaaaaa');
      assert.equal('parentId' in s.getBackfill('aaaaaaaa')!, false);
      assert.deepEqual(s.listRuns('aaaaaaaa'), [run('r1', 'aaaaaaaa', 'k1'), run('r2', 'aaaaaaaa', 'k2')]);
      assert.deepEqual(s.listRuns('bbbbbbbb'), []);
      assert.deepEqual(s.getRun('r2'), run('r2', 'aaaaaaaa', 'k2'));
      assert.equal(s.getRun('nope'), undefined);
      s.getBackfill('aaaaaaaa')!.targets.push('mutated');
      s.getRun('r1')!.status = 'SUCCESS';
      assert.deepEqual(s.getBackfill('aaaaaaaa')!.targets, ['daily'], 'records read are copies');
      assert.equal(s.getRun('r1')!.status, 'QUEUED');
      assert.throws(() => s.createBackfill(backfill('aaaaaaaa', 3), []), /aaaaaaaa already exists/);
      assert.throws(() => s.createBackfill(backfill('dddddddd', 3), [run('r1', 'dddddddd', 'x')]), /run r1 already exists/);
      assert.throws(() => s.createBackfill(backfill('eeeeeeee', 3), [run('r9', 'other', 'x')]), /belongs to backfill other/);
      assert.equal(s.getBackfill('dddddddd'), undefined);
      assert.equal(s.getBackfill('eeeeeeee'), undefined);
      await s.close();
    });

    test('updateBackfillStatus and updateRun change only what is given; unknown ids throw', async () => {
      const s = await open();
      s.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k1')]);
      s.updateBackfillStatus('aaaaaaaa', 'COMPLETED_SUCCESS', 50);
      assert.equal(s.getBackfill('aaaaaaaa')!.status, 'COMPLETED_SUCCESS');
      assert.equal(s.getBackfill('aaaaaaaa')!.endedAt, 50);
      s.updateRun('r1', { status: 'STARTED', startedAt: 10 });
      s.updateRun('r1', { status: 'FAILURE', endedAt: 20, exitCode: 2, error: 'boom' });
      s.updateRun('r1', {});
      assert.deepEqual(s.getRun('r1'), { ...run('r1', 'aaaaaaaa', 'k1'), status: 'FAILURE', startedAt: 10, endedAt: 20, exitCode: 2, error: 'boom' });
      assert.throws(() => s.updateRun('nope', { status: 'SUCCESS' }), /nope/);
      assert.throws(() => s.updateRun('nope', {}), /nope/);
      assert.throws(() => s.updateBackfillStatus('nope', 'CANCELED', null), /nope/);
      await s.close();
    });

    test('tags, owner, attempt and pid: stored, copied, cleared by null, left out when never set, bad values refused', async () => {
      const s = await open();
      const owner = { origin: 'cli', pid: 4242, host: 'box', heartbeatAt: 7 };
      s.createBackfill({ ...backfill('aaaaaaaa', 1), tags: { team: 'data', 'dagster/priority': '3' }, owner }, [
        { ...run('r1', 'aaaaaaaa', 'k1'), attempt: 2, pid: 99 },
        { ...run('r2', 'aaaaaaaa', 'k2'), pid: null },
      ]);
      owner.pid = 1;
      assert.deepEqual(s.getBackfill('aaaaaaaa')!.tags, { team: 'data', 'dagster/priority': '3' });
      assert.deepEqual(s.getBackfill('aaaaaaaa')!.owner, { origin: 'cli', pid: 4242, host: 'box', heartbeatAt: 7 });
      s.getBackfill('aaaaaaaa')!.tags!['team'] = 'mutated';
      assert.equal(s.getBackfill('aaaaaaaa')!.tags!['team'], 'data', 'tags read are copies');
      assert.deepEqual(s.getRun('r1'), { ...run('r1', 'aaaaaaaa', 'k1'), attempt: 2, pid: 99 });
      assert.deepEqual(s.getRun('r2'), run('r2', 'aaaaaaaa', 'k2'), 'a null pid is left out');
      s.setBackfillOwner('aaaaaaaa', { origin: 'extension', pid: 7, host: 'h', heartbeatAt: 8 });
      assert.deepEqual(s.listBackfills()[0]!.owner, { origin: 'extension', pid: 7, host: 'h', heartbeatAt: 8 });
      s.setBackfillOwner('aaaaaaaa', null);
      assert.equal('owner' in s.getBackfill('aaaaaaaa')!, false);
      s.updateRun('r2', { attempt: 3, pid: 1234 });
      assert.deepEqual(s.listRuns('aaaaaaaa')[1], { ...run('r2', 'aaaaaaaa', 'k2'), attempt: 3, pid: 1234 });
      s.updateRun('r2', { pid: null, status: 'SUCCESS' });
      assert.deepEqual(s.getRun('r2'), { ...run('r2', 'aaaaaaaa', 'k2'), attempt: 3, status: 'SUCCESS' });
      assert.throws(() => s.setBackfillOwner('nope', null), /no backfill with id nope/);
      assert.throws(() => s.setBackfillOwner('aaaaaaaa', { ...owner, pid: 0 }), /backfill aaaaaaaa: the owner's pid/);
      assert.throws(() => s.updateRun('r1', { attempt: 0 }), /run r1: attempt must be an integer from 1/);
      assert.throws(() => s.createBackfill({ ...backfill('bbbbbbbb', 1), tags: { a: 1 as unknown as string } }, []), /tag a must be a string/);
      assert.equal(s.getBackfill('bbbbbbbb'), undefined);
      assert.equal(s.getRun('r1')!.attempt, 2, 'a refused update changes nothing');
      await s.close();
    });

    test('a pid\'s start time: stored with it, cleared when the pid changes without one, bad values refused', async () => {
      const s = await open();
      s.createBackfill(backfill('aaaaaaaa', 1), [{ ...run('r1', 'aaaaaaaa', 'k1'), pid: 99, pidStartTime: 'linux:boot:17' }, { ...run('r2', 'aaaaaaaa', 'k2'), pidStartTime: null }]);
      assert.deepEqual(s.getRun('r1'), { ...run('r1', 'aaaaaaaa', 'k1'), pid: 99, pidStartTime: 'linux:boot:17' });
      assert.deepEqual(s.getRun('r2'), run('r2', 'aaaaaaaa', 'k2'), 'a null start time is left out');
      s.updateRun('r1', { error: 'x' });
      assert.equal(s.getRun('r1')!.pidStartTime, 'linux:boot:17', 'an update without pid keeps it');
      s.updateRun('r2', { pid: 1234, pidStartTime: 'ps:Mon Dec  7 06:50:01 2026' });
      assert.deepEqual([s.getRun('r2')!.pid, s.getRun('r2')!.pidStartTime], [1234, 'ps:Mon Dec  7 06:50:01 2026']);
      s.updateRun('r1', { pid: 100 });
      assert.equal('pidStartTime' in s.getRun('r1')!, false, 'another pid never keeps the start time of the one before');
      s.updateRun('r2', { pid: null });
      assert.deepEqual(s.getRun('r2'), run('r2', 'aaaaaaaa', 'k2'));
      assert.throws(() => s.updateRun('r1', { pidStartTime: '' }), /run r1: pidStartTime must be a non-empty string or null/);
      await s.close();
    });

    test('pause and retry due time: stored beside the status, cleared by null, left out when never set, bad values refused', async () => {
      const s = await open();
      s.createBackfill({ ...backfill('aaaaaaaa', 1), pausedAt: 40 }, [{ ...run('r1', 'aaaaaaaa', 'k1'), attempt: 2, retryDueAt: 60_000 }, run('r2', 'aaaaaaaa', 'k2')]);
      s.createBackfill({ ...backfill('bbbbbbbb', 2), pausedAt: null }, [{ ...run('r3', 'bbbbbbbb', 'k1'), retryDueAt: null }]);
      assert.equal(s.getBackfill('aaaaaaaa')!.pausedAt, 40);
      assert.equal(s.getBackfill('aaaaaaaa')!.status, 'REQUESTED', 'a paused backfill keeps its status');
      assert.deepEqual(s.getBackfill('bbbbbbbb'), backfill('bbbbbbbb', 2), 'a null pause is left out');
      assert.deepEqual(s.getRun('r1'), { ...run('r1', 'aaaaaaaa', 'k1'), attempt: 2, retryDueAt: 60_000 });
      assert.deepEqual(s.getRun('r3'), run('r3', 'bbbbbbbb', 'k1'), 'a null due time is left out');
      s.setBackfillPaused('bbbbbbbb', 70);
      assert.deepEqual(s.listBackfills().map((b) => [b.id, b.pausedAt]), [['bbbbbbbb', 70], ['aaaaaaaa', 40]]);
      s.setBackfillPaused('aaaaaaaa', null);
      assert.equal('pausedAt' in s.getBackfill('aaaaaaaa')!, false);
      s.updateBackfillStatus('bbbbbbbb', 'CANCELING', null);
      assert.equal(s.getBackfill('bbbbbbbb')!.pausedAt, 70, 'a status change leaves the pause alone');
      s.updateRun('r2', { status: 'QUEUED', attempt: 3, retryDueAt: 90_000 });
      assert.deepEqual(s.listRuns('aaaaaaaa')[1], { ...run('r2', 'aaaaaaaa', 'k2'), attempt: 3, retryDueAt: 90_000 });
      s.updateRun('r2', { status: 'STARTED', startedAt: 90_000, retryDueAt: null });
      assert.deepEqual(s.getRun('r2'), { ...run('r2', 'aaaaaaaa', 'k2'), attempt: 3, status: 'STARTED', startedAt: 90_000 });
      s.updateRun('r1', { error: 'x' });
      assert.equal(s.getRun('r1')!.retryDueAt, 60_000, 'an update without the field keeps it');
      assert.throws(() => s.setBackfillPaused('nope', 1), /no backfill with id nope/);
      assert.throws(() => s.setBackfillPaused('aaaaaaaa', 1.5), /backfill aaaaaaaa: pausedAt must be epoch milliseconds or null, not 1.5/);
      assert.throws(() => s.updateRun('r1', { retryDueAt: Number.NaN }), /run r1: retryDueAt must be epoch milliseconds or null, not NaN/);
      assert.throws(() => s.createBackfill({ ...backfill('cccccccc', 3), pausedAt: 'soon' as unknown as number }, []), /backfill cccccccc: pausedAt must be/);
      assert.equal(s.getBackfill('cccccccc'), undefined);
      assert.equal(s.getRun('r1')!.retryDueAt, 60_000, 'a refused update changes nothing');
      await s.close();
    });

    test('a remote backfill keeps its deployment and server id, takes the deployment\'s status, and never counts as orphaned', async () => {
      const s = await open();
      const remote = { deployment: 'prod', url: 'http://127.0.0.1:3000', kind: 'oss' as const, backfillId: 'qwertyui' };
      s.createBackfill({ ...backfill('aaaaaaaa', 1), remote }, []);
      s.createBackfill(backfill('bbbbbbbb', 2), []);
      assert.deepEqual(s.getBackfill('aaaaaaaa'), { ...backfill('aaaaaaaa', 1), remote });
      assert.equal('remote' in s.getBackfill('bbbbbbbb')!, false, 'a local backfill has no remote');
      s.setBackfillRemote('aaaaaaaa', { ...remote, status: 'FAILING', checkedAt: 5000 });
      assert.deepEqual(s.listBackfills().find((b) => b.id === 'aaaaaaaa')!.remote, { ...remote, status: 'FAILING', checkedAt: 5000 });
      assert.equal(isOrphaned(s.getBackfill('aaaaaaaa')!, 10 ** 12), false, 'no local process ever adopts a remote backfill');
      assert.equal(isOrphaned(s.getBackfill('bbbbbbbb')!, 10 ** 12), true);
      assert.throws(() => s.setBackfillRemote('bbbbbbbb', remote), /backfill bbbbbbbb runs on this machine, not on a deployment/);
      assert.throws(() => s.setBackfillRemote('nope', remote), /no backfill with id nope/);
      assert.throws(() => s.setBackfillRemote('aaaaaaaa', { ...remote, kind: 'k8s' as 'oss' }), /remote.kind must be "oss" or "dagster-plus", not "k8s"/);
      assert.throws(() => s.createBackfill({ ...backfill('cccccccc', 3), remote: { ...remote, token: 'secret' } as typeof remote }, []), /a deployment token is never stored/);
      assert.equal(s.getBackfill('cccccccc'), undefined);
      assert.equal(s.getBackfill('aaaaaaaa')!.remote!.status, 'FAILING', 'a refused update changes nothing');
      await s.close();
    });

    test('run logs: appended, bounded behind a truncation marker, unknown runs throw', async () => {
      const s = await open();
      s.createBackfill(backfill('aaaaaaaa', 1), [run('r1', 'aaaaaaaa', 'k1')]);
      assert.equal(s.runLog('r1'), '');
      s.appendRunLog('r1', 'one\n');
      s.appendRunLog('r1', '');
      s.appendRunLog('r1', 'two\n');
      assert.equal(s.runLog('r1'), 'one\ntwo\n');
      for (let i = 0; i < 800; i++) s.appendRunLog('r1', `${'y'.repeat(99)}\n`);
      assert.match(s.runLog('r1'), /^\[\.\.\. \d+ bytes truncated \.\.\.\]\ny/);
      assert.throws(() => s.appendRunLog('nope', 'x'), /nope/);
      await s.close();
    });

    test('partition statuses: one or many keys, latest wins, MISSING clears, per target', async () => {
      const s = await open();
      s.setPartitionStatus('a', 'k1', 'IN_PROGRESS', 'r1');
      s.setPartitionStatuses('a', ['k1', 'k2', 'k3'], 'MATERIALIZED', 'r2');
      s.setPartitionStatuses('a', ['k3'], 'MISSING', null);
      s.setPartitionStatuses('a', [], 'FAILED', null);
      s.setPartitionStatus('b', 'k1', 'FAILED', null);
      assert.deepEqual([...s.partitionStatuses('a')].sort(), [['k1', 'MATERIALIZED'], ['k2', 'MATERIALIZED']]);
      assert.deepEqual([...s.partitionStatuses('b')], [['k1', 'FAILED']]);
      assert.equal(s.partitionStatuses('none').size, 0);
      s.partitionStatuses('a').clear();
      assert.equal(s.partitionStatuses('a').size, 2, 'the map read is a copy');
      s.setPartitionStatus('b', 'k2', 'CANCELED', 'r3');
      assert.equal(s.partitionStatuses('b').get('k2'), 'CANCELED');
      await s.close();
    });

    test('partitionStatusesOf reads the given keys only, in their order, from single rows and ranges', async () => {
      const s = await open();
      const keys = Array.from({ length: 20 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
      s.setPartitionStatuses('d', keys, 'MATERIALIZED', 'r1');
      s.setPartitionStatus('d', '2024-01-05', 'CANCELED', 'r2');
      s.setPartitionStatus('d', '2024-02-01', 'FAILED', 'r3');
      assert.deepEqual(s.partitionStatusesOf('d', ['2024-02-01', '2024-01-05', '2024-01-06', '2024-03-01']), ['FAILED', 'CANCELED', 'MATERIALIZED', 'MISSING']);
      const many = [...keys, '2024-02-01', '2024-03-01'];
      assert.deepEqual(s.partitionStatusesOf('d', many), many.map((k) => s.partitionStatuses('d').get(k) ?? 'MISSING'));
      assert.deepEqual(s.partitionStatusesOf('none', ['x']), ['MISSING']);
      assert.deepEqual(s.partitionStatusesOf('d', []), []);
      await s.close();
    });

    test('partition status ranges: a range run is one run, a single-key change splits it, an order merges neighbours', async () => {
      const s = await open();
      const keys = Array.from({ length: 40 }, (_, i) => new Date(Date.UTC(2024, 0, 1 + i)).toISOString().slice(0, 10));
      clock = 100;
      s.setPartitionStatuses('d', keys, 'MATERIALIZED', 'r1');
      assert.deepEqual(s.partitionStatusRanges('d'), [{ firstKey: '2024-01-01', lastKey: '2024-02-09', count: 40, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 }]);
      clock = 200;
      s.setPartitionStatus('d', '2024-01-20', 'FAILED', 'r2');
      s.setPartitionStatus('d', '2024-01-03', 'MISSING', null);
      assert.deepEqual(s.partitionStatusRanges('d'), [
        { firstKey: '2024-01-01', lastKey: '2024-01-01', count: 1, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
        { firstKey: '2024-01-02', lastKey: '2024-01-02', count: 1, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
        { firstKey: '2024-01-04', lastKey: '2024-01-19', count: 16, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
        { firstKey: '2024-01-20', lastKey: '2024-01-20', count: 1, status: 'FAILED', runId: 'r2', updatedAt: 200 },
        { firstKey: '2024-01-21', lastKey: '2024-02-09', count: 20, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
      ]);
      const statuses = s.partitionStatuses('d');
      assert.equal(statuses.size, 39);
      assert.equal(statuses.get('2024-01-20'), 'FAILED');
      assert.equal(statuses.has('2024-01-03'), false);
      // In partition order (here the keys plus one the store never saw), neighbours of equal status merge.
      const order = { indexOf: (k: string) => ['2023-12-31', ...keys].indexOf(k) };
      assert.deepEqual(s.partitionStatusRanges('d', order), [
        { firstKey: '2024-01-01', lastKey: '2024-01-02', count: 2, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
        { firstKey: '2024-01-04', lastKey: '2024-01-19', count: 16, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
        { firstKey: '2024-01-20', lastKey: '2024-01-20', count: 1, status: 'FAILED', runId: 'r2', updatedAt: 200 },
        { firstKey: '2024-01-21', lastKey: '2024-02-09', count: 20, status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 },
      ]);
      // Static keys in a caller's order that is not text order; a later range over part of it splits it too.
      const statics = Array.from({ length: 20 }, (_, i) => `z${20 - i}`);
      s.setPartitionStatuses('s', statics, 'IN_PROGRESS', 'r3');
      s.setPartitionStatuses('s', statics.slice(2, 18), 'MATERIALIZED', 'r4');
      assert.deepEqual(s.partitionStatusRanges('s', { indexOf: (k) => statics.indexOf(k) }).map((r) => [r.firstKey, r.lastKey, r.count, r.status]), [
        ['z20', 'z19', 2, 'IN_PROGRESS'], ['z18', 'z3', 16, 'MATERIALIZED'], ['z2', 'z1', 2, 'IN_PROGRESS'],
      ]);
      assert.deepEqual(s.partitionStatusRanges('none'), []);
      await s.close();
    });

    test('partition status records: run and time per key, only newer ones with since; the generation grows per target', async () => {
      const s = await open();
      const keys = Array.from({ length: 20 }, (_, i) => `2024-01-${String(i + 1).padStart(2, '0')}`);
      const g0 = s.partitionStatusGeneration('d');
      assert.equal(s.partitionStatusGeneration('d'), g0, 'reading changes nothing');
      clock = 100;
      s.setPartitionStatuses('d', keys, 'MATERIALIZED', 'r1');
      const g1 = s.partitionStatusGeneration('d');
      assert.ok(g1 > g0);
      const gOther = s.partitionStatusGeneration('other');
      clock = 200;
      s.setPartitionStatus('d', '2024-01-05', 'FAILED', 'r2');
      s.setPartitionStatus('d', '2024-01-06', 'MISSING', null);
      assert.ok(s.partitionStatusGeneration('d') > g1);
      assert.equal(s.partitionStatusGeneration('other'), gOther, 'another target keeps its generation');
      const all = s.partitionStatusRecords('d');
      assert.equal(all.size, 19);
      assert.deepEqual(all.get('2024-01-01'), { status: 'MATERIALIZED', runId: 'r1', updatedAt: 100 });
      assert.deepEqual(all.get('2024-01-05'), { status: 'FAILED', runId: 'r2', updatedAt: 200 });
      assert.deepEqual([...s.partitionStatusRecords('d', 100)], [['2024-01-05', { status: 'FAILED', runId: 'r2', updatedAt: 200 }]]);
      assert.equal(s.partitionStatusRecords('d', 200).size, 0);
      assert.equal(s.partitionStatusRecords('none').size, 0);
      await s.close();
    });

    test('plans: saved with the clock, replaced by a second save, refused when not JSON', async () => {
      const s = await open();
      assert.equal(s.getPlan('aaaaaaaa'), undefined);
      clock = 2000;
      s.savePlan('aaaaaaaa', '{"runs":[]}', 'hash-1');
      assert.deepEqual(s.getPlan('aaaaaaaa'), { planJson: '{"runs":[]}', inputsHash: 'hash-1', createdAt: 2000 });
      clock = 3000;
      s.savePlan('aaaaaaaa', '{"runs":[1]}', 'hash-2');
      assert.deepEqual(s.getPlan('aaaaaaaa'), { planJson: '{"runs":[1]}', inputsHash: 'hash-2', createdAt: 3000 });
      assert.throws(() => s.savePlan('bbbbbbbb', '{not json', 'h'), /plan of backfill bbbbbbbb is not valid JSON/);
      assert.throws(() => s.savePlan('bbbbbbbb', '{}', ''), /inputs hash/);
      assert.equal(s.getPlan('bbbbbbbb'), undefined);
      await s.close();
    });

    test('run events: numbered per run, payload copied in and out, bounded with a marker, bad payloads refused', async () => {
      const s = await open();
      assert.deepEqual(s.runEvents('r1'), []);
      clock = 5000;
      const payload = { partitions: ['a', 'b'], n: 1 };
      s.appendRunEvent('r1', 'STARTED', payload);
      payload.partitions.push('mutated');
      s.appendRunEvent('r1', 'LOG', undefined);
      s.appendRunEvent('r2', 'STARTED', 'text');
      assert.deepEqual(s.runEvents('r1'), [
        { seq: 1, at: 5000, kind: 'STARTED', payload: { partitions: ['a', 'b'], n: 1 } },
        { seq: 2, at: 5000, kind: 'LOG', payload: null },
      ]);
      assert.deepEqual(s.runEvents('r2'), [{ seq: 1, at: 5000, kind: 'STARTED', payload: 'text' }]);
      (s.runEvents('r1')[0]!.payload as { n: number }).n = 99;
      assert.deepEqual((s.runEvents('r1')[0]!.payload as { n: number }).n, 1);
      const cyclic: Record<string, unknown> = {};
      cyclic['self'] = cyclic;
      assert.throws(() => s.appendRunEvent('r1', 'BAD', cyclic), /run r1: the payload of event BAD is not JSON-serialisable/);
      assert.throws(() => s.appendRunEvent('r1', 'BAD', () => 1), /not JSON-serialisable/);
      assert.throws(() => s.appendRunEvent('r1', '', 1), /non-empty kind/);
      for (let i = 0; i < RUN_EVENTS_PER_RUN + 3; i++) s.appendRunEvent('r3', 'TICK', i);
      const events = s.runEvents('r3');
      assert.equal(events.length, RUN_EVENTS_PER_RUN + 1);
      assert.deepEqual(events[0], { seq: 0, at: 5000, kind: EVENTS_TRUNCATED_KIND, payload: { dropped: 3 } });
      assert.deepEqual(events[1], { seq: 4, at: 5000, kind: 'TICK', payload: 3 });
      assert.equal(events[events.length - 1]!.seq, RUN_EVENTS_PER_RUN + 3);
      await s.close();
    });

    test('dynamic partitions: idempotent adds in order, lenient deletes, re-added keys go last, bad keys refused', async () => {
      const s = await open();
      assert.deepEqual(s.dynamicPartitionKeys('c'), []);
      s.addDynamicPartitions('c', ['z', 'a', 'a']);
      s.addDynamicPartitions('c', ['a', 'm']);
      s.deleteDynamicPartition('c', 'z');
      s.deleteDynamicPartition('c', 'nope');
      s.deleteDynamicPartition('never', 'a');
      s.addDynamicPartitions('c', ['z']);
      assert.deepEqual(s.dynamicPartitionKeys('c'), ['a', 'm', 'z']);
      assert.throws(() => s.addDynamicPartitions('c', ['ok', 'a...b']), /invalid substrings/);
      assert.deepEqual(s.dynamicPartitionKeys('c'), ['a', 'm', 'z'], 'nothing added when one key is bad');
      await s.close();
    });

    test('pruneBackfills: removes finished backfills whole or only their logs and events; active ones, unknown ids and partition statuses stay', async () => {
      const s = await open();
      const ids = ['done', 'fail', 'cncl', 'logs', 'live', 'paus', 'stop'];
      for (const [i, id] of ids.entries()) s.createBackfill({ ...backfill(id, i), ...(id === 'paus' ? { pausedAt: 5 } : {}) }, [run(`${id}-1`, id, 'k1'), run(`${id}-2`, id, 'k2')]);
      s.updateBackfillStatus('done', 'COMPLETED_SUCCESS', 10);
      s.updateBackfillStatus('fail', 'COMPLETED_FAILED', 10);
      s.updateBackfillStatus('cncl', 'CANCELED', 10);
      s.updateBackfillStatus('logs', 'COMPLETED_SUCCESS', 10);
      s.updateBackfillStatus('stop', 'CANCELING', null);
      for (const id of ids) {
        s.appendRunLog(`${id}-1`, `output of ${id}\n`);
        s.appendRunEvent(`${id}-1`, 'RUN_START', { id });
        s.savePlan(id, '{}', 'h');
      }
      s.setPartitionStatuses('daily', ['k1', 'k2'], 'MATERIALIZED', 'done-1');
      const bytes = s.storedLogBytes();
      assert.deepEqual([...bytes.keys()].sort(), [...ids].sort());
      assert.ok(bytes.get('done')! >= 'output of done\n'.length + 'RUN_START'.length);

      s.pruneBackfills({ remove: ['done', 'fail', 'cncl', 'live', 'paus', 'stop', 'nope'], dropLogsOf: ['logs', 'live', 'nope'] });
      assert.deepEqual(s.listBackfills().map((b) => b.id).sort(), ['live', 'logs', 'paus', 'stop']);
      for (const id of ['done', 'fail', 'cncl']) {
        assert.equal(s.getRun(`${id}-1`), undefined);
        assert.deepEqual(s.listRuns(id), []);
        assert.equal(s.runLog(`${id}-1`), '');
        assert.deepEqual(s.runEvents(`${id}-1`), []);
        assert.equal(s.getPlan(id), undefined);
      }
      assert.equal(s.listRuns('logs').length, 2, 'a backfill whose logs were pruned stays listed with its runs');
      assert.equal(s.runLog('logs-1'), '');
      assert.deepEqual(s.runEvents('logs-1'), []);
      assert.ok(s.getPlan('logs'));
      for (const id of ['live', 'paus', 'stop']) {
        assert.equal(s.runLog(`${id}-1`), `output of ${id}\n`, `${id} is active: never pruned`);
        assert.equal(s.runEvents(`${id}-1`).length, 1);
      }
      assert.deepEqual([...s.storedLogBytes().keys()].sort(), ['live', 'paus', 'stop']);
      assert.deepEqual(s.partitionStatuses('daily'), new Map([['k1', 'MATERIALIZED'], ['k2', 'MATERIALIZED']]), 'what was materialized stays so');
      assert.equal(s.partitionStatusRecords('daily').get('k1')!.runId, 'done-1');
      await s.close();
    });

    test('lifecycle: reload finds nothing new, flush resolves, closed stores refuse', async () => {
      const s = await open();
      assert.equal(await s.reloadIfChanged(), false);
      s.setPartitionStatus('a', 'k', 'MATERIALIZED', null);
      await s.flush();
      await s.close();
      await s.close();
      assert.throws(() => s.listBackfills(), /closed/);
      assert.throws(() => s.setPartitionStatus('a', 'k', 'FAILED', null), /closed/);
      await assert.rejects(s.reloadIfChanged(), /closed/);
    });
  });
}

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-conformance-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;

describeStateStoreConformance('sql.js', (now) => openStateStore({ path: path.join(root, `s${++counter}`, 'state.sqlite'), now }));
describeStateStoreConformance('in memory', (now) => Promise.resolve(new InMemoryStateStore(now)));
