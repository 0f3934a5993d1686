// The RunLauncher port: executes one run (a target for one partition) and reports how it ended.

export interface RunRequest {
  runId: string;
  backfillId: string;
  /** The run's targets joined with ","; `targets` lists them. */
  target: string;
  targets: string[];
  /** One key, or a range run's "first...last". */
  partitionKey: string;
  /** Dagster run tags: the backfill's tags plus dagster/backfill, dagster/partition or the range tags, dagster/retry_number. */
  tags: Record<string, string>;
  /** 1 for the first try. */
  attempt: number;
  /** When the current attempt started (epoch ms), if it has: what a materialization check counts from. */
  startedAt?: number | null;
  /** The Dagster run id the interrupted attempt reported (run_started), if any: adoption asks Dagster for its status. */
  dagsterRunId?: string;
}

/** The abort reason of a run stopped for exceeding its maximum runtime: a timeout, which is not the user's cancel. */
export const RUN_TIMEOUT_ABORT = 'run exceeded its maximum runtime';

export interface RunOutcome {
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
  exitCode: number | null;
  /** One-line reason for a failure or cancellation, else null. */
  error: string | null;
}

export interface RunIo {
  /** Aborted when the run is canceled (reason RUN_TIMEOUT_ABORT for a timeout); the launcher must stop the run and resolve with CANCELED. */
  signal: AbortSignal;
  /** Output of the run, in chunks as it arrives. */
  onLog(text: string): void;
  /** Structured events (Dagster's step and materialization events), recorded in the run's event log. */
  onEvent?(kind: string, payload: Record<string, unknown>): void;
  /** The run's process (group) id once it is started, recorded so a crash-recovering process can find it. */
  onProcess?(pid: number): void;
}

/**
 * Launches runs. Contract: `launch` never rejects for a failure of the run itself (bad exit code, missing
 * executable): those resolve as FAILURE with an error message. It resolves only once every process the run
 * started has exited.
 */
export interface RunLauncher {
  launch(run: RunRequest, io: RunIo): Promise<RunOutcome>;
  /**
   * Optional: whether the run's partitions were materialized by an attempt whose outcome was never recorded
   * (its coordinating process died). Asked when an orphaned backfill is adopted; true makes the run count as
   * SUCCESS without running it again. Launchers that cannot tell (commands) leave it out: the run is re-queued.
   */
  materialized?(run: RunRequest): Promise<boolean>;
  /**
   * Optional: checks, once before a backfill launches its runs, what every run needs alike (for Dagster: the
   * instance opens, the code location imports and its jobs resolve). Resolves with null, or with the one error
   * that would fail every run, so the backfill fails once instead of each partition alike.
   */
  preflight?(runs: RunRequest[]): Promise<string | null>;
}
