// The colour families of status badges, as the host's status words (core backfillStatusLabel) name them.
import { oneOf } from './messageSchema';

/** Dagster's colours: blue in progress, green success, red failed, grey queued and canceled; yellow paused and canceling. */
export const STATUS_TONES = ['queued', 'inProgress', 'success', 'failed', 'canceled', 'canceling', 'paused'] as const;
export type StatusToneName = (typeof STATUS_TONES)[number];
export const statusTone = oneOf(STATUS_TONES);
