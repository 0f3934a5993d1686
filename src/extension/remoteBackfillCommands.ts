// Cancel, Resume and Re-execute of a backfill that runs on a Dagster deployment: sent to the deployment through the
// folder's RemoteBackfills (its mutations), never to this machine's engine; a follower of it looks again at once.
import type { BackfillRecord } from '../core/backfill/backfill';
import { RemoteBackfillFollows } from './remoteBackfillFollows';
import type { WorkspaceSession } from './workspaceSession';

/** Asks the deployment to cancel (cancelPartitionBackfill); the record reads what the server then says. */
export async function cancelRemoteBackfill(session: WorkspaceSession, localId: string): Promise<BackfillRecord> {
  const record = await session.remoteBackfills.cancel(localId);
  RemoteBackfillFollows.poke(session, localId);
  return record;
}

/** Resume (resumePartitionBackfill) keeps the backfill; a re-execution is a new remote backfill, recorded with its parent. */
export async function rerunRemoteBackfill(session: WorkspaceSession, localId: string, how: 'resume' | 'all' | 'fromFailure'): Promise<BackfillRecord> {
  if (how === 'resume') {
    const record = await session.remoteBackfills.resume(localId);
    RemoteBackfillFollows.poke(session, localId);
    return record;
  }
  return session.remoteBackfills.reexecute(localId, how === 'fromFailure' ? 'FROM_FAILURE' : 'ALL_STEPS');
}
