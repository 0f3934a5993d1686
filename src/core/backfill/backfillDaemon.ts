// Executes backfill plans: records backfills and runs in the store, feeds runs to the coordinator in
// dependency order, and folds each outcome into run, partition and backfill status.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { RunCoordinator } from '../coordinator/runCoordinator';
import type { RunLauncher } from '../coordinator/runLauncher';
import { Emitter } from '../emitter';
import type { StateStore } from '../storage/stateStore';
import { TERMINAL_RUN_STATUSES, type BackfillRecord, type RunRecord } from './backfill';
import type { BackfillPlan } from './planBackfill';

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
  runs: RunRecord[];
  downstream: number[][];
  upstream: number[][];
  done: Promise<BackfillRecord>;
  resolveDone: (r: BackfillRecord) => void;
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

  /** Records the backfill and its runs, then starts every run with no upstream run. */
  launch(plan: BackfillPlan): BackfillRecord {
    const { store, clock } = this.options;
    const createdAt = clock.now().getTime();
    const record: BackfillRecord = {
      id: newBackfillId(),
      status: 'REQUESTED',
      targets: plan.targets,
      partitionCount: plan.partitionKeys.length,
      origin: this.options.origin,
      createdAt,
      endedAt: null,
      selection: plan.selection,
    };
    const runs: RunRecord[] = plan.runs.map((r) => ({
      id: randomUUID(),
      backfillId: record.id,
      target: r.target,
      partitionKey: r.partitionKey,
      status: 'QUEUED',
      createdAt,
      startedAt: null,
      endedAt: null,
      exitCode: null,
      error: null,
    }));
    store.createBackfill(record, runs);
    const downstream: number[][] = runs.map(() => []);
    plan.runs.forEach((r, i) => r.upstream.forEach((u) => downstream[u]!.push(i)));
    let resolveDone!: (r: BackfillRecord) => void;
    const done = new Promise<BackfillRecord>((resolve) => (resolveDone = resolve));
    const active: ActiveBackfill = { record, runs, downstream, upstream: plan.runs.map((r) => r.upstream), done, resolveDone };
    this.active.set(record.id, active);
    this.changed.fire({ backfillId: record.id });
    runs.forEach((_, i) => {
      if (active.upstream[i]!.length === 0) this.enqueue(active, i);
    });
    return { ...record };
  }

  /** Resolves with the final record once every run of the backfill has ended. */
  whenDone(backfillId: string): Promise<BackfillRecord> {
    const a = this.active.get(backfillId);
    if (a) return a.done;
    const stored = this.options.store.getBackfill(backfillId);
    return stored ? Promise.resolve(stored) : Promise.reject(new Error(`no backfill with id ${backfillId}`));
  }

  isActive(backfillId: string): boolean {
    return this.active.has(backfillId);
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

  private enqueue(a: ActiveBackfill, index: number): void {
    const run = a.runs[index]!;
    this.options.coordinator.enqueue(a.record.id, async (signal) => {
      if (run.status !== 'QUEUED' || signal.aborted) return;
      const { store, clock, launcher } = this.options;
      run.status = 'STARTED';
      run.startedAt = clock.now().getTime();
      store.updateRun(run.id, { status: 'STARTED', startedAt: run.startedAt });
      store.setPartitionStatus(run.target, run.partitionKey, 'IN_PROGRESS', run.id);
      this.changed.fire({ backfillId: a.record.id, runId: run.id });
      const outcome = await launcher.launch(
        { runId: run.id, backfillId: a.record.id, target: run.target, partitionKey: run.partitionKey },
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
          const ready = a.upstream[child]!.every((u) => a.runs[u]!.status === 'SUCCESS');
          if (ready && a.record.status === 'REQUESTED') this.enqueue(a, child);
        }
      } else {
        this.failDownstream(a, index);
      }
      this.settle(a);
    });
  }

  private finishRun(a: ActiveBackfill, index: number, outcome: { status: 'SUCCESS' | 'FAILURE' | 'CANCELED'; exitCode: number | null; error: string | null }): void {
    const { store, clock } = this.options;
    const run = a.runs[index]!;
    const launched = run.startedAt !== null;
    run.status = outcome.status;
    run.endedAt = clock.now().getTime();
    run.exitCode = outcome.exitCode;
    run.error = outcome.error;
    store.updateRun(run.id, { status: run.status, endedAt: run.endedAt, exitCode: run.exitCode, error: run.error });
    if (launched) {
      const status = outcome.status === 'SUCCESS' ? 'MATERIALIZED' : outcome.status === 'FAILURE' ? 'FAILED' : 'MISSING';
      store.setPartitionStatus(run.target, run.partitionKey, status, run.id);
    }
    this.changed.fire({ backfillId: a.record.id, runId: run.id });
  }

  /** As Dagster: downstream partitions of a failed partition are marked and never requested. */
  private failDownstream(a: ActiveBackfill, index: number): void {
    const failed = a.runs[index]!;
    const stack = [...a.downstream[index]!];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (a.runs[i]!.status !== 'QUEUED') continue;
      this.finishRun(a, i, { status: 'CANCELED', exitCode: null, error: `not launched: upstream ${failed.target} ${failed.partitionKey} did not succeed` });
      stack.push(...a.downstream[i]!);
    }
  }

  private settle(a: ActiveBackfill): void {
    if (!a.runs.every((r) => TERMINAL_RUN_STATUSES.has(r.status))) return;
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
