// Retention of finished backfills: which ones are forgotten by age, which lose their logs to the size budget, and the prune itself.
import { TERMINAL_BACKFILL_STATUSES, type BackfillRecord } from './backfill';
import type { RunLogFiles } from '../storage/runLogFiles';
import type { StateStore } from '../storage/stateStore';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Backfills per store change: about 2,500 runs of rows at most between two turns of the event loop. */
const PRUNE_SLICE = 25;
/** Log folders removed at once: the disk works on several, the process keeps few handles open. */
const FOLDERS_AT_ONCE = 8;

/**
 * How much finished history a workspace keeps. Defaults: 30 days and 1 GiB of logs (files, plus the tails and
 * events in the state file). null keeps everything on that axis.
 */
export interface RetentionPolicy {
  /** Finished backfills that ended longer ago than this are removed whole (their partition statuses stay). */
  maxAgeDays: number | null;
  /** Past this total, the oldest finished backfills lose their run logs and events (they stay listed). */
  maxLogBytes: number | null;
}

export const DEFAULT_RETENTION: RetentionPolicy = { maxAgeDays: 30, maxLogBytes: 1024 * 1024 * 1024 };

export interface PruneReport {
  /** Backfills removed whole (older than the age), oldest first. */
  removed: BackfillRecord[];
  /** Backfills whose run logs and events were removed to meet the size budget, oldest first. */
  logsRemoved: BackfillRecord[];
  /** Bytes of log files deleted (or, in a dry run, that would be). */
  logFileBytes: number;
  /** Characters of log tails and events removed from the state file (or that would be). */
  storedLogBytes: number;
  /** Log and event bytes kept after the prune, counted as the budget counts them. */
  keptLogBytes: number;
}

/** Finished and not paused: nothing runs it and nothing will without a user's resume or re-execute. */
export function isPrunable(b: BackfillRecord): boolean {
  return TERMINAL_BACKFILL_STATUSES.has(b.status) && b.pausedAt == null;
}

/**
 * Prunes the store and the log folder by `policy` as of `now` (epoch ms). Reads the newest state first; never
 * touches a running, paused or canceling backfill (the store skips one that became active meanwhile). Log folders
 * of backfills the store does not know are removed only once older than the age limit: a folder just created by
 * another process's new backfill is not an orphan. With `dryRun`, reports what it would remove and changes nothing.
 */
export async function pruneBackfills(store: StateStore, logs: RunLogFiles, policy: RetentionPolicy, now: number, dryRun = false): Promise<PruneReport> {
  await store.reloadIfChanged();
  const folders = new Map((await logs.backfillFolders()).map((f) => [f.backfillId, f]));
  const stored = store.storedLogBytes();
  const bytesOf = (id: string) => (folders.get(id)?.bytes ?? 0) + (stored.get(id) ?? 0);
  const oldestFirst = store.listBackfills().reverse();
  const cutoff = policy.maxAgeDays === null ? -Infinity : now - policy.maxAgeDays * DAY_MS;
  const removed = oldestFirst.filter((b) => isPrunable(b) && (b.endedAt ?? b.createdAt) < cutoff);
  const removedIds = new Set(removed.map((b) => b.id));
  const logsRemoved: BackfillRecord[] = [];
  let kept = oldestFirst.filter((b) => !removedIds.has(b.id)).reduce((n, b) => n + bytesOf(b.id), 0);
  if (policy.maxLogBytes !== null) {
    for (const b of oldestFirst) {
      if (kept <= policy.maxLogBytes) break;
      if (removedIds.has(b.id) || !isPrunable(b) || bytesOf(b.id) === 0) continue;
      logsRemoved.push(b);
      kept -= bytesOf(b.id);
    }
  }
  const known = new Set(oldestFirst.map((b) => b.id));
  const orphanFolders = [...folders.values()].filter((f) => !known.has(f.backfillId) && f.modifiedAt < cutoff).map((f) => f.backfillId);
  const report: PruneReport = {
    removed,
    logsRemoved,
    logFileBytes: [...removed, ...logsRemoved].reduce((n, b) => n + (folders.get(b.id)?.bytes ?? 0), 0) + orphanFolders.reduce((n, id) => n + folders.get(id)!.bytes, 0),
    storedLogBytes: [...removed, ...logsRemoved].reduce((n, b) => n + (stored.get(b.id) ?? 0), 0),
    keptLogBytes: kept,
  };
  if (dryRun || (removed.length === 0 && logsRemoved.length === 0 && orphanFolders.length === 0)) return report;
  // In slices, the event loop free between them: a first prune of a long history deletes a great many rows.
  for (let i = 0; i < removed.length; i += PRUNE_SLICE) {
    store.pruneBackfills({ remove: removed.slice(i, i + PRUNE_SLICE).map((b) => b.id), dropLogsOf: [] });
    await new Promise((resolve) => setImmediate(resolve));
  }
  for (let i = 0; i < logsRemoved.length; i += PRUNE_SLICE) {
    store.pruneBackfills({ remove: [], dropLogsOf: logsRemoved.slice(i, i + PRUNE_SLICE).map((b) => b.id) });
    await new Promise((resolve) => setImmediate(resolve));
  }
  // The store first: a crash between the two leaves log files of forgotten backfills, which the next prune removes.
  await store.flush();
  // A backfill resumed meanwhile (the store skipped it) keeps its logs.
  const folderIds = [...removedIds, ...logsRemoved.map((b) => b.id), ...orphanFolders].filter((id) => {
    const b = store.getBackfill(id);
    return !b || isPrunable(b);
  });
  let freed = 0;
  for (let i = 0; i < folderIds.length; i += FOLDERS_AT_ONCE) {
    for (const bytes of await Promise.all(folderIds.slice(i, i + FOLDERS_AT_ONCE).map((id) => logs.removeBackfill(id)))) freed += bytes;
  }
  report.logFileBytes = freed;
  return report;
}
