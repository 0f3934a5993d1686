// Options chosen when a backfill is launched: run tags, priority, order, retries, failure limit, run timeout.
// They are saved with the plan, so resuming or re-executing the backfill keeps them.
import type { RunRetryPolicy } from '../coordinator/runRetryPolicy';
import { BackfillPlanError } from './backfillPlan';

export type RunOrder = 'oldest-first' | 'newest-first';

export interface LaunchOptions {
  /** Added to every run's tags (Dagster's --tags); dagster/priority, dagster/max_retries and dagster/max_runtime here act as the options below. */
  tags?: Record<string, string>;
  /** dagster/priority: higher runs leave the queue first. */
  priority?: number;
  /** Which partitions start first when runs compete (default oldest first). */
  order?: RunOrder;
  /** dagster/max_retries: a failed run is run again up to this many times. */
  maxRetries?: number;
  /** Delay before the first retry in seconds (default 5); it doubles with each retry, up to 5 minutes. */
  retryDelaySeconds?: number;
  /** After this many runs failed (retries exhausted) the rest are canceled and the backfill ends FAILED. */
  stopAfterFailures?: number;
  /** dagster/max_runtime: a run still going after this many seconds is terminated and fails. */
  maxRuntimeSeconds?: number;
  /** At most this many of the backfill's runs at a time, within the coordinator's own limit. */
  maxConcurrent?: number;
}

/** LaunchOptions with every choice made; `tags` include the dagster/* tags the options stand for. */
export interface ResolvedLaunchOptions {
  tags: Record<string, string>;
  order: RunOrder;
  retry: RunRetryPolicy;
  stopAfterFailures: number | null;
  maxRuntimeMs: number | null;
  maxConcurrent: number | null;
}

const MAX_RETRY_DELAY_MS = 300_000;

function wholeNumber(value: unknown, what: string, min: number): number {
  const n = typeof value === 'string' && /^\s*-?\d+\s*$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min) {
    throw new BackfillPlanError(`${what} must be a whole number of at least ${min}, got ${JSON.stringify(value)}`);
  }
  return n;
}

function positiveNumber(value: unknown, what: string): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n <= 0) throw new BackfillPlanError(`${what} must be a number of seconds above 0, got ${JSON.stringify(value)}`);
  return n;
}

/** Checks the options and settles each one; an option given both as a field and as its dagster/* tag takes the field. */
export function resolveLaunchOptions(options: LaunchOptions = {}): ResolvedLaunchOptions {
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(options.tags ?? {})) {
    if (typeof v !== 'string') throw new BackfillPlanError(`tag ${JSON.stringify(k)} must have a string value, got ${JSON.stringify(v)}`);
    tags[k] = v;
  }
  const priority = options.priority ?? tags['dagster/priority'];
  if (priority !== undefined) tags['dagster/priority'] = String(wholeNumber(priority, 'priority (dagster/priority)', Number.MIN_SAFE_INTEGER));
  const maxRetriesValue = options.maxRetries ?? tags['dagster/max_retries'];
  const maxRetries = maxRetriesValue === undefined ? 0 : wholeNumber(maxRetriesValue, 'max retries (dagster/max_retries)', 0);
  if (maxRetriesValue !== undefined) tags['dagster/max_retries'] = String(maxRetries);
  const runtime = options.maxRuntimeSeconds ?? tags['dagster/max_runtime'];
  const maxRuntimeMs = runtime === undefined ? null : positiveNumber(runtime, 'max runtime (dagster/max_runtime)') * 1000;
  if (maxRuntimeMs !== null) tags['dagster/max_runtime'] = String(maxRuntimeMs / 1000);
  const order = options.order ?? 'oldest-first';
  if (order !== 'oldest-first' && order !== 'newest-first') throw new BackfillPlanError(`order must be "oldest-first" or "newest-first", got ${JSON.stringify(order)}`);
  const stopAfterFailures = options.stopAfterFailures === undefined ? null : wholeNumber(options.stopAfterFailures, 'stop after failures', 1);
  const firstDelayMs = (options.retryDelaySeconds === undefined ? 5 : positiveNumber(options.retryDelaySeconds, 'retry delay')) * 1000;
  const maxConcurrent = options.maxConcurrent === undefined ? null : wholeNumber(options.maxConcurrent, 'max concurrent runs', 1);
  return { tags, order, retry: { maxRetries, firstDelayMs, maxDelayMs: Math.max(firstDelayMs, MAX_RETRY_DELAY_MS) }, stopAfterFailures, maxRuntimeMs, maxConcurrent };
}
