// View model of the backfills overview: one display-ready row per stored backfill.

export interface BackfillSummaryModel {
  backfillId: string;
  /** Dagster's status name, e.g. COMPLETED_SUCCESS. */
  status: string;
  statusTone: 'running' | 'success' | 'failed' | 'canceled';
  targets: string[];
  selection: string;
  /** "28/31 runs · 1 failed". */
  progress: string;
  createdAt: string;
  duration: string;
  /** The backfill this one re-executes, or null. */
  parentId: string | null;
}

export interface BackfillsOverviewModel {
  backfills: BackfillSummaryModel[];
}
