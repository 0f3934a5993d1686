// Human wording and display order of partition statuses, shared by the grid, its summary and the legend.
import type { PartitionStatusName } from '../../shared/protocol';

export const PARTITION_STATUS_ORDER: readonly PartitionStatusName[] = ['MATERIALIZED', 'IN_PROGRESS', 'FAILED', 'CANCELED', 'MISSING'];

export const PARTITION_STATUS_LABELS: Readonly<Record<PartitionStatusName, string>> = {
  MATERIALIZED: 'materialized',
  IN_PROGRESS: 'in progress',
  FAILED: 'failed',
  CANCELED: 'canceled',
  MISSING: 'missing',
};
