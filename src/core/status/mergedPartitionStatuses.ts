// The partition statuses every face shows: the project's run records merged with the Dagster instance's statuses
// (docs/instance-statuses.md), per target, cached until either side changes.
import type { PartitionStatus } from '../backfill/backfill';
import type { PartitionKeyIndex } from '../partitions/partitionsDefinition';
import { statusRanges, type StatusRun } from '../storage/partitionStatusTable';
import type { PartitionStatusRange, PartitionStatusRecord, StateStore } from '../storage/stateStore';
import { STATUS_OF_CODE, type AssetInstanceStatuses, type InstancePartitionStatuses } from './instancePartitionStatuses';

type StatusReads = Pick<StateStore, 'partitionStatuses' | 'partitionStatusesOf' | 'partitionStatusRanges' | 'partitionStatusRecords' | 'partitionStatusGeneration'>;

interface Cached {
  storeGeneration: number;
  instanceGeneration: number;
  statuses: ReadonlyMap<string, PartitionStatus>;
}

/** Merged maps kept at once; a face showing more targets than this recomputes the oldest (50 assets × 10,000 keys stay bounded). */
const CACHED_TARGETS = 64;

/**
 * Per key: (1) a store record newer than the Dagster answer's `asOf` wins (our run changed it after Dagster was
 * asked); (2) otherwise Dagster's status where it has one (MATERIALIZED, FAILED, IN_PROGRESS); (3) otherwise the
 * store's record (CANCELED, command targets, runs Dagster has not seen); else MISSING. A target Dagster gave no
 * statuses for (command targets, jobs, before the first answer, without dagster) reads the store alone.
 */
export class MergedPartitionStatuses {
  private readonly cache = new Map<string, Cached>();

  constructor(
    private readonly store: StatusReads,
    private readonly instance: Pick<InstancePartitionStatuses, 'get' | 'generation'>,
  ) {}

  /** Whether the target's statuses include Dagster's (else they are the project's records alone). */
  fromInstance(target: string): boolean {
    return this.instance.get(target) !== undefined;
  }

  /** Every key of `target` that has a status (absent keys are MISSING). Shared with the cache: do not change it. */
  partitionStatuses(target: string): ReadonlyMap<string, PartitionStatus> {
    const storeGeneration = this.store.partitionStatusGeneration(target);
    const instanceGeneration = this.instance.generation(target);
    const hit = this.cache.get(target);
    if (hit && hit.storeGeneration === storeGeneration && hit.instanceGeneration === instanceGeneration) {
      // Most recently used last, so the oldest is the one dropped.
      this.cache.delete(target);
      this.cache.set(target, hit);
      return hit.statuses;
    }
    const dagster = this.instance.get(target);
    const statuses = dagster ? merge(dagster, this.store.partitionStatusRecords(target)) : this.store.partitionStatuses(target);
    this.cache.delete(target);
    this.cache.set(target, { storeGeneration, instanceGeneration, statuses });
    if (this.cache.size > CACHED_TARGETS) this.cache.delete(this.cache.keys().next().value!);
    return statuses;
  }

  /** The status of each of `keys`, in their order (MISSING where none). */
  partitionStatusesOf(target: string, keys: readonly string[]): PartitionStatus[] {
    if (!this.instance.get(target)) return this.store.partitionStatusesOf(target, keys);
    const statuses = this.partitionStatuses(target);
    return keys.map((k) => statuses.get(k) ?? 'MISSING');
  }

  /**
   * Runs of equal status in partition order (`order`, else the key order of Dagster's answer), as the store's
   * partitionStatusRanges: Dagster's statuses name no run and date from the answer's `asOf`.
   */
  partitionStatusRanges(target: string, order?: Pick<PartitionKeyIndex, 'indexOf'>): PartitionStatusRange[] {
    const dagster = this.instance.get(target);
    if (!dagster) return this.store.partitionStatusRanges(target, order);
    const records = this.store.partitionStatusRecords(target);
    const runs: StatusRun[] = [];
    const byStatus = new Map<string, string[]>();
    dagster.codes.forEach((code, i) => {
      if (code === 0) return;
      const key = dagster.index.keyAt(i);
      const record = records.get(key);
      if (record && record.updatedAt > dagster.asOf) return;
      const status = STATUS_OF_CODE[code]!;
      let keys = byStatus.get(status);
      if (!keys) byStatus.set(status, (keys = []));
      keys.push(key);
    });
    for (const [status, keys] of byStatus) runs.push({ keys, status: status as StatusRun['status'], runId: null, updatedAt: dagster.asOf });
    // The store's winners, grouped by record (the keys of one stored range share one).
    const byRecord = new Map<PartitionStatusRecord, string[]>();
    for (const [key, record] of records) {
      if (record.updatedAt <= dagster.asOf && dagsterHas(dagster, key)) continue;
      let keys = byRecord.get(record);
      if (!keys) byRecord.set(record, (keys = []));
      keys.push(key);
    }
    for (const [record, keys] of byRecord) runs.push({ keys, ...record });
    return statusRanges(runs, order ?? dagster.index);
  }
}

function dagsterHas(dagster: AssetInstanceStatuses, key: string): boolean {
  const i = dagster.index.indexOf(key);
  return i >= 0 && dagster.codes[i] !== 0;
}

function merge(dagster: AssetInstanceStatuses, records: ReadonlyMap<string, PartitionStatusRecord>): Map<string, PartitionStatus> {
  const out = new Map<string, PartitionStatus>();
  dagster.codes.forEach((code, i) => {
    if (code !== 0) out.set(dagster.index.keyAt(i), STATUS_OF_CODE[code]!);
  });
  for (const [key, record] of records) {
    // Newer than the answer: ours wins. Older: it stands only where Dagster has nothing.
    if (record.updatedAt > dagster.asOf || !out.has(key)) out.set(key, record.status);
  }
  return out;
}
