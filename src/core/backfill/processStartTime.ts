// What tells one process from a later one that reuses its pid: its start time as the OS recorded it, taken when a
// run's process is recorded and compared before a process that adopts the run signals that pid.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import type { RunRecord } from './backfill';
import type { StateStore } from '../storage/stateStore';

let bootId: string | undefined;

/**
 * Linux: the boot id and field 22 of /proc/<pid>/stat (starttime, clock ticks after boot). The boot id is part of
 * it because the ticks count from boot: after a reboot, a pid and a tick count can both come round again.
 * Null when the process is gone (or this is not Linux).
 */
export function procStartTime(pid: number): string | null {
  let stat: string;
  try {
    stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    bootId ??= fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return null;
  }
  // "pid (comm) state ...": comm may hold spaces and parentheses; after it, field 3 (state) is index 0, field 22 index 19.
  const ticks = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  return ticks !== undefined && /^\d+$/.test(ticks) ? `linux:${bootId}:${ticks}` : null;
}

/** Elsewhere (macOS, BSD): what `ps -o lstart=` prints, the wall-clock start to the second. Null when ps knows no such process. */
function psStartTime(pid: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile('ps', ['-o', 'lstart=', '-p', String(pid)], { timeout: 5_000 }, (error, stdout) => {
      const text = error ? '' : stdout.trim();
      resolve(text === '' ? null : `ps:${text}`);
    });
  });
}

/** The start time of `pid` now, or null when it is gone or cannot be told here (Windows). */
export function processStartTime(pid: number): Promise<string | null> {
  if (process.platform === 'linux') return Promise.resolve(procStartTime(pid));
  if (process.platform === 'win32') return Promise.resolve(null);
  return psStartTime(pid);
}

/**
 * Records the process now running `run` with its start time. On Linux both go in one write, read while the process
 * is certainly ours (we hold it, or the spawner just reported it); elsewhere ps answers later, and the start time is
 * added then if the run still has that process.
 */
export function recordRunProcess(store: StateStore, run: RunRecord, pid: number): void {
  const known = process.platform === 'linux' ? procStartTime(pid) : null;
  Object.assign(run, { pid, pidStartTime: known });
  store.updateRun(run.id, { pid, pidStartTime: known });
  if (process.platform === 'linux') return;
  void processStartTime(pid).then((startTime) => {
    if (startTime === null || run.pid !== pid || run.status !== 'STARTED') return;
    run.pidStartTime = startTime;
    store.updateRun(run.id, { pidStartTime: startTime });
  }).catch(() => undefined); // unrecorded, the pid is left alone by adoption: safe, only less able
}
