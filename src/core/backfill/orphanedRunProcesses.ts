// Finds the processes still running a run whose coordinating process died, so adoption can stop them first, and
// proves each is the run's before anything signals it: a stored pid may belong to another process by now.
import * as fs from 'node:fs';
import type { RunRecord } from './backfill';
import { procStat, processGroupAlive } from './backfillOwnership';
import { processStartTime } from './processStartTime';

export interface RunProcessGroups {
  /** Groups proven to be the run's: adoption may stop them. */
  ours: number[];
  /**
   * The recorded group, alive, but not proven the run's (another start time, no run id marker, or nothing to
   * compare on this platform): after a reboot or pid reuse it can be anyone's, so it is left alone.
   */
  unproven: number[];
}

/**
 * Process groups of this host still running `run`. The recorded group counts when its leader (the recorded pid)
 * still has the start time recorded with it, or when one of its processes carries BACKFILL_RUN_ID=<run id> in its
 * environment (Linux). On Linux every group with a process carrying that marker counts too: the scan covers the
 * moment between spawning and recording the pid, when a crash leaves a live process the store has no pid for.
 */
export async function runProcessGroups(run: Pick<RunRecord, 'id' | 'pid' | 'pidStartTime'>): Promise<RunProcessGroups> {
  const marked = process.platform === 'linux' ? markedGroups(run.id) : new Set<number>();
  const ours = new Set(marked);
  const unproven: number[] = [];
  if (run.pid && run.pid > 0 && !ours.has(run.pid) && processGroupAlive(run.pid)) {
    const recorded = run.pidStartTime ?? null;
    if (recorded !== null && (await processStartTime(run.pid)) === recorded) ours.add(run.pid);
    else unproven.push(run.pid);
  }
  return { ours: [...ours], unproven };
}

/** Groups (other than ours) with a live process whose initial environment holds the run id marker. */
function markedGroups(runId: string): Set<number> {
  const groups = new Set<number>();
  const ours = procStat('self')?.pgrp;
  const marker = Buffer.from(`BACKFILL_RUN_ID=${runId}\0`);
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return groups;
  }
  for (const pid of entries) {
    let environ: Buffer;
    try {
      environ = fs.readFileSync(`/proc/${pid}/environ`);
    } catch {
      continue; // another user's process, or gone
    }
    const at = environ.indexOf(marker);
    if (at < 0 || (at > 0 && environ[at - 1] !== 0)) continue;
    const stat = procStat(Number(pid));
    if (stat && stat.state !== 'Z' && stat.pgrp > 0 && stat.pgrp !== ours) groups.add(stat.pgrp);
  }
  return groups;
}
