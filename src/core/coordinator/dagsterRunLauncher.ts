// Runs Dagster assets and jobs through the Python runner (src/runner/backfill_runner.py) with the workspace's
// interpreter: on a warm worker of the run's code location by default, or one process per run.
import { randomUUID } from 'node:crypto';
import { definitionName, type Definition, type DefinitionCodeLocation } from '../definitions/definition';
import { DagsterWorkerPool } from './dagsterWorkerPool';
import type { RunIo, RunLauncher, RunOutcome, RunRequest } from './runLauncher';
import { requestPartition, type RunnerRequest } from './runnerProtocol';
import { RunnerProcess } from './runnerProcess';
import { RunnerRunSession } from './runnerRunSession';

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

/** What a run executes: asset keys of one code location, or one job. Throws a clear message otherwise. */
export function runnerTarget(run: Pick<RunRequest, 'targets'>, lookup: (name: string) => Definition | undefined): { kind: 'asset' | 'job'; location: DefinitionCodeLocation } {
  const defs = run.targets.map((name) => {
    const d = lookup(name);
    if (!d) throw new Error(`no Dagster asset or job named ${JSON.stringify(name)}`);
    if (d.kind === 'command') throw new Error(`${name} is a command target, not a Dagster definition`);
    if (!d.codeLocation) throw new Error(`${name} has no code location (it was not found by discovery), so the runner cannot import it`);
    return d;
  });
  const jobs = defs.filter((d) => d.kind === 'job');
  if (jobs.length > 0 && defs.length > 1) throw new Error(`a run executes one job or a set of assets, not ${run.targets.join(', ')}`);
  const location = defs[0]!.codeLocation!;
  const other = defs.find((d) => JSON.stringify(d.codeLocation) !== JSON.stringify(location));
  if (other) throw new Error(`${definitionName(defs[0]!)} and ${definitionName(other)} are in different code locations (${location.name}, ${other.codeLocation!.name}); one run executes one location`);
  return { kind: jobs.length ? 'job' : 'asset', location };
}

/** As Dagster tags a job backfill's runs: a partitioned job's run also names the job's partition set. */
function dagsterRunTags(run: RunRequest, kind: 'asset' | 'job'): Record<string, string> {
  const tags = run.tags ?? {};
  return kind === 'job' && tags['dagster/partition'] !== undefined ? { ...tags, 'dagster/partition_set': `${run.targets[0]}_partition_set` } : tags;
}

export class DagsterRunLauncher implements RunLauncher {
  private readonly pool: DagsterWorkerPool;

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
    if (this.options.warm === false) return this.launchProcess(request, io);
    return this.pool.run(this.workerKey(request), request, io);
  }

  /** Ends every warm worker; call when a watched Python file changes, so the next runs import the new code. */
  retireAll(): Promise<void> {
    return this.pool.retireAll();
  }

  /**
   * Whether an asset partition was materialized on the run's instance since a time (crash recovery: a run that
   * was running when its process died may have finished its work). Rejects when the runner cannot answer.
   */
  /**
   * Whether every asset of an interrupted run materialized its partitions since the attempt started (a range run
   * is judged by its first and last keys). Jobs have no asset to ask about, so they always run again.
   */
  async materialized(run: RunRequest): Promise<boolean> {
    if (run.startedAt === undefined || run.startedAt === null) return false;
    const { kind } = runnerTarget(run, (n) => this.options.definition(n));
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
    let answer: { materialized: boolean; runId?: string } | undefined;
    let log = '';
    const child = new RunnerProcess({
      python: this.options.python, script: this.options.runnerScript, mode: 'check', cwd: this.options.workspaceRoot,
      ...(this.options.env ? { env: this.options.env } : {}),
      onMessage: (m) => {
        if (m.event === 'check_result') answer = { materialized: m.materialized, ...(m.runId ? { runId: m.runId } : {}) };
        if (m.event === 'dagster_missing') log += m.message;
      },
      onOutput: (text) => (log += text),
    });
    child.send({ workspaceRoot: this.options.workspaceRoot, asset, partition, since: since.getTime() / 1000 });
    child.endInput();
    const exit = await child.exited;
    if (!answer) throw new Error(`could not check ${asset} ${partition ?? ''}: ${exit.spawnError ?? log.trim().split('\n').pop() ?? `runner exited with code ${exit.code}`}`);
    return answer;
  }

  workerPids(request: RunnerRequest): number[] {
    return this.pool.pids(this.workerKey(request));
  }

  private workerKey(request: RunnerRequest): string {
    return JSON.stringify([this.options.python, request.workspaceRoot, request.location]);
  }

  private launchProcess(request: RunnerRequest, io: RunIo): Promise<RunOutcome> {
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
      child.killGroup(this.options.killGraceMs ?? 5000);
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
