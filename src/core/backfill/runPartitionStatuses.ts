// The partition statuses a backfill's runs write: IN_PROGRESS while an attempt runs, then what the run's end means for its partitions.
import type { StateStore } from '../storage/stateStore';
import type { PartitionStatus, RunStatus } from './backfill';
import { keysOfRun, type BackfillPlan } from './backfillPlan';

/** The status a run's partitions get when it ends: a canceled run did not fail (PartitionStatus). */
const ENDED: Readonly<Record<'SUCCESS' | 'FAILURE' | 'CANCELED', PartitionStatus>> = { SUCCESS: 'MATERIALIZED', FAILURE: 'FAILED', CANCELED: 'CANCELED' };

/**
 * Every target of a run gets the status for all of the run's keys (a range run sets them all). A partition
 * that was MATERIALIZED when the canceled attempt started stays MATERIALIZED: its data is still there. That
 * is remembered here, in the process that runs the attempt (a backfill adopted after a crash does not know
 * what its interrupted attempts found).
 */
export class RunPartitionStatuses {
  /** Per run index while an attempt runs: per target, the keys that were MATERIALIZED when it started (only when there were some). */
  private readonly materializedAtStart = new Map<number, Map<string, Set<string>>>();

  constructor(
    private readonly store: StateStore,
    private readonly plan: BackfillPlan,
  ) {}

  /** An attempt starts: remembers which of its partitions were materialized, then marks them all IN_PROGRESS. */
  attemptStarted(index: number, runId: string): void {
    const materialized = new Map<string, Set<string>>();
    const keys = this.keys(index);
    for (const t of this.plan.runs[index]!.targets) {
      const before = this.store.partitionStatusesOf(t, keys);
      const kept = new Set(keys.filter((_, i) => before[i] === 'MATERIALIZED'));
      if (kept.size > 0) materialized.set(t, kept);
    }
    if (materialized.size > 0) this.materializedAtStart.set(index, materialized);
    else this.materializedAtStart.delete(index);
    this.set(index, runId, 'IN_PROGRESS');
  }

  /** An attempt failed and the run waits for a retry: its partitions read FAILED meanwhile, as Dagster's latest attempt. */
  attemptFailed(index: number, runId: string): void {
    this.materializedAtStart.delete(index);
    this.set(index, runId, 'FAILED');
  }

  /** The run ended after at least one attempt. */
  runEnded(index: number, runId: string, status: Extract<RunStatus, 'SUCCESS' | 'FAILURE' | 'CANCELED'>): void {
    const kept = status === 'CANCELED' ? this.materializedAtStart.get(index) : undefined;
    this.materializedAtStart.delete(index);
    if (!kept) return this.set(index, runId, ENDED[status]);
    const keys = this.keys(index);
    for (const t of this.plan.runs[index]!.targets) {
      const materialized = kept.get(t);
      if (!materialized) {
        this.write(t, keys, 'CANCELED', runId);
        continue;
      }
      // Keys keep partition order, so each side of a materialized key stays one range. The materialization
      // came from an earlier run this one does not know: the restored keys name no run.
      let segment: string[] = [];
      let segmentStatus: PartitionStatus | null = null;
      for (const key of keys) {
        const status: PartitionStatus = materialized.has(key) ? 'MATERIALIZED' : 'CANCELED';
        if (status !== segmentStatus && segment.length > 0) {
          this.write(t, segment, segmentStatus!, segmentStatus === 'MATERIALIZED' ? null : runId);
          segment = [];
        }
        segmentStatus = status;
        segment.push(key);
      }
      if (segment.length > 0) this.write(t, segment, segmentStatus!, segmentStatus === 'MATERIALIZED' ? null : runId);
    }
  }

  /**
   * A run canceled before it was launched (a cancel, a pause's end in cancel, a failure limit): partitions nothing
   * had tried read CANCELED, as the run's do in every count of the backfill; a partition with a status of its own
   * (materialized, or failed in an earlier backfill) keeps it, since this run never touched it.
   */
  canceledBeforeLaunch(index: number, runId: string): void {
    const keys = this.keys(index);
    for (const t of this.plan.runs[index]!.targets) {
      const before = this.store.partitionStatusesOf(t, keys);
      // Keys keep partition order, so each stretch of untried keys is written as one range.
      let segment: string[] = [];
      keys.forEach((key, i) => {
        if (before[i] === 'MISSING') segment.push(key);
        else if (segment.length > 0) {
          this.write(t, segment, 'CANCELED', runId);
          segment = [];
        }
      });
      if (segment.length > 0) this.write(t, segment, 'CANCELED', runId);
    }
  }

  private keys(index: number): string[] {
    const planned = this.plan.runs[index]!;
    return planned.keySpace < 0 ? [''] : keysOfRun(this.plan, planned);
  }

  private set(index: number, runId: string, status: PartitionStatus): void {
    const keys = this.keys(index);
    for (const t of this.plan.runs[index]!.targets) this.write(t, keys, status, runId);
  }

  private write(target: string, keys: readonly string[], status: PartitionStatus, runId: string | null): void {
    if (keys.length === 1) this.store.setPartitionStatus(target, keys[0]!, status, runId);
    else this.store.setPartitionStatuses(target, keys, status, runId);
  }
}
