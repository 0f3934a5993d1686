// `backfill show|cancel|resume|reexecute ID` for a backfill that runs on a Dagster deployment: sent to that
// deployment (its URL is in the record, so no --deployment is needed), then read back or followed.
import type { BackfillRecord } from '../core/backfill/backfill';
import type { RemoteBackfills } from '../core/deployment/remoteBackfills';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import type { CliOutput } from './cliOutput';
import { followRemoteBackfill, remoteDocument, remoteStatusWord, remoteSummary } from './remoteFollow';

export type RemoteAction = 'show' | 'cancel' | 'resume' | 'reexecute';

/** The stored record when `id` is a remote backfill (after reading other processes' writes), else undefined. */
export async function remoteRecordOf(ws: BackfillWorkspace, id: string): Promise<BackfillRecord | undefined> {
  const { store } = await ws.engine();
  await store.reloadIfChanged();
  const record = store.getBackfill(id);
  return record?.remote ? record : undefined;
}

export interface RemoteActionOptions {
  fromFailure: boolean;
  follow: boolean;
  pollMs: number;
}

export async function runRemoteAction(remote: RemoteBackfills, out: CliOutput, action: RemoteAction, record: BackfillRecord, o: RemoteActionOptions): Promise<number> {
  const where = `deployment ${record.remote!.deployment} (${record.remote!.url})`;
  switch (action) {
    case 'show': {
      const { record: now, remote: b } = await remote.refresh(record.id);
      if (out.json) {
        out.document({ backfill: now, remote: b, ...remoteDocument(now, b) });
        return 0;
      }
      remoteSummary(now, b).forEach((l) => out.line(l));
      out.line(`  On ${where}; targets: ${now.targets.join(', ')}  Selection: ${now.selection}  Origin: ${now.origin}${now.parentId ? `  Re-executes: ${now.parentId}` : ''}`);
      return 0;
    }
    case 'cancel': {
      const now = await remote.cancel(record.id);
      if (out.json) out.document({ backfillId: record.id, canceled: 'deployment', ...remoteDocument(now, undefined) });
      else out.line(`Asked ${where} to cancel backfill ${record.id} (its backfill ${record.remote!.backfillId}); Dagster says: ${remoteStatusWord(now)}`);
      return 0;
    }
    case 'resume':
    case 'reexecute': {
      const now = action === 'resume' ? await remote.resume(record.id) : await remote.reexecute(record.id, o.fromFailure ? 'FROM_FAILURE' : 'ALL_STEPS');
      out.line(action === 'resume'
        ? `Resumed backfill ${record.id} on ${where}`
        : `Launched backfill ${now.id} on ${where} as its backfill ${now.remote!.backfillId}, a re-execution of ${record.id}`);
      if (!o.follow) {
        if (out.json) out.document(remoteDocument(now, undefined));
        return 0;
      }
      return followRemoteBackfill(remote, out, now, o.pollMs);
    }
  }
}
