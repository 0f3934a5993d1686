// `backfill status --select KEY[,KEY]`: each target's partitions by status (counts and key ranges) from the merged
// view, saying where the statuses come from: the Dagster instance, or the project's records only and why.
import type { PartitionStatus } from '../core/backfill/backfill';
import { partitionStatusLabel } from '../core/backfill/backfillStatusLabel';
import { partitionStatusCounts, type PartitionStatusCounts } from '../core/backfill/partitionStatusCounts';
import { definitionName, type Definition } from '../core/definitions/definition';
import { dynamicPartitionsNames } from '../core/partitions/dynamicPartitionsNames';
import { partitionKeyIndex } from '../core/partitions/partitionKeyIndex';
import type { MergedPartitionStatuses } from '../core/status/mergedPartitionStatuses';
import type { PartitionStatusSource } from '../core/status/partitionStatusCache';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

const LISTED: readonly PartitionStatus[] = ['MATERIALIZED', 'FAILED', 'IN_PROGRESS', 'CANCELED', 'MISSING'];
/** Ranges printed per status in text (JSON has them all). */
const TEXT_RANGES = 8;

interface TargetStatus {
  target: string;
  /** Whether Dagster's statuses are merged in, or the project's records alone speak and why. */
  source: PartitionStatusSource;
  partitions: string | null;
  counts: PartitionStatusCounts | null;
  /** Inclusive [first, last] key ranges per status, in partition order. */
  ranges: Partial<Record<PartitionStatus, [string, string][]>>;
  /** An unpartitioned target's one status. */
  status?: PartitionStatus;
  /** The dynamic partitions definitions its keys come from, when any. */
  dynamicPartitions?: string[];
}

export async function runStatus(ws: BackfillWorkspace, out: CliOutput, select: string | undefined, location?: string): Promise<number> {
  const names = (select ?? '').split(',').map((s) => s.trim());
  if (select === undefined || names.some((n) => n === '')) throw new CliError('name the assets, jobs or command targets with --select KEY[,KEY]');
  await ws.refreshDefinitions();
  const definitions = ws.selectTargets(names, location);
  const { statuses } = await ws.engine();
  const dynamic = definitions.some((d) => dynamicPartitionsNames(d.partitions).length > 0);
  const refreshed = await ws.refreshDagsterStatuses(dynamic ? undefined : names);
  for (const line of refreshed.dropped ?? []) out.error(`backfill: warning: ${line}`);
  const source = ws.partitionStatusSource;
  const now = ws.clock.now();
  const report = definitions.map((d) => targetStatus(d, statuses, now, ws.partitionStatusSourceOf(definitionName(d))));
  if (refreshed.error) {
    // The instance failed: what the project knows is printed, and the error makes the exit code 2.
    if (!out.json) printStatuses(out, source, report);
    throw new CliError(refreshed.error, 2, 'DagsterInstanceError');
  }
  if (out.json) out.document({ source, targets: report });
  else printStatuses(out, source, report);
  return 0;
}

function targetStatus(d: Definition, statuses: MergedPartitionStatuses, now: Date, source: PartitionStatusSource): TargetStatus {
  const target = definitionName(d);
  if (!d.partitions) return { target, source, partitions: null, counts: null, ranges: {}, status: statuses.partitionStatusesOf(target, [''])[0]! };
  const index = partitionKeyIndex(d.partitions, now);
  const ranges: TargetStatus['ranges'] = {};
  const add = (status: PartitionStatus, first: string, last: string) => (ranges[status] ??= []).push([first, last]);
  let next = 0;
  for (const r of statuses.partitionStatusRanges(target, index)) {
    const start = index.indexOf(r.firstKey);
    if (start > next) add('MISSING', index.keyAt(next), index.keyAt(start - 1));
    add(r.status, r.firstKey, r.lastKey);
    next = index.indexOf(r.lastKey) + 1;
  }
  if (next < index.count) add('MISSING', index.keyAt(next), index.keyAt(index.count - 1));
  const dynamic = dynamicPartitionsNames(d.partitions);
  return {
    target, source, partitions: d.partitions.describe(), counts: partitionStatusCounts(d.partitions, statuses.partitionStatuses(target), now, index), ranges,
    ...(dynamic.length ? { dynamicPartitions: dynamic } : {}),
  };
}

function sourceLine(source: PartitionStatusSource): string {
  if (source.kind === 'project') return `Statuses: the project's run records only, because:\n  ${source.reason}`;
  const at = new Date(source.asOf).toISOString().replace('T', ' ').slice(0, 19);
  return `Statuses: the Dagster instance at ${source.instance ?? '(unnamed)'} as of ${at} UTC, merged with the project's run records.`;
}

function printStatuses(out: CliOutput, source: PartitionStatusSource, report: TargetStatus[]): void {
  out.line(sourceLine(source));
  for (const t of report) {
    // Said per target only where it differs from the first line.
    const from = t.source.kind === 'project' && source.kind === 'instance' ? `  (project records only: ${t.source.reason.replace(/\.$/, '')})` : '';
    if (t.counts === null) {
      out.line(`${t.target}  unpartitioned: ${partitionStatusLabel(t.status ?? 'MISSING')}${from}`);
      continue;
    }
    out.line(`${t.target}  ${t.partitions}: ${t.counts.total} partitions${from}`);
    if (t.counts.total === 0 && t.dynamicPartitions) out.line(`  no partitions yet: add some with \`backfill partitions add ${t.dynamicPartitions[0]} KEY…\``);
    const count: Record<PartitionStatus, number> = {
      MATERIALIZED: t.counts.materialized, FAILED: t.counts.failed, IN_PROGRESS: t.counts.inProgress, CANCELED: t.counts.canceled, MISSING: t.counts.missing,
    };
    for (const status of LISTED) {
      const ranges = t.ranges[status] ?? [];
      if (count[status] === 0 && ranges.length === 0) continue;
      const shown = ranges.slice(0, TEXT_RANGES).map(([a, b]) => (a === b ? a : `${a}...${b}`)).join(', ');
      const more = ranges.length > TEXT_RANGES ? `, … (${ranges.length} ranges; --json lists them all)` : '';
      out.line(`  ${partitionStatusLabel(status).padEnd(12)} ${String(count[status]).padStart(7)}  ${shown}${more}`);
    }
  }
}
