// One backfill while this process runs it: feeds its runs to the coordinator in dependency order, retries
// failed runs after a growing delay, enforces run timeouts and the failure limit, pauses and cancels, and
// folds every outcome into run, partition and backfill status. Each start is on disk before its process spawns.
import { startTimer, type Clock, type ClockTimer } from '../clock';
import type { RunCoordinator } from '../coordinator/runCoordinator';
import { RUN_TIMEOUT_ABORT, type RunLauncher, type RunOutcome, type RunRequest } from '../coordinator/runLauncher';
import { retryDelayMs, willRetry } from '../coordinator/runRetryPolicy';
import type { RunLogFiles } from '../storage/runLogFiles';
import type { StateStore } from '../storage/stateStore';
import { isSkippedUpstreamFailed, TERMINAL_RUN_STATUSES, UPSTREAM_FAILED_ERROR_PREFIX, type BackfillRecord, type BackfillStatus, type RunRecord } from './backfill';
import type { BackfillEvent } from './backfillEvent';
import type { BackfillPlan } from './backfillPlan';
import { runTags } from './backfillRunTags';
import type { ResolvedLaunchOptions } from './launchOptions';
import { fencedStateStore } from './fencedStateStore';
import { recordRunProcess } from './processStartTime';
import { RunPartitionStatuses } from './runPartitionStatuses';

export interface BackfillChange {
  backfillId: string;
  runId?: string;
}

/** What an active backfill needs from the daemon that runs it. */
export interface BackfillContext {
  store: StateStore;
  coordinator: RunCoordinator;
  launcher: RunLauncher;
  clock: Clock;
  /** Where each run's full output goes (the store keeps a tail); absent, only the tail is kept. */
  runLogs?: Pick<RunLogFiles, 'open'>;
  /** Resolves once everything recorded so far is on disk; runs started in the same turn share one write. */
  durable(): Promise<void>;
  changed(change: BackfillChange): void;
  /** What happened, for logs (see backfillEvent.ts). */
  event(event: BackfillEvent): void;
  logged(runId: string): void;
  ended(backfill: ActiveBackfill): void;
}

/** A run's error when its backfill failed before launching anything: the reason is the backfill's, said once. */
export const NOT_LAUNCHED_PREFLIGHT = "not launched: the backfill failed before launching any run (see the backfill's error)";

export class ActiveBackfill {
  private readonly downstream: number[][];
  private readonly partitionStatuses: RunPartitionStatuses;
  readonly done: Promise<BackfillRecord>;
  private resolveDone!: (r: BackfillRecord) => void;
  private readonly retryTimers = new Map<number, ClockTimer>();
  private failures = 0;
  /** Set once the failure limit is reached: nothing more starts and the backfill ends FAILED. */
  private stopReason: string | null = null;
  private finished = false;
  /** Set when another process took the backfill over: from then on nothing is written (see relinquish). */
  private relinquished = false;
  private readonly store: StateStore;

  constructor(
    private readonly ctx: BackfillContext,
    readonly record: BackfillRecord,
    readonly plan: BackfillPlan,
    readonly runs: RunRecord[],
    readonly options: ResolvedLaunchOptions,
    /** Whether failures recorded before (by a process that died) count toward stop-after-failures; a resume starts afresh. */
    countPriorFailures = true,
  ) {
    this.store = fencedStateStore(ctx.store, () => this.relinquished);
    this.downstream = runs.map(() => []);
    this.partitionStatuses = new RunPartitionStatuses(this.store, plan);
    plan.runs.forEach((r, i) => r.upstream.forEach((u) => this.downstream[u]!.push(i)));
    this.done = new Promise((resolve) => (this.resolveDone = resolve));
    this.failures = countPriorFailures ? runs.filter((r) => r.status === 'FAILURE').length : 0;
  }

  get id(): string {
    return this.record.id;
  }

  get paused(): boolean {
    return this.ctx.coordinator.isPaused(this.id);
  }

  /**
   * Queues every run whose upstream runs succeeded, in the chosen partition order; blocks the downstream of
   * failed ones. A stored pause holds them (an adopted paused backfill stays paused); a retry a previous
   * process scheduled waits for its stored due time.
   */
  start(): void {
    this.ctx.changed({ backfillId: this.id });
    if (this.accepting() && this.record.pausedAt != null) this.ctx.coordinator.pauseGroup(this.id);
    const now = this.ctx.clock.now().getTime();
    this.runs.forEach((r, i) => {
      if (r.status === 'QUEUED' && r.retryDueAt != null && r.retryDueAt > now) this.armRetry(i, r.retryDueAt - now);
    });
    this.runs.forEach((r, i) => {
      if (r.status === 'FAILURE' || r.status === 'CANCELED') this.failDownstream(i);
    });
    const queued = this.runs.flatMap((r, i) => (r.status === 'QUEUED' ? [i] : []));
    const preflight = this.ctx.launcher.preflight;
    if (!preflight || queued.length === 0 || !this.accepting()) return this.release();
    // What every run needs alike is checked once: a code location that does not load fails the backfill once.
    preflight.call(this.ctx.launcher, queued.map((i) => this.request(i))).then(
      (error) => (error === null ? this.release() : this.failBeforeLaunch(error)),
      (e: unknown) => this.failBeforeLaunch(`the preflight failed: ${e instanceof Error ? e.message : String(e)}`),
    );
  }

  /** The runs whose upstream runs succeeded go to the coordinator. */
  private release(): void {
    if (this.accepting()) this.enqueueInOrder(this.runs.map((_, i) => i).filter((i) => this.ready(i)));
    this.settle();
  }

  /** Nothing was launched: the one error is the backfill's, each run is canceled as never launched, the backfill ends FAILED. */
  private failBeforeLaunch(error: string): void {
    if (!this.accepting()) return this.settle();
    this.record.error = error;
    this.store.setBackfillError(this.id, error);
    this.stopReason = error;
    this.ctx.event({ kind: 'failedBeforeLaunch', backfillId: this.id, error });
    this.haltRuns(NOT_LAUNCHED_PREFLIGHT);
    this.settle();
  }

  /** The pause is recorded (stored) before the coordinator holds the runs; `at` is a pause another process stored. */
  pause(at = this.ctx.clock.now().getTime()): boolean {
    if (!this.accepting() || this.paused) return false;
    this.storePause(at);
    this.ctx.coordinator.pauseGroup(this.id);
    this.ctx.changed({ backfillId: this.id });
    this.ctx.event({ kind: 'paused', backfillId: this.id, where: 'here' });
    return true;
  }

  unpause(): boolean {
    if (!this.paused) return false;
    this.storePause(null);
    this.ctx.coordinator.resumeGroup(this.id);
    this.ctx.changed({ backfillId: this.id });
    this.ctx.event({ kind: 'resumed', backfillId: this.id, where: 'here' });
    return true;
  }

  /** Dagster's cancel: CANCELING, queued runs canceled, running ones terminated, then CANCELED once all ended. */
  cancel(): boolean {
    if (this.record.status === 'REQUESTED') this.setBackfillStatus('CANCELING', null);
    // An adopted backfill may arrive CANCELING: its cancel is carried out here.
    else if (this.record.status !== 'CANCELING' || this.finished) return false;
    this.ctx.event({ kind: 'canceling', backfillId: this.id, where: 'here' });
    this.haltRuns('canceled before launch');
    this.settle();
    return true;
  }

  /**
   * Another process adopted this backfill while this one was not heard from (its heartbeat went stale): it is
   * theirs now. Nothing more is written, runs still going here are terminated (the adopter runs them again,
   * or found them materialized), and `done` resolves with the reason as the error.
   */
  relinquish(reason: string): void {
    if (this.finished) return;
    this.relinquished = true;
    this.finished = true;
    this.stopReason = reason;
    this.record.error = reason;
    this.ctx.event({ kind: 'relinquished', backfillId: this.id, reason });
    for (const timer of this.retryTimers.values()) timer.cancel();
    this.retryTimers.clear();
    this.ctx.coordinator.cancelGroup(this.id);
    this.ctx.coordinator.resumeGroup(this.id);
    this.ctx.ended(this);
    this.ctx.changed({ backfillId: this.id });
    this.resolveDone({ ...this.record });
  }

  /** Written only when the store says otherwise, so applying another process's pause writes nothing. */
  private storePause(at: number | null): void {
    this.record.pausedAt = at;
    if ((this.store.getBackfill(this.id)?.pausedAt ?? null) !== at) this.store.setBackfillPaused(this.id, at);
  }

  private accepting(): boolean {
    return this.record.status === 'REQUESTED' && this.stopReason === null;
  }

  private ready(i: number): boolean {
    return this.runs[i]!.status === 'QUEUED' && !this.retryTimers.has(i) && this.plan.runs[i]!.upstream.every((u) => this.runs[u]!.status === 'SUCCESS');
  }

  private enqueueInOrder(indexes: number[]): void {
    const rank = (i: number) => (this.plan.runs[i]!.keySpace < 0 ? 0 : this.plan.runs[i]!.startIndex);
    const sign = this.options.order === 'newest-first' ? -1 : 1;
    indexes.sort((a, b) => sign * (rank(a) - rank(b)) || a - b);
    for (const i of indexes) this.enqueue(i);
  }

  private enqueue(index: number): void {
    this.ctx.coordinator.enqueue(this.id, (signal) => this.execute(index, signal), { tags: runTags(this.record, this.runs[index]!) });
  }

  request(index: number): RunRequest {
    const run = this.runs[index]!;
    const targets = this.plan.runs[index]!.targets;
    return { runId: run.id, backfillId: this.id, target: run.target, targets, partitionKey: run.partitionKey, tags: runTags(this.record, run), attempt: run.attempt ?? 1, startedAt: run.startedAt };
  }

  private async execute(index: number, signal: AbortSignal): Promise<void> {
    const run = this.runs[index]!;
    if (run.status !== 'QUEUED' || signal.aborted || !this.accepting()) return;
    const { clock, launcher } = this.ctx;
    const store = this.store;
    const attempt = run.attempt ?? 1;
    const started = { status: 'STARTED' as const, startedAt: clock.now().getTime(), endedAt: null, exitCode: null, error: null, attempt, pid: null, pidStartTime: null, retryDueAt: null };
    Object.assign(run, started);
    store.updateRun(run.id, started);
    store.appendRunEvent(run.id, 'RUN_START', { targets: this.plan.runs[index]!.targets, partition: run.partitionKey, attempt });
    this.partitionStatuses.attemptStarted(index, run.id);
    this.ctx.changed({ backfillId: this.id, runId: run.id });
    try {
      // The start is on disk before the process exists, so a crash never leaves a process the store does not know of.
      await this.ctx.durable();
    } catch (e) {
      this.complete(index, { status: 'FAILURE', exitCode: null, error: `not launched: its start could not be written to the state file (${e instanceof Error ? e.message : String(e)})` });
      return;
    }
    if (signal.aborted || !this.accepting()) return this.complete(index, { status: 'CANCELED', exitCode: null, error: 'canceled before launch' });
    const controller = new AbortController();
    const forward = () => controller.abort();
    signal.addEventListener('abort', forward, { once: true });
    let timedOut = false;
    const maxRuntimeMs = this.options.maxRuntimeMs;
    const timeout = maxRuntimeMs === null ? undefined : startTimer(clock, maxRuntimeMs, () => {
      timedOut = true;
      controller.abort(RUN_TIMEOUT_ABORT);
    });
    let outcome: RunOutcome;
    const logFile = this.ctx.runLogs?.open(this.id, run.id);
    // Attempts share the run's file: a retry starts below the failed attempt's output.
    if (attempt > 1) logFile?.write(`\n--- attempt ${attempt} started ${new Date(run.startedAt!).toISOString()} ---\n`);
    try {
      outcome = await launcher.launch(this.request(index), {
        signal: controller.signal,
        onLog: (text) => {
          logFile?.write(text);
          store.appendRunLog(run.id, text);
          this.ctx.logged(run.id);
        },
        onEvent: (kind, payload) => store.appendRunEvent(run.id, kind, payload),
        onProcess: (pid) => recordRunProcess(store, run, pid),
      });
    } catch (e) {
      outcome = { status: 'FAILURE', exitCode: null, error: `the launcher failed: ${e instanceof Error ? e.message : String(e)}` };
    } finally {
      timeout?.cancel();
      signal.removeEventListener('abort', forward);
      // The run's end is announced once its whole output is in the file (`backfill logs` right after must see it).
      await logFile?.close();
    }
    if (timedOut && outcome.status !== 'SUCCESS') {
      outcome = { status: 'FAILURE', exitCode: outcome.exitCode, error: `exceeded its maximum runtime (dagster/max_runtime ${maxRuntimeMs! / 1000} s) and was terminated` };
    }
    this.complete(index, outcome);
  }

  /** An attempt ended: retry it, or record the run's end and move on to its downstream runs. */
  private complete(index: number, outcome: RunOutcome): void {
    const run = this.runs[index]!;
    if (this.accepting() && willRetry(this.options.retry, outcome.status, run.attempt ?? 1)) return this.scheduleRetry(index, outcome);
    this.finishRun(index, this.stopReason !== null && outcome.status === 'CANCELED' ? { ...outcome, error: `canceled: ${this.stopReason}` } : outcome);
    if (outcome.status === 'FAILURE') this.ctx.event({ kind: 'runFailed', backfillId: this.id, run, attempt: run.attempt ?? 1, retrying: false });
    if (outcome.status === 'SUCCESS') {
      if (this.accepting()) this.enqueueInOrder(this.downstream[index]!.filter((c) => this.ready(c)));
    } else this.failDownstream(index);
    if (outcome.status === 'FAILURE') this.countFailure();
    this.settle();
  }

  /**
   * The failed attempt is recorded, then the run waits QUEUED for the next attempt (dagster/retry_number
   * one higher). Its downstream runs keep waiting: they start if a retry succeeds. The due time and attempt
   * are stored with it, so a process that adopts the backfill after a crash waits for the same moment.
   */
  private scheduleRetry(index: number, outcome: RunOutcome): void {
    const { clock } = this.ctx;
    const store = this.store;
    const run = this.runs[index]!;
    const attempt = run.attempt ?? 1;
    const delayMs = retryDelayMs(this.options.retry, attempt);
    this.ctx.event({ kind: 'runFailed', backfillId: this.id, run: { ...run, error: outcome.error }, attempt, retrying: true });
    store.appendRunEvent(run.id, 'RUN_FAILURE', { attempt, exitCode: outcome.exitCode, error: outcome.error });
    this.partitionStatuses.attemptFailed(index, run.id);
    const waiting = {
      status: 'QUEUED' as const, attempt: attempt + 1, startedAt: null, endedAt: null, exitCode: outcome.exitCode, pid: null, pidStartTime: null, retryDueAt: clock.now().getTime() + delayMs,
      error: `attempt ${attempt} failed (${outcome.error ?? 'no reason given'}); retry ${attempt} of ${this.options.retry.maxRetries} in ${delayMs / 1000} s`,
    };
    Object.assign(run, waiting);
    store.updateRun(run.id, waiting);
    store.appendRunEvent(run.id, 'RUN_RETRY_SCHEDULED', { attempt: attempt + 1, delayMs });
    this.ctx.changed({ backfillId: this.id, runId: run.id });
    this.armRetry(index, delayMs);
  }

  private armRetry(index: number, delayMs: number): void {
    this.retryTimers.set(index, startTimer(this.ctx.clock, delayMs, () => {
      this.retryTimers.delete(index);
      if (this.ready(index) && this.accepting()) this.enqueue(index);
    }));
  }

  private countFailure(): void {
    this.failures++;
    const limit = this.options.stopAfterFailures;
    if (limit === null || this.failures < limit || !this.accepting()) return;
    this.stopReason = `the backfill stopped after ${this.failures} failed run${this.failures === 1 ? '' : 's'} (stop after ${limit} failures)`;
    this.haltRuns(`canceled: ${this.stopReason}`);
  }

  /** Nothing more starts: queued runs (and those waiting for a retry) are canceled, running ones terminated. */
  private haltRuns(queuedError: string): void {
    for (const timer of this.retryTimers.values()) timer.cancel();
    this.retryTimers.clear();
    this.ctx.coordinator.cancelGroup(this.id);
    this.runs.forEach((r, i) => {
      if (r.status === 'QUEUED') this.finishRun(i, { status: 'CANCELED', exitCode: null, error: queuedError });
    });
  }

  finishRun(index: number, outcome: RunOutcome, event: Record<string, unknown> = {}): void {
    const { clock } = this.ctx;
    const store = this.store;
    const run = this.runs[index]!;
    // Launched now, or before a retry that never started: either way its partitions had a try.
    const launched = run.startedAt !== null || (run.attempt ?? 1) > 1;
    const end = { status: outcome.status, endedAt: clock.now().getTime(), exitCode: outcome.exitCode, error: outcome.error, retryDueAt: null };
    Object.assign(run, end);
    store.updateRun(run.id, end);
    if (launched) {
      // A canceled run's partitions are CANCELED, not FAILED (those materialized before it started stay so).
      this.partitionStatuses.runEnded(index, run.id, outcome.status);
      const kind = outcome.status === 'SUCCESS' ? 'RUN_SUCCESS' : outcome.status === 'FAILURE' ? 'RUN_FAILURE' : 'RUN_CANCELED';
      store.appendRunEvent(run.id, kind, { attempt: run.attempt ?? 1, exitCode: outcome.exitCode, error: outcome.error, ...event });
    } else if (outcome.status === 'CANCELED' && !isSkippedUpstreamFailed(run)) {
      // Counted canceled by the backfill's views, so the definition's views count its partitions canceled too.
      this.partitionStatuses.canceledBeforeLaunch(index, run.id);
    }
    this.ctx.changed({ backfillId: this.id, runId: run.id });
  }

  /** As Dagster: every targeted downstream partition of a failed partition is failed-upstream and never requested. */
  private failDownstream(index: number): void {
    const failed = this.runs[index]!;
    const stack = [...this.downstream[index]!];
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (this.runs[i]!.status !== 'QUEUED') continue;
      const timer = this.retryTimers.get(i);
      timer?.cancel();
      this.retryTimers.delete(i);
      // Skipped, not canceled: isSkippedUpstreamFailed (backfill.ts) tells them apart by this prefix.
      const why = `${UPSTREAM_FAILED_ERROR_PREFIX}${failed.target} ${failed.partitionKey} did not succeed; not launched`;
      this.finishRun(i, { status: 'CANCELED', exitCode: null, error: why });
      this.store.appendRunEvent(this.runs[i]!.id, 'UPSTREAM_FAILED', { upstreamRunId: failed.id, target: failed.target, partition: failed.partitionKey });
      stack.push(...this.downstream[i]!);
    }
  }

  private settle(): void {
    if (this.finished || !this.runs.every((r) => TERMINAL_RUN_STATUSES.has(r.status))) return;
    this.finished = true;
    const endedAt = this.ctx.clock.now().getTime();
    // Stopping at the failure limit is Dagster's FAILED (the backfill was not processed to the end, as its
    // FAILING → FAILED path); COMPLETED_FAILED would claim every run was given its chance.
    if (this.record.status === 'CANCELING') this.setBackfillStatus('CANCELED', endedAt);
    else if (this.stopReason !== null) this.setBackfillStatus('FAILED', endedAt);
    else if (this.runs.every((r) => r.status === 'SUCCESS')) this.setBackfillStatus('COMPLETED_SUCCESS', endedAt);
    else this.setBackfillStatus('COMPLETED_FAILED', endedAt);
    this.record.owner = null;
    this.store.setBackfillOwner(this.id, null);
    if (this.record.pausedAt != null) this.storePause(null);
    this.ctx.coordinator.resumeGroup(this.id);
    this.ctx.ended(this);
    const final = { ...this.record };
    this.ctx.event({ kind: 'ended', backfill: final, runs: this.runs });
    void this.store.flush().then(
      () => this.resolveDone(final),
      () => this.resolveDone(final),
    );
  }

  private setBackfillStatus(status: BackfillStatus, endedAt: number | null): void {
    this.record.status = status;
    this.record.endedAt = endedAt;
    this.store.updateBackfillStatus(this.id, status, endedAt);
    this.ctx.changed({ backfillId: this.id });
  }
}
