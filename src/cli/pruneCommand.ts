// `backfill prune [--older-than DAYS] [--max-log-mb MB] [--dry-run]`: retention on demand, saying what went and what it freed.
import * as fs from 'node:fs';
import { backfillStatusLabel } from '../core/backfill/backfillStatusLabel';
import { DEFAULT_RETENTION, type PruneReport, type RetentionPolicy } from '../core/backfill/backfillRetention';
import type { BackfillRecord } from '../core/backfill/backfill';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

const MB = 1024 * 1024;

/** A limit flag: a number ≥ 0 (0 turns the limit off); its default when not given. */
function limit(flag: string, text: string | undefined, fallback: number | null, unit: string): number | null {
  if (text === undefined) return fallback;
  const n = Number(text);
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) throw new CliError(`${flag} ${JSON.stringify(text)} must be a number of ${unit} (0 or more; 0 keeps everything)`);
  return n === 0 ? null : n;
}

/** The state file and its journal: what a prune shrinks in the state folder. */
function stateBytes(statePath: string): number {
  return [statePath, `${statePath}.journal`].reduce((n, f) => n + (fs.statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
}

function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const [value, unit] = bytes < MB ? [bytes / 1024, 'KB'] : bytes < 1024 * MB ? [bytes / MB, 'MB'] : [bytes / (1024 * MB), 'GB'];
  return `${value.toFixed(value < 10 ? 1 : 0)} ${unit}`;
}

function listed(backfills: readonly BackfillRecord[]): string {
  return backfills.map((b) => `  ${b.id}  ${backfillStatusLabel(b.status).label.padEnd(11)}  ended ${new Date(b.endedAt ?? b.createdAt).toISOString().slice(0, 10)}  ${b.targets.join(',')}`).join('\n');
}

export async function runPrune(ws: BackfillWorkspace, out: CliOutput, flags: { olderThan?: string | undefined; maxLogMb?: string | undefined; dryRun: boolean }): Promise<number> {
  const days = limit('--older-than', flags.olderThan, DEFAULT_RETENTION.maxAgeDays, 'days');
  const mb = limit('--max-log-mb', flags.maxLogMb, DEFAULT_RETENTION.maxLogBytes! / MB, 'megabytes');
  const policy: RetentionPolicy = { maxAgeDays: days, maxLogBytes: mb === null ? null : Math.round(mb * MB) };
  const before = stateBytes(ws.statePath);
  const report: PruneReport = await ws.prune(policy, flags.dryRun);
  // The store wrote a vacuumed checkpoint as part of the prune: this is the size it leaves.
  const after = stateBytes(ws.statePath);
  if (out.json) {
    out.document({
      dryRun: flags.dryRun, policy, removed: report.removed.map((b) => b.id), logsRemoved: report.logsRemoved.map((b) => b.id),
      logFileBytes: report.logFileBytes, storedLogBytes: report.storedLogBytes, keptLogBytes: report.keptLogBytes, stateFileBytes: { before, after },
    });
    return 0;
  }
  const would = flags.dryRun ? 'Would remove' : 'Removed';
  if (report.removed.length === 0 && report.logsRemoved.length === 0) {
    out.line(`Nothing to prune: no finished backfill ended more than ${days ?? '∞'} days ago, and logs and events take ${sizeText(report.keptLogBytes)}${mb === null ? '' : ` of ${sizeText(policy.maxLogBytes!)}`}.`);
    return 0;
  }
  if (report.removed.length > 0) out.line(`${would} ${report.removed.length} backfill${report.removed.length === 1 ? '' : 's'} that ended more than ${days} days ago (runs, events and logs; partition statuses stay):\n${listed(report.removed)}`);
  if (report.logsRemoved.length > 0) out.line(`${would} the run logs and events of ${report.logsRemoved.length} older backfill${report.logsRemoved.length === 1 ? '' : 's'} to keep logs under ${sizeText(policy.maxLogBytes!)} (they stay listed):\n${listed(report.logsRemoved)}`);
  const freed = `${sizeText(report.logFileBytes)} of log files and ${sizeText(report.storedLogBytes)} of logs and events in the state file`;
  if (flags.dryRun) out.line(`Would free ${freed}. Nothing was changed (--dry-run).`);
  else out.line(`Freed ${freed}; the state file went from ${sizeText(before)} to ${sizeText(after)}.`);
  return 0;
}
