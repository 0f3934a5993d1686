// View model of the backfills overview: one display-ready row per stored backfill.
import type { StatusToneName } from './statusTone';

export interface BackfillSummaryModel {
  backfillId: string;
  /** Dagster's status name, e.g. COMPLETED_SUCCESS: data, never shown as a word. */
  status: string;
  /** The word shown for it ("Success", "Paused"), the same as every other face's. */
  statusLabel: string;
  statusTone: StatusToneName;
  targets: string[];
  selection: string;
  /** "28/31 runs · 1 failed", or "on prod" for a backfill on a Dagster deployment (its runs are there). */
  progress: string;
  createdAt: string;
  duration: string;
  /** The backfill this one re-executes, or null. */
  parentId: string | null;
  /** The Dagster deployment it runs on ("prod"), or null for this machine's. */
  deployment: string | null;
}

export interface BackfillsOverviewModel {
  backfills: BackfillSummaryModel[];
}
