// Cancel, pause and resume carried to wherever a backfill runs: here, to its live owner through the store, or to an orphan by adoption.
import { ActiveBackfill } from './activeBackfill';
import { TERMINAL_BACKFILL_STATUSES, type BackfillRecord } from './backfill';
import type { BackfillAdoption, DaemonBackfills } from './backfillAdoption';
import { describeOwner, isOrphaned, ownerOfThisProcess } from './backfillOwnership';
import { BackfillPlanError } from './backfillPlan';
import { loadStoredPlan, resumeSteps } from './backfillReexecution';
import { backfillStatusWord } from './backfillStatusLabel';
import { resolveLaunchOptions } from './launchOptions';
import { assertMayRunCode } from './workspaceTrust';
import { storedLocalBackfill } from '../deployment/localBackfillGuard';

/** How a cancel was carried out: here, by asking the live owning process through the store, or by adopting an orphan to end it. */
export type CancelRoute = 'here' | 'owner' | 'orphan';

/** How a pause was carried out: here, by asking the live owning process through the store, or stored on an orphan for whoever adopts it. */
export type PauseRoute = 'here' | 'owner' | 'orphan';

export interface BackfillRouterOptions extends DaemonBackfills {
  adoption: BackfillAdoption;
}

/** Another process's backfill is reached only through the store: its owner polls it (BackfillStoreWatch), an orphan waits for its adopter. */
export class BackfillRouter {
  constructor(private readonly options: BackfillRouterOptions) {}

  /**
   * Unpauses a paused backfill, here or (through the store) in the live process that runs it; adopts one
   * whose process died, unpaused; continues a CANCELED or FAILED one by launching what was never launched
   * (as Dagster's resume: failed runs are not retried).
   */
  async resume(backfillId: string): Promise<BackfillRecord> {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock, adoption } = this.options;
    const running = this.options.active.get(backfillId);
    if (running) {
      if (!running.unpause()) throw new BackfillPlanError(`backfill ${backfillId} is running; there is nothing to resume`);
      // Acknowledged once durable, so a crash right after cannot bring the pause back.
      await store.flush();
      return { ...running.record };
    }
    await store.reloadIfChanged();
    const record = storedLocalBackfill(store, backfillId, 'resume');
    if (record.status === 'COMPLETED_SUCCESS' || record.status === 'COMPLETED_FAILED') {
      throw new BackfillPlanError(`backfill ${backfillId} completed (${backfillStatusWord(record)}); re-execute it to run failed partitions again`);
    }
    const now = clock.now().getTime();
    if ((record.status === 'REQUESTED' || record.status === 'CANCELING') && !adoption.pending(backfillId) && !isOrphaned(record, now, this.options.staleMs)) {
      if (record.status !== 'REQUESTED' || record.pausedAt == null) {
        throw new BackfillPlanError(`backfill ${backfillId} is ${backfillStatusWord(record).toLowerCase()} in ${describeOwner(record.owner!, now)}; there is nothing to resume`);
      }
      // Its owner watches the store and lets the queued runs go once it reads this.
      store.setBackfillPaused(backfillId, null);
      await store.flush();
      this.options.event({ kind: 'resumed', backfillId, where: 'owner' });
      return { ...record, pausedAt: null };
    }
    if (record.status === 'REQUESTED' || record.status === 'CANCELING') return adoption.adopt(backfillId, { unpause: true });
    return this.continueEnded(record, now);
  }

  /**
   * Cancels wherever the backfill runs: here; in another live process, by writing CANCELING for its owner
   * to act on; or, when its owner is dead, by adopting it to terminate what still runs and end it CANCELED.
   */
  async cancel(backfillId: string): Promise<CancelRoute> {
    assertMayRunCode(this.options.mayRunCode);
    if (this.cancelHere(backfillId)) return 'here';
    const { store, clock, adoption } = this.options;
    await store.reloadIfChanged();
    const record = storedLocalBackfill(store, backfillId, 'cancel');
    if (TERMINAL_BACKFILL_STATUSES.has(record.status)) throw new BackfillPlanError(`backfill ${backfillId} already ended (${backfillStatusWord(record)}); there is nothing to cancel`);
    const adopting = adoption.pending(backfillId);
    if (this.options.active.has(backfillId) || adopting) {
      await adopting;
      this.cancelHere(backfillId);
      return 'here';
    }
    const orphan = isOrphaned(record, clock.now().getTime(), this.options.staleMs);
    if (record.status !== 'CANCELING') store.updateBackfillStatus(backfillId, 'CANCELING', null);
    if (!orphan) {
      await store.flush();
      this.options.event({ kind: 'canceling', backfillId, where: 'owner' });
      return 'owner';
    }
    await adoption.adopt(backfillId);
    return 'orphan';
  }

  /**
   * Pauses wherever the backfill runs, and resolves once the pause is on disk: here; in another live process,
   * which reads the stored pause within its poll; or, when its owner is dead, only in the store, so that
   * whoever adopts it keeps it paused. Running runs go on; nothing new starts until resume().
   */
  async pause(backfillId: string): Promise<PauseRoute> {
    assertMayRunCode(this.options.mayRunCode);
    const { store, clock } = this.options;
    await this.options.adoption.pending(backfillId)?.catch(() => undefined);
    const here = this.options.active.get(backfillId);
    if (!here) await store.reloadIfChanged();
    const record = here?.record ?? storedLocalBackfill(store, backfillId, 'pause');
    if (record.status !== 'REQUESTED') {
      const why = TERMINAL_BACKFILL_STATUSES.has(record.status) ? 'already ended' : 'is being canceled';
      throw new BackfillPlanError(`backfill ${backfillId} ${why} (${backfillStatusWord(record)}); there is nothing to pause`);
    }
    if (here) {
      if (!here.paused && !here.pause()) throw new BackfillPlanError(`backfill ${backfillId} is stopping (its failure limit was reached); there is nothing to pause`);
      await store.flush();
      return 'here';
    }
    if (record.pausedAt == null) store.setBackfillPaused(backfillId, clock.now().getTime());
    await store.flush();
    const where = isOrphaned(record, clock.now().getTime(), this.options.staleMs) ? 'orphan' : 'owner';
    this.options.event({ kind: 'paused', backfillId, where });
    return where;
  }

  private cancelHere(backfillId: string): boolean {
    return this.options.active.get(backfillId)?.cancel() ?? false;
  }

  /** A CANCELED or FAILED backfill goes on here: interrupted runs count as failed, canceled and never-launched ones are queued again. */
  private continueEnded(record: BackfillRecord, now: number): BackfillRecord {
    const { store } = this.options;
    const backfillId = record.id;
    const { plan, parentId, options } = loadStoredPlan(store, backfillId);
    const runs = store.listRuns(backfillId);
    const steps = resumeSteps(plan, runs);
    const a = new ActiveBackfill(this.options.context, record, plan, runs, resolveLaunchOptions(options), false);
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
    this.options.event({ kind: 'resumed', backfillId, where: 'here' });
    this.options.activate(a);
    return { ...record };
  }
}
