// The state store's rows in one open sql.js database: synchronous reads and mutations, no disk access.
import type { BindParams, Database, SqlValue, Statement } from 'sql.js';
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../backfill/backfill';
import { appendToLogTail, formatRunLog } from './runLogTail';
import { RUN_EVENTS_PER_RUN, encodeEventPayload, validatePlan, withTruncationMarker } from './runEventLog';
import type { RunEvent, SavedPlan } from './runEventLog';
import { validateDynamicPartitionKeys } from '../partitions/dynamicPartitionsDefinition';
import { pairedPidStartTime, validateBackfillOwner, validateBackfillTags, validatePausedAt, validateRemoteOrigin, validateRunFields } from './storedRecords';
import { PartitionStatusTable } from './partitionStatusTable';
import type { PartitionStatusRange, PartitionStatusRecord, StatementRunner } from './partitionStatusTable';
import type { PartitionKeyIndex } from '../partitions/partitionsDefinition';
import { TERMINAL_BACKFILL_STATUSES } from '../backfill/backfill';
import type { BackfillPrune } from './stateStore';

/** After a prune, the share of free pages from which the next checkpoint vacuums. */
const VACUUM_FREE_FRACTION = 0.25;

const RUN_COLUMNS: Record<keyof RunUpdate, string> = {
  status: 'status',
  startedAt: 'started_at',
  endedAt: 'ended_at',
  exitCode: 'exit_code',
  error: 'error',
  attempt: 'attempt',
  pid: 'pid',
  pidStartTime: 'pid_start_time',
  retryDueAt: 'retry_due_at',
};

export class StateDatabase implements StatementRunner {
  /** Prepared statements by SQL text; sql.js frees them all on export(), so they are dropped first. */
  private readonly statements = new Map<string, Statement>();

  /**
   * Mutations share one open transaction until the next export: SQLite commits each statement on its own
   * otherwise, which makes a burst of small writes an order of magnitude slower. Reads see it uncommitted.
   */
  private inTransaction = false;

  private readonly partitions = new PartitionStatusTable(this);

  /** Set by a prune: SQLite keeps freed pages in the file, so the next export vacuums first when many are free. */
  private compactDue = false;

  constructor(private readonly db: Database) {}

  /** Which snapshot this is (set anew at each checkpoint): a journal applies only onto the snapshot it names. */
  snapshotId(): string {
    return String(this.rows("SELECT value FROM store_meta WHERE key = 'snapshot_id'", [])[0]?.[0] ?? '');
  }

  setSnapshotId(id: string): void {
    this.begin();
    this.run("UPDATE store_meta SET value = ? WHERE key = 'snapshot_id'", [id]);
  }

  createBackfill(backfill: BackfillRecord, runs: readonly RunRecord[]): void {
    if (this.getBackfill(backfill.id)) throw new Error(`backfill ${backfill.id} already exists`);
    validateBackfillTags(backfill.id, backfill.tags);
    validateBackfillOwner(backfill.id, backfill.owner);
    validatePausedAt(backfill.id, backfill.pausedAt);
    validateRemoteOrigin(backfill.id, backfill.remote);
    for (const r of runs) validateRunFields(r.id, r);
    this.begin();
    // A savepoint makes the backfill and its runs all-or-nothing inside the shared transaction.
    this.db.exec('SAVEPOINT create_backfill');
    try {
      const seq = Number(this.rows('SELECT COALESCE(MAX(seq), 0) + 1 FROM backfills', [])[0]![0]);
      this.run(
        'INSERT INTO backfills (id, seq, status, targets, partition_count, origin, created_at, ended_at, selection, parent_id, tags_json, owner_json, paused_at, error, remote_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
        [backfill.id, seq, backfill.status, JSON.stringify(backfill.targets), backfill.partitionCount, backfill.origin,
          backfill.createdAt, backfill.endedAt, backfill.selection, backfill.parentId ?? null,
          backfill.tags === undefined ? null : JSON.stringify(backfill.tags), backfill.owner ? JSON.stringify(backfill.owner) : null, backfill.pausedAt ?? null, backfill.error ?? null,
          backfill.remote === undefined ? null : JSON.stringify(backfill.remote)],
      );
      runs.forEach((r, i) => {
        if (r.backfillId !== backfill.id) throw new Error(`run ${r.id} belongs to backfill ${r.backfillId}, not ${backfill.id}`);
        if (this.rows('SELECT 1 FROM runs WHERE id = ?', [r.id]).length > 0) throw new Error(`run ${r.id} already exists`);
        this.run(
          'INSERT INTO runs (id, backfill_id, seq, target, partition_key, status, created_at, started_at, ended_at, exit_code, error, attempt, pid, retry_due_at, pid_start_time) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
          [r.id, backfill.id, i, r.target, r.partitionKey, r.status, r.createdAt, r.startedAt, r.endedAt, r.exitCode, r.error, r.attempt ?? null, r.pid ?? null, r.retryDueAt ?? null, r.pidStartTime ?? null],
        );
      });
      this.db.exec('RELEASE create_backfill');
    } catch (err) {
      this.db.exec('ROLLBACK TO create_backfill');
      this.db.exec('RELEASE create_backfill');
      throw err;
    }
  }

  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void {
    this.begin();
    this.run('UPDATE backfills SET status = ?, ended_at = ? WHERE id = ?', [status, endedAt, id]);
    if (this.db.getRowsModified() === 0) throw new Error(`no backfill with id ${id}`);
  }

  setBackfillOwner(id: string, owner: BackfillOwner | null): void {
    validateBackfillOwner(id, owner);
    this.begin();
    this.run('UPDATE backfills SET owner_json = ? WHERE id = ?', [owner ? JSON.stringify(owner) : null, id]);
    if (this.db.getRowsModified() === 0) throw new Error(`no backfill with id ${id}`);
  }

  setBackfillError(id: string, error: string | null): void {
    this.begin();
    this.run('UPDATE backfills SET error = ? WHERE id = ?', [error, id]);
    if (this.db.getRowsModified() === 0) throw new Error(`no backfill with id ${id}`);
  }

  setBackfillRemote(id: string, remote: RemoteBackfillOrigin): void {
    validateRemoteOrigin(id, remote);
    this.begin();
    this.run('UPDATE backfills SET remote_json = ? WHERE id = ? AND remote_json IS NOT NULL', [JSON.stringify(remote), id]);
    if (this.db.getRowsModified() === 0) throw new Error(this.getBackfill(id) ? `backfill ${id} runs on this machine, not on a deployment` : `no backfill with id ${id}`);
  }

  setBackfillPaused(id: string, pausedAt: number | null): void {
    validatePausedAt(id, pausedAt);
    this.begin();
    this.run('UPDATE backfills SET paused_at = ? WHERE id = ?', [pausedAt, id]);
    if (this.db.getRowsModified() === 0) throw new Error(`no backfill with id ${id}`);
  }

  updateRun(id: string, given: RunUpdate): void {
    const update = pairedPidStartTime(given);
    validateRunFields(id, update);
    const keys = (Object.keys(update) as (keyof RunUpdate)[]).filter((k) => k in RUN_COLUMNS && update[k] !== undefined);
    if (keys.length === 0) {
      if (!this.getRun(id)) throw new Error(`no run with id ${id}`);
      return;
    }
    this.begin();
    const assignments = keys.map((k) => `${RUN_COLUMNS[k]} = ?`).join(', ');
    this.run(`UPDATE runs SET ${assignments} WHERE id = ?`, [...keys.map((k) => update[k] as SqlValue), id]);
    if (this.db.getRowsModified() === 0) throw new Error(`no run with id ${id}`);
  }

  appendRunLog(runId: string, text: string): void {
    if (!this.getRun(runId)) throw new Error(`no run with id ${runId}`);
    if (text === '') return;
    this.begin();
    const row = this.rows('SELECT tail, truncated_bytes FROM run_logs WHERE run_id = ?', [runId])[0];
    const current = row ? { tail: String(row[0]), truncatedBytes: Number(row[1]) } : { tail: '', truncatedBytes: 0 };
    const next = appendToLogTail(current, text);
    this.run(
      'INSERT INTO run_logs (run_id, tail, truncated_bytes) VALUES (?, ?, ?) ON CONFLICT (run_id) DO UPDATE SET tail = excluded.tail, truncated_bytes = excluded.truncated_bytes',
      [runId, next.tail, next.truncatedBytes],
    );
  }

  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null, updatedAt: number): void {
    this.partitions.set(target, [partitionKey], status, runId, updatedAt);
  }

  /** Keys in partition order: a run of them is stored as one range row (see partitionStatusTable.ts). */
  setPartitionStatuses(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null, updatedAt: number): void {
    this.partitions.set(target, keys, status, runId, updatedAt);
  }

  /** Saving again under the same backfill id replaces the plan (a re-plan before launch). */
  savePlan(backfillId: string, planJson: string, inputsHash: string, createdAt: number): void {
    validatePlan(backfillId, planJson, inputsHash);
    this.begin();
    this.run(
      'INSERT INTO plans (backfill_id, plan_json, inputs_hash, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (backfill_id) DO UPDATE SET plan_json = excluded.plan_json, inputs_hash = excluded.inputs_hash, created_at = excluded.created_at',
      [backfillId, planJson, inputsHash, createdAt],
    );
  }

  getPlan(backfillId: string): SavedPlan | undefined {
    const row = this.rows('SELECT plan_json, inputs_hash, created_at FROM plans WHERE backfill_id = ?', [backfillId])[0];
    return row ? { planJson: String(row[0]), inputsHash: String(row[1]), createdAt: Number(row[2]) } : undefined;
  }

  /** The run need not exist yet: events may be recorded while a run is being launched. */
  appendRunEvent(runId: string, kind: string, payload: unknown, at: number): void {
    const json = encodeEventPayload(runId, kind, payload);
    this.begin();
    const seq = Number(this.rows('SELECT COALESCE(MAX(seq), 0) + 1 FROM run_events WHERE run_id = ?', [runId])[0]![0]);
    this.run('INSERT INTO run_events (run_id, seq, at, kind, payload_json) VALUES (?, ?, ?, ?, ?)', [runId, seq, at, kind, json]);
    if (seq > RUN_EVENTS_PER_RUN) this.run('DELETE FROM run_events WHERE run_id = ? AND seq <= ?', [runId, seq - RUN_EVENTS_PER_RUN]);
  }

  runEvents(runId: string): RunEvent[] {
    const kept = this.rows('SELECT seq, at, kind, payload_json FROM run_events WHERE run_id = ? ORDER BY seq', [runId])
      .map((r) => ({ seq: Number(r[0]), at: Number(r[1]), kind: String(r[2]), payload: JSON.parse(String(r[3])) as unknown }));
    return withTruncationMarker(kept, kept.length > 0 ? kept[kept.length - 1]!.seq : 0);
  }

  /** Positions only grow, so a deleted and re-added key moves to the end, as with Dagster's autoincrement ids. */
  addDynamicPartitions(name: string, keys: readonly string[]): void {
    validateDynamicPartitionKeys(name, keys);
    const seen = new Set(this.dynamicPartitionKeys(name));
    const fresh: string[] = [];
    for (const k of keys) {
      if (!seen.has(k)) {
        seen.add(k);
        fresh.push(k);
      }
    }
    if (fresh.length === 0) return;
    this.begin();
    let position = Number(this.rows('SELECT COALESCE(MAX(position), 0) FROM dynamic_partitions WHERE name = ?', [name])[0]![0]);
    for (const key of fresh) this.run('INSERT INTO dynamic_partitions (name, key, position) VALUES (?, ?, ?)', [name, key, ++position]);
  }

  deleteDynamicPartition(name: string, key: string): void {
    this.begin();
    this.run('DELETE FROM dynamic_partitions WHERE name = ? AND key = ?', [name, key]);
  }

  pruneBackfills(prune: BackfillPrune): void {
    const finished = (id: string) => {
      const b = this.getBackfill(id);
      return b !== undefined && TERMINAL_BACKFILL_STATUSES.has(b.status) && b.pausedAt == null;
    };
    const remove = prune.remove.filter(finished);
    const dropLogsOf = prune.dropLogsOf.filter((id) => !remove.includes(id) && finished(id));
    if (remove.length === 0 && dropLogsOf.length === 0) return;
    this.begin();
    for (const id of [...remove, ...dropLogsOf]) {
      this.run('DELETE FROM run_events WHERE run_id IN (SELECT id FROM runs WHERE backfill_id = ?)', [id]);
      this.run('DELETE FROM run_logs WHERE run_id IN (SELECT id FROM runs WHERE backfill_id = ?)', [id]);
    }
    // Partition status rows keep the id of the run that set them: the status is still true without the run.
    for (const id of remove) {
      this.run('DELETE FROM runs WHERE backfill_id = ?', [id]);
      this.run('DELETE FROM plans WHERE backfill_id = ?', [id]);
      this.run('DELETE FROM backfills WHERE id = ?', [id]);
    }
    this.compactDue = true;
  }

  storedLogBytes(): Map<string, number> {
    const out = new Map<string, number>();
    const add = (rows: SqlValue[][]) => {
      for (const [id, bytes] of rows) out.set(String(id), (out.get(String(id)) ?? 0) + Number(bytes));
    };
    add(this.rows('SELECT r.backfill_id, SUM(length(l.tail)) FROM run_logs l JOIN runs r ON r.id = l.run_id GROUP BY r.backfill_id', []));
    add(this.rows('SELECT r.backfill_id, SUM(length(e.payload_json) + length(e.kind)) FROM run_events e JOIN runs r ON r.id = e.run_id GROUP BY r.backfill_id', []));
    return out;
  }

  dynamicPartitionKeys(name: string): string[] {
    return this.rows('SELECT key FROM dynamic_partitions WHERE name = ? ORDER BY position', [name]).map((r) => String(r[0]));
  }

  listBackfills(): BackfillRecord[] {
    return this.rows(`SELECT ${BACKFILL_SELECT} FROM backfills ORDER BY created_at DESC, seq DESC`, []).map(toBackfill);
  }

  getBackfill(id: string): BackfillRecord | undefined {
    const row = this.rows(`SELECT ${BACKFILL_SELECT} FROM backfills WHERE id = ?`, [id])[0];
    return row ? toBackfill(row) : undefined;
  }

  listRuns(backfillId: string): RunRecord[] {
    return this.rows(`SELECT ${RUN_SELECT} FROM runs WHERE backfill_id = ? ORDER BY seq`, [backfillId]).map(toRun);
  }

  getRun(id: string): RunRecord | undefined {
    const row = this.rows(`SELECT ${RUN_SELECT} FROM runs WHERE id = ?`, [id])[0];
    return row ? toRun(row) : undefined;
  }

  runLog(runId: string): string {
    const row = this.rows('SELECT tail, truncated_bytes FROM run_logs WHERE run_id = ?', [runId])[0];
    return row ? formatRunLog({ tail: String(row[0]), truncatedBytes: Number(row[1]) }) : '';
  }

  partitionStatuses(target: string): Map<string, PartitionStatus> {
    return this.partitions.statuses(target);
  }

  partitionStatusesOf(target: string, keys: readonly string[]): PartitionStatus[] {
    return this.partitions.statusesOf(target, keys);
  }

  partitionStatusRanges(target: string, order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[] {
    return this.partitions.ranges(target, order);
  }

  partitionStatusRecords(target: string, since?: number): Map<string, PartitionStatusRecord> {
    return this.partitions.records(target, since);
  }

  partitionStatusGeneration(target: string): number {
    return this.partitions.generation(target);
  }

  /** The whole database as an SQLite file image. */
  export(): Uint8Array {
    if (this.inTransaction) {
      this.db.exec('COMMIT');
      this.inTransaction = false;
    }
    this.freeStatements();
    if (this.compactDue) {
      this.compactDue = false;
      // New rows reuse free pages, so a small prune (a day's worth) leaves the file as big as it will be again
      // tomorrow; vacuuming rewrites the whole database, which is worth it only when much of it is free.
      const pages = Number(this.db.exec('PRAGMA page_count')[0]?.values[0]?.[0] ?? 0);
      const free = Number(this.db.exec('PRAGMA freelist_count')[0]?.values[0]?.[0] ?? 0);
      if (pages > 0 && free / pages >= VACUUM_FREE_FRACTION) this.db.exec('VACUUM');
    }
    return this.db.export();
  }

  close(): void {
    this.freeStatements();
    this.db.close();
  }

  begin(): void {
    if (this.inTransaction) return;
    this.db.exec('BEGIN');
    this.inTransaction = true;
  }

  private freeStatements(): void {
    for (const s of this.statements.values()) s.free();
    this.statements.clear();
  }

  private statement(sql: string): Statement {
    let s = this.statements.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.statements.set(sql, s);
    }
    return s;
  }

  run(sql: string, params: BindParams): void {
    this.statement(sql).run(params);
  }

  rows(sql: string, params: BindParams): SqlValue[][] {
    const s = this.statement(sql);
    try {
      s.bind(params);
      const out: SqlValue[][] = [];
      while (s.step()) out.push(s.get());
      return out;
    } finally {
      s.reset();
    }
  }
}

const BACKFILL_SELECT = 'id, status, targets, partition_count, origin, created_at, ended_at, selection, parent_id, tags_json, owner_json, paused_at, error, remote_json';
const RUN_SELECT = 'id, backfill_id, target, partition_key, status, created_at, started_at, ended_at, exit_code, error, attempt, pid, retry_due_at, pid_start_time';

function toBackfill(r: SqlValue[]): BackfillRecord {
  return {
    id: String(r[0]),
    status: r[1] as BackfillStatus,
    targets: JSON.parse(String(r[2])) as string[],
    partitionCount: Number(r[3]),
    origin: String(r[4]),
    createdAt: Number(r[5]),
    endedAt: r[6] === null ? null : Number(r[6]),
    selection: String(r[7]),
    ...(r[8] === null || r[8] === undefined ? {} : { parentId: String(r[8]) }),
    ...(r[9] === null || r[9] === undefined ? {} : { tags: JSON.parse(String(r[9])) as Record<string, string> }),
    ...(r[10] === null || r[10] === undefined ? {} : { owner: JSON.parse(String(r[10])) as BackfillOwner }),
    ...(r[11] === null || r[11] === undefined ? {} : { pausedAt: Number(r[11]) }),
    ...(r[12] === null || r[12] === undefined ? {} : { error: String(r[12]) }),
    ...(r[13] === null || r[13] === undefined ? {} : { remote: JSON.parse(String(r[13])) as RemoteBackfillOrigin }),
  };
}

function toRun(r: SqlValue[]): RunRecord {
  return {
    id: String(r[0]),
    backfillId: String(r[1]),
    target: String(r[2]),
    partitionKey: String(r[3]),
    status: r[4] as RunRecord['status'],
    createdAt: Number(r[5]),
    startedAt: r[6] === null ? null : Number(r[6]),
    endedAt: r[7] === null ? null : Number(r[7]),
    exitCode: r[8] === null ? null : Number(r[8]),
    error: r[9] === null ? null : String(r[9]),
    ...(r[10] === null || r[10] === undefined ? {} : { attempt: Number(r[10]) }),
    ...(r[11] === null || r[11] === undefined ? {} : { pid: Number(r[11]) }),
    ...(r[12] === null || r[12] === undefined ? {} : { retryDueAt: Number(r[12]) }),
    ...(r[13] === null || r[13] === undefined ? {} : { pidStartTime: String(r[13]) }),
  };
}
