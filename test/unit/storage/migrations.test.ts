// Schema migrations that change stored values: migration 8 turns the partitions a canceled run left FAILED into CANCELED.
import { after, test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadSqlJs } from '../../../src/core/storage/loadSqlJs';
import { MIGRATIONS } from '../../../src/core/storage/migrations';
import { openStateStore } from '../../../src/core/storage/openStateStore';

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'backfill-migrations-test-'));
after(() => fs.rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshPath = () => path.join(root, `ws${++counter}`, '.backfills', 'state.sqlite');

test("migration 8: partitions a canceled run left FAILED become CANCELED, single rows and ranges; a failed run's stay FAILED", async () => {
  const file = freshPath();
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const SQL = await loadSqlJs();
  const v7 = new SQL.Database();
  v7.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
  for (const m of MIGRATIONS.filter((m) => m.version <= 7)) {
    v7.exec(m.sql);
    v7.run('INSERT INTO schema_version (version, applied_at) VALUES (?, 0)', [m.version]);
  }
  v7.run("INSERT INTO backfills (id, seq, status, targets, partition_count, origin, created_at, ended_at, selection) VALUES ('bf', 1, 'CANCELED', '[\"t\"]', 3, 'cli', 0, 1, 's')");
  for (const [id, status] of [['canceled', 'CANCELED'], ['failed', 'FAILURE'], ['range', 'CANCELED']]) {
    v7.run("INSERT INTO runs (id, backfill_id, seq, target, partition_key, status, created_at) VALUES (?, 'bf', 0, 't', 'k', ?, 0)", [id!, status!]);
  }
  v7.run("INSERT INTO partition_status (target, partition_key, status, run_id, updated_at) VALUES ('t', 'a', 'FAILED', 'canceled', 0), ('t', 'b', 'FAILED', 'failed', 0), ('t', 'c', 'MATERIALIZED', 'canceled', 0)");
  const rangeKeys = Array.from({ length: 16 }, (_, i) => `r${String(i).padStart(2, '0')}`);
  v7.run("INSERT INTO partition_status_ranges (target, first_key, last_key, key_count, keys, status, run_id, updated_at) VALUES ('t', 'r00', 'r15', 16, ?, 'FAILED', 'range', 0)", [JSON.stringify(rangeKeys)]);
  fs.writeFileSync(file, Buffer.from(v7.export()));
  v7.close();
  const store = await openStateStore({ path: file });
  const statuses = store.partitionStatuses('t');
  assert.deepEqual([statuses.get('a'), statuses.get('b'), statuses.get('c')], ['CANCELED', 'FAILED', 'MATERIALIZED']);
  assert.ok(rangeKeys.every((k) => statuses.get(k) === 'CANCELED'));
  await store.close();
});
