// A StateStore held only in memory, with the sql.js store's semantics: a test double for tests that need no file (it passes the same conformance suite).
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../../src/core/backfill/backfill';
import { validateDynamicPartitionKeys } from '../../src/core/partitions/dynamicPartitionsDefinition';
import { RUN_EVENTS_PER_RUN, encodeEventPayload, validatePlan, withTruncationMarker } from '../../src/core/storage/runEventLog';
import type { RunEvent, SavedPlan } from '../../src/core/storage/runEventLog';
import { appendToLogTail, formatRunLog } from '../../src/core/storage/runLogTail';
import type { LogTail } from '../../src/core/storage/runLogTail';
import { StateStoreError } from '../../src/core/storage/stateFile';
import { checkOwner } from '../../src/core/storage/storeMutation';
import { pairedPidStartTime, storedBackfill, storedRun, validateBackfillOwner, validateBackfillTags, validatePausedAt, validateRemoteOrigin, validateRunFields } from '../../src/core/storage/storedRecords';
import type { BackfillPrune, StateStore } from '../../src/core/storage/stateStore';
import { TERMINAL_BACKFILL_STATUSES } from '../../src/core/backfill/backfill';
import { MIN_RANGE_KEYS, nextStatusGeneration, statusRanges } from '../../src/core/storage/partitionStatusTable';
import type { PartitionStatusRange, PartitionStatusRecord, StatusRun } from '../../src/core/storage/partitionStatusTable';
import type { PartitionKeyIndex } from '../../src/core/partitions/partitionsDefinition';

interface StoredStatus extends Omit<StatusRun, 'keys'> {
  group: readonly string[] | undefined;
}

interface StoredEvent {
  seq: number;
  at: number;
  kind: string;
  payloadJson: string;
}

export class InMemoryStateStore implements StateStore {
  /** Backfills in creation order (the sql.js store's seq). */
  private readonly backfills = new Map<string, BackfillRecord>();
  private readonly runs = new Map<string, RunRecord>();
  private readonly logs = new Map<string, LogTail>();
  /** Per target and key; `group` is the range run the key was set with, as the sql.js store keeps ranges. */
  private readonly statuses = new Map<string, Map<string, StoredStatus>>();
  /** Insertion-ordered sets: deleting and re-adding a key moves it to the end, as in the sql.js store. */
  private readonly dynamic = new Map<string, Set<string>>();
  private readonly plans = new Map<string, SavedPlan>();
  private readonly events = new Map<string, { lastSeq: number; kept: StoredEvent[] }>();
  private closed = false;
  private readonly generations = new Map<string, number>();
  private readonly built = nextStatusGeneration();

  constructor(private readonly now: () => number = Date.now) {}

  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void {
    this.open();
    if (this.backfills.has(backfill.id)) throw new Error(`backfill ${backfill.id} already exists`);
    validateBackfillTags(backfill.id, backfill.tags);
    validateBackfillOwner(backfill.id, backfill.owner);
    validatePausedAt(backfill.id, backfill.pausedAt);
    validateRemoteOrigin(backfill.id, backfill.remote);
    for (const r of runs) validateRunFields(r.id, r);
    const ids = new Set<string>();
    for (const r of runs) {
      if (r.backfillId !== backfill.id) throw new Error(`run ${r.id} belongs to backfill ${r.backfillId}, not ${backfill.id}`);
      if (this.runs.has(r.id) || ids.has(r.id)) throw new Error(`run ${r.id} already exists`);
      ids.add(r.id);
    }
    this.backfills.set(backfill.id, storedBackfill(backfill));
    for (const r of runs) this.runs.set(r.id, storedRun(r));
  }

  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void {
    const b = this.open().backfills.get(id);
    if (!b) throw new Error(`no backfill with id ${id}`);
    b.status = status;
    b.endedAt = endedAt;
  }

  setBackfillOwner(id: string, owner: BackfillOwner | null, expected?: BackfillOwner | null): void {
    const b = this.open().backfills.get(id);
    if (!b) throw new Error(`no backfill with id ${id}`);
    validateBackfillOwner(id, owner);
    if (expected !== undefined) checkOwner(id, b.owner, expected);
    if (owner) b.owner = { ...owner };
    else delete b.owner;
  }

  setBackfillError(id: string, error: string | null): void {
    const b = this.open().backfills.get(id);
    if (!b) throw new Error(`no backfill with id ${id}`);
    if (error === null) delete b.error;
    else b.error = error;
  }

  setBackfillRemote(id: string, remote: RemoteBackfillOrigin): void {
    const b = this.open().backfills.get(id);
    if (!b) throw new Error(`no backfill with id ${id}`);
    if (!b.remote) throw new Error(`backfill ${id} runs on this machine, not on a deployment`);
    validateRemoteOrigin(id, remote);
    b.remote = storedBackfill({ ...b, remote }).remote!;
  }

  setBackfillPaused(id: string, pausedAt: number | null): void {
    const b = this.open().backfills.get(id);
    if (!b) throw new Error(`no backfill with id ${id}`);
    validatePausedAt(id, pausedAt);
    if (pausedAt === null) delete b.pausedAt;
    else b.pausedAt = pausedAt;
  }

  updateRun(id: string, given: RunUpdate): void {
    const r = this.open().runs.get(id);
    if (!r) throw new Error(`no run with id ${id}`);
    const update = pairedPidStartTime(given);
    validateRunFields(id, update);
    if (update.status !== undefined) r.status = update.status;
    if (update.startedAt !== undefined) r.startedAt = update.startedAt;
    if (update.endedAt !== undefined) r.endedAt = update.endedAt;
    if (update.exitCode !== undefined) r.exitCode = update.exitCode;
    if (update.error !== undefined) r.error = update.error;
    if (update.attempt !== undefined) r.attempt = update.attempt;
    if (update.pid === null) delete r.pid;
    else if (update.pid !== undefined) r.pid = update.pid;
    if (update.pidStartTime === null) delete r.pidStartTime;
    else if (update.pidStartTime !== undefined) r.pidStartTime = update.pidStartTime;
    if (update.retryDueAt === null) delete r.retryDueAt;
    else if (update.retryDueAt !== undefined) r.retryDueAt = update.retryDueAt;
  }

  appendRunLog(runId: string, text: string): void {
    if (!this.open().runs.has(runId)) throw new Error(`no run with id ${runId}`);
    if (text === '') return;
    this.logs.set(runId, appendToLogTail(this.logs.get(runId) ?? { tail: '', truncatedBytes: 0 }, text));
  }

  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null): void {
    this.setPartitionStatuses(target, [partitionKey], status, runId);
  }

  setPartitionStatuses(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null): void {
    this.open();
    if (keys.length === 0) return;
    let byKey = this.statuses.get(target);
    if (!byKey) this.statuses.set(target, (byKey = new Map()));
    const group = keys.length >= MIN_RANGE_KEYS && new Set(keys).size === keys.length ? [...keys] : undefined;
    const updatedAt = this.now();
    this.generations.set(target, nextStatusGeneration());
    for (const key of keys) {
      if (status === 'MISSING') byKey.delete(key);
      else byKey.set(key, { status, runId, updatedAt, group });
    }
  }

  savePlan(backfillId: string, planJson: string, inputsHash: string): void {
    this.open();
    validatePlan(backfillId, planJson, inputsHash);
    this.plans.set(backfillId, { planJson, inputsHash, createdAt: this.now() });
  }

  getPlan(backfillId: string): SavedPlan | undefined {
    const p = this.open().plans.get(backfillId);
    return p ? { ...p } : undefined;
  }

  appendRunEvent(runId: string, kind: string, payload: unknown): void {
    this.open();
    const payloadJson = encodeEventPayload(runId, kind, payload);
    let log = this.events.get(runId);
    if (!log) this.events.set(runId, (log = { lastSeq: 0, kept: [] }));
    log.kept.push({ seq: ++log.lastSeq, at: this.now(), kind, payloadJson });
    if (log.kept.length > RUN_EVENTS_PER_RUN) log.kept.splice(0, log.kept.length - RUN_EVENTS_PER_RUN);
  }

  runEvents(runId: string): RunEvent[] {
    const log = this.open().events.get(runId);
    if (!log) return [];
    const kept = log.kept.map((e) => ({ seq: e.seq, at: e.at, kind: e.kind, payload: JSON.parse(e.payloadJson) as unknown }));
    return withTruncationMarker(kept, log.lastSeq);
  }

  addDynamicPartitions(name: string, keys: readonly string[]): void {
    this.open();
    validateDynamicPartitionKeys(name, keys);
    let set = this.dynamic.get(name);
    if (!set) this.dynamic.set(name, (set = new Set()));
    for (const k of keys) set.add(k);
  }

  deleteDynamicPartition(name: string, key: string): void {
    this.open().dynamic.get(name)?.delete(key);
  }

  pruneBackfills(prune: BackfillPrune): void {
    this.open();
    const finished = (id: string) => {
      const b = this.backfills.get(id);
      return b !== undefined && TERMINAL_BACKFILL_STATUSES.has(b.status) && b.pausedAt == null;
    };
    const remove = new Set(prune.remove.filter(finished));
    const dropLogsOf = new Set(prune.dropLogsOf.filter(finished));
    for (const r of [...this.runs.values()]) {
      if (!remove.has(r.backfillId) && !dropLogsOf.has(r.backfillId)) continue;
      this.logs.delete(r.id);
      this.events.delete(r.id);
      if (remove.has(r.backfillId)) this.runs.delete(r.id);
    }
    for (const id of remove) {
      this.backfills.delete(id);
      this.plans.delete(id);
    }
  }

  storedLogBytes(): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.open().runs.values()) {
      const log = this.logs.get(r.id)?.tail.length ?? 0;
      const events = (this.events.get(r.id)?.kept ?? []).reduce((n, e) => n + e.payloadJson.length + e.kind.length, 0);
      if (log + events > 0) out.set(r.backfillId, (out.get(r.backfillId) ?? 0) + log + events);
    }
    return out;
  }

  dynamicPartitionKeys(name: string): string[] {
    return [...(this.open().dynamic.get(name) ?? [])];
  }

  /** Newest first; equal creation times keep the later-created first, as the sql.js store's seq does. */
  listBackfills(): BackfillRecord[] {
    const all = [...this.open().backfills.values()].map((b, i) => ({ b, i }));
    all.sort((x, y) => y.b.createdAt - x.b.createdAt || y.i - x.i);
    return all.map(({ b }) => storedBackfill(b));
  }

  getBackfill(id: string): BackfillRecord | undefined {
    const b = this.open().backfills.get(id);
    return b ? storedBackfill(b) : undefined;
  }

  listRuns(backfillId: string): RunRecord[] {
    return [...this.open().runs.values()].filter((r) => r.backfillId === backfillId).map(storedRun);
  }

  getRun(id: string): RunRecord | undefined {
    const r = this.open().runs.get(id);
    return r ? storedRun(r) : undefined;
  }

  runLog(runId: string): string {
    const log = this.open().logs.get(runId);
    return log ? formatRunLog(log) : '';
  }

  partitionStatuses(target: string): Map<string, PartitionStatus> {
    return new Map([...(this.open().statuses.get(target) ?? [])].map(([key, s]) => [key, s.status]));
  }

  partitionStatusesOf(target: string, keys: readonly string[]): PartitionStatus[] {
    const byKey = this.open().statuses.get(target);
    return keys.map((key) => byKey?.get(key)?.status ?? 'MISSING');
  }

  partitionStatusRecords(target: string, since = -Infinity): Map<string, PartitionStatusRecord> {
    const out = new Map<string, PartitionStatusRecord>();
    for (const [key, s] of this.open().statuses.get(target) ?? []) if (s.updatedAt > since) out.set(key, { status: s.status, runId: s.runId, updatedAt: s.updatedAt });
    return out;
  }

  partitionStatusGeneration(target: string): number {
    this.open();
    return this.generations.get(target) ?? this.built;
  }

  /** What remains of each range run is its keys still set by it, in maximal consecutive segments, as the sql.js store splits them. */
  partitionStatusRanges(target: string, order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[] {
    const byKey = this.open().statuses.get(target) ?? new Map<string, StoredStatus>();
    const runs: StatusRun[] = [];
    const groups = new Set<readonly string[]>();
    for (const [key, s] of byKey) {
      if (s.group) groups.add(s.group);
      else runs.push({ keys: [key], status: s.status, runId: s.runId, updatedAt: s.updatedAt });
    }
    for (const group of groups) {
      let segment: string[] = [];
      const flush = () => {
        const first = byKey.get(segment[0]!);
        if (segment.length >= MIN_RANGE_KEYS) runs.push({ keys: segment, status: first!.status, runId: first!.runId, updatedAt: first!.updatedAt });
        else for (const key of segment) runs.push({ keys: [key], status: first!.status, runId: first!.runId, updatedAt: first!.updatedAt });
        segment = [];
      };
      for (const key of group) {
        if (byKey.get(key)?.group === group) segment.push(key);
        else if (segment.length > 0) flush();
      }
      if (segment.length > 0) flush();
    }
    return statusRanges(runs, order);
  }

  reloadIfChanged(): Promise<boolean> {
    if (this.closed) return Promise.reject(new StateStoreError('the in-memory state store is closed'));
    return Promise.resolve(false);
  }

  flush(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.closed = true;
    return Promise.resolve();
  }

  private open(): this {
    if (this.closed) throw new StateStoreError('the in-memory state store is closed');
    return this;
  }
}
