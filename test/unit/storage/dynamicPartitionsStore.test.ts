// The state store's dynamic partition keys: idempotent adds in insertion order, lenient deletes, validation, persistence.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSqlJs } from '../../../src/core/storage/loadSqlJs';
import { MIGRATIONS } from '../../../src/core/storage/migrations';
import { openStateStore } from '../../../src/core/storage/openStateStore';
import { writeFileAtomic } from '../../../src/core/storage/writeFileAtomic';
import { DynamicPartitionsDefinition } from '../../../src/core/partitions/dynamicPartitionsDefinition';
import { MultiPartitionsDefinition } from '../../../src/core/partitions/multiPartitionsDefinition';
import { StaticPartitionsDefinition } from '../../../src/core/partitions/staticPartitionsDefinition';
import { withDynamicPartitionsStore } from '../../../src/core/partitions/withDynamicPartitionsStore';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-dynamic-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `ws${++counter}`, '.backfills', 'state.sqlite');
const now = new Date('2024-01-01T00:00:00Z');

test('adds are idempotent and keep insertion order, per name', async () => {
  const store = await openStateStore({ path: freshPath() });
  assert.deepEqual(store.dynamicPartitionKeys('customers'), []);
  store.addDynamicPartitions('customers', ['zeta', 'alpha']);
  store.addDynamicPartitions('customers', ['alpha', 'mid', 'mid', 'zeta', 'beta']);
  store.addDynamicPartitions('regions', ['eu']);
  assert.deepEqual(store.dynamicPartitionKeys('customers'), ['zeta', 'alpha', 'mid', 'beta']);
  assert.deepEqual(store.dynamicPartitionKeys('regions'), ['eu']);
  store.addDynamicPartitions('customers', []);
  assert.deepEqual(store.dynamicPartitionKeys('customers'), ['zeta', 'alpha', 'mid', 'beta']);
  await store.close();
});

test('deleting an unknown key or name is ignored; a re-added key goes to the end', async () => {
  const store = await openStateStore({ path: freshPath() });
  store.addDynamicPartitions('c', ['a', 'b', 'c']);
  store.deleteDynamicPartition('c', 'nope');
  store.deleteDynamicPartition('never', 'a');
  assert.deepEqual(store.dynamicPartitionKeys('c'), ['a', 'b', 'c']);
  store.deleteDynamicPartition('c', 'a');
  assert.deepEqual(store.dynamicPartitionKeys('c'), ['b', 'c']);
  store.addDynamicPartitions('c', ['a']);
  assert.deepEqual(store.dynamicPartitionKeys('c'), ['b', 'c', 'a']);
  await store.close();
});

test('invalid keys are rejected and nothing of that call is added', async () => {
  const store = await openStateStore({ path: freshPath() });
  store.addDynamicPartitions('c', ['ok']);
  assert.throws(() => store.addDynamicPartitions('c', ['fine', 'a...b']), /\['\.\.\.'\] are invalid substrings in a partition key \(key 2: 'a\.\.\.b'\)/);
  assert.throws(() => store.addDynamicPartitions('c', ['line\nbreak']), /\['\\n'\] are invalid substrings/);
  assert.throws(() => store.addDynamicPartitions('c', 'abc' as unknown as string[]), { message: 'partition_keys must be a sequence of strings' });
  assert.throws(() => store.addDynamicPartitions('', ['x']), /partitions_def_name must be a non-empty string/);
  assert.deepEqual(store.dynamicPartitionKeys('c'), ['ok']);
  await store.close();
});

test('keys persist across reopen; re-adding known keys writes nothing', async () => {
  const file = freshPath();
  let writes = 0;
  const writeFile = (f: string, data: Uint8Array) => {
    writes++;
    return writeFileAtomic(f, data);
  };
  const store = await openStateStore({ path: file, writeFile, flushDelayMs: 5 });
  store.addDynamicPartitions('c', ['x', 'y']);
  await store.flush();
  const afterAdd = writes;
  store.addDynamicPartitions('c', ['y', 'x']);
  store.deleteDynamicPartition('c', 'unknown');
  await store.flush();
  assert.equal(writes, afterAdd, 'no write for changes that change nothing');
  await store.close();

  const reopened = await openStateStore({ path: file });
  assert.deepEqual(reopened.dynamicPartitionKeys('c'), ['x', 'y']);
  reopened.addDynamicPartitions('c', ['z']);
  await reopened.close();
  const third = await openStateStore({ path: file });
  assert.deepEqual(third.dynamicPartitionKeys('c'), ['x', 'y', 'z']);
  await third.close();
});

test('another process\'s added keys are seen after reloadIfChanged, and ours are kept', async () => {
  const file = freshPath();
  const a = await openStateStore({ path: file });
  const b = await openStateStore({ path: file });
  a.addDynamicPartitions('c', ['from-a']);
  await a.flush();
  b.addDynamicPartitions('c', ['from-b']);
  assert.equal(await b.reloadIfChanged(), true);
  assert.deepEqual(b.dynamicPartitionKeys('c'), ['from-a', 'from-b']);
  await b.close();
  await a.reloadIfChanged();
  assert.deepEqual(a.dynamicPartitionKeys('c'), ['from-a', 'from-b']);
  await a.close();
});

test('a version-1 state file is migrated and keeps its rows', async () => {
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const SQL = await loadSqlJs();
  const v1 = new SQL.Database();
  v1.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
  v1.exec(MIGRATIONS[0]!.sql);
  v1.run('INSERT INTO schema_version (version, applied_at) VALUES (1, 0)');
  v1.run("INSERT INTO partition_status (target, partition_key, status, run_id, updated_at) VALUES ('t', 'k', 'MATERIALIZED', NULL, 0)");
  fs.writeFileSync(file, Buffer.from(v1.export()));
  v1.close();
  const store = await openStateStore({ path: file });
  assert.equal(store.partitionStatuses('t').get('k'), 'MATERIALIZED');
  store.addDynamicPartitions('c', ['a']);
  assert.deepEqual(store.dynamicPartitionKeys('c'), ['a']);
  await store.close();
});

test('the store is the DynamicPartitionsStore that definitions read from', async () => {
  const store = await openStateStore({ path: freshPath() });
  store.addDynamicPartitions('customers', ['acme', 'globex']);
  const bound = new DynamicPartitionsDefinition('customers').withStore(store);
  assert.deepEqual(bound.keys(), ['acme', 'globex']);
  store.addDynamicPartitions('customers', ['initech']);
  assert.equal(bound.count(), 3);
  const multi = withDynamicPartitionsStore(
    new MultiPartitionsDefinition({ customer: new DynamicPartitionsDefinition('customers'), region: new StaticPartitionsDefinition(['eu', 'us']) }), store);
  assert.deepEqual(multi.keys(now).slice(0, 3), ['acme|eu', 'acme|us', 'globex|eu']);
  assert.equal(multi.count(now), 6);
  await store.close();
});
