// Reads the partition selection flags shared by `job`, `asset` and `plan` (--partitions | --from/--to | --all).
import type { PartitionSelection } from '../core/backfill/planBackfill';
import { CliError } from './cliError';

export interface SelectionFlags {
  partitions?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  all?: boolean | undefined;
}

export function partitionSelection(flags: SelectionFlags): PartitionSelection {
  const given = [flags.partitions !== undefined, flags.from !== undefined || flags.to !== undefined, Boolean(flags.all)].filter(Boolean).length;
  if (given === 0) throw new CliError('choose partitions with --partitions A,B, --from A --to B, or --all');
  if (given > 1) throw new CliError('--partitions, --from/--to and --all are alternatives: give only one of them');
  if (flags.all) return { kind: 'all' };
  if (flags.partitions !== undefined) {
    const keys = flags.partitions.split(',').map((k) => k.trim());
    if (keys.some((k) => k === '')) throw new CliError(`--partitions ${JSON.stringify(flags.partitions)} has an empty key`);
    return { kind: 'list', keys };
  }
  if (flags.from === undefined || flags.to === undefined) throw new CliError('--from and --to go together: give both');
  return { kind: 'range', from: flags.from, to: flags.to };
}
