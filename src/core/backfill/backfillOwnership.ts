// Which process owns an active backfill, and how another process tells a live owner from a dead one.
import * as fs from 'node:fs';
import * as os from 'node:os';
import type { BackfillOwner, BackfillRecord } from './backfill';
import { signalProcessGroup } from '../coordinator/signalProcessGroup';

/** How often an owner refreshes its heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 5_000;
/** A heartbeat older than this marks the owner dead even where its pid cannot be checked (another host, a reused pid). */
export const OWNER_STALE_MS = 30_000;

export function ownerOfThisProcess(origin: string, now: number): BackfillOwner {
  return { origin, pid: process.pid, host: os.hostname(), heartbeatAt: now };
}

/** Whether `owner` names this very process (whatever its heartbeat). */
export function isThisProcess(owner: BackfillOwner): boolean {
  return owner.pid === process.pid && owner.host === os.hostname();
}

function signalZero(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** State letter and process group of a Linux process from /proc/<pid>/stat; null when it is gone (or not Linux). */
export function procStat(pid: number | 'self'): { state: string; pgrp: number } | null {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid pgrp ...": comm may hold spaces and parentheses, so read after the last ")".
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0]!, pgrp: Number(fields[2]) };
  } catch {
    return null;
  }
}

/**
 * kill(pid, 0) probes without signalling (EPERM: alive but not ours). A zombie answers too, and a process
 * whose parent died stays one wherever pid 1 does not reap: on Linux a zombie counts as dead.
 */
export function processAlive(pid: number): boolean {
  if (!signalZero(pid)) return false;
  return process.platform !== 'linux' || procStat(pid)?.state !== 'Z';
}

/** Whether any process of the group (a run's launcher spawns it detached: the group id is its pid) is alive and not a zombie. */
export function processGroupAlive(pgid: number): boolean {
  if (pgid <= 0 || !signalZero(-pgid)) return false;
  if (process.platform !== 'linux') return true;
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return true;
  }
  return entries.some((e) => {
    const stat = procStat(Number(e));
    return stat !== null && stat.pgrp === pgid && stat.state !== 'Z';
  });
}

export function ownerAlive(owner: BackfillOwner | null | undefined, now: number, staleMs = OWNER_STALE_MS): boolean {
  if (!owner) return false;
  if (now - owner.heartbeatAt > staleMs) return false;
  return owner.host !== os.hostname() || processAlive(owner.pid);
}

/**
 * Active in the store (REQUESTED or CANCELING) while no live process runs it. A backfill without an owner
 * was left by a version that did not record one, or by a process that died between creating and owning it.
 */
export function isOrphaned(record: BackfillRecord, now: number, staleMs = OWNER_STALE_MS): boolean {
  // A remote backfill is the deployment's daemon's to run: no local process ever owns it.
  return record.remote === undefined && (record.status === 'REQUESTED' || record.status === 'CANCELING') && !ownerAlive(record.owner, now, staleMs);
}

export function describeOwner(owner: BackfillOwner, now: number): string {
  return `the ${owner.origin} process ${owner.pid} on ${owner.host} (heartbeat ${Math.round((now - owner.heartbeatAt) / 1000)} s ago)`;
}

/** SIGTERM to the group, SIGKILL after `graceMs` if it is still there; resolves once it is gone (or was never there). */
export async function terminateProcessGroup(pgid: number, graceMs: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => signalProcessGroup(pgid, sig);
  if (!processGroupAlive(pgid)) return;
  signal('SIGTERM');
  const deadline = Date.now() + graceMs;
  while (processGroupAlive(pgid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  if (!processGroupAlive(pgid)) return;
  signal('SIGKILL');
  // A process stuck in the kernel can outlive SIGKILL for a moment; do not wait on it forever.
  const killDeadline = Date.now() + 5_000;
  while (processGroupAlive(pgid) && Date.now() < killDeadline) await new Promise((r) => setTimeout(r, 20));
}
