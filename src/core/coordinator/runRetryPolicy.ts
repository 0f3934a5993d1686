// Run retries as Dagster's dagster/max_retries, re-running the failed run whole, after a delay that doubles.

export interface RunRetryPolicy {
  /** Retries after the first attempt (dagster/max_retries); 0 never retries. */
  maxRetries: number;
  /** Delay before the first retry; each further retry waits twice as long as the one before. */
  firstDelayMs: number;
  /** The delay never grows beyond this. */
  maxDelayMs: number;
}

export const NO_RETRIES: RunRetryPolicy = { maxRetries: 0, firstDelayMs: 0, maxDelayMs: 0 };

/**
 * Whether a run that ended after `attempt` (1 for the first try) runs again. Only failures are retried:
 * a canceled run was stopped on purpose (Dagster does not retry canceled runs either).
 */
export function willRetry(policy: RunRetryPolicy, status: 'SUCCESS' | 'FAILURE' | 'CANCELED', attempt: number): boolean {
  return status === 'FAILURE' && attempt <= policy.maxRetries;
}

/** How long the retry that follows failed `attempt` waits: firstDelay, 2×, 4×… up to maxDelay. */
export function retryDelayMs(policy: RunRetryPolicy, attempt: number): number {
  return Math.min(policy.maxDelayMs, policy.firstDelayMs * 2 ** Math.max(0, attempt - 1));
}
