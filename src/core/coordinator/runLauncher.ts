// The RunLauncher port: executes one run (a target for one partition) and reports how it ended.

export interface RunRequest {
  runId: string;
  backfillId: string;
  target: string;
  partitionKey: string;
}

export interface RunOutcome {
  status: 'SUCCESS' | 'FAILURE' | 'CANCELED';
  exitCode: number | null;
  /** One-line reason for a failure or cancellation, else null. */
  error: string | null;
}

export interface RunIo {
  /** Aborted when the run is canceled; the launcher must stop the run and resolve with CANCELED. */
  signal: AbortSignal;
  /** Output of the run, in chunks as it arrives. */
  onLog(text: string): void;
}

/**
 * Launches runs. Contract: `launch` never rejects for a failure of the run itself (bad exit code, missing
 * executable): those resolve as FAILURE with an error message. It resolves only once every process the run
 * started has exited.
 */
export interface RunLauncher {
  launch(run: RunRequest, io: RunIo): Promise<RunOutcome>;
}
