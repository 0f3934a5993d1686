// What a backfill on a Dagster deployment lets the user do, by Dagster's status of it (and, once read, its kind and
// the permissions the server reports): Cancel, Resume, Re-execute and Re-execute from failure, as the server allows them.
import type { BackfillRecord } from '../core/backfill/backfill';
import type { RemoteBackfill } from '../core/deployment/remoteBackfill';

export interface RemoteBackfillActions {
  cancel: boolean;
  resume: boolean;
  reexecute: boolean;
  reexecuteFromFailure: boolean;
}

/** Statuses after which nothing happens on the deployment without a new request. */
const SETTLED = new Set(['COMPLETED', 'FAILED', 'CANCELED', 'COMPLETED_SUCCESS', 'COMPLETED_FAILED']);

/**
 * The status word's source for a remote record: Dagster's status, except 1.2's COMPLETED (runs submitted, which says
 * nothing of how they ended): the local status then, which the store derives from the runs (In progress, Success, Failed).
 */
export function remoteStatusName(b: Pick<BackfillRecord, 'status' | 'remote'>, latest?: Pick<RemoteBackfill, 'status'>): string {
  const dagster = latest?.status ?? b.remote?.status ?? b.status;
  return dagster === 'COMPLETED' ? b.status : dagster;
}

/**
 * - Cancel: while Dagster still submits runs (REQUESTED); FAILING and CANCELING already cancel.
 * - Resume: a job backfill Dagster stopped (FAILED) or that was canceled: resumePartitionBackfill submits what is left.
 *   Dagster has no resume for asset backfills, so once the kind is known an asset backfill does not offer it.
 * - Re-execute: once settled (reexecutePartitionBackfill, or a new launch on servers without it); from failure only
 *   when something did not succeed.
 * `latest` (the last answer) adds the kind and the permissions Dagster reports for the user's token.
 */
export function remoteBackfillActions(b: Pick<BackfillRecord, 'status' | 'remote'>, latest?: RemoteBackfill): RemoteBackfillActions {
  const dagster = latest?.status ?? b.remote?.status ?? 'REQUESTED';
  const settled = SETTLED.has(dagster) && (latest?.runs ?? []).every((r) => r.status === 'SUCCESS' || r.status === 'FAILURE' || r.status === 'CANCELED');
  const mayCancel = latest?.hasCancelPermission ?? true;
  const mayResume = latest?.hasResumePermission ?? true;
  const succeeded = remoteStatusName(b, latest) === 'COMPLETED_SUCCESS';
  return {
    cancel: mayCancel && dagster === 'REQUESTED',
    resume: mayResume && (dagster === 'FAILED' || dagster === 'CANCELED') && latest?.kind !== 'asset',
    reexecute: settled,
    reexecuteFromFailure: settled && !succeeded,
  };
}
