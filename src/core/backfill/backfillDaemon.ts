// Executes backfill plans: records backfills, plans and runs in the store, owns the active ones (BackfillStoreWatch
// applies requests from other processes), resumes, adopts orphaned backfills and re-executes.
import { randomBytes, randomUUID } from 'node:crypto';
import * as os from 'node:os';
import type { Clock } from '../clock';
import type { RunCoordinator } from '../coordinator/runCoordinator';
import type { RunLauncher } from '../coordinator/runLauncher';
import { Emitter } from '../emitter';
import type { RunLogFiles } from '../storage/runLogFiles';
import type { StateStore } from '../storage/stateStore';
import { ActiveBackfill, type BackfillChange, type BackfillContext } from './activeBackfill';
import { isPausedBackfill, TERMINAL_BACKFILL_STATUSES, type BackfillRecord, type RunRecord } from './backfill';
import { backfillStatusLabel } from './backfillStatusLabel';
import { adoptRuns } from './backfillAdoption';
import { OWNER_STALE_MS, describeOwner, isOrphaned, ownerOfThisProcess } from './backfillOwnership';
import type { BackfillEvent } from './backfillEvent';
import { BackfillPlanError, runPartitionLabel, type BackfillPlan } from './backfillPlan';
import { parseStoredPlan, reexecutionPlan, resumeSteps, type StoredPlan } from './backfillReexecution';
import { BackfillStoreWatch } from './backfillStoreWatch';
import { resolveLaunchOptions, type LaunchOptions } from './launchOptions';
import { assertMayRunCode } from './workspaceTrust';
import { assertLocalBackfill, type LocalBackfillAction } from '../deployment/localBackfillGuard';

export { runTags } from './backfillRunTags';
export type { BackfillChange } from './activeBackfill';

export interface BackfillDaemonOptions {
  store: StateStore;
  coordinator: RunCoordinator;
  launcher: RunLauncher;
  clock: Clock;
  /** Each run's full output as a file (see RunLogFiles); without it, only the store's tail is kept. */
  runLogs?: Pick<RunLogFiles, 'open'>;
  /** Recorded on each backfill: "cli" or "extension". */
  origin: string;
  /** How often the store is checked for cancel requests from other processes while backfills run (default 1 s). */
  pollIntervalMs?: number;
  /** An owner whose heartbeat is older than this is dead (default 30 s). */
  ownerStaleMs?: number;
  /** Grace between SIGTERM and SIGKILL for a run process left by a dead owner (default 5 s). */
  killGraceMs?: number;
  /** Whether the workspace's code may run (VS Code: a trusted folder); when false every entry that could start or signal a process refuses. */
  mayRunCode?: () => boolean;
  onError?: (error: unknown) => void;
}

/** How a cancel was carried out: here, by asking the live owning process through the store, or by adopting an orphan to end it. */
export type CancelRoute = 'here' | 'owner' | 'orphan';

/** How a pause was carried out: here, by asking the live owning process through the store, or stored on an orphan for whoever adopts it. */
export type PauseRoute = 'here' | 'owner' | 'orphan';

/** Dagster's backfill ids: eight lowercase letters. */
export function newBackfillId(): string {
  return [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
}

/** A status as errors name it to the user: the word every face shows ("Failed", "In progress"), not the enum. */
function word(record: BackfillRecord): string {
  return backfillStatusLabel(record.status, isPausedBackfill(record)).label;
}

export class BackfillDaemon {
  private readonly changed = new Emitter<BackfillChange>();
  readonly onDidChange = this.changed.event;
  private readonly events = new Emitter<BackfillEvent>();
  /** What happened to backfills run or acted on here (launches, pauses, cancels, failed runs, ends), for logs. */
  readonly onEvent = this.events.event;
  private readonly logged = new Emitter<{ runId: string }>();
  /** A run wrote output (kept apart from onDidChange: output arrives far more often than status changes). */
  readonly onDidLog = this.logged.event;
  private readonly active = new Map<string, ActiveBackfill>();
  private readonly adopting = new Map<string, Promise<BackfillRecord>>();
  private readonly context: BackfillContext;
  private pendingWrite: Promise<void> | undefined;
  private readonly watch: BackfillStoreWatch;

  constructor(private readonly options: BackfillDaemonOptions) {
    const { store, coordinator, launcher, clock, runLogs, onError } = options;
    this.watch = new BackfillStoreWatch(this.active, { store, clock, origin: options.origin, pollIntervalMs: options.pollIntervalMs ?? 1000, ...(onError ? { onError } : {}) });
    this.context = {
      store, coordinator, launcher, clock,
      ...(runLogs ? { runLogs } : {}),
      durable: () => this.durable(),
      changed: (c) => this.changed.fire(c),
      event: (e) => this.events.fire(e),
      logged: (runId) => this.logged.fire({ runId }),
      ended: (a) => {
        this.active.delete(a.id);
        this.options.coordinator.setGroupLimit(a.id, null);
        if (this.active.size === 0) this.watch.stop();
      },
    };
  }

  /** Records the backfill, its plan, options and runs, then queues every run with no upstream run. */
  launch(plan: BackfillPlan, launchOptions: LaunchOptions = {}, link: { parentId?: string } = {}): BackfillRecord {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock } = this.options;
    const resolved = resolveLaunchOptions(launchOptions);
    const createdAt = clock.now().getTime();
    const record: BackfillRecord = {
      id: newBackfillId(), status: 'REQUESTED', targets: plan.targets, partitionCount: plan.partitionCount, origin: this.options.origin,
      createdAt, endedAt: null, selection: plan.selection,
      ...(link.parentId ? { parentId: link.parentId } : {}),
      ...(Object.keys(resolved.tags).length > 0 ? { tags: resolved.tags } : {}),
      owner: ownerOfThisProcess(this.options.origin, createdAt),
    };
    const runs: RunRecord[] = plan.runs.map((r) => ({
      id: randomUUID(), backfillId: record.id, target: r.targets.join(','), partitionKey: runPartitionLabel(r),
      status: 'QUEUED', createdAt, startedAt: null, endedAt: null, exitCode: null, error: null, attempt: 1, pid: null,
    }));
    store.createBackfill(record, runs);
    const stored: StoredPlan = { plan, options: launchOptions, ...(link.parentId ? { parentId: link.parentId } : {}) };
    store.savePlan(record.id, JSON.stringify(stored), plan.inputsHash);
    this.events.fire({ kind: 'launched', backfill: { ...record }, runs: runs.length, ...(link.parentId ? { parentId: link.parentId } : {}) });
    this.activate(new ActiveBackfill(this.context, record, plan, runs, resolved));
    return { ...record };
  }

  /**
   * Unpauses a paused backfill, here or (through the store) in the live process that runs it; adopts one
   * whose process died, unpaused; continues a CANCELED or FAILED one by launching what was never launched
   * (as Dagster's resume: failed runs are not retried). isActive() tells afterwards whether it runs here.
   */
  async resume(backfillId: string): Promise<BackfillRecord> {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock } = this.options;
    const running = this.active.get(backfillId);
    if (running) {
      if (!running.unpause()) throw new BackfillPlanError(`backfill ${backfillId} is running; there is nothing to resume`);
      // Acknowledged once durable, so a crash right after cannot bring the pause back.
      await store.flush();
      return { ...running.record };
    }
    await store.reloadIfChanged();
    const record = this.stored(backfillId, 'resume');
    if (record.status === 'COMPLETED_SUCCESS' || record.status === 'COMPLETED_FAILED') {
      throw new BackfillPlanError(`backfill ${backfillId} completed (${word(record)}); re-execute it to run failed partitions again`);
    }
    const now = clock.now().getTime();
    if ((record.status === 'REQUESTED' || record.status === 'CANCELING') && !this.adopting.has(backfillId) && !isOrphaned(record, now, this.staleMs)) {
      if (record.status !== 'REQUESTED' || record.pausedAt == null) {
        throw new BackfillPlanError(`backfill ${backfillId} is ${word(record).toLowerCase()} in ${describeOwner(record.owner!, now)}; there is nothing to resume`);
      }
      // Its owner watches the store and lets the queued runs go once it reads this.
      store.setBackfillPaused(backfillId, null);
      await store.flush();
      this.events.fire({ kind: 'resumed', backfillId, where: 'owner' });
      return { ...record, pausedAt: null };
    }
    if (record.status === 'REQUESTED' || record.status === 'CANCELING') return this.adopt(backfillId, { unpause: true });
    const { plan, parentId, options } = this.storedPlan(backfillId);
    const runs = store.listRuns(backfillId);
    const steps = resumeSteps(plan, runs);
    const a = new ActiveBackfill(this.context, record, plan, runs, resolveLaunchOptions(options), false);
    for (const i of steps.interrupted) a.finishRun(i, { status: 'FAILURE', exitCode: null, error: 'interrupted: the process running it ended before it did' });
    for (const i of steps.requeue) {
      const requeued = { status: 'QUEUED' as const, startedAt: null, endedAt: null, exitCode: null, error: null, pid: null };
      Object.assign(runs[i]!, requeued);
      store.updateRun(runs[i]!.id, requeued);
    }
    Object.assign(record, { status: 'REQUESTED', endedAt: null, owner: ownerOfThisProcess(this.options.origin, now), pausedAt: null, error: null }, parentId ? { parentId } : {});
    store.updateBackfillStatus(backfillId, 'REQUESTED', null);
    store.setBackfillOwner(backfillId, record.owner!);
    if (store.getBackfill(backfillId)!.pausedAt != null) store.setBackfillPaused(backfillId, null);
    // The error that stopped it before launch (a code location that did not load) is the preflight's to find again.
    if (record.error != null) store.setBackfillError(backfillId, null);
    this.events.fire({ kind: 'resumed', backfillId, where: 'here' });
    this.activate(a);
    return { ...record };
  }

  /**
   * Takes over a backfill whose owning process died (isOrphaned): runs it had started are stopped if still
   * alive, counted as SUCCESS when the launcher knows they materialized, else queued again; then it goes on
   * here (or, when it was CANCELING, finishes canceling). A paused backfill stays paused (its interrupted
   * runs are checked all the same, nothing new starts) unless `unpause` (a resume) clears the pause.
   */
  adopt(backfillId: string, options: { unpause?: boolean } = {}): Promise<BackfillRecord> {
    const pending = this.adopting.get(backfillId);
    if (pending) return options.unpause ? pending.then((r) => this.unpauseAdopted(backfillId, r)) : pending;
    const adoption = this.adoptNow(backfillId, options.unpause ?? false).finally(() => this.adopting.delete(backfillId));
    this.adopting.set(backfillId, adoption);
    return adoption;
  }

  private async unpauseAdopted(backfillId: string, adopted: BackfillRecord): Promise<BackfillRecord> {
    const a = this.active.get(backfillId);
    if (!a?.unpause()) return adopted;
    await this.options.store.flush();
    return { ...a.record };
  }

  /** Adopts every orphaned backfill of the store; one that cannot be adopted is reported to onError and skipped. */
  async adoptOrphans(accept: (b: BackfillRecord) => boolean = () => true): Promise<BackfillRecord[]> {
    if (this.options.mayRunCode?.() === false) return []; // nobody asked: orphans stay as they are, no error
    await this.options.store.reloadIfChanged();
    const now = this.options.clock.now().getTime();
    const orphans = this.options.store.listBackfills().filter((b) => !this.active.has(b.id) && isOrphaned(b, now, this.staleMs) && accept(b));
    const adopted: BackfillRecord[] = [];
    for (const b of orphans) {
      try {
        adopted.push(await this.adopt(b.id));
      } catch (e) {
        this.options.onError?.(e);
      }
    }
    return adopted;
  }

  /** A new backfill linked to a terminal one: all its runs again, or those that did not succeed; options default to the parent's. */
  reexecute(backfillId: string, options: { fromFailure: boolean }, launchOptions?: LaunchOptions): BackfillRecord {
    assertMayRunCode(this.options.mayRunCode);
    const record = this.stored(backfillId, 're-execute');
    if (!TERMINAL_BACKFILL_STATUSES.has(record.status) || this.active.has(backfillId)) {
      throw new BackfillPlanError(`Cannot re-execute backfill ${backfillId} because it is still in progress.`);
    }
    const stored = this.storedPlan(backfillId);
    const plan = reexecutionPlan(backfillId, stored.plan, this.options.store.listRuns(backfillId), options.fromFailure);
    return this.launch(plan, launchOptions ?? stored.options ?? {}, { parentId: backfillId });
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
    const adopting = this.adopting.get(backfillId);
    if (adopting) return adopting.then(() => this.whenDone(backfillId));
    const stored = this.options.store.getBackfill(backfillId);
    return stored ? Promise.resolve(stored) : Promise.reject(new Error(`no backfill with id ${backfillId}`));
  }

  isActive(backfillId: string): boolean {
    return this.active.has(backfillId);
  }

  /** Cancels queued runs and terminates running ones; false when the backfill is not running here. */
  cancel(backfillId: string): boolean {
    return this.active.get(backfillId)?.cancel() ?? false;
  }

  /**
   * Cancels wherever the backfill runs: here; in another live process, by writing CANCELING for its owner
   * to act on; or, when its owner is dead, by adopting it to terminate what still runs and end it CANCELED.
   */
  async cancelAnywhere(backfillId: string): Promise<CancelRoute> {
    assertMayRunCode(this.options.mayRunCode);
    if (this.cancel(backfillId)) return 'here';
    const { store, clock } = this.options;
    await store.reloadIfChanged();
    const record = this.stored(backfillId, 'cancel');
    if (TERMINAL_BACKFILL_STATUSES.has(record.status)) throw new BackfillPlanError(`backfill ${backfillId} already ended (${word(record)}); there is nothing to cancel`);
    if (this.active.has(backfillId) || this.adopting.has(backfillId)) {
      await this.adopting.get(backfillId);
      this.cancel(backfillId);
      return 'here';
    }
    const orphan = isOrphaned(record, clock.now().getTime(), this.staleMs);
    if (record.status !== 'CANCELING') store.updateBackfillStatus(backfillId, 'CANCELING', null);
    if (!orphan) {
      await store.flush();
      this.events.fire({ kind: 'canceling', backfillId, where: 'owner' });
      return 'owner';
    }
    await this.adopt(backfillId);
    return 'orphan';
  }

  /** Pauses a backfill running here (stored first); false when it does not run here or cannot be paused. */
  pause(backfillId: string): boolean {
    return this.active.get(backfillId)?.pause() ?? false;
  }

  /**
   * Pauses wherever the backfill runs, and resolves once the pause is on disk: here; in another live process,
   * which reads the stored pause within its poll; or, when its owner is dead, only in the store, so that
   * whoever adopts it keeps it paused. Running runs go on; nothing new starts until resume().
   */
  async pauseAnywhere(backfillId: string): Promise<PauseRoute> {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock } = this.options;
    await this.adopting.get(backfillId)?.catch(() => undefined);
    const here = this.active.get(backfillId);
    if (!here) await store.reloadIfChanged();
    const record = here?.record ?? this.stored(backfillId, 'pause');
    if (record.status !== 'REQUESTED') {
      const why = TERMINAL_BACKFILL_STATUSES.has(record.status) ? 'already ended' : 'is being canceled';
      throw new BackfillPlanError(`backfill ${backfillId} ${why} (${word(record)}); there is nothing to pause`);
    }
    if (here) {
      if (!here.paused && !here.pause()) throw new BackfillPlanError(`backfill ${backfillId} is stopping (its failure limit was reached); there is nothing to pause`);
      await store.flush();
      return 'here';
    }
    if (record.pausedAt == null) store.setBackfillPaused(backfillId, clock.now().getTime());
    await store.flush();
    const where = isOrphaned(record, clock.now().getTime(), this.staleMs) ? 'orphan' : 'owner';
    this.events.fire({ kind: 'paused', backfillId, where });
    return where;
  }

  /** Paused here, or (for a backfill this process does not run) as the store last read says. */
  isPaused(backfillId: string): boolean {
    const a = this.active.get(backfillId);
    if (a) return a.paused;
    const stored = this.options.store.getBackfill(backfillId);
    return stored?.status === 'REQUESTED' && stored.pausedAt != null;
  }

  private get staleMs(): number {
    return this.options.ownerStaleMs ?? OWNER_STALE_MS;
  }

  private async adoptNow(backfillId: string, unpause: boolean): Promise<BackfillRecord> {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock, launcher } = this.options;
    if (this.active.has(backfillId)) throw new BackfillPlanError(`backfill ${backfillId} is already running here`);
    await store.reloadIfChanged();
    const record = this.stored(backfillId, 'adopt');
    const now = clock.now().getTime();
    if (!isOrphaned(record, now, this.staleMs)) {
      const who = record.owner ? describeOwner(record.owner, now) : 'no process';
      throw new BackfillPlanError(`backfill ${backfillId} is ${word(record).toLowerCase()} and run by ${who}; it is not orphaned, so it cannot be adopted`);
    }
    const { plan, options } = this.storedPlan(backfillId);
    const previousOwner = record.owner;
    // Claim it on disk first, so another process looking for orphans sees a live owner from now on. The claim
    // applies only over the dead owner we read: when another process adopted it first, ours is dropped at the write.
    const mine = ownerOfThisProcess(this.options.origin, now);
    store.setBackfillOwner(backfillId, mine, previousOwner ?? null);
    await store.flush();
    const claimed = store.getBackfill(backfillId)!;
    if (claimed.owner?.pid !== mine.pid || claimed.owner.host !== mine.host || claimed.owner.heartbeatAt !== mine.heartbeatAt) {
      throw new BackfillPlanError(`backfill ${backfillId} was adopted by ${claimed.owner ? describeOwner(claimed.owner, now) : 'another process'} first`);
    }
    Object.assign(record, claimed);
    if (unpause && record.pausedAt != null) {
      store.setBackfillPaused(backfillId, null);
      record.pausedAt = null;
      await store.flush();
    }
    const runs = store.listRuns(backfillId);
    if (runs.length !== plan.runs.length) throw new BackfillPlanError(`the saved plan of backfill ${backfillId} has ${plan.runs.length} runs but the store has ${runs.length}`);
    const a = new ActiveBackfill(this.context, record, plan, runs, resolveLaunchOptions(options));
    const sameHost = !previousOwner || previousOwner.host === os.hostname();
    await adoptRuns(a, { launcher, store, sameHost, killGraceMs: this.options.killGraceMs ?? 5000 });
    this.events.fire({ kind: 'adopted', backfill: { ...record } });
    this.activate(a);
    if (record.status === 'CANCELING') a.cancel();
    return { ...record };
  }

  private activate(a: ActiveBackfill): void {
    this.active.set(a.id, a);
    this.options.coordinator.setGroupLimit(a.id, a.options.maxConcurrent);
    this.watch.start();
    a.start();
  }

  /** One write for all runs started in the same turn: the first caller schedules it, the others join it. */
  private durable(): Promise<void> {
    this.pendingWrite ??= Promise.resolve().then(() => {
      this.pendingWrite = undefined;
      return this.options.store.flush();
    });
    return this.pendingWrite;
  }

  /** With `action`, a backfill that runs on a Dagster deployment is refused (assertLocalBackfill). */
  private stored(backfillId: string, action?: LocalBackfillAction): BackfillRecord {
    const record = this.options.store.getBackfill(backfillId);
    if (!record) throw new BackfillPlanError(`no backfill with id ${backfillId}`);
    if (action) assertLocalBackfill(record, action);
    return record;
  }

  private storedPlan(backfillId: string): StoredPlan {
    const saved = this.options.store.getPlan(backfillId);
    if (!saved) throw new BackfillPlanError(`backfill ${backfillId} has no saved plan (it was created by an older version), so it cannot be resumed or re-executed`);
    return parseStoredPlan(backfillId, saved.planJson);
  }
}
