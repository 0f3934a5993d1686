// Executes backfill plans: records backfills, plans and runs in the store, feeds runs to the coordinator in
// dependency order, and folds each outcome into run, partition and backfill status; resumes and re-executes.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { RunCoordinator } from '../coordinator/runCoordinator';
import type { RunLauncher, RunOutcome } from '../coordinator/runLauncher';
import { Emitter } from '../emitter';
import type { StateStore } from '../storage/stateStore';
import { TERMINAL_BACKFILL_STATUSES, TERMINAL_RUN_STATUSES, type BackfillRecord, type PartitionStatus, type RunRecord } from './backfill';
import { BackfillPlanError, keysOfRun, runPartitionLabel, type BackfillPlan } from './backfillPlan';
import { parseStoredPlan, reexecutionPlan, resumeSteps, type StoredPlan } from './backfillReexecution';

export interface BackfillDaemonOptions {
  store: StateStore;
  coordinator: RunCoordinator;
  launcher: RunLauncher;
  clock: Clock;
  /** Recorded on each backfill: "cli" or "extension". */
  origin: string;
}

export interface BackfillChange {
  backfillId: string;
  runId?: string;
}

interface ActiveBackfill {
  record: BackfillRecord;
  plan: BackfillPlan;
  runs: RunRecord[];
  downstream: number[][];
  done: Promise<BackfillRecord>;
  resolveDone: (r: BackfillRecord) => void;
}

/** The tags Dagster puts on a backfill's runs, after the backfill's own tags. */
export function runTags(backfill: BackfillRecord, run: RunRecord): Record<string, string> {
  const tags: Record<string, string> = { ...backfill.tags, 'dagster/backfill': backfill.id };
  const bounds = run.partitionKey.split('...');
  if (bounds.length === 2) {
    tags['dagster/asset_partition_range_start'] = bounds[0]!;
    tags['dagster/asset_partition_range_end'] = bounds[1]!;
  } else if (run.partitionKey !== '') tags['dagster/partition'] = run.partitionKey;
  if ((run.attempt ?? 1) > 1) tags['dagster/retry_number'] = String((run.attempt ?? 1) - 1);
  if (backfill.parentId) tags['dagster/parent_backfill_id'] = backfill.parentId;
  return tags;
}

/** Dagster's backfill ids: eight lowercase letters. */
export function newBackfillId(): string {
  return [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

export class BackfillDaemon {
  private readonly changed = new Emitter<BackfillChange>();
  readonly onDidChange = this.changed.event;
  private readonly logged = new Emitter<{ runId: string }>();
  /** A run wrote output (kept apart from onDidChange: output arrives far more often than status changes). */
  readonly onDidLog = this.logged.event;
  private readonly active = new Map<string, ActiveBackfill>();

  constructor(private readonly options: BackfillDaemonOptions) {}

  /** Records the backfill, its plan and its runs, then starts every run with no upstream run. */
  launch(plan: BackfillPlan, link: { parentId?: string } = {}): BackfillRecord {
    const { store, clock } = this.options;
    const createdAt = clock.now().getTime();
    const record: BackfillRecord = {
      id: newBackfillId(),
      status: 'REQUESTED',
      targets: plan.targets,
      partitionCount: plan.partitionCount,
      origin: this.options.origin,
      createdAt,
      endedAt: null,
      selection: plan.selection,
      ...(link.parentId ? { parentId: link.parentId } : {}),
    };
    const runs: RunRecord[] = plan.runs.map((r) => ({
      id: randomUUID(), backfillId: record.id, target: r.targets.join(','), partitionKey: runPartitionLabel(r),
      status: 'QUEUED', createdAt, startedAt: null, endedAt: null, exitCode: null, error: null,
    }));
    store.createBackfill(record, runs);
    const stored: StoredPlan = { plan, ...(link.parentId ? { parentId: link.parentId } : {}) };
    store.savePlan(record.id, JSON.stringify(stored), plan.inputsHash);
    this.activate(record, plan, runs);
    return { ...record };
  }

  /** Continues a CANCELED or FAILED backfill (or one whose process ended): launches what was never launched. */
  resume(backfillId: string): BackfillRecord {
    const { store, clock } = this.options;
    if (this.active.has(backfillId)) throw new BackfillPlanError(`backfill ${backfillId} is running; there is nothing to resume`);
    const record = this.stored(backfillId);
    if (record.status === 'COMPLETED_SUCCESS' || record.status === 'COMPLETED_FAILED') {
      throw new BackfillPlanError(`backfill ${backfillId} completed (${record.status}); re-execute it to run failed partitions again`);
    }
    const { plan, parentId } = this.storedPlan(backfillId);
    const runs = store.listRuns(backfillId);
    const steps = resumeSteps(plan, runs);
    const now = clock.now().getTime();
    for (const i of steps.interrupted) {
      const run = runs[i]!;
      Object.assign(run, { status: 'FAILURE', endedAt: now, error: 'interrupted: the process running it ended before it did' });
      store.updateRun(run.id, { status: 'FAILURE', endedAt: now, error: run.error });
      this.setStatuses(plan, i, run, 'FAILED');
    }
    for (const i of steps.requeue) {
      const run = runs[i]!;
      Object.assign(run, { status: 'QUEUED', endedAt: null, exitCode: null, error: null });
      store.updateRun(run.id, { status: 'QUEUED', endedAt: null, exitCode: null, error: null });
    }
    Object.assign(record, { status: 'REQUESTED', endedAt: null }, parentId ? { parentId } : {});
    store.updateBackfillStatus(backfillId, 'REQUESTED', null);
    this.activate(record, plan, runs);
    return { ...record };
  }

  /** A new backfill linked to a terminal one: all its runs again, or those that did not succeed. */
  reexecute(backfillId: string, options: { fromFailure: boolean }): BackfillRecord {
    const record = this.stored(backfillId);
    if (!TERMINAL_BACKFILL_STATUSES.has(record.status) || this.active.has(backfillId)) {
      throw new BackfillPlanError(`Cannot re-execute backfill ${backfillId} because it is still in progress.`);
    }
    const { plan } = this.storedPlan(backfillId);
    return this.launch(reexecutionPlan(backfillId, plan, this.options.store.listRuns(backfillId), options.fromFailure), { parentId: backfillId });
  }

  /** The backfill a re-execution came from, from its saved plan (the store has no column for it). */
  parentOf(backfillId: string): string | undefined {
    const saved = this.options.store.getPlan(backfillId);
    return saved ? parseStoredPlan(backfillId, saved.planJson).parentId : undefined;
  }

  /** Resolves with the final record once every run of the backfill has ended. */
  whenDone(backfillId: string): Promise<BackfillRecord> {
    const a = this.active.get(backfillId);
    if (a) return a.done;
    const stored = this.options.store.getBackfill(backfillId);
    return stored ? Promise.resolve(stored) : Promise.reject(new Error(`no backfill with id ${backfillId}`));
  }

  /** Cancels queued runs and terminates running ones; false when the backfill is not running here. */
  cancel(backfillId: string): boolean {
    const a = this.active.get(backfillId);
    if (!a || a.record.status !== 'REQUESTED') return false;
    this.setBackfillStatus(a, 'CANCELING', null);
    this.options.coordinator.cancelGroup(backfillId);
    a.runs.forEach((r, i) => {
      if (r.status === 'QUEUED') this.finishRun(a, i, { status: 'CANCELED', exitCode: null, error: 'canceled before launch' });
    });
    this.settle(a);
    return true;
  }

  private stored(backfillId: string): BackfillRecord {
    const record = this.options.store.getBackfill(backfillId);
    if (!record) throw new BackfillPlanError(`no backfill with id ${backfillId}`);
    return record;
  }

  private storedPlan(backfillId: string): StoredPlan {
    const saved = this.options.store.getPlan(backfillId);
    if (!saved) throw new BackfillPlanError(`backfill ${backfillId} has no saved plan (it was created by an older version), so it cannot be resumed or re-executed`);
    return parseStoredPlan(backfillId, saved.planJson);
  }

  private activate(record: BackfillRecord, plan: BackfillPlan, runs: RunRecord[]): void {
    const downstream: number[][] = runs.map(() => []);
    plan.runs.forEach((r, i) => r.upstream.forEach((u) => downstream[u]!.push(i)));
    let resolveDone!: (r: BackfillRecord) => void;
    const done = new Promise<BackfillRecord>((resolve) => (resolveDone = resolve));
    const a: ActiveBackfill = { record, plan, runs, downstream, done, resolveDone };
    this.active.set(record.id, a);
    this.changed.fire({ backfillId: record.id });
    runs.forEach((r, i) => {
      if (r.status === 'QUEUED' && plan.runs[i]!.upstream.every((u) => runs[u]!.status === 'SUCCESS')) this.enqueue(a, i);
    });
    runs.forEach((r, i) => {
      if (r.status === 'FAILURE' || r.status === 'CANCELED') this.failDownstream(a, i);
    });
    this.settle(a);
  }

  private enqueue(a: ActiveBackfill, index: number): void {
    const run = a.runs[index]!;
    this.options.coordinator.enqueue(a.record.id, async (signal) => {
      if (run.status !== 'QUEUED' || signal.aborted) return;
      const { store, clock, launcher } = this.options;
      run.status = 'STARTED';
      run.startedAt = clock.now().getTime();
      store.updateRun(run.id, { status: 'STARTED', startedAt: run.startedAt });
      store.appendRunEvent(run.id, 'RUN_START', { targets: a.plan.runs[index]!.targets, partition: run.partitionKey });
      this.setStatuses(a.plan, index, run, 'IN_PROGRESS');
      this.changed.fire({ backfillId: a.record.id, runId: run.id });
      const outcome = await launcher.launch(
        { runId: run.id, backfillId: a.record.id, target: run.target, targets: a.plan.runs[index]!.targets, partitionKey: run.partitionKey, tags: runTags(a.record, run), attempt: run.attempt ?? 1 },
        {
          signal,
          onLog: (text) => {
            store.appendRunLog(run.id, text);
            this.logged.fire({ runId: run.id });
          },
        },
      );
      this.finishRun(a, index, outcome);
      if (outcome.status === 'SUCCESS') {
        for (const child of a.downstream[index]!) {
          const ready = a.plan.runs[child]!.upstream.every((u) => a.runs[u]!.status === 'SUCCESS');
          if (ready && a.record.status === 'REQUESTED') this.enqueue(a, child);
        }
      } else {
        this.failDownstream(a, index);
      }
      this.settle(a);
    });
  }

  /** Every target of a run gets the status for all of the run's keys (a range run sets them all). */
  private setStatuses(plan: BackfillPlan, index: number, run: RunRecord, status: PartitionStatus): void {
    const planned = plan.runs[index]!;
    const keys = planned.keySpace < 0 ? [''] : keysOfRun(plan, planned);
    for (const t of planned.targets) {
      if (keys.length === 1) this.options.store.setPartitionStatus(t, keys[0]!, status, run.id);
      else this.options.store.setPartitionStatuses(t, keys, status, run.id);
    }
  }

  private finishRun(a: ActiveBackfill, index: number, outcome: RunOutcome): void {
    const { store, clock } = this.options;
    const run = a.runs[index]!;
    const launched = run.startedAt !== null;
    run.status = outcome.status;
    run.endedAt = clock.now().getTime();
    run.exitCode = outcome.exitCode;
    run.error = outcome.error;
    store.updateRun(run.id, { status: run.status, endedAt: run.endedAt, exitCode: run.exitCode, error: run.error });
    if (launched) {
      // As Dagster's failed_and_downstream subset: a canceled run's partitions count as failed too.
      this.setStatuses(a.plan, index, run, outcome.status === 'SUCCESS' ? 'MATERIALIZED' : 'FAILED');
      store.appendRunEvent(run.id, outcome.status === 'SUCCESS' ? 'RUN_SUCCESS' : outcome.status === 'FAILURE' ? 'RUN_FAILURE' : 'RUN_CANCELED', { exitCode: outcome.exitCode, error: outcome.error });
    }
    this.changed.fire({ backfillId: a.record.id, runId: run.id });
  }

  /** As Dagster: every targeted downstream partition of a failed partition is failed-upstream and never requested. */
  private failDownstream(a: ActiveBackfill, index: number): void {
    const failed = a.runs[index]!;
    const stack = [...a.downstream[index]!];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (a.runs[i]!.status !== 'QUEUED') continue;
      const why = `failed upstream: ${failed.target} ${failed.partitionKey} did not succeed; not launched`;
      this.finishRun(a, i, { status: 'CANCELED', exitCode: null, error: why });
      this.options.store.appendRunEvent(a.runs[i]!.id, 'UPSTREAM_FAILED', { upstreamRunId: failed.id, target: failed.target, partition: failed.partitionKey });
      stack.push(...a.downstream[i]!);
    }
  }

  private settle(a: ActiveBackfill): void {
    if (!this.active.has(a.record.id) || !a.runs.every((r) => TERMINAL_RUN_STATUSES.has(r.status))) return;
    const endedAt = this.options.clock.now().getTime();
    if (a.record.status === 'CANCELING') this.setBackfillStatus(a, 'CANCELED', endedAt);
    else if (a.runs.every((r) => r.status === 'SUCCESS')) this.setBackfillStatus(a, 'COMPLETED_SUCCESS', endedAt);
    else this.setBackfillStatus(a, 'COMPLETED_FAILED', endedAt);
    this.active.delete(a.record.id);
    const final = { ...a.record };
    void this.options.store.flush().then(
      () => a.resolveDone(final),
      () => a.resolveDone(final),
    );
  }

  private setBackfillStatus(a: ActiveBackfill, status: BackfillRecord['status'], endedAt: number | null): void {
    a.record.status = status;
    a.record.endedAt = endedAt;
    this.options.store.updateBackfillStatus(a.record.id, status, endedAt);
    this.changed.fire({ backfillId: a.record.id });
  }
}
