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
  return {
    cancel: mayCancel && dagster === 'REQUESTED',
    resume: mayResume && (dagster === 'FAILED' || dagster === 'CANCELED') && latest?.kind !== 'asset',
    reexecute: settled,
    // The stored status is the runs' reading (a 1.2 COMPLETED with a failed run is COMPLETED_FAILED there).
    reexecuteFromFailure: settled && b.status !== 'COMPLETED_SUCCESS',
  };
}
