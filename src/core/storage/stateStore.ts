// The StateStore port: everything the engine persists about backfills, runs and partition status.
import type { BackfillRecord, BackfillStatus, PartitionStatus, RunRecord, RunUpdate } from '../backfill/backfill';

/**
 * Durable state shared by the CLI and the extension (one file per workspace).
 *
 * Contract: every mutating call is applied in memory at once and reaches disk by an atomic replace
 * (temp file, fsync, rename) within a bounded delay; `flush()` resolves once everything acknowledged
 * so far is on disk. Reads never touch the disk; `reloadIfChanged()` picks up another process's writes.
 * Mutations of unknown ids throw an Error naming the id.
 */
export interface StateStore {
  createBackfill(backfill: BackfillRecord, runs: RunRecord[]): void;
  updateBackfillStatus(id: string, status: BackfillStatus, endedAt: number | null): void;
  updateRun(id: string, update: RunUpdate): void;
  /** Appends to the run's log, keeping at most a bounded tail per run (older text is replaced by a truncation marker). */
  appendRunLog(runId: string, text: string): void;
  setPartitionStatus(target: string, partitionKey: string, status: PartitionStatus, runId: string | null): void;

  /** Newest first. */
  listBackfills(): BackfillRecord[];
  getBackfill(id: string): BackfillRecord | undefined;
  /** In creation order. */
  listRuns(backfillId: string): RunRecord[];
  getRun(id: string): RunRecord | undefined;
  runLog(runId: string): string;
  /** Latest status of every partition of `target` that has one (absent keys are MISSING). */
  partitionStatuses(target: string): Map<string, PartitionStatus>;

  /** Re-reads the file if another process replaced it since we last read or wrote it; true when it did. */
  reloadIfChanged(): Promise<boolean>;
  flush(): Promise<void>;
  close(): Promise<void>;
}
