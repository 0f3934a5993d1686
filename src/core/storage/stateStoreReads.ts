// The read side of the sql.js state store: queries of the in-memory database, which never touch the disk.
import type { BackfillRecord, PartitionStatus, RunRecord } from '../backfill/backfill';
import type { PartitionKeyIndex } from '../partitions/partitionsDefinition';
import type { PartitionStatusRange, PartitionStatusRecord } from './partitionStatusTable';
import type { RunEvent, SavedPlan } from './runEventLog';
import type { StateDatabase } from './stateDatabase';

/** Reads go to whatever version of the database is current; `open()` throws once the store is closed. */
export abstract class StateStoreReads {
  protected abstract open(): StateDatabase;

  getPlan(backfillId: string): SavedPlan | undefined {
    return this.open().getPlan(backfillId);
  }
  runEvents(runId: string): RunEvent[] {
    return this.open().runEvents(runId);
  }
  dynamicPartitionKeys(name: string): string[] {
    return this.open().dynamicPartitionKeys(name);
  }
  listBackfills(): BackfillRecord[] {
    return this.open().listBackfills();
  }
  getBackfill(id: string): BackfillRecord | undefined {
    return this.open().getBackfill(id);
  }
  listRuns(backfillId: string): RunRecord[] {
    return this.open().listRuns(backfillId);
  }
  getRun(id: string): RunRecord | undefined {
    return this.open().getRun(id);
  }
  runLog(runId: string): string {
    return this.open().runLog(runId);
  }
  storedLogBytes(): Map<string, number> {
    return this.open().storedLogBytes();
  }
  partitionStatuses(target: string): Map<string, PartitionStatus> {
    return this.open().partitionStatuses(target);
  }
  partitionStatusesOf(target: string, keys: readonly string[]): PartitionStatus[] {
    return this.open().partitionStatusesOf(target, keys);
  }
  partitionStatusRanges(target: string, order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[] {
    return this.open().partitionStatusRanges(target, order);
  }
  partitionStatusRecords(target: string, since?: number): Map<string, PartitionStatusRecord> {
    return this.open().partitionStatusRecords(target, since);
  }
  partitionStatusGeneration(target: string): number {
    return this.open().partitionStatusGeneration(target);
  }
}
