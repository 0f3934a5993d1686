// Executes backfill plans: records backfills, plans and runs in the store, owns the active ones and re-executes; cancel, pause and resume elsewhere go through BackfillRouter, orphans through BackfillAdoption.
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../clock';
import type { RunCoordinator } from '../coordinator/runCoordinator';
import type { RunLauncher } from '../coordinator/runLauncher';
import { storedLocalBackfill } from '../deployment/localBackfillGuard';
import { Emitter } from '../emitter';
import type { RunLogFiles } from '../storage/runLogFiles';
import type { StateStore } from '../storage/stateStore';
import { ActiveBackfill, type BackfillChange, type BackfillContext } from './activeBackfill';
import { isPausedBackfill, TERMINAL_BACKFILL_STATUSES, type BackfillRecord, type RunRecord } from './backfill';
import { BackfillAdoption, type DaemonBackfills } from './backfillAdoption';
import type { BackfillEvent } from './backfillEvent';
import { OWNER_STALE_MS, ownerOfThisProcess } from './backfillOwnership';
import { BackfillPlanError, runPartitionLabel, type BackfillPlan } from './backfillPlan';
import { loadStoredPlan, parseStoredPlan, reexecutionPlan, type StoredPlan } from './backfillReexecution';
import { BackfillRouter, type CancelRoute, type PauseRoute } from './backfillRouter';
import { BackfillStoreWatch } from './backfillStoreWatch';
import { resolveLaunchOptions, type LaunchOptions } from './launchOptions';
import { assertMayRunCode } from './workspaceTrust';

export { runTags } from './backfillRunTags';
export type { BackfillChange } from './activeBackfill';
export type { CancelRoute, PauseRoute } from './backfillRouter';

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

/** Dagster's backfill ids: eight lowercase letters. */
export function newBackfillId(): string {
  return [...randomBytes(8)].map((b) => String.fromCharCode(97 + (b % 26))).join('');
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
  private readonly context: BackfillContext;
  private pendingWrite: Promise<void> | undefined;
  private readonly watch: BackfillStoreWatch;
  private readonly adoption: BackfillAdoption;
  private readonly router: BackfillRouter;

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
    const lent: DaemonBackfills = {
      store, clock, origin: options.origin, staleMs: options.ownerStaleMs ?? OWNER_STALE_MS, mayRunCode: options.mayRunCode,
      active: this.active, context: this.context, activate: (a) => this.activate(a), event: (e) => this.events.fire(e),
    };
    this.adoption = new BackfillAdoption({ ...lent, launcher, killGraceMs: options.killGraceMs ?? 5000, onError });
    this.router = new BackfillRouter({ ...lent, adoption: this.adoption });
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
   * Unpauses a paused backfill wherever it runs, adopts an orphan unpaused, or continues a CANCELED or FAILED
   * one (BackfillRouter.resume). isActive() tells afterwards whether it runs here.
   */
  resume(backfillId: string): Promise<BackfillRecord> {
    return this.router.resume(backfillId);
  }

  /** Takes over a backfill whose owning process died (BackfillAdoption.adopt); a paused one stays paused unless `unpause`. */
  adopt(backfillId: string, options: { unpause?: boolean } = {}): Promise<BackfillRecord> {
    return this.adoption.adopt(backfillId, options);
  }

  /** Adopts every orphaned backfill of the store; one that cannot be adopted is reported to onError and skipped. */
  adoptOrphans(accept: (b: BackfillRecord) => boolean = () => true): Promise<BackfillRecord[]> {
    return this.adoption.adoptOrphans(accept);
  }

  /** A new backfill linked to a terminal one: all its runs again, or those that did not succeed; options default to the parent's. */
  reexecute(backfillId: string, options: { fromFailure: boolean }, launchOptions?: LaunchOptions): BackfillRecord {
    assertMayRunCode(this.options.mayRunCode);
    const record = storedLocalBackfill(this.options.store, backfillId, 're-execute');
    if (!TERMINAL_BACKFILL_STATUSES.has(record.status) || this.active.has(backfillId)) {
      throw new BackfillPlanError(`Cannot re-execute backfill ${backfillId} because it is still in progress.`);
    }
    const stored = loadStoredPlan(this.options.store, backfillId);
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
    const adopting = this.adoption.pending(backfillId);
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

  /** Cancels wherever the backfill runs: here, through the store for its live owner, or by adopting an orphan (BackfillRouter.cancel). */
  cancelAnywhere(backfillId: string): Promise<CancelRoute> {
    return this.router.cancel(backfillId);
  }

  /** Pauses a backfill running here (stored first); false when it does not run here or cannot be paused. */
  pause(backfillId: string): boolean {
    return this.active.get(backfillId)?.pause() ?? false;
  }

  /** Pauses wherever the backfill runs, resolved once the pause is on disk (BackfillRouter.pause). */
  pauseAnywhere(backfillId: string): Promise<PauseRoute> {
    return this.router.pause(backfillId);
  }

  /** Paused here, or (for a backfill this process does not run) as the store last read says. */
  isPaused(backfillId: string): boolean {
    const a = this.active.get(backfillId);
    if (a) return a.paused;
    const stored = this.options.store.getBackfill(backfillId);
    return stored !== undefined && isPausedBackfill(stored);
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
}
