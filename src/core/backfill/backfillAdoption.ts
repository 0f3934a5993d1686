// Adoption of an orphaned backfill's interrupted runs: stop what still runs, keep what materialized, queue the rest again.
import type { RunLauncher, RunRequest } from '../coordinator/runLauncher';
import type { StateStore } from '../storage/stateStore';
import type { ActiveBackfill } from './activeBackfill';
import { terminateProcessGroup } from './backfillOwnership';
import { runProcessGroups } from './orphanedRunProcesses';

export interface AdoptionOptions {
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
export async function adoptRuns(a: ActiveBackfill, options: AdoptionOptions): Promise<void> {
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
async function completed(options: AdoptionOptions, request: RunRequest): Promise<boolean> {
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
