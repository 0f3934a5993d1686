// Runs Dagster assets and jobs through the Python runner (src/runner/backfill_runner.py) with the workspace's
// interpreter: on a warm worker of the run's code location by default, or one process per run.
import { randomUUID } from 'node:crypto';
import type { Definition } from '../definitions/definition';
import { checkInstance, type InstanceCheckOptions } from './dagsterInstanceCheck';
import { preflightMessage, preflightRequests } from './dagsterPreflight';
import { DagsterWorkerPool } from './dagsterWorkerPool';
import { RUN_TIMEOUT_ABORT, type RunIo, type RunLauncher, type RunOutcome, type RunRequest } from './runLauncher';
import { requestPartition, type PreflightRequest, type RunnerError, type RunnerRequest } from './runnerProtocol';
import { RunnerProcess } from './runnerProcess';
import { RunnerRunSession } from './runnerRunSession';
import { runnerTarget } from './runnerTarget';

export interface DagsterRunLauncherOptions {
  workspaceRoot: string;
  /** The workspace's Python interpreter. */
  python: string;
  /** Path of backfill_runner.py (dist/runner/ when bundled). */
  runnerScript: string;
  /** Looks a run's target up by name (asset key "a/b" or job name). */
  definition(name: string): Definition | undefined;
  /** Warm workers (default) or one runner process per run. */
  warm?: boolean;
  /** Warm workers per code location; default 4. */
  maxWorkers?: number;
  killGraceMs?: number;
  /** Extra environment for the runner (e.g. PYTHONPATH, DAGSTER_HOME). */
  env?: NodeJS.ProcessEnv;
}

/** As Dagster tags a job backfill's runs: a partitioned job's run also names the job's partition set. */
function dagsterRunTags(run: RunRequest, kind: 'asset' | 'job'): Record<string, string> {
  const tags = run.tags ?? {};
  return kind === 'job' && tags['dagster/partition'] !== undefined ? { ...tags, 'dagster/partition_set': `${run.targets[0]}_partition_set` } : tags;
}

export class DagsterRunLauncher implements RunLauncher {
  private readonly pool: DagsterWorkerPool;
  /** Per job (worker key, kind, targets): settles once its first run has started, so Dagster has stored the job's snapshot. */
  private readonly firstRuns = new Map<string, Promise<void>>();

  constructor(private readonly options: DagsterRunLauncherOptions) {
    this.pool = new DagsterWorkerPool({
      python: options.python, script: options.runnerScript, cwd: options.workspaceRoot,
      ...(options.env ? { env: options.env } : {}),
      ...(options.maxWorkers !== undefined ? { maxWorkers: options.maxWorkers } : {}),
      ...(options.killGraceMs !== undefined ? { killGraceMs: options.killGraceMs } : {}),
    });
  }

  /** The request the runner gets. A retry is a new Dagster run, so it gets a new run id; the first try uses the run's own. */
  request(run: RunRequest): RunnerRequest {
    const { kind, location } = runnerTarget(run, (n) => this.options.definition(n));
    return {
      requestId: run.runId, workspaceRoot: this.options.workspaceRoot, location, kind, targets: run.targets,
      partition: requestPartition(run.partitionKey, (first, last) => this.dynamicRangeKeys(run.targets, first, last)), tags: dagsterRunTags(run, kind), runId: run.attempt > 1 ? randomUUID() : run.runId,
    };
  }

  /** The keys of a range of dynamic partitions, as planned from our store; undefined for other kinds. */
  private dynamicRangeKeys(targets: string[], first: string, last: string): string[] | undefined {
    const partitions = targets.map((name) => this.options.definition(name)?.partitions).find((p) => p?.kind === 'dynamic');
    return partitions ? partitions.keysInRange(first, last, new Date()) : undefined;
  }

  launch(run: RunRequest, io: RunIo): Promise<RunOutcome> {
    let request: RunnerRequest;
    try {
      request = this.request(run);
    } catch (e) {
      return Promise.resolve({ status: 'FAILURE', exitCode: null, error: (e as Error).message });
    }
    // A job's first run stores its snapshot by check-then-insert (Dagster 1.2 fails a concurrent sibling with an
    // IntegrityError): the first run of each job goes alone until it has started; the others follow.
    const gate = JSON.stringify([this.workerKey(request), request.kind, [...request.targets].sort()]);
    const first = this.firstRuns.get(gate);
    if (first) return first.then(() => this.start(request, io));
    let release!: () => void;
    this.firstRuns.set(gate, new Promise<void>((resolve) => (release = resolve)));
    const onEvent = io.onEvent;
    const watched: RunIo = { ...io, onEvent: (kind, payload) => { if (kind === 'run_started') release(); onEvent?.(kind, payload); } };
    return this.start(request, watched).finally(release);
  }

  private async start(request: RunnerRequest | PreflightRequest, io: RunIo): Promise<RunOutcome> {
    let dagsterRunId: string | undefined;
    let reported = false;
    const onEvent = io.onEvent;
    const watched: RunIo = {
      ...io,
      onEvent: (kind, payload) => {
        if (kind === 'run_started') dagsterRunId = (payload as { dagsterRunId?: string }).dagsterRunId;
        if (kind === 'run_finished') reported = true;
        onEvent?.(kind, payload);
      },
    };
    const outcome = this.options.warm === false ? await this.launchProcess(request, watched) : await this.pool.run(this.workerKey(request), request, watched);
    if (outcome.status !== 'CANCELED' || reported || dagsterRunId === undefined) return outcome;
    return this.reportCanceled(dagsterRunId, outcome, io);
  }

  /**
   * The runner was killed (its grace period ran out) before it told Dagster of the cancel: the instance would keep
   * the run STARTED, or FAILURE from the interrupt, while this run is CANCELED. A check process marks it as Dagster
   * marks the runs it terminates.
   */
  private async reportCanceled(dagsterRunId: string, outcome: RunOutcome, io: RunIo): Promise<RunOutcome> {
    try {
      const { runStatus } = await checkInstance(this.checkOptions(), { canceledDagsterRunId: dagsterRunId });
      io.onLog(`[backfill] the runner ended before it reported the cancel; Dagster run ${dagsterRunId} is now ${runStatus ?? 'absent'} on the instance\n`);
    } catch (e) {
      io.onLog(`[backfill] the runner ended before it reported the cancel, and marking Dagster run ${dagsterRunId} canceled failed: ${(e as Error).message}\n`);
    }
    return outcome;
  }

  /**
   * Once before a backfill's runs: per code location, the instance is opened (a fresh DAGSTER_HOME's storage is
   * created here, by one process, before any worker runs a partition) and the location is loaded and its jobs
   * resolved, on a worker that then stays warm for the runs. Resolves with the one message that would fail every run.
   */
  async preflight(runs: RunRequest[]): Promise<string | null> {
    let requests: PreflightRequest[];
    try {
      requests = preflightRequests(runs, this.options.workspaceRoot, (n) => this.options.definition(n));
    } catch (e) {
      return (e as Error).message;
    }
    for (const request of requests) {
      let finished: { dagsterVersion?: string; phase?: string; error?: RunnerError } | undefined;
      const io: RunIo = {
        signal: new AbortController().signal,
        onLog: () => undefined,
        onEvent: (kind, payload) => { if (kind === 'preflight_finished') finished = payload as typeof finished; },
      };
      const outcome = await this.start(request, io);
      if (outcome.status === 'SUCCESS') continue;
      const error = finished?.error ?? outcome.error ?? 'the runner ended without an answer';
      if (!finished && outcome.exitCode === 3) return typeof error === 'string' ? error : error.message;
      return preflightMessage({
        location: request.location, python: this.options.python, error,
        ...(finished?.dagsterVersion ? { dagsterVersion: finished.dagsterVersion } : {}), ...(finished?.phase ? { phase: finished.phase } : {}),
      });
    }
    return null;
  }

  /** Ends every warm worker; call when a watched Python file changes, so the next runs import the new code. */
  retireAll(): Promise<void> {
    this.firstRuns.clear();
    return this.pool.retireAll();
  }

  /**
   * Whether an interrupted attempt (its coordinating process died) completed after all, as the instance says: its
   * Dagster run ended SUCCESS, or (assets) every asset materialized its partitions since the attempt started (a range
   * run is judged by its first and last keys). Rejects when the runner cannot answer.
   */
  async materialized(run: RunRequest): Promise<boolean> {
    if (run.startedAt === undefined || run.startedAt === null) return false;
    const { kind } = runnerTarget(run, (n) => this.options.definition(n));
    const dagsterRunId = run.dagsterRunId ?? (run.attempt === 1 ? run.runId : undefined);
    if (dagsterRunId !== undefined && (await checkInstance(this.checkOptions(), { dagsterRunId })).runStatus === 'SUCCESS') return true;
    if (kind !== 'asset') return false;
    const bounds = run.partitionKey === '' ? [null] : [...new Set(run.partitionKey.split('...'))];
    for (const asset of run.targets) {
      for (const key of bounds) {
        if (!(await this.materializedSince(asset, key, new Date(run.startedAt))).materialized) return false;
      }
    }
    return true;
  }

  async materializedSince(asset: string, partition: string | null, since: Date): Promise<{ materialized: boolean; runId?: string }> {
    const { materialized, runId } = await checkInstance(this.checkOptions(), { asset, partition, since });
    return { materialized, ...(runId ? { runId } : {}) };
  }

  private checkOptions(): InstanceCheckOptions {
    const { python, runnerScript, workspaceRoot, env } = this.options;
    return { python, runnerScript, workspaceRoot, ...(env ? { env } : {}) };
  }

  workerPids(request: RunnerRequest): number[] {
    return this.pool.pids(this.workerKey(request));
  }

  private workerKey(request: Pick<RunnerRequest, 'workspaceRoot' | 'location'>): string {
    return JSON.stringify([this.options.python, request.workspaceRoot, request.location]);
  }

  private launchProcess(request: RunnerRequest | PreflightRequest, io: RunIo): Promise<RunOutcome> {
    if (io.signal.aborted) return Promise.resolve({ status: 'CANCELED', exitCode: null, error: 'canceled before start' });
    const session = new RunnerRunSession(io);
    let canceled = false;
    const child = new RunnerProcess({
      python: this.options.python, script: this.options.runnerScript, mode: 'run', cwd: this.options.workspaceRoot,
      ...(this.options.env ? { env: this.options.env } : {}),
      onMessage: (m) => session.handle(m),
      onOutput: (text) => io.onLog(text),
    });
    const onAbort = () => {
      canceled = true;
      child.stopRun(io.signal.reason !== RUN_TIMEOUT_ABORT, this.options.killGraceMs ?? 5000);
    };
    io.signal.addEventListener('abort', onAbort, { once: true });
    if (child.pid !== undefined) io.onProcess?.(child.pid);
    child.send(request);
    child.endInput();
    return child.exited.then((exit) => {
      io.signal.removeEventListener('abort', onAbort);
      return session.outcomeAfterExit(exit, canceled, 'the Dagster runner');
    });
  }
}
