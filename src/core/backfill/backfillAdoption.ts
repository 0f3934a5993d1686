// Adoption of orphaned backfills (BackfillAdoption): claim one whose owner died, stop what still runs, keep what materialized, queue the rest again.
import * as os from 'node:os';
import type { Clock } from '../clock';
import type { RunLauncher, RunRequest } from '../coordinator/runLauncher';
import { storedLocalBackfill } from '../deployment/localBackfillGuard';
import type { StateStore } from '../storage/stateStore';
import { ActiveBackfill, type BackfillContext } from './activeBackfill';
import type { BackfillRecord } from './backfill';
import type { BackfillEvent } from './backfillEvent';
import { describeOwner, isOrphaned, ownerOfThisProcess, terminateProcessGroup } from './backfillOwnership';
import { BackfillPlanError } from './backfillPlan';
import { loadStoredPlan } from './backfillReexecution';
import { backfillStatusWord } from './backfillStatusLabel';
import { resolveLaunchOptions } from './launchOptions';
import { runProcessGroups } from './orphanedRunProcesses';
import { assertMayRunCode } from './workspaceTrust';

/** What BackfillDaemon lends the parts it delegates to: its store and clock, the backfills running here and how one starts running here. */
export interface DaemonBackfills {
  store: StateStore;
  clock: Clock;
  /** Recorded with each owner claim: "cli" or "extension". */
  origin: string;
  /** An owner whose heartbeat is older than this is dead. */
  staleMs: number;
  mayRunCode: (() => boolean) | undefined;
  active: ReadonlyMap<string, ActiveBackfill>;
  context: BackfillContext;
  activate(a: ActiveBackfill): void;
  event(e: BackfillEvent): void;
}

export interface BackfillAdoptionOptions extends DaemonBackfills {
  launcher: RunLauncher;
  /** Grace between SIGTERM and SIGKILL for a run process left by a dead owner. */
  killGraceMs: number;
  onError: ((error: unknown) => void) | undefined;
}

/** One adoption per backfill at a time: a second request joins the first. */
export class BackfillAdoption {
  private readonly adopting = new Map<string, Promise<BackfillRecord>>();

  constructor(private readonly options: BackfillAdoptionOptions) {}

  /** The adoption of the backfill under way in this process, if any. */
  pending(backfillId: string): Promise<BackfillRecord> | undefined {
    return this.adopting.get(backfillId);
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

  /** Adopts every orphaned backfill of the store; one that cannot be adopted is reported to onError and skipped. */
  async adoptOrphans(accept: (b: BackfillRecord) => boolean): Promise<BackfillRecord[]> {
    const { store, clock, active, staleMs } = this.options;
    if (this.options.mayRunCode?.() === false) return []; // nobody asked: orphans stay as they are, no error
    await store.reloadIfChanged();
    const now = clock.now().getTime();
    const orphans = store.listBackfills().filter((b) => !active.has(b.id) && isOrphaned(b, now, staleMs) && accept(b));
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

  private async unpauseAdopted(backfillId: string, adopted: BackfillRecord): Promise<BackfillRecord> {
    const a = this.options.active.get(backfillId);
    if (!a?.unpause()) return adopted;
    await this.options.store.flush();
    return { ...a.record };
  }

  private async adoptNow(backfillId: string, unpause: boolean): Promise<BackfillRecord> {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock, launcher, staleMs } = this.options;
    if (this.options.active.has(backfillId)) throw new BackfillPlanError(`backfill ${backfillId} is already running here`);
    await store.reloadIfChanged();
    const record = storedLocalBackfill(store, backfillId, 'adopt');
    const now = clock.now().getTime();
    if (!isOrphaned(record, now, staleMs)) {
      const who = record.owner ? describeOwner(record.owner, now) : 'no process';
      throw new BackfillPlanError(`backfill ${backfillId} is ${backfillStatusWord(record).toLowerCase()} and run by ${who}; it is not orphaned, so it cannot be adopted`);
    }
    const { plan, options } = loadStoredPlan(store, backfillId);
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
    const a = new ActiveBackfill(this.options.context, record, plan, runs, resolveLaunchOptions(options));
    const sameHost = !previousOwner || previousOwner.host === os.hostname();
    await adoptRuns(a, { launcher, store, sameHost, killGraceMs: this.options.killGraceMs });
    this.options.event({ kind: 'adopted', backfill: { ...record } });
    this.options.activate(a);
    if (record.status === 'CANCELING') a.cancel();
    return { ...record };
  }
}

interface RunAdoptionOptions {
  launcher: RunLauncher;
  store: StateStore;
  /** The dead owner ran on this host, so its runs' processes can be looked for and signalled. */
  sameHost: boolean;
  killGraceMs: number;
}

const INTERRUPTED = new Set(['STARTING', 'STARTED', 'CANCELING']);

/**
 * For every run the dead owner had started: a launcher that can tell is asked first whether the run completed
 * (its worker outlives the dead reader of its events, finishes the run and exits, and Dagster records the true
 * result); then its processes (if any still live) are terminated, and it is asked once more. A
 * completed run is SUCCESS and never runs again; the others go back to QUEUED with the same attempt number (the
 * runner gives the next launch a Dagster run id the instance does not have yet). The interruption was our process
 * dying, not the run failing, so it consumes no retry: counting it would fail a partition because the CLI crashed
 * or VS Code was closed.
 */
async function adoptRuns(a: ActiveBackfill, options: RunAdoptionOptions): Promise<void> {
  const { store } = options;
  for (let i = 0; i < a.runs.length; i++) {
    const run = a.runs[i]!;
    if (!INTERRUPTED.has(run.status)) continue;
    const request = { ...a.request(i), ...dagsterRunIdOf(store, run.id) };
    let materialized = await completed(options, request);
    const { ours: groups, unproven } = options.sameHost ? await runProcessGroups(run) : { ours: [], unproven: [] };
    for (const g of groups) await terminateProcessGroup(g, options.killGraceMs);
    if (unproven.length > 0) {
      // Killing it could kill a user's shell; leaving it alive at worst lets an old attempt finish beside the
      // next one. Whether the run materialized is asked below, as for every interrupted run.
      store.appendRunEvent(run.id, 'ENGINE_EVENT', {
        message: `process group ${unproven.join(', ')} recorded for this run is alive but could not be proven to be the run's (its start time or run id marker do not match), so it was left running; whether the run materialized decides what happens next`,
        unprovenProcessGroups: unproven,
      });
    }
    // Asked again even when nothing was found running: the run may have completed and exited between the first
    // answer and the search, and running it again would make it complete twice.
    if (!materialized) materialized = await completed(options, request);
    if (materialized) {
      a.finishRun(i, { status: 'SUCCESS', exitCode: null, error: null }, { recovered: 'Dagster recorded the run complete (or its partitions materialized) after its coordinating process ended', terminatedProcessGroups: groups, unprovenProcessGroups: unproven });
      continue;
    }
    const requeued = { status: 'QUEUED' as const, startedAt: null, endedAt: null, exitCode: null, error: null, pid: null, pidStartTime: null };
    Object.assign(run, requeued);
    store.updateRun(run.id, requeued);
    store.appendRunEvent(run.id, 'RUN_REQUEUED', {
      reason: 'the process coordinating the backfill ended while this run was in progress',
      terminatedProcessGroups: groups,
      unprovenProcessGroups: unproven,
      attempt: run.attempt ?? 1,
    });
  }
}

/** Whether the launcher says the interrupted attempt completed; a launcher that cannot answer means it runs again. */
async function completed(options: RunAdoptionOptions, request: RunRequest): Promise<boolean> {
  if (!options.launcher.materialized) return false;
  try {
    return await options.launcher.materialized(request);
  } catch (e) {
    options.store.appendRunEvent(request.runId, 'ENGINE_EVENT', { message: `could not tell whether the run completed (${e instanceof Error ? e.message : String(e)}); it runs again` });
    return false;
  }
}

/** The Dagster run id the interrupted attempt (the one after the last RUN_START) reported when it started, if it got that far. */
function dagsterRunIdOf(store: StateStore, runId: string): { dagsterRunId?: string } {
  let id: unknown;
  for (const e of store.runEvents(runId)) {
    if (e.kind === 'RUN_START') id = undefined;
    else if (e.kind === 'run_started') id = (e.payload as { dagsterRunId?: unknown } | null)?.dagsterRunId;
  }
  return typeof id === 'string' ? { dagsterRunId: id } : {};
}
