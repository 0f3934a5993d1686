// Reads the selection flags shared by `job`, `asset` and `plan`: partitions (--partitions | --from/--to | --all | --latest) and --reprocess.
import type { ReprocessMode } from '../core/backfill/backfillPlan';
import { parsePartitionSelection, type PartitionSelection } from '../core/backfill/partitionSelection';
import { CliError } from './cliError';

export interface SelectionFlags {
  partitions?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  all?: boolean | undefined;
  latest?: string | undefined;
  reprocess?: string | undefined;
}

const REPROCESS_MODES: readonly ReprocessMode[] = ['all', 'missing', 'failed-and-missing'];

/** --partitions takes Dagster's selection syntax: `A,B`, `A...B`, `[A...B]`, `"key, with comma"`, mixed. */
export function partitionSelection(flags: SelectionFlags): PartitionSelection {
  const given = [flags.partitions !== undefined, flags.from !== undefined || flags.to !== undefined, Boolean(flags.all), flags.latest !== undefined].filter(Boolean).length;
  if (given === 0) throw new CliError('choose partitions with --partitions A,B, --from A --to B, --latest N or --all');
  if (given > 1) throw new CliError('--partitions, --from/--to, --latest and --all are alternatives: give only one of them');
  if (flags.all) return { kind: 'all' };
  if (flags.latest !== undefined) {
    const n = Number(flags.latest);
    if (!/^\d+$/.test(flags.latest) || n < 1) throw new CliError(`--latest ${JSON.stringify(flags.latest)} must be a whole number of partitions, at least 1`);
    return { kind: 'latest', count: n };
  }
  if (flags.partitions !== undefined) {
    if (flags.partitions.trim() === '') throw new CliError(`--partitions ${JSON.stringify(flags.partitions)} has an empty key`);
    try {
      return parsePartitionSelection(flags.partitions);
    } catch (e) {
      throw new CliError(`--partitions: ${(e as Error).message}`);
    }
  }
  if (flags.from === undefined || flags.to === undefined) throw new CliError('--from and --to go together: give both');
  return { kind: 'range', from: flags.from, to: flags.to };
}

/** --reprocess all|missing|failed-and-missing (default all: every selected partition runs, as Dagster's backfills). */
export function reprocessMode(text: string | undefined): ReprocessMode {
  if (text === undefined) return 'all';
  const mode = REPROCESS_MODES.find((m) => m === text);
  if (!mode) throw new CliError(`--reprocess ${JSON.stringify(text)} must be one of: ${REPROCESS_MODES.join(', ')}`);
  return mode;
}
