// Following a backfill that runs on a Dagster deployment from the CLI: reads it again and again (fast after a
// change, backing off while nothing changes) until it settles, printing progress, then a summary with run links.
import type { BackfillRecord } from '../core/backfill/backfill';
import { backfillStatusLabel } from '../core/backfill/backfillStatusLabel';
import { dagsterRunUrl } from '../core/deployment/dagsterGraphqlClient';
import { isBackfillSettled, partitionsWithoutRun, type RemoteBackfill } from '../core/deployment/remoteBackfill';
import { recordBulkActionStatus, recordDeployment, type RemoteBackfills } from '../core/deployment/remoteBackfills';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

/** The longest wait between two reads while nothing changes. */
const MAX_DELAY_FACTOR = 30;
/** Reads that fail in a row before following gives up (the backfill goes on on the deployment). */
const MAX_FAILED_READS = 5;

export function remoteStatusWord(record: BackfillRecord): string {
  return backfillStatusLabel(recordBulkActionStatus(record)).label;
}

/** Runs by Dagster's run status, e.g. "3 runs: 2 succeeded, 1 failed". */
export function remoteRunCounts(b: RemoteBackfill): string {
  const runs = b.runs ?? [];
  const count = (statuses: string[]): number => runs.filter((r) => statuses.includes(r.status)).length;
  const parts = [
    `${count(['SUCCESS'])} succeeded`, `${count(['FAILURE'])} failed`, `${count(['STARTING', 'STARTED', 'CANCELING'])} running`,
    `${count(['QUEUED', 'NOT_STARTED', 'MANAGED'])} queued`, `${count(['CANCELED'])} canceled`,
  ];
  const assets = (b.assetStatuses ?? []).map((a) => (a.kind === 'partitioned'
    ? `${a.assetKey.join('/')} ${a.materialized}/${a.targeted} materialized${a.failed ? `, ${a.failed} failed` : ''}${a.inProgress ? `, ${a.inProgress} in progress` : ''}`
    : `${a.assetKey.join('/')} ${a.materialized ? 'materialized' : a.failed ? 'failed' : a.inProgress ? 'in progress' : 'not materialized'}`));
  return `${runs.length} run${runs.length === 1 ? '' : 's'}: ${parts.join(', ')}${assets.length ? `; ${assets.join('; ')}` : ''}`;
}

export function remoteSummary(record: BackfillRecord, b: RemoteBackfill): string[] {
  const deployment = recordDeployment(record);
  const lines = [`Backfill ${record.id} on deployment ${deployment.name} (its backfill ${b.backfillId}): ${remoteStatusWord(record)}`, `  ${remoteRunCounts(b)}`];
  if (b.error && record.status !== 'COMPLETED_SUCCESS') lines.push(`  Error: ${b.error.message.split('\n')[0]}`);
  for (const r of (b.runs ?? []).filter((x) => x.status === 'FAILURE').slice(0, 20)) lines.push(`  Failed ${r.partitionKey ?? r.jobName}: ${dagsterRunUrl(deployment, r.runId)}`);
  const without = partitionsWithoutRun(b);
  if (without.length > 0) lines.push(`  No run was launched for ${without.length} partition${without.length === 1 ? '' : 's'} (${without.slice(0, 5).join(', ')}${without.length > 5 ? ', …' : ''}): the deployment's partition set may not have them`);
  return lines;
}

export function remoteDocument(record: BackfillRecord, b: RemoteBackfill | undefined): Record<string, unknown> {
  return {
    backfillId: record.id, deployment: record.remote?.deployment, url: record.remote?.url, remoteBackfillId: record.remote?.backfillId,
    status: record.status, dagsterStatus: record.remote?.status ?? null,
    ...(b ? { runs: (b.runs ?? []).map((r) => ({ runId: r.runId, status: r.status, partitionKey: r.partitionKey ?? null, url: dagsterRunUrl(recordDeployment(record), r.runId) })) } : {}),
    ...(b?.assetStatuses ? { assetStatuses: b.assetStatuses } : {}),
    ...(record.error ? { backfillError: record.error } : {}),
  };
}

function sleep(ms: number, interrupted: { signal: Promise<void> }): Promise<void> {
  return Promise.race([new Promise<void>((resolve) => setTimeout(resolve, ms)), interrupted.signal]);
}

/**
 * Reads the backfill until it settles; the exit code is 0 when it succeeded, 1 otherwise, 130 when Ctrl-C ended
 * the following (which leaves the backfill running on the deployment).
 */
export async function followRemoteBackfill(remote: RemoteBackfills, out: CliOutput, record: BackfillRecord, pollMs: number): Promise<number> {
  let interrupted = false;
  let wake: () => void = () => undefined;
  const signal = new Promise<void>((resolve) => { wake = resolve; });
  const onSigint = (): void => { interrupted = true; wake(); };
  process.on('SIGINT', onSigint);
  let delay = 0;
  let last = '';
  let failed = 0;
  let latest: { record: BackfillRecord; remote: RemoteBackfill } | undefined;
  try {
    for (;;) {
      await sleep(delay, { signal });
      if (interrupted) break;
      try {
        latest = await remote.refresh(record.id);
        failed = 0;
      } catch (e) {
        if (++failed >= MAX_FAILED_READS) {
          throw new CliError(`${(e as Error).message}\nStopped following after ${failed} failed reads; backfill ${record.id} goes on on the deployment: \`backfill show ${record.id}\` reads it again.`, 2, 'DagsterDeploymentError');
        }
        out.error(`backfill: warning: ${(e as Error).message} (trying again)`);
        delay = Math.min(Math.max(delay, pollMs) * 2, pollMs * MAX_DELAY_FACTOR);
        continue;
      }
      const line = `${remoteStatusWord(latest.record)} · ${remoteRunCounts(latest.remote)}`;
      if (line !== last) {
        if (out.tty) out.status(line);
        else out.line(line);
        delay = pollMs;
      } else {
        delay = Math.min(delay * 2, pollMs * MAX_DELAY_FACTOR);
      }
      last = line;
      if (isBackfillSettled(latest.remote)) break;
    }
  } finally {
    process.off('SIGINT', onSigint);
  }
  if (interrupted || !latest) {
    out.error(`\nStopped following: backfill ${record.id} goes on on deployment ${record.remote?.deployment}. \`backfill show ${record.id}\` reads it, \`backfill cancel ${record.id}\` cancels it there.`);
    if (out.json) out.document(remoteDocument(latest?.record ?? record, latest?.remote));
    return 130;
  }
  if (out.json) out.document(remoteDocument(latest.record, latest.remote));
  else remoteSummary(latest.record, latest.remote).forEach((l) => out.line(l));
  return latest.record.status === 'COMPLETED_SUCCESS' ? 0 : 1;
}
