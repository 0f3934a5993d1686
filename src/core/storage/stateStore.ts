// The StateStore port: everything the engine persists about backfills, runs and partition status.
import type { BackfillOwner, BackfillRecord, BackfillStatus, PartitionStatus, RemoteBackfillOrigin, RunRecord, RunUpdate } from '../backfill/backfill';
import type { DynamicPartitionsStore } from '../partitions/dynamicPartitionsDefinition';
import type { PartitionKeyIndex } from '../partitions/partitionsDefinition';
import type { PartitionStatusRange, PartitionStatusRecord } from './partitionStatusTable';
import type { RunEvent, SavedPlan } from './runEventLog';

export type { PartitionStatusRange, PartitionStatusRecord } from './partitionStatusTable';
export type { RunEvent, SavedPlan } from './runEventLog';

/** What a retention prune removes (see backfillRetention.ts): whole backfills, and the logs and events of others. */
export interface BackfillPrune {
  /** The backfill row, its plan, runs, run log tails and events. */
  remove: string[];
  /** Only its runs' log tails and events: the backfill and its runs stay listed. */
  dropLogsOf: string[];
}

/**
 * Durable state shared by the CLI and the extension (one file per workspace).
 *
 * Contract: every mutating call is applied in memory at once and reaches disk by an atomic replace
 * (temp file, fsync, rename) within a bounded delay; `flush()` resolves once everything acknowledged
 * so far is on disk. Reads never touch the disk; `reloadIfChanged()` picks up another process's writes.
 * Mutations of unknown ids throw an Error naming the id; nothing else makes a mutation throw: another
 * process writing the same file only delays the write (the changes wait in memory), and a store that stays
 * unwritable is reported by the store, never thrown at the caller. The one-writer protocol (a lock held
 * only for the length of one write) is described in writerLock.ts.
 */
export interface StateStore extends DynamicPartitionsStore {
  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void;
  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void;
  /**
   * Sets (or, with null, clears) the process that runs the backfill; the daemon refreshes its heartbeat while it
   * runs. With `expected`, a claim: it applies only while the owner is still exactly `expected` (throwing an
   * OwnerClaimConflict otherwise), also when replayed onto another process's newer version at the write, where a
   * lost claim is dropped: read the owner back after flush() to know whether the claim won.
   */
  setBackfillOwner(id: string, owner: BackfillOwner | null, expected?: BackfillOwner | null): void;
  /**
   * Pauses the backfill as of `pausedAt` (epoch milliseconds) or, with null, clears the pause. The status
   * stays as it is (a paused backfill is REQUESTED, as Dagster knows no pause); whichever process owns
   * the backfill starts nothing new while it is set.
   */
  setBackfillPaused(id: string, pausedAt: number | null): void;
  /** The one error that stopped the backfill before it launched its runs (a failed preflight); null clears it (resume). */
  setBackfillError(id: string, error: string | null): void;
  /** What a deployment last said of a remote backfill; refused for a local one (it has no `remote`). */
  setBackfillRemote(id: string, remote: RemoteBackfillOrigin): void;
  updateRun(id: string, update: RunUpdate): void;
  /** Appends to the run's log, keeping at most a bounded tail per run (older text is replaced by a truncation marker). */
  appendRunLog(runId: string, text: string): void;
  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null): void;
  /** The same status for many keys of one target in one change (range runs); keys in partition order, kept as one range. */
  setPartitionStatuses(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null): void;
  /** Stores the plan a backfill was (or will be) launched from; saving again replaces it. `planJson` must be JSON. */
  savePlan(backfillId: string, planJson: string, inputsHash: string): void;
  /**
   * Appends an event to a run's event log (the run need not exist yet); `payload` must be JSON-serialisable.
   * At most RUN_EVENTS_PER_RUN are kept per run; older ones are dropped behind a truncation marker.
   */
  appendRunEvent(runId: string, kind: string, payload: unknown): void;
  /**
   * Appends the keys not yet present to the dynamic partitions `name`, in the order given (idempotent, as
   * Dagster's add_dynamic_partitions); throws before changing anything when a key is not a valid partition key.
   */
  addDynamicPartitions(name: string, keys: readonly string[]): void;
  /**
   * Retention: removes the backfills `prune.remove` and the run logs and events of `prune.dropLogsOf`. Partition
   * statuses stay as they are (what is materialized does not change by forgetting the run that did it). An unknown
   * id, or one of a backfill that is not finished when the change applies (running, paused, canceling: another
   * process may have resumed it), is skipped. The sql.js store writes a compacted file at its next write.
   */
  pruneBackfills(prune: BackfillPrune): void;
  /** Removes one key; an unknown name or key is ignored, as in Dagster. */
  deleteDynamicPartition(name: string, key: string): void;

  /** Newest first. */
  listBackfills(): BackfillRecord[];
  getBackfill(id: string): BackfillRecord | undefined;
  /** In creation order. */
  listRuns(backfillId: string): RunRecord[];
  getRun(id: string): RunRecord | undefined;
  runLog(runId: string): string;
  /** Bytes (UTF-16 characters) of run log tails and event payloads held per backfill id: what pruning its logs frees here. */
  storedLogBytes(): Map<string, number>;
  /** Latest status of every partition of `target` that has one (absent keys are MISSING). */
  partitionStatuses(target: string): Map<string, PartitionStatus>;
  /** The latest status of each of `keys` of `target`, in the order given (MISSING where none): costs what `keys` holds, not the target. */
  partitionStatusesOf(target: string, keys: readonly string[]): PartitionStatus[];
  /**
   * The same statuses as runs of equal status (MISSING partitions are not listed). Pass the target's
   * partition keys as `order` (e.g. a PartitionKeyIndex) to get them in partition order, merged across
   * neighbouring runs and without keys the definition no longer has; without it, runs come as stored
   * (a range run's keys in the order they were set), sorted by first key as text. See partitionStatusTable.ts.
   */
  partitionStatusRanges(target: string, order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[];
  /**
   * The records behind partitionStatuses with the run and time (the store's clock) that set each; the keys of
   * one range share one record object. With `since` (epoch ms), only the keys set after it: the merged view
   * with Dagster's statuses asks which of our records are newer than its answer.
   */
  partitionStatusRecords(target: string, since?: number): Map<string, PartitionStatusRecord>;
  /**
   * Grows whenever a status of `target` may have changed (a write here, or another process's read by
   * reloadIfChanged); caches of the target's statuses compare it. Never the same for two different contents.
   */
  partitionStatusGeneration(target: string): number;
  /** The keys of the dynamic partitions `name` in insertion order; [] when none were added. */
  dynamicPartitionKeys(name: string): string[];
  getPlan(backfillId: string): SavedPlan | undefined;
  /** In append order; when older events were dropped, the first is an EVENTS_TRUNCATED marker with seq 0. */
  runEvents(runId: string): RunEvent[];

  /** Re-reads the file if another process replaced it since we last read or wrote it; true when it did. */
  reloadIfChanged(): Promise<boolean>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
