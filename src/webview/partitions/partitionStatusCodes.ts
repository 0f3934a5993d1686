// Partition statuses as one byte per key, filled from status runs: what the canvas reads per visible cell.
import type { StepStatusName } from '../../shared/partitionsPanelProtocol';
import type { PartitionStatusName } from '../../shared/protocol';

/** Drawing order of the legend and of the summary; the index is the status code. */
export const STATUS_ORDER: readonly PartitionStatusName[] = ['MATERIALIZED', 'IN_PROGRESS', 'FAILED', 'CANCELED', 'MISSING'];
export const STATUS_LABELS: Readonly<Record<PartitionStatusName, string>> = {
  MATERIALIZED: 'materialized',
  IN_PROGRESS: 'in progress',
  FAILED: 'failed',
  CANCELED: 'canceled',
  MISSING: 'missing',
};
const NUMBER = new Intl.NumberFormat('en-US');
const CODE: Readonly<Record<PartitionStatusName, number>> = { MATERIALIZED: 0, IN_PROGRESS: 1, FAILED: 2, CANCELED: 3, MISSING: 4 };
export const MISSING_CODE = CODE.MISSING;
/** Step matrix only: a step Dagster skipped because an upstream step failed; drawn as missing, never as failed. */
export const SKIPPED_CODE = STATUS_ORDER.length;
/** Codes of the grid cells: the partition statuses, then SKIPPED_CODE. */
export const CELL_CODE_COUNT = SKIPPED_CODE + 1;

/** The cell code of a step's status. */
export function stepStatusCode(status: StepStatusName): number {
  return status === 'SKIPPED' ? SKIPPED_CODE : CODE[status];
}

export class PartitionStatusCodes {
  codes: Uint8Array = new Uint8Array(0);
  readonly counts = STATUS_ORDER.map(() => 0);

  /** Refills from runs (validated to cover exactly `count` keys); costs one typed-array fill per run. */
  fill(statusRuns: readonly [PartitionStatusName, number][], count: number): void {
    if (this.codes.length !== count) this.codes = new Uint8Array(count);
    this.counts.fill(0);
    let at = 0;
    for (const [status, length] of statusRuns) {
      const code = CODE[status];
      this.codes.fill(code, at, at + length);
      this.counts[code]! += length;
      at += length;
    }
  }

  statusAt(index: number): PartitionStatusName {
    return STATUS_ORDER[this.codes[index]!]!;
  }

  /** e.g. "27 materialized, 2 in progress, 1 failed, 3 canceled"; "no partitions" when empty. */
  describe(): string {
    const parts = STATUS_ORDER.map((s, code) => (this.counts[code]! > 0 ? `${NUMBER.format(this.counts[code]!)} ${STATUS_LABELS[s]}` : '')).filter(Boolean);
    return parts.length ? parts.join(', ') : 'no partitions';
  }
}

/** Colours by cell code from the theme, read from the panel's CSS custom properties (which map VS Code's variables). */
export function readStatusColours(element: Element): string[] {
  const style = getComputedStyle(element);
  return ['--partition-materialized', '--partition-in-progress', '--partition-failed', '--partition-canceled', '--partition-missing', '--partition-missing']
    .map((v) => style.getPropertyValue(v).trim() || '#808080');
}
