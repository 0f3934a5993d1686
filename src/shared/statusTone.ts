// The colour families of status badges, as the host's status words (core backfillStatusLabel) name them.

/** Dagster's colours: blue in progress, green success, red failed, grey queued and canceled; yellow paused and canceling. */
export type StatusToneName = 'queued' | 'inProgress' | 'success' | 'failed' | 'canceled' | 'canceling' | 'paused';

/** Every StatusToneName, for the inbound checks of the panels. */
export const STATUS_TONES: ReadonlySet<string> = new Set<StatusToneName>(['queued', 'inProgress', 'success', 'failed', 'canceled', 'canceling', 'paused']);
