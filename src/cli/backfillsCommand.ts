// `backfill list` and `backfill show ID`: read backfills and their runs from the state store.
import { countRuns, isPausedBackfill, type BackfillRecord } from '../core/backfill/backfill';
import { backfillStatusLabel } from '../core/backfill/backfillStatusLabel';
import { recordBulkActionStatus } from '../core/deployment/remoteBackfills';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';
import { formatDuration, table } from './progressReport';

/** A paused backfill is REQUESTED in Dagster's terms; the pause is a stored flag beside the status (JSON keeps both). */
export function isPaused(b: BackfillRecord): boolean {
  return isPausedBackfill(b);
}

/**
 * The word the panels and views show for the status ("Paused", "Success"); a remote backfill's is the deployment's
 * own status as last read ("Failing"). `--json` keeps Dagster's enum.
 */
function statusLabel(b: BackfillRecord): string {
  return backfillStatusLabel(recordBulkActionStatus(b), isPaused(b)).label;
}

function timeText(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('T', ' ').slice(0, 19);
}

export async function runList(ws: BackfillWorkspace, out: CliOutput): Promise<number> {
  const { store } = await ws.engine();
  const backfills = store.listBackfills();
  const rows = backfills.map((b) => ({ ...b, paused: isPaused(b), counts: countRuns(store.listRuns(b.id)) }));
  if (out.json) {
    out.document({ backfills: rows });
    return 0;
  }
  if (rows.length === 0) {
    out.line(`No backfills in ${ws.statePath}`);
    return 0;
  }
  // Runs of a remote backfill are the deployment's: not counted here, `show ID` reads them.
  const remote = rows.some((b) => b.remote);
  const cells = [['id', 'status', ...(remote ? ['runs on'] : []), 'targets', 'partitions', 'runs', 'succeeded', 'failed', 'canceled', 'skipped', 'created', 'duration']];
  for (const b of rows) {
    const counts = (n: number): string => (b.remote ? '-' : String(n));
    cells.push([
      b.id,
      statusLabel(b),
      ...(remote ? [b.remote ? `deployment ${b.remote.deployment}` : 'this machine'] : []),
      b.targets.join(','),
      String(b.partitionCount),
      counts(b.counts.total),
      counts(b.counts.succeeded),
      counts(b.counts.failed),
      counts(b.counts.canceled),
      counts(b.counts.skipped),
      timeText(b.createdAt),
      b.endedAt ? formatDuration(b.endedAt - b.createdAt) : b.paused ? 'paused' : 'running',
    ]);
  }
  table(cells).forEach((l) => out.line(l));
  return 0;
}

export async function runShow(ws: BackfillWorkspace, out: CliOutput, id: string): Promise<number> {
  const { store } = await ws.engine();
  const b = store.getBackfill(id);
  if (!b) throw new CliError(`no backfill with id ${JSON.stringify(id)} in ${ws.statePath} (see: backfill list)`);
  const runs = store.listRuns(id);
  const counts = countRuns(runs);
  if (out.json) {
    out.document({ backfill: b, paused: isPaused(b), counts, runs });
    return 0;
  }
  out.line(`Backfill ${b.id}  ${statusLabel(b)}${isPaused(b) ? ` since ${timeText(b.pausedAt!)} UTC (backfill resume ${b.id} continues it)` : ''}`);
  if (b.error) out.line(`Error: ${b.error}`);
  out.line(`Targets: ${b.targets.join(', ')}  Selection: ${b.selection}  Origin: ${b.origin}${b.parentId ? `  Re-executes: ${b.parentId}` : ''}`);
  out.line(`Runs: ${counts.total} total, ${counts.succeeded} succeeded, ${counts.failed} failed, ${counts.inProgress} running, ${counts.queued} queued, ${counts.canceled} canceled, ${counts.skipped} skipped (upstream failed)`);
  for (const r of runs.filter((x) => x.status === 'FAILURE')) out.line(`  Failed ${r.target} ${r.partitionKey}: ${r.error ?? ''}  (backfill logs ${r.id})`);
  if (counts.canceled > 0 && (b.status === 'CANCELED' || b.status === 'FAILED')) out.line(`  ${counts.canceled} canceled run${counts.canceled === 1 ? '' : 's'}: backfill resume ${b.id} runs them again`);
  for (const r of runs.filter((x) => x.status === 'QUEUED' && x.retryDueAt != null)) {
    out.line(`  Retry  ${r.target} ${r.partitionKey}: attempt ${r.attempt ?? 1} due ${timeText(r.retryDueAt!)} UTC`);
  }
  return 0;
}
