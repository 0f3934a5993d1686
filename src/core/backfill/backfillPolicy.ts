// Dagster's BackfillPolicy, read from its source text: single_run() or multi_run(max_partitions_per_run=n).
import { BackfillPlanError } from './backfillPlan';

/** `maxPartitionsPerRun` null is single_run(): every contiguous key range in one run. */
export interface BackfillPolicy {
  maxPartitionsPerRun: number | null;
}

const SINGLE = /^(?:dg\.|dagster\.)?BackfillPolicy\.single_run\(\s*\)$/;
const MULTI = /^(?:dg\.|dagster\.)?BackfillPolicy\.multi_run\(\s*(?:(?:max_partitions_per_run\s*=\s*)?(\d+))?\s*,?\s*\)$/;

/** null text (no policy) gives null; text that is not a policy Dagster accepts is an error naming the owner. */
export function parseBackfillPolicy(text: string | null, owner: string): BackfillPolicy | null {
  if (text === null) return null;
  const t = text.replace(/\s+/g, ' ').trim();
  if (SINGLE.test(t)) return { maxPartitionsPerRun: null };
  const m = MULTI.exec(t);
  if (m) {
    const n = m[1] === undefined ? 1 : Number(m[1]);
    if (n < 1) throw new BackfillPlanError(`${owner}: BackfillPolicy.multi_run needs max_partitions_per_run of at least 1, got ${n}`);
    return { maxPartitionsPerRun: n };
  }
  throw new BackfillPlanError(`${owner}: backfill policy ${JSON.stringify(text)} is not BackfillPolicy.single_run() or BackfillPolicy.multi_run(n)`);
}

export function samePolicy(a: BackfillPolicy | null, b: BackfillPolicy | null): boolean {
  if (a === null || b === null) return a === b;
  return a.maxPartitionsPerRun === b.maxPartitionsPerRun;
}

/** Dagster's policy descriptions, as its UI shows them. */
export function describePolicy(p: BackfillPolicy | null): string {
  if (p === null) return 'one run per partition';
  return p.maxPartitionsPerRun === null ? 'Backfills all partitions in a single run' : `Backfills in multiple runs, with a maximum of ${p.maxPartitionsPerRun} partitions per run`;
}
