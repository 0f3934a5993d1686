// The partition status names every panel draws and checks: its own module, so the protocol files import it without a cycle.
import { oneOf } from './messageSchema';

/** Every partition status as the panels draw it: CANCELED is its own neutral colour, never failed (see core PartitionStatus). */
export const PARTITION_STATUS_NAMES = ['MATERIALIZED', 'FAILED', 'CANCELED', 'IN_PROGRESS', 'MISSING'] as const;
export type PartitionStatusName = (typeof PARTITION_STATUS_NAMES)[number];
export const partitionStatusName = oneOf(PARTITION_STATUS_NAMES);
