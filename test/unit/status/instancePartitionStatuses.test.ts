// Dagster's answers held per asset against its key index: full answers replace, deltas patch, unknown keys are
// dropped and reported, cursors are kept per code location, failures keep the last good statuses.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { InstancePartitionStatuses, STATUS_OF_CODE } from '../../../src/core/status/instancePartitionStatuses';
import { partitionKeyIndex } from '../../../src/core/partitions/partitionKeyIndex';
import { dailyPartitionsDefinition } from '../../../src/core/partitions/timeWindowSubclasses';
import type { PartitionKeyIndex } from '../../../src/core/partitions/partitionsDefinition';

const daily = dailyPartitionsDefinition({ start_date: '2024-01-01' });
const jan11 = partitionKeyIndex(daily, new Date('2024-01-11T00:00:00Z')); // 2024-01-01 … 2024-01-10
const jan12 = partitionKeyIndex(daily, new Date('2024-01-12T00:00:00Z')); // one day more

function statusesOf(h: InstancePartitionStatuses, asset: string): Record<string, string> {
  const held = h.get(asset)!;
  const out: Record<string, string> = {};
  held.codes.forEach((c, i) => { if (c) out[held.index.keyAt(i)] = STATUS_OF_CODE[c]!; });
  return out;
}

const indexes = (index: PartitionKeyIndex) => (asset: string) => (asset === 'plain' ? undefined : index);

test('a full answer replaces the statuses; ranges whose keys the definition lacks are dropped and reported', () => {
  const h = new InstancePartitionStatuses();
  assert.equal(h.cursor('loc', ['a']), null);
  const applied = h.apply('loc', ['a', 'b'], {
    full: true, cursor: 'c1', instance: '/home',
    assets: [
      { asset: 'a', statuses: { MATERIALIZED: [['2024-01-01', '2024-01-03'], ['2023-12-30', '2024-01-02'], ['2024-01-05', '2024-01-04']], FAILED: [['2024-01-02', '2024-01-02']], IN_PROGRESS: [['2024-01-09', '2024-01-09']] } },
      { asset: 'b', statuses: {} },
    ],
  }, 1000, indexes(jan11));
  assert.deepEqual(applied.changedAssets, ['a', 'b']);
  assert.equal(applied.needsFull, false);
  assert.equal(applied.dropped.length, 1);
  assert.match(applied.dropped[0]!, /^a: .*2023-12-30\.\.\.2024-01-02, 2024-01-05\.\.\.2024-01-04/);
  // FAILED takes precedence over MATERIALIZED where a runner listed a key twice.
  assert.deepEqual(statusesOf(h, 'a'), { '2024-01-01': 'MATERIALIZED', '2024-01-02': 'FAILED', '2024-01-03': 'MATERIALIZED', '2024-01-09': 'IN_PROGRESS' });
  assert.equal(h.get('a')!.asOf, 1000);
  assert.equal(h.instance, '/home');
  assert.equal(h.cursor('loc', ['b', 'a']), 'c1', 'the same asset set, in any order');
  assert.equal(h.cursor('loc', ['a']), null, 'another asset set asks for everything');
  assert.equal(h.cursor('other', ['a', 'b']), null);
});

test('a delta patches the assets it lists (MISSING takes keys back); the ones it leaves out are confirmed as of its time', () => {
  const h = new InstancePartitionStatuses();
  h.apply('loc', ['a', 'b'], { full: true, cursor: 'c1', instance: null, assets: [
    { asset: 'a', statuses: { MATERIALIZED: [['2024-01-01', '2024-01-03']], IN_PROGRESS: [['2024-01-04', '2024-01-05']] } },
    { asset: 'b', statuses: { MATERIALIZED: [['2024-01-01', '2024-01-01']] } },
  ] }, 1000, indexes(jan11));
  const generationB = h.generation('b');
  const applied = h.apply('loc', ['a', 'b'], { full: false, cursor: 'c2', instance: null, assets: [
    { asset: 'a', statuses: { MISSING: [['2024-01-05', '2024-01-05']], FAILED: [['2024-01-04', '2024-01-04']], MATERIALIZED: [['2024-01-02', '2024-01-02']] } },
  ] }, 2000, indexes(jan11));
  assert.deepEqual(applied.changedAssets, ['a']);
  assert.deepEqual(statusesOf(h, 'a'), { '2024-01-01': 'MATERIALIZED', '2024-01-02': 'MATERIALIZED', '2024-01-03': 'MATERIALIZED', '2024-01-04': 'FAILED' });
  assert.deepEqual(statusesOf(h, 'b'), { '2024-01-01': 'MATERIALIZED' });
  assert.equal(h.get('b')!.asOf, 2000, 'unchanged as of the delta');
  assert.notEqual(h.generation('b'), generationB, 'a new asOf is a change for the merge');
  assert.equal(h.cursor('loc', ['a', 'b']), 'c2');
  // A delta that changes nothing reports nothing changed.
  const same = h.apply('loc', ['a', 'b'], { full: false, cursor: 'c3', instance: null, assets: [{ asset: 'a', statuses: { FAILED: [['2024-01-04', '2024-01-04']] } }] }, 3000, indexes(jan11));
  assert.deepEqual(same.changedAssets, []);
  // A full answer equal to what is held is no change either.
  const full = h.apply('loc', ['b'], { full: true, cursor: 'c4', instance: null, assets: [{ asset: 'b', statuses: { MATERIALIZED: [['2024-01-01', '2024-01-01']] } }] }, 4000, indexes(jan11));
  assert.deepEqual(full.changedAssets, []);
});

test('a delta for an asset held nothing for cannot apply: the cursor is forgotten so the next request asks for everything', () => {
  const h = new InstancePartitionStatuses();
  const applied = h.apply('loc', ['a'], { full: false, cursor: 'c9', instance: null, assets: [{ asset: 'a', statuses: { FAILED: [['2024-01-04', '2024-01-04']] } }] }, 1000, indexes(jan11));
  assert.equal(applied.needsFull, true);
  assert.equal(h.get('a'), undefined);
  assert.equal(h.cursor('loc', ['a']), null);
  // An asset answered full inside a delta answer (first time asked) applies.
  h.apply('loc', ['a'], { full: false, cursor: 'c10', instance: null, assets: [{ asset: 'a', full: true, statuses: { FAILED: [['2024-01-04', '2024-01-04']] } }] }, 2000, indexes(jan11));
  assert.deepEqual(statusesOf(h, 'a'), { '2024-01-04': 'FAILED' });
});

test('when the definition gains a key, held statuses move to the new index and a delta names the new key', () => {
  const h = new InstancePartitionStatuses();
  h.apply('loc', ['a'], { full: true, cursor: 'c1', instance: null, assets: [{ asset: 'a', statuses: { MATERIALIZED: [['2024-01-01', '2024-01-10']] } }] }, 1000, indexes(jan11));
  const applied = h.apply('loc', ['a'], { full: false, cursor: 'c2', instance: null, assets: [{ asset: 'a', statuses: { IN_PROGRESS: [['2024-01-11', '2024-01-11']] } }] }, 2000, indexes(jan12));
  assert.deepEqual(applied.dropped, []);
  assert.equal(h.get('a')!.index, jan12);
  assert.equal(Object.keys(statusesOf(h, 'a')).length, 11);
  assert.equal(statusesOf(h, 'a')['2024-01-11'], 'IN_PROGRESS');
});

test('an asset the instance could not read keeps its last good statuses with the error; an unpartitioned one is let go; a failed request keeps everything', () => {
  const h = new InstancePartitionStatuses();
  h.apply('loc', ['a', 'plain'], { full: true, cursor: 'c1', instance: '/h', assets: [
    { asset: 'a', statuses: { MATERIALIZED: [['2024-01-01', '2024-01-02']] } },
    { asset: 'plain', statuses: {} },
  ] }, 1000, (asset) => (asset === 'plain' ? undefined : jan11));
  assert.equal(h.get('plain'), undefined, 'not partitioned in discovery: the store speaks for it');
  const applied = h.apply('loc', ['a'], { full: true, cursor: 'c2', instance: '/h', assets: [{ asset: 'a', error: 'asset a is not in code location defs.py' }] }, 2000, indexes(jan11));
  assert.deepEqual(applied.changedAssets, []);
  assert.equal(h.assetError('a'), 'asset a is not in code location defs.py');
  assert.deepEqual(statusesOf(h, 'a'), { '2024-01-01': 'MATERIALIZED', '2024-01-02': 'MATERIALIZED' });
  const unpartitioned = h.apply('loc', ['a'], { full: true, cursor: 'c3', instance: '/h', assets: [{ asset: 'a', partitioned: false }] }, 3000, indexes(jan11));
  assert.deepEqual(unpartitioned.changedAssets, ['a']);
  assert.equal(h.get('a'), undefined);
  assert.equal(h.assetError('a'), undefined);
  h.apply('loc', ['a'], { full: true, cursor: 'c4', instance: '/h', assets: [{ asset: 'a', statuses: { FAILED: [['2024-01-03', '2024-01-03']] } }] }, 4000, indexes(jan11));
  h.fail('Could not open the Dagster instance at /h', 5000);
  assert.equal(h.lastError, 'Could not open the Dagster instance at /h');
  assert.deepEqual(statusesOf(h, 'a'), { '2024-01-03': 'FAILED' });
  assert.equal(h.lastAnswerAt, 4000);
});
