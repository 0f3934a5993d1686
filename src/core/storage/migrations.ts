// The state store's numbered schema steps and the schema_version bookkeeping that applies them in order.
import type { Database } from 'sql.js';

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

/**
 * Append-only: a released step is never edited or removed, because state files written by earlier builds
 * have already applied it. Change the schema by adding the next number.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'backfills, runs, bounded run logs and partition status',
    sql: `
      CREATE TABLE backfills (
        id TEXT PRIMARY KEY,
        seq INTEGER NOT NULL UNIQUE,
        status TEXT NOT NULL,
        targets TEXT NOT NULL,
        partition_count INTEGER NOT NULL,
        origin TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        ended_at INTEGER,
        selection TEXT NOT NULL
      );
      CREATE TABLE runs (
        id TEXT PRIMARY KEY,
        backfill_id TEXT NOT NULL REFERENCES backfills(id),
        seq INTEGER NOT NULL,
        target TEXT NOT NULL,
        partition_key TEXT NOT NULL,
        status TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        started_at INTEGER,
        ended_at INTEGER,
        exit_code INTEGER,
        error TEXT
      );
      CREATE INDEX runs_by_backfill ON runs (backfill_id, seq);
      CREATE TABLE run_logs (
        run_id TEXT PRIMARY KEY REFERENCES runs(id),
        tail TEXT NOT NULL,
        truncated_bytes INTEGER NOT NULL
      );
      CREATE TABLE partition_status (
        target TEXT NOT NULL,
        partition_key TEXT NOT NULL,
        status TEXT NOT NULL,
        run_id TEXT,
        updated_at INTEGER NOT NULL,
        PRIMARY KEY (target, partition_key)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'dynamic partition keys, per name in insertion order',
    sql: `
      CREATE TABLE dynamic_partitions (
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        position INTEGER NOT NULL,
        PRIMARY KEY (name, key)
      ) WITHOUT ROWID;
      CREATE UNIQUE INDEX dynamic_partitions_by_position ON dynamic_partitions (name, position);
    `,
  },
  {
    version: 3,
    description: 'saved backfill plans and bounded per-run event logs',
    sql: `
      CREATE TABLE plans (
        backfill_id TEXT PRIMARY KEY,
        plan_json TEXT NOT NULL,
        inputs_hash TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE run_events (
        run_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        PRIMARY KEY (run_id, seq)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description: 're-executions remember the backfill they re-execute',
    sql: `ALTER TABLE backfills ADD COLUMN parent_id TEXT;`,
  },
  {
    version: 5,
    description: 'backfill tags and owner (process and heartbeat); run attempt and process id',
    sql: `
      ALTER TABLE backfills ADD COLUMN tags_json TEXT;
      ALTER TABLE backfills ADD COLUMN owner_json TEXT;
      ALTER TABLE runs ADD COLUMN attempt INTEGER;
      ALTER TABLE runs ADD COLUMN pid INTEGER;
    `,
  },
  {
    version: 6,
    description: 'partition status held as ranges (see partitionStatusTable.ts); the snapshot id the journal is bound to',
    // Converted ranges: the keys one call wrote share target, status, run and time. Single rows keep no
    // order, so their keys go in text order, which reads correct whatever the order (ranges list their keys).
    sql: `
      CREATE TABLE store_meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
      INSERT INTO store_meta (key, value) VALUES ('snapshot_id', lower(hex(randomblob(8))));
      CREATE TABLE partition_status_ranges (
        id INTEGER PRIMARY KEY,
        target TEXT NOT NULL,
        first_key TEXT NOT NULL,
        last_key TEXT NOT NULL,
        key_count INTEGER NOT NULL,
        keys TEXT NOT NULL,
        status TEXT NOT NULL,
        run_id TEXT,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX partition_status_ranges_by_target ON partition_status_ranges (target);
      INSERT INTO partition_status_ranges (target, first_key, last_key, key_count, keys, status, run_id, updated_at)
        SELECT target, MIN(partition_key), MAX(partition_key), COUNT(*), json_group_array(partition_key ORDER BY partition_key), status, run_id, updated_at
        FROM partition_status GROUP BY target, status, run_id, updated_at HAVING COUNT(*) >= 16;
      DELETE FROM partition_status WHERE EXISTS (
        SELECT 1 FROM partition_status_ranges r
        WHERE r.target = partition_status.target AND r.status = partition_status.status
          AND r.run_id IS partition_status.run_id AND r.updated_at = partition_status.updated_at);
    `,
  },
  {
    version: 7,
    description: 'a paused backfill remembers since when (it stays REQUESTED); a run waiting for its retry remembers when it is due',
    sql: `
      ALTER TABLE backfills ADD COLUMN paused_at INTEGER;
      ALTER TABLE runs ADD COLUMN retry_due_at INTEGER;
    `,
  },
  {
    version: 8,
    description: "a canceled run's partitions are CANCELED, not FAILED (statuses are free text: no constraint to change)",
    // Earlier builds stored FAILED for them (as Dagster's failed_and_downstream subset). Which of them were
    // MATERIALIZED before the canceled run started is not known any more: they become CANCELED, which resume
    // and the "missing" selections run again. The new number also keeps older builds, which would count a
    // CANCELED partition as in progress, from reading a file that holds them.
    sql: `
      UPDATE partition_status SET status = 'CANCELED'
        WHERE status = 'FAILED' AND run_id IN (SELECT id FROM runs WHERE status = 'CANCELED');
      UPDATE partition_status_ranges SET status = 'CANCELED'
        WHERE status = 'FAILED' AND run_id IN (SELECT id FROM runs WHERE status = 'CANCELED');
    `,
  },
  {
    version: 9,
    description: "a backfill that failed before launching any run keeps the one error that stopped it (Dagster's PartitionBackfill.error)",
    sql: `
      ALTER TABLE backfills ADD COLUMN error TEXT;
    `,
  },
  {
    version: 10,
    description: "a run's process is recorded with its start time, so a process reusing the pid is never signalled",
    sql: `
      ALTER TABLE runs ADD COLUMN pid_start_time TEXT;
    `,
  },
  {
    version: 11,
    description: 'a backfill launched on a Dagster deployment keeps the deployment and the server\'s backfill id',
    sql: `
      ALTER TABLE backfills ADD COLUMN remote_json TEXT;
    `,
  },
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The schema version recorded in `db`; 0 for a database that has never been migrated. */
export function schemaVersion(db: Database): number {
  const table = db.exec("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'");
  if (table.length === 0) return 0;
  const rows = db.exec('SELECT MAX(version) FROM schema_version');
  const value = rows[0]?.values[0]?.[0];
  return typeof value === 'number' ? value : 0;
}

/**
 * Brings `db` (the contents of `file`) to LATEST_SCHEMA_VERSION; returns how many steps ran. Refuses
 * databases from a newer build and SQLite files that are not state stores, so neither is rewritten.
 */
export function migrate(db: Database, file: string): number {
  const from = schemaVersion(db);
  if (from > LATEST_SCHEMA_VERSION) {
    throw new Error(`${file} was written by a newer Backfill Studio (schema version ${from}; this build knows up to ${LATEST_SCHEMA_VERSION}); update the extension or CLI`);
  }
  if (from === 0) {
    const tables = db.exec("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    if (tables.length > 0) {
      const names = tables[0]!.values.map((r) => String(r[0])).join(', ');
      throw new Error(`${file} is an SQLite database but not a Backfill Studio state store (it has tables ${names}); it was left untouched`);
    }
  }
  let applied = 0;
  for (const step of MIGRATIONS) {
    if (step.version <= from) continue;
    db.exec('BEGIN');
    try {
      if (from === 0 && applied === 0) db.exec('CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at INTEGER NOT NULL)');
      db.exec(step.sql);
      db.run('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)', [step.version, Date.now()]);
      db.exec('COMMIT');
    } catch (err) {
      db.exec('ROLLBACK');
      throw new Error(`schema migration ${step.version} (${step.description}) failed on ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    applied++;
  }
  return applied;
}
