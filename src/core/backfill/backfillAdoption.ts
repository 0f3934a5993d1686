// Adoption of an orphaned backfill's interrupted runs: stop what still runs, keep what materialized, queue the rest again.
import type { RunLauncher } from '../coordinator/runLauncher';
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
 * For every run the dead owner had started: its processes (if any still live) are terminated; then a
 * launcher that can tell is asked whether the run materialized; if so the run is SUCCESS and never runs
 * again, else it goes back to QUEUED with the same attempt number. The interruption was our process dying,
 * not the run failing, so it consumes no retry: counting it would fail a partition because the CLI crashed
 * or VS Code was closed. (A run stopped here may thus have started twice; it completes once when the
 * launcher answers `materialized`.)
 */
export async function adoptRuns(a: ActiveBackfill, options: AdoptionOptions): Promise<void> {
  const { store } = options;
  for (let i = 0; i < a.runs.length; i++) {
    const run = a.runs[i]!;
    if (!INTERRUPTED.has(run.status)) continue;
    const groups = options.sameHost ? runProcessGroups(run) : [];
    for (const g of groups) await terminateProcessGroup(g, options.killGraceMs);
    let materialized = false;
    if (options.launcher.materialized) {
      try {
        materialized = await options.launcher.materialized(a.request(i));
      } catch (e) {
        store.appendRunEvent(run.id, 'ENGINE_EVENT', { message: `could not tell whether the run materialized (${e instanceof Error ? e.message : String(e)}); it runs again` });
      }
    }
    if (materialized) {
      a.finishRun(i, { status: 'SUCCESS', exitCode: null, error: null }, { recovered: 'the launcher reported the run materialized before its process ended' });
      continue;
    }
    const requeued = { status: 'QUEUED' as const, startedAt: null, endedAt: null, exitCode: null, error: null, pid: null };
    Object.assign(run, requeued);
    store.updateRun(run.id, requeued);
    store.appendRunEvent(run.id, 'RUN_REQUEUED', {
      reason: 'the process coordinating the backfill ended while this run was in progress',
      terminatedProcessGroups: groups,
      attempt: run.attempt ?? 1,
    });
  }
}
