// The words and colours every face (panels, trees, lenses, toasts, status bar, CLI) shows for backfill and run statuses:
// in core so the CLI can use it; panels get the words and tones in their view models.
import { isPausedBackfill, type BackfillRecord } from './backfill';

/**
 * A status's colour, by Dagster's UI: blue in progress, green success, red failed, grey queued and canceled,
 * yellow paused (ours: Dagster has no pause). Canceled is grey, not Dagster's red tag: a canceled partition is
 * missing in Dagster's partition health, so red stays the one colour that means something failed.
 */
export type StatusTone = 'queued' | 'inProgress' | 'success' | 'failed' | 'canceled' | 'canceling' | 'paused';

export interface StatusLabel {
  /** The word a user reads, e.g. "In progress". */
  label: string;
  tone: StatusTone;
  /** One sentence for tooltips: what the status means here. */
  detail: string;
}

/** Dagster's BulkActionStatus values (COMPLETED and FAILING only arrive from a Dagster instance). */
export type BulkActionStatusName =
  | 'REQUESTED'
  | 'CANCELING'
  | 'CANCELED'
  | 'FAILING'
  | 'FAILED'
  | 'COMPLETED'
  | 'COMPLETED_SUCCESS'
  | 'COMPLETED_FAILED';

/** Dagster's DagsterRunStatus values a backfill run can have. */
export type RunStatusName = 'QUEUED' | 'NOT_STARTED' | 'STARTING' | 'STARTED' | 'SUCCESS' | 'FAILURE' | 'CANCELING' | 'CANCELED';

const BACKFILL: Readonly<Record<BulkActionStatusName, StatusLabel>> = {
  REQUESTED: { label: 'In progress', tone: 'inProgress', detail: 'runs are being launched' },
  CANCELING: { label: 'Canceling', tone: 'canceling', detail: 'cancel requested: unfinished runs are being canceled' },
  CANCELED: { label: 'Canceled', tone: 'canceled', detail: 'canceled before every run ended' },
  FAILING: { label: 'Failing', tone: 'failed', detail: 'stopped by an error: unfinished runs are being canceled' },
  FAILED: { label: 'Failed', tone: 'failed', detail: 'stopped before its end (an error or its failure limit)' },
  COMPLETED: { label: 'Success', tone: 'success', detail: 'every run ended' },
  COMPLETED_SUCCESS: { label: 'Success', tone: 'success', detail: 'every run succeeded' },
  COMPLETED_FAILED: { label: 'Failed', tone: 'failed', detail: 'every run ended, some did not succeed' },
};

const PAUSED: StatusLabel = { label: 'Paused', tone: 'paused', detail: 'paused: nothing new starts until it is resumed' };

const RUN: Readonly<Record<RunStatusName, StatusLabel>> = {
  QUEUED: { label: 'Queued', tone: 'queued', detail: 'waiting to be launched' },
  NOT_STARTED: { label: 'Queued', tone: 'queued', detail: 'waiting to be launched' },
  STARTING: { label: 'In progress', tone: 'inProgress', detail: 'starting' },
  STARTED: { label: 'In progress', tone: 'inProgress', detail: 'running' },
  SUCCESS: { label: 'Success', tone: 'success', detail: 'succeeded' },
  FAILURE: { label: 'Failed', tone: 'failed', detail: 'failed' },
  CANCELING: { label: 'Canceling', tone: 'canceling', detail: 'being canceled' },
  CANCELED: { label: 'Canceled', tone: 'canceled', detail: 'canceled' },
};

const PARTITION: Readonly<Record<string, string>> = {
  MATERIALIZED: 'Materialized',
  FAILED: 'Failed',
  IN_PROGRESS: 'In progress',
  CANCELED: 'Canceled',
  MISSING: 'Missing',
};

/** A partition's status (Dagster's asset partition status, plus our CANCELED) as a user reads it. */
export function partitionStatusLabel(status: string): string {
  return PARTITION[status] ?? unknownWord(status);
}

/**
 * A backfill's status as a user reads it. `paused` is our pause (a REQUESTED backfill with a stored pausedAt):
 * it reads Paused, never In progress, since nothing of it moves.
 */
export function backfillStatusLabel(status: string, paused = false): StatusLabel {
  if (paused && status === 'REQUESTED') return PAUSED;
  return BACKFILL[status as BulkActionStatusName] ?? { label: unknownWord(status), tone: 'queued', detail: `status ${status}` };
}

/** A stored backfill's status as errors name it to the user: the word every face shows ("Failed", "Paused"), not the enum. */
export function backfillStatusWord(record: Pick<BackfillRecord, 'status' | 'pausedAt'>): string {
  return backfillStatusLabel(record.status, isPausedBackfill(record)).label;
}

/** A run's status as a user reads it. */
export function runStatusLabel(status: string): StatusLabel {
  return RUN[status as RunStatusName] ?? { label: unknownWord(status), tone: 'queued', detail: `status ${status}` };
}

/** A status this build does not know (a newer store or Dagster): worded as a word, not a SHOUTED_ENUM. */
function unknownWord(status: string): string {
  const words = status.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}
