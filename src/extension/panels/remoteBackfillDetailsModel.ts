// Builds the details panel's BackfillDetailsModel for a backfill that runs on a Dagster deployment, from the stored
// record and the deployment's last answer: the same layout as a local backfill's, its runs linking to the Dagster UI.
import type { BackfillCounts, BackfillRecord } from '../../core/backfill/backfill';
import { endedRuns } from '../../core/backfill/backfill';
import { backfillStatusLabel, runStatusLabel } from '../../core/backfill/backfillStatusLabel';
import { partitionCountsSummary } from '../../core/backfill/partitionStatusCounts';
import { runCountsSummary } from '../../core/backfill/runCountsSummary';
import { dagsterRunUrl, deploymentBaseUrl } from '../../core/deployment/dagsterGraphqlClient';
import type { DagsterRunStatus, RemoteBackfill, RemoteRun } from '../../core/deployment/remoteBackfill';
import { encodePartitionKeyList } from '../../shared/partitionKeyList';
import { encodeStatusRuns, type BackfillDetailsModel, type FailureGroupModel, type PartitionStatusName, type PartitionStripModel, type RunRowModel, type TargetCountsModel } from '../../shared/protocol';
import { remoteBackfillActions } from '../remoteBackfillActions';
import { duration } from './backfillDetailsModel';

/** How following the backfill goes: when the deployment last answered, and why the last look failed (if it did). */
export interface RemoteFollowState {
  checkedAt?: number;
  error?: string;
}

type CountField = 'materialized' | 'failed' | 'canceled' | 'inProgress' | 'queued';

/** Where a run of that status counts: Dagster's run statuses on the panel's columns. */
function countField(status: DagsterRunStatus | undefined): CountField {
  switch (status) {
    case 'SUCCESS': return 'materialized';
    case 'FAILURE': return 'failed';
    case 'CANCELED': return 'canceled';
    case 'STARTING': case 'STARTED': case 'CANCELING': return 'inProgress';
    default: return 'queued';
  }
}

function partitionStatus(status: DagsterRunStatus | undefined): PartitionStatusName {
  switch (countField(status)) {
    case 'materialized': return 'MATERIALIZED';
    case 'failed': return 'FAILED';
    case 'canceled': return 'CANCELED';
    case 'inProgress': return 'IN_PROGRESS';
    default: return 'MISSING';
  }
}

const emptyCounts = (target: string, targeted: number): TargetCountsModel =>
  ({ target, targeted, inProgress: 0, materialized: 0, failed: 0, canceled: 0, queued: targeted, skipped: 0 });

/** Counts of partitions by the status of their (latest) run; partitions without a run are queued. */
function countsOf(target: string, statuses: readonly (DagsterRunStatus | undefined)[]): TargetCountsModel {
  const c = emptyCounts(target, statuses.length);
  c.queued = 0;
  for (const s of statuses) c[countField(s)]++;
  return c;
}

/** The status of each partition's run: Dagster's per-partition list where given, else the newest run tagged with it. */
function runStatusByPartition(remote: RemoteBackfill): Map<string, DagsterRunStatus | undefined> {
  const byPartition = new Map<string, DagsterRunStatus | undefined>();
  if (remote.partitionStatuses) {
    for (const p of remote.partitionStatuses) byPartition.set(p.partitionName, p.runStatus);
    return byPartition;
  }
  for (const name of remote.partitionNames ?? []) byPartition.set(name, undefined);
  // Dagster lists runs newest first: the first run of a partition is its latest.
  for (const run of remote.runs ?? []) {
    if (run.partitionKey !== undefined && byPartition.has(run.partitionKey) && byPartition.get(run.partitionKey) === undefined) byPartition.set(run.partitionKey, run.status);
  }
  return byPartition;
}

function targetRows(b: BackfillRecord, remote: RemoteBackfill, byPartition: Map<string, DagsterRunStatus | undefined>): TargetCountsModel[] {
  if (remote.assetStatuses && remote.assetStatuses.length > 0) {
    return remote.assetStatuses.map((s) => {
      const target = s.assetKey.join('/');
      if (s.kind === 'unpartitioned') {
        const field: CountField = s.materialized ? 'materialized' : s.failed ? 'failed' : s.inProgress ? 'inProgress' : 'queued';
        return { ...emptyCounts(target, 1), queued: 0, [field]: 1 };
      }
      const queued = Math.max(0, s.targeted - s.inProgress - s.materialized - s.failed);
      return { target, targeted: s.targeted, inProgress: s.inProgress, materialized: s.materialized, failed: s.failed, canceled: 0, queued, skipped: 0 };
    });
  }
  const statuses = [...byPartition.values()];
  if (remote.kind === 'job') {
    const job = remote.partitionSet?.jobName ?? b.targets[0] ?? 'job';
    if (statuses.length > 0) return [countsOf(job, statuses)];
    // A list without per-partition statuses: Dagster's counts of runs by status.
    const c = emptyCounts(job, remote.numPartitions ?? 0);
    c.queued = 0;
    for (const { runStatus, count } of remote.partitionStatusCounts) c[countField(runStatus)] += count;
    c.queued += Math.max(0, c.targeted - c.materialized - c.failed - c.canceled - c.inProgress - c.queued);
    return [c];
  }
  const assets = remote.assetSelection.length > 0 ? remote.assetSelection.map((k) => k.join('/')) : b.targets;
  return assets.map((target) => countsOf(target, statuses));
}

function runRows(b: BackfillRecord, remote: RemoteBackfill, now: number): RunRowModel[] {
  const deployment = { name: b.remote!.deployment, url: b.remote!.url, kind: b.remote!.kind };
  // Oldest first, as a local backfill lists its runs (Dagster lists newest first).
  return [...(remote.runs ?? [])].reverse().map((r: RemoteRun) => {
    const { label, tone } = runStatusLabel(r.status);
    return {
      runId: r.runId,
      // An asset backfill's runs are Dagster's implicit asset job: name what they materialize instead.
      target: r.jobName.startsWith('__ASSET_JOB') ? b.targets.join(', ') : r.jobName,
      partitionKey: r.partitionKey ?? '',
      status: r.status,
      statusLabel: label,
      statusTone: tone,
      duration: r.startTime === undefined ? '' : duration(r.startTime * 1000, r.endTime === undefined ? null : r.endTime * 1000, now),
      error: null,
      runUrl: dagsterRunUrl(deployment, r.runId),
    };
  });
}

/** Dagster gives no run's error in the backfill: failed runs are one group, pointing at a run's page where the error is. */
function failureGroups(runs: readonly RunRowModel[], deploymentName: string): FailureGroupModel[] {
  const failed = runs.filter((r) => r.status === 'FAILURE');
  if (failed.length === 0) return [];
  return [{
    error: `Failed on ${deploymentName}: the error is on the run's page in the Dagster UI.`,
    count: failed.length,
    partitions: failed.slice(0, 200).map((r) => r.partitionKey || r.runId),
    sampleRunId: failed[0]!.runId,
    sampleRunUrl: failed[0]!.runUrl,
  }];
}

function totals(targets: readonly TargetCountsModel[]): BackfillCounts {
  const c: BackfillCounts = { total: 0, queued: 0, inProgress: 0, succeeded: 0, failed: 0, canceled: 0, skipped: 0 };
  for (const t of targets) {
    c.total += t.targeted;
    c.queued += t.queued;
    c.inProgress += t.inProgress;
    c.succeeded += t.materialized;
    c.failed += t.failed;
    c.canceled += t.canceled;
  }
  return c;
}

/**
 * Whether a URL the webview asks to open is a run page of the backfill's own deployment (http(s), same origin, under
 * its base path's /runs/): a webview message is untrusted input, and only those pages are ever opened.
 */
export function isDeploymentRunPage(origin: Pick<NonNullable<BackfillRecord['remote']>, 'url'>, url: string): boolean {
  let page: URL;
  let base: URL;
  try {
    page = new URL(url);
    base = new URL(deploymentBaseUrl({ name: '', url: origin.url, kind: 'oss' }));
  } catch {
    return false;
  }
  if (page.protocol !== 'http:' && page.protocol !== 'https:') return false;
  if (page.origin !== base.origin || page.username !== '' || page.password !== '') return false;
  const runs = `${base.pathname.replace(/\/+$/, '')}/runs/`;
  return page.pathname.startsWith(runs) && /^[A-Za-z0-9_-]+$/.test(page.pathname.slice(runs.length)) && page.search === '' && page.hash === '';
}

const clockTime = (ms: number): string => new Date(ms).toLocaleTimeString('en-US', { hour12: false });

export function remoteBackfillDetailsModel(
  b: BackfillRecord,
  /** The status word's source: recordBulkActionStatus(b) (Dagster's status, so FAILING reads "Failing"). */
  statusName: string,
  remote: RemoteBackfill | undefined,
  follow: RemoteFollowState,
  now: number,
  options: { untrusted?: boolean } = {},
): BackfillDetailsModel {
  const origin = b.remote;
  if (!origin) throw new Error(`backfill ${b.id} does not run on a Dagster deployment`);
  const label = backfillStatusLabel(statusName);
  const byPartition = remote ? runStatusByPartition(remote) : new Map<string, DagsterRunStatus | undefined>();
  const targets = remote ? targetRows(b, remote, byPartition) : b.targets.map((t) => emptyCounts(t, 0));
  const keys = [...byPartition.keys()];
  const partitions: PartitionStripModel[] = keys.length === 0 ? [] : targets.map((t) => ({
    target: t.target,
    keys: encodePartitionKeyList(keys),
    statusRuns: encodeStatusRuns(keys.map((k) => partitionStatus(byPartition.get(k)))),
  }));
  const runs = remote ? runRows(b, remote, now) : [];
  const c = totals(targets);
  const summary = !remote
    ? `Not read from ${origin.deployment} yet`
    : remote.kind === 'job'
      ? runCountsSummary(c, { succeededWord: true })
      : partitionCountsSummary({ total: c.total, materialized: c.succeeded, failed: c.failed, canceled: c.canceled, inProgress: c.inProgress, missing: c.queued });
  const start = remote && remote.timestamp > 0 ? remote.timestamp * 1000 : b.createdAt;
  const end = remote?.endTimestamp !== undefined ? remote.endTimestamp * 1000 : b.endedAt;
  const may = !options.untrusted;
  const actions = remoteBackfillActions(b, remote);
  const checkedAt = follow.checkedAt ?? origin.checkedAt;
  return {
    backfillId: b.id,
    status: remote?.status ?? origin.status ?? b.status,
    statusLabel: label.label,
    statusDetail: `${label.detail} (on ${origin.deployment})`,
    statusTone: label.tone,
    title: `${b.targets.join(', ')} · ${b.selection}`,
    createdAt: new Date(start).toLocaleString('en-US', { dateStyle: 'medium', timeStyle: 'medium' }),
    duration: duration(start, end, now),
    progress: { ...c, done: endedRuns(c), summary },
    targets,
    partitions,
    runs,
    canCancel: may && actions.cancel,
    failureGroups: failureGroups(runs, origin.deployment),
    error: remote?.error ? `${remote.error.className ? `${remote.error.className}: ` : ''}${remote.error.message}` : b.error ?? null,
    canResume: may && actions.resume,
    canReexecute: may && actions.reexecute,
    canReexecuteFromFailure: may && actions.reexecuteFromFailure,
    remote: {
      deployment: origin.deployment,
      deploymentUrl: origin.url,
      dagsterBackfillId: origin.backfillId,
      checkedAt: checkedAt === undefined ? '' : clockTime(checkedAt),
      followError: follow.error ?? null,
      partitionsNote: !remote
        ? `Not read from ${origin.deployment} yet.`
        : keys.length === 0 && (remote.numPartitions ?? 0) > 0
          ? `${origin.deployment} reports this backfill's partitions as counts per asset (see Targets), not one by one.`
          : null,
    },
  };
}
