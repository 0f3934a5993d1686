// Finds the processes still running a run whose coordinating process died, so adoption can stop them first.
import * as fs from 'node:fs';
import type { RunRecord } from './backfill';
import { procStat, processGroupAlive } from './backfillOwnership';

/**
 * Process groups of this host still running `run`: the recorded one when it is alive and, on Linux, every
 * group with a process whose environment carries BACKFILL_RUN_ID=<run id>. The scan covers the moment
 * between spawning and recording the pid, when a crash leaves a live process the store has no pid for.
 */
export function runProcessGroups(run: Pick<RunRecord, 'id' | 'pid'>): number[] {
  const groups = new Set<number>();
  if (run.pid && processGroupAlive(run.pid)) groups.add(run.pid);
  if (process.platform !== 'linux') return [...groups];
  const ours = procStat('self')?.pgrp;
  const marker = Buffer.from(`BACKFILL_RUN_ID=${run.id}\0`);
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return [...groups];
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
  return [...groups];
}
