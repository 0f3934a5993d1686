// Warm Dagster workers: per interpreter + code location, up to N runner processes in worker mode, each with the
// code location imported once and running one request at a time. A worker that dies fails its run and is
// replaced on the next request; cancel tells the worker it is a cancel (SIGUSR1), then ends its process group;
// retireAll ends them all.
import { RUN_TIMEOUT_ABORT, type RunIo, type RunOutcome } from './runLauncher';
import type { PreflightRequest, RunnerMessage, RunnerRequest } from './runnerProtocol';
import { RunnerProcess } from './runnerProcess';
import { RunnerRunSession } from './runnerRunSession';

export interface DagsterWorkerPoolOptions {
  python: string;
  script: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Workers per key; default 4. The coordinator's concurrency limit is the natural value. */
  maxWorkers?: number;
  killGraceMs?: number;
}

interface Job {
  request: RunnerRequest | PreflightRequest;
  session: RunnerRunSession;
  io: RunIo;
  /** Aborted: the worker is being stopped, and the run ends when it has exited. */
  stopped: boolean;
  /** Stopped by the user (not a timeout): CANCELED, whatever Dagster recorded for the interrupted step. */
  canceled: boolean;
  resolve(outcome: RunOutcome): void;
}

class DagsterWorker {
  readonly process: RunnerProcess;
  job: Job | undefined;
  retiring = false;

  constructor(readonly key: string, options: DagsterWorkerPoolOptions, onFree: (w: DagsterWorker) => void, onExit: (w: DagsterWorker) => void) {
    this.process = new RunnerProcess({
      python: options.python, script: options.script, mode: 'worker', cwd: options.cwd, ...(options.env ? { env: options.env } : {}),
      onOutput: (text) => this.job?.io.onLog(text),
      onMessage: (message: RunnerMessage) => {
        const job = this.job;
        // Messages of another request cannot be ours; untagged ones (dagster_missing, worker_ready) belong to the current run.
        if (!job || (message.run !== undefined && message.run !== job.request.requestId)) return;
        if (job.session.handle(message)) {
          // A stopped run (cancel, timeout) ends with its worker's process group: its exit resolves it.
          if (job.stopped) return;
          this.job = undefined;
          job.resolve(job.session.outcome!);
          onFree(this);
        }
      },
    });
    void this.process.exited.then((exit) => {
      const job = this.job;
      this.job = undefined;
      onExit(this);
      job?.resolve(job.session.outcomeAfterExit(exit, job.canceled, `the Dagster worker (pid ${this.process.pid ?? '?'})`));
    });
  }
}

export class DagsterWorkerPool {
  private readonly workers = new Map<string, DagsterWorker[]>();
  private readonly waiting = new Map<string, (() => void)[]>();
  private readonly retired = new Set<DagsterWorker>();

  constructor(private readonly options: DagsterWorkerPoolOptions) {}

  /** Runs one request on a free (or newly started) worker of the key, waiting for one when all N are busy. */
  async run(key: string, request: RunnerRequest | PreflightRequest, io: RunIo): Promise<RunOutcome> {
    if (io.signal.aborted) return { status: 'CANCELED', exitCode: null, error: 'canceled before start' };
    let worker = this.freeWorker(key);
    while (!worker) {
      await new Promise<void>((resolve) => {
        const wake = () => {
          io.signal.removeEventListener('abort', wake);
          resolve();
        };
        io.signal.addEventListener('abort', wake, { once: true });
        this.waiting.set(key, [...(this.waiting.get(key) ?? []), wake]);
      });
      if (io.signal.aborted) return { status: 'CANCELED', exitCode: null, error: 'canceled before start' };
      worker = this.freeWorker(key);
    }
    const w = worker;
    return new Promise<RunOutcome>((resolve) => {
      const onAbort = () => {
        // A stopped worker is never given another run: it is on its way out.
        w.retiring = true;
        job.stopped = true;
        job.canceled = io.signal.reason !== RUN_TIMEOUT_ABORT;
        w.process.stopRun(job.canceled, this.options.killGraceMs ?? 5000);
      };
      const job: Job = {
        request, io, stopped: false, canceled: false, session: new RunnerRunSession(io),
        resolve: (outcome) => {
          io.signal.removeEventListener('abort', onAbort);
          resolve(outcome);
        },
      };
      w.job = job;
      io.signal.addEventListener('abort', onAbort, { once: true });
      if (w.process.pid !== undefined) io.onProcess?.(w.process.pid);
      w.process.send(request);
    });
  }

  /** Pids of the live workers of a key (for tests and status). */
  pids(key: string): number[] {
    return (this.workers.get(key) ?? []).flatMap((w) => (w.process.pid === undefined ? [] : [w.process.pid]));
  }

  /**
   * Ends every worker (the code they imported is stale): idle ones now, busy ones once their current run ends.
   * New requests start fresh workers. Resolves when all of them have exited.
   */
  async retireAll(): Promise<void> {
    const all = [...this.workers.values()].flat();
    this.workers.clear();
    for (const w of all) {
      w.retiring = true;
      this.retired.add(w);
      if (!w.job) w.process.endInput();
    }
    this.wakeAll();
    await Promise.all([...this.retired].map((w) => w.process.exited));
  }

  private freeWorker(key: string): DagsterWorker | undefined {
    const list = this.workers.get(key) ?? [];
    const free = list.find((w) => !w.job && !w.retiring && !w.process.hasExited);
    if (free) return free;
    if (list.length >= (this.options.maxWorkers ?? 4)) return undefined;
    const w = new DagsterWorker(key, this.options, (done) => this.onFree(done), (gone) => this.onExit(gone));
    this.workers.set(key, [...list, w]);
    return w;
  }

  private onFree(w: DagsterWorker): void {
    if (w.retiring) w.process.endInput();
    else this.wake(w.key);
  }

  private onExit(w: DagsterWorker): void {
    this.retired.delete(w);
    const list = (this.workers.get(w.key) ?? []).filter((x) => x !== w);
    if (list.length) this.workers.set(w.key, list);
    else this.workers.delete(w.key);
    // Its slot is free: a waiting request starts a replacement.
    this.wake(w.key);
  }

  /** Every waiter of the key looks again; those that find no worker wait again. */
  private wake(key: string): void {
    const list = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    for (const resolve of list) resolve();
  }

  private wakeAll(): void {
    for (const [key, list] of this.waiting) {
      this.waiting.delete(key);
      for (const resolve of list) resolve();
    }
  }
}
