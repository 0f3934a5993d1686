// View model of the backfills overview: one display-ready row per stored backfill.
import * as v from 'valibot';
import { arrayOf, nullableText, record, text, texts } from './messageSchema';
import { statusTone } from './statusTone';

const backfillSummaryModel = record({
  backfillId: text,
  /** Dagster's status name, e.g. COMPLETED_SUCCESS: data, never shown as a word. */
  status: text,
  /** The word shown for it ("Success", "Paused"), the same as every other face's. */
  statusLabel: text,
  statusTone,
  targets: texts,
  selection: text,
  /** "28/31 runs · 1 failed", or "on prod" for a backfill on a Dagster deployment (its runs are there). */
  progress: text,
  createdAt: text,
  duration: text,
  /** The backfill this one re-executes, or null. */
  parentId: nullableText,
  /** The Dagster deployment it runs on ("prod"), or null for this machine's. */
  deployment: nullableText,
});
export type BackfillSummaryModel = v.InferOutput<typeof backfillSummaryModel>;

export const backfillsOverviewModel = record({ backfills: arrayOf(backfillSummaryModel) });
export type BackfillsOverviewModel = v.InferOutput<typeof backfillsOverviewModel>;
