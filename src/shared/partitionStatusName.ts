// The partition status names every panel draws and checks: its own module, so the protocol files import it without a cycle.

/** A partition's status as the panels draw it: CANCELED is its own neutral colour, never failed (see core PartitionStatus). */
export type PartitionStatusName = 'MATERIALIZED' | 'FAILED' | 'CANCELED' | 'IN_PROGRESS' | 'MISSING';

/** Every PartitionStatusName, for the inbound checks of each panel. */
export const PARTITION_STATUS_NAMES: ReadonlySet<string> = new Set<PartitionStatusName>(['MATERIALIZED', 'FAILED', 'CANCELED', 'IN_PROGRESS', 'MISSING']);
