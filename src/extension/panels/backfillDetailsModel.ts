// Builds the display-ready BackfillDetailsModel from stored backfill, run and partition records.
import { canResumeBackfill, countRuns, endedRuns, isPausedBackfill, isSkippedUpstreamFailed, isWaitingForRetry, TERMINAL_BACKFILL_STATUSES, type BackfillRecord, type PartitionStatus, type RunRecord } from '../../core/backfill/backfill';
import { backfillStatusLabel, runStatusLabel } from '../../core/backfill/backfillStatusLabel';
import { runCountsSummary } from '../../core/backfill/runCountsSummary';
import { encodePartitionKeyList } from '../../shared/partitionKeyList';
import { encodeStatusRuns, type BackfillDetailsModel, type FailureGroupModel, type PartitionStatusName, type RunRowModel } from '../../shared/protocol';

/** How long a backfill has run: up to its end, or up to its pause while paused (nothing of it moves then). */
export function backfillDuration(b: Pick<BackfillRecord, 'createdAt' | 'endedAt' | 'status' | 'pausedAt'>, now: number): string {
  return duration(b.createdAt, b.endedAt ?? (isPausedBackfill(b) ? b.pausedAt! : null), now);
}

export function duration(start: number | null, end: number | null, now: number): string {
  if (start === null) return '';
  const ms = (end ?? now) - start;
  // Dagster gives times in fractional seconds: whole milliseconds are precise enough to read.
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

/**
 * A partition's status within this backfill: from its run here, else from the store's latest status. A
 * canceled run's partition is CANCELED unless it is materialized (from before the run); one skipped because
 * its upstream failed was never tried here.
 */
export function statusInBackfill(run: RunRecord | undefined, stored: PartitionStatus | undefined): PartitionStatusName {
  if (run) {
    if (run.status === 'SUCCESS') return 'MATERIALIZED';
    if (run.status === 'FAILURE' || isWaitingForRetry(run)) return 'FAILED';
    if (run.status === 'STARTED' || run.status === 'STARTING' || run.status === 'CANCELING') return 'IN_PROGRESS';
    if (run.status === 'CANCELED' && !isSkippedUpstreamFailed(run) && stored !== 'MATERIALIZED') return 'CANCELED';
  }
  return stored === 'MATERIALIZED' ? 'MATERIALIZED' : 'MISSING';
}

export function backfillDetailsModel(
  b: BackfillRecord,
  runs: readonly RunRecord[],
  partitionStatuses: (target: string) => Map<string, PartitionStatus>,
  now: number,
  /** In an untrusted workspace no button that would start or signal a process is offered (the commands refuse too). */
  options: { untrusted?: boolean } = {},
): BackfillDetailsModel {
  const c = countRuns(runs);
  const may = !options.untrusted;
  const finished = TERMINAL_BACKFILL_STATUSES.has(b.status);
  const targets = b.targets.map((target) => {
    const mine = runs.filter((r) => r.target === target);
    const tc = countRuns(mine);
    return { target, targeted: mine.length, inProgress: tc.inProgress, materialized: tc.succeeded, failed: tc.failed, canceled: tc.canceled, queued: tc.queued, skipped: tc.skipped };
  });
  const partitions = b.targets.map((target) => {
    const mine = runs.filter((r) => r.target === target);
    const stored = partitionStatuses(target);
    return { target, keys: encodePartitionKeyList(mine.map((r) => r.partitionKey)), statusRuns: encodeStatusRuns(mine.map((r) => statusInBackfill(r, stored.get(r.partitionKey)))) };
  });
  const label = backfillStatusLabel(b.status, isPausedBackfill(b));
  return {
    backfillId: b.id,
    status: b.status,
    statusLabel: label.label,
    statusDetail: label.detail,
    statusTone: label.tone,
    title: `${b.targets.join(', ')} · ${b.selection}`,
    createdAt: new Date(b.createdAt).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' }),
    duration: backfillDuration(b, now),
    progress: { ...c, done: endedRuns(c), summary: runCountsSummary(c, { succeededWord: true }) },
    targets,
    partitions,
    runs: runs.map((r) => ({
      runId: r.id,
      target: r.target,
      partitionKey: r.partitionKey,
      status: r.status,
      ...runStatusWords(r),
      duration: duration(r.startedAt, r.endedAt, now),
      error: r.error,
      runUrl: null,
    })),
    canCancel: may && b.status === 'REQUESTED',
    failureGroups: failureGroups(runs),
    error: b.error ?? null,
    canResume: may && canResumeBackfill(b, c),
    canReexecute: may && finished,
    canReexecuteFromFailure: may && finished && c.succeeded < c.total,
    remote: null,
  };
}

/** A run waiting for its retry failed its last attempt: it reads Failed (counted failed), with the retry to come. */
function runStatusWords(run: RunRecord): { statusLabel: string; statusTone: RunRowModel['statusTone'] } {
  if (isWaitingForRetry(run)) return { statusLabel: 'Failed, retrying', statusTone: 'failed' };
  const { label, tone } = runStatusLabel(run.status);
  return { statusLabel: label, statusTone: tone };
}

const MAX_GROUP_PARTITIONS = 200;

/** Failed runs by error message (first line, so tracebacks that differ only below it still group), largest first. */
export function failureGroups(runs: readonly RunRecord[]): FailureGroupModel[] {
  const groups = new Map<string, FailureGroupModel>();
  for (const r of runs) {
    if (r.status !== 'FAILURE') continue;
    const error = (r.error ?? 'failed without a message').split('\n')[0]!.trim() || 'failed without a message';
    let g = groups.get(error);
    if (!g) groups.set(error, (g = { error, count: 0, partitions: [], sampleRunId: r.id, sampleRunUrl: null }));
    g.count++;
    if (g.partitions.length < MAX_GROUP_PARTITIONS) g.partitions.push(r.partitionKey);
  }
  return [...groups.values()].sort((a, b) => b.count - a.count || a.error.localeCompare(b.error));
}
