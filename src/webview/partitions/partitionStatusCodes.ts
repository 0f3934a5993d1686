// Partition statuses as one byte per key, filled from status runs: what the canvas reads per visible cell.
import type { PartitionStatusName } from '../../shared/protocol';

/** Drawing order of the legend and of the summary; the index is the status code. */
export const STATUS_ORDER: readonly PartitionStatusName[] = ['MATERIALIZED', 'IN_PROGRESS', 'FAILED', 'MISSING'];
export const STATUS_LABELS: Readonly<Record<PartitionStatusName, string>> = {
  MATERIALIZED: 'materialized',
  IN_PROGRESS: 'in progress',
  FAILED: 'failed',
  MISSING: 'missing',
};
const NUMBER = new Intl.NumberFormat('en-US');
const CODE: Readonly<Record<PartitionStatusName, number>> = { MATERIALIZED: 0, IN_PROGRESS: 1, FAILED: 2, MISSING: 3 };

export class PartitionStatusCodes {
  codes: Uint8Array = new Uint8Array(0);
  readonly counts = [0, 0, 0, 0];

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

  /** e.g. "27 materialized, 2 in progress, 1 failed"; "no partitions" when empty. */
  describe(): string {
    const parts = STATUS_ORDER.map((s, code) => (this.counts[code]! > 0 ? `${NUMBER.format(this.counts[code]!)} ${STATUS_LABELS[s]}` : '')).filter(Boolean);
    return parts.length ? parts.join(', ') : 'no partitions';
  }
}

/** Status colours from the theme, read from the panel's CSS custom properties (which map VS Code's variables). */
export function readStatusColours(element: Element): string[] {
  const style = getComputedStyle(element);
  return ['--partition-materialized', '--partition-in-progress', '--partition-failed', '--partition-missing'].map((v) => style.getPropertyValue(v).trim() || '#808080');
}
