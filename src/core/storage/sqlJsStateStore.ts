// The StateStore on one SQLite file through sql.js: each change made a record (storeMutation.ts), applied in memory at once and handed to StateStoreWrites.
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../backfill/backfill';
import { validateDynamicPartitionKeys } from '../partitions/dynamicPartitionsDefinition';
import { encodeEventPayload } from './runEventLog';
import type { StateDatabase } from './stateDatabase';
import { StateStoreError, type CorruptStateFile } from './stateFile';
import type { StateFileVersion } from './stateFileVersion';
import type { BackfillPrune, StateStore } from './stateStore';
import { StateStoreReads } from './stateStoreReads';
import type { StateStoreOptions } from './stateStoreOptions';
import { StateStoreWrites } from './stateStoreWrites';
import { applyMutation, type StoreMutation } from './storeMutation';
import type { WriterLock } from './writerLock';

export { CorruptStateFileError, StateStoreError, type CorruptStateFile } from './stateFile';

export class SqlJsStateStore extends StateStoreReads implements StateStore {
  private readonly writes: StateStoreWrites;
  private readonly now: () => number;

  constructor(
    private readonly file: string,
    private readonly version: StateFileVersion,
    lock: WriterLock | undefined,
    /** Set when the file (or journal) found at open was damaged and moved aside: callers show it once. */
    readonly corruptFile: CorruptStateFile | undefined,
    options: StateStoreOptions,
  ) {
    super();
    this.now = options.now ?? Date.now;
    this.writes = new StateStoreWrites(file, version, lock, options);
  }

  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void {
    this.mutate({ op: 'createBackfill', backfill: structuredClone(backfill), runs: structuredClone(runs) });
  }

  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void {
    this.mutate({ op: 'updateBackfillStatus', id, status, endedAt });
  }

  setBackfillOwner(id: string, owner: BackfillOwner | null, expected?: BackfillOwner | null): void {
    const claim = expected === undefined ? {} : { expected: expected ? { ...expected } : null };
    this.mutate({ op: 'setBackfillOwner', id, owner: owner ? { ...owner } : null, ...claim });
  }

  setBackfillPaused(id: string, pausedAt: number | null): void {
    this.mutate({ op: 'setBackfillPaused', id, pausedAt });
  }

  setBackfillError(id: string, error: string | null): void {
    this.mutate({ op: 'setBackfillError', id, error });
  }

  setBackfillRemote(id: string, remote: RemoteBackfillOrigin): void {
    this.mutate({ op: 'setBackfillRemote', id, remote: { ...remote } });
  }

  updateRun(id: string, update: RunUpdate): void {
    this.mutate({ op: 'updateRun', id, update: { ...update } });
  }

  appendRunLog(runId: string, text: string): void {
    this.mutate({ op: 'appendRunLog', runId, text });
  }

  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null): void {
    this.mutate({ op: 'setPartitionStatuses', target, keys: [partitionKey], status, runId, at: this.now() });
  }

  setPartitionStatuses(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null): void {
    if (keys.length === 0) return;
    this.mutate({ op: 'setPartitionStatuses', target, keys: [...keys], status, runId, at: this.now() });
  }

  savePlan(backfillId: string, planJson: string, inputsHash: string): void {
    this.mutate({ op: 'savePlan', backfillId, planJson, inputsHash, at: this.now() });
  }

  /** The payload is encoded once, here, so a later change to the caller's object cannot alter the event. */
  appendRunEvent(runId: string, kind: string, payload: unknown): void {
    const copy = JSON.parse(encodeEventPayload(runId, kind, payload)) as unknown;
    this.mutate({ op: 'appendRunEvent', runId, kind, payload: copy, at: this.now() });
  }

  /** Adding only keys that exist already changes nothing, so it schedules no write (sensors re-add all the time). */
  addDynamicPartitions(name: string, keys: readonly string[]): void {
    validateDynamicPartitionKeys(name, keys);
    const existing = new Set(this.dynamicPartitionKeys(name));
    if (keys.every((k) => existing.has(k))) return;
    this.mutate({ op: 'addDynamicPartitions', name, keys: [...keys] });
  }

  deleteDynamicPartition(name: string, key: string): void {
    if (!this.dynamicPartitionKeys(name).includes(key)) return;
    this.mutate({ op: 'deleteDynamicPartition', name, key });
  }

  /** The next write is a checkpoint, so the file shrinks at once (StateDatabase vacuums before that export). */
  pruneBackfills(prune: BackfillPrune): void {
    if (prune.remove.length === 0 && prune.dropLogsOf.length === 0) return;
    this.mutate({ op: 'pruneBackfills', remove: [...prune.remove], dropLogsOf: [...prune.dropLogsOf] });
    this.version.checkpointDue = true;
  }

  reloadIfChanged(): Promise<boolean> {
    return this.writes.reloadIfChanged();
  }

  flush(): Promise<void> {
    return this.writes.flush();
  }

  close(): Promise<void> {
    return this.writes.close();
  }

  /** Writes the current contents now as a checkpoint (after creating, migrating or recovering the file; under the lock the opener holds, if any). */
  async persistNow(): Promise<void> {
    this.version.checkpointDue = true;
    await this.flush();
  }

  protected open(): StateDatabase {
    if (this.writes.closed) throw new StateStoreError(`the state store ${this.file} is closed`);
    return this.version.state;
  }

  private mutate(mutation: StoreMutation): void {
    // Applying first means a mutation of an unknown id throws to the caller and is never queued.
    applyMutation(this.open(), mutation);
    this.writes.add(mutation);
  }
}
