// Reads partition statuses and dynamic partitions from the user's Dagster instance through ONE long-lived
// `backfill_runner.py status` process per interpreter: started on the first request, requests matched to answers
// by id, timed out, started again after it dies, retired when the code changes; a missing dagster is permanent.
import { startTimer, systemClock, type Clock, type ClockTimer } from '../clock';
import { LastStderrLine } from './lastStderrLine';
import { MISSING_DAGSTER_EXIT_CODE, type RunnerMessage } from './runnerProtocol';
import { RunnerProcess, type RunnerExit } from './runnerProcess';
import type { RunnerError } from './runnerError';
import type { DynamicPartitionsRequest, StatusFailurePhase, StatusRequest, StatusResultEvent } from './runnerStatusProtocol';

export interface DagsterStatusReaderOptions {
  python: string;
  /** backfill_runner.py (or, in tests, a named double of its status mode). */
  script: string;
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** How long an answer may take (default 120 s: the first request of a process imports the code location). */
  timeoutMs?: number;
  /** After a retire, how long the process may take to exit by itself before its group is killed (default 5 s). */
  killGraceMs?: number;
  clock?: Clock;
  /** The process's output and the runner's warnings (a malformed line, say). */
  onLog?: (text: string) => void;
}

/**
 * Why a request got no answer: `dagster-missing` (the interpreter cannot import dagster, or cannot be started:
 * permanent for this reader), a phase of the request that failed on the instance or the code location, the
 * process that died or answered nonsense (`runner`), or no answer in time (`timeout`).
 */
export type DagsterStatusFailure = 'dagster-missing' | StatusFailurePhase | 'runner' | 'timeout';

/** Recognised by name across bundles, as every engine error the faces tell apart. */
export class DagsterStatusError extends Error {
  override name = 'DagsterStatusError';
  constructor(message: string, readonly failure: DagsterStatusFailure, readonly instance: string | null = null) {
    super(message);
  }
}

export type StatusAnswer = Omit<Extract<StatusResultEvent, { full: boolean }>, 'event'>;
export interface DynamicPartitionsAnswer {
  name: string;
  keys: string[];
  instance: string | null;
}

interface Pending {
  op: 'status' | 'dynamic_partitions';
  resolve(value: unknown): void;
  reject(error: DagsterStatusError): void;
  timer: ClockTimer;
}

/** One process and the requests it owes an answer, in the order sent (the runner answers in that order). */
class StatusProcess {
  readonly pending = new Map<string, Pending>();
  readonly lastLine = new LastStderrLine();
  missing: string | undefined;
  readonly runner: RunnerProcess;

  constructor(options: DagsterStatusReaderOptions, onMessage: (p: StatusProcess, m: RunnerMessage) => void) {
    this.runner = new RunnerProcess({
      python: options.python, script: options.script, mode: 'status', cwd: options.cwd, ...(options.env ? { env: options.env } : {}),
      onMessage: (m) => onMessage(this, m),
      onOutput: (text) => {
        this.lastLine.push(text);
        options.onLog?.(text);
      },
    });
  }

  settleAll(error: DagsterStatusError): void {
    for (const p of this.pending.values()) {
      p.timer.cancel();
      p.reject(error);
    }
    this.pending.clear();
  }
}

export class DagsterStatusReader {
  private current: StatusProcess | undefined;
  private readonly ending = new Set<StatusProcess>();
  private missing: string | undefined;
  private seq = 0;
  private version: string | undefined;

  constructor(private readonly options: DagsterStatusReaderOptions) {}

  /** The runner's message when this interpreter cannot import dagster (or cannot start); it stays so for this reader. */
  get dagsterMissing(): string | undefined {
    return this.missing;
  }

  /** Dagster's version, once a process has imported it. */
  get dagsterVersion(): string | undefined {
    return this.version;
  }

  /** The live process's pid (tests, diagnostics). */
  get pid(): number | undefined {
    return this.current?.runner.pid;
  }

  status(request: Omit<StatusRequest, 'requestId' | 'op'>): Promise<StatusAnswer> {
    return this.send('status', request) as Promise<StatusAnswer>;
  }

  /** Adds then deletes keys of the dynamic partitions `name` on the instance; answers its keys after the change. */
  dynamicPartitions(request: Omit<DynamicPartitionsRequest, 'requestId' | 'op'>): Promise<DynamicPartitionsAnswer> {
    return this.send('dynamic_partitions', request) as Promise<DynamicPartitionsAnswer>;
  }

  /**
   * Ends the process (it imported code that changed): it answers what it was already asked, then exits on the end
   * of its input, or its group is killed after the grace period. The next request starts a new one.
   */
  async retire(): Promise<void> {
    const p = this.current;
    this.current = undefined;
    await Promise.all([...(p ? [p] : []), ...this.ending].map((x) => this.end(x)));
  }

  private async end(p: StatusProcess): Promise<void> {
    this.ending.add(p);
    p.runner.endInput();
    const kill = startTimer(this.clock, this.options.killGraceMs ?? 5000, () => p.runner.killGroup(1000));
    await p.runner.exited;
    kill.cancel();
    this.ending.delete(p);
  }

  private get clock(): Clock {
    return this.options.clock ?? systemClock;
  }

  private send(op: Pending['op'], body: object): Promise<unknown> {
    if (this.missing !== undefined) return Promise.reject(new DagsterStatusError(this.missing, 'dagster-missing'));
    const p = (this.current ??= this.start());
    const requestId = `${op === 'status' ? 's' : 'd'}${++this.seq}`;
    return new Promise((resolve, reject) => {
      const timeoutMs = this.options.timeoutMs ?? 120_000;
      const timer = startTimer(this.clock, timeoutMs, () => {
        if (!p.pending.delete(requestId)) return;
        reject(new DagsterStatusError(`the Dagster status process (pid ${p.runner.pid ?? '?'}) did not answer within ${Math.round(timeoutMs / 1000)} s; it was stopped and starts again on the next request`, 'timeout'));
        // A process that does not answer is of no use: the next request starts a fresh one.
        if (this.current === p) this.current = undefined;
        p.runner.killGroup(1000);
      });
      p.pending.set(requestId, { op, resolve, reject, timer });
      p.runner.send({ requestId, op, ...body });
    });
  }

  private start(): StatusProcess {
    const p = new StatusProcess(this.options, (from, m) => this.onMessage(from, m));
    void p.runner.exited.then((exit) => this.onExit(p, exit));
    return p;
  }

  private onMessage(p: StatusProcess, m: RunnerMessage): void {
    switch (m.event) {
      case 'dagster_loaded':
        this.version = m.version;
        return;
      case 'dagster_missing':
        p.missing = m.message;
        return;
      case 'status_result':
      case 'dynamic_partitions_result': {
        const pending = m.run === undefined ? undefined : p.pending.get(m.run);
        if (!pending || m.run === undefined) return; // an answer to a request that timed out
        p.pending.delete(m.run);
        pending.timer.cancel();
        const { event: _event, run: _run, ...answer } = m;
        if ('error' in answer) {
          const phase = 'phase' in answer ? answer.phase : 'status';
          pending.reject(new DagsterStatusError(statusErrorText(answer.error), phase, answer.instance ?? null));
        } else pending.resolve(answer);
        return;
      }
      case 'log':
        if (m.malformed === 'status_result' || m.malformed === 'dynamic_partitions_result') {
          // The runner answers in order: the oldest request is the one this answer was for.
          const [id, pending] = [...p.pending][0] ?? [];
          if (id !== undefined && pending) {
            p.pending.delete(id);
            pending.timer.cancel();
            pending.reject(new DagsterStatusError(`the Dagster status process answered with a malformed ${m.malformed}: ${m.message.slice(0, 300)}`, 'runner'));
          }
        }
        this.options.onLog?.(`${m.message}\n`);
        return;
      default:
        return;
    }
  }

  private onExit(p: StatusProcess, exit: RunnerExit): void {
    if (this.current === p) this.current = undefined;
    if (exit.spawnError) {
      this.missing = `${exit.spawnError}. Choose another interpreter: in VS Code run "Backfill Studio: Select Python Interpreter" or set backfillStudio.pythonPath; from the backfill CLI pass --python PATH or set BACKFILL_PYTHON.`;
    } else if (exit.code === MISSING_DAGSTER_EXIT_CODE || p.missing !== undefined) {
      this.missing = p.missing ?? (p.lastLine.line || `the Python interpreter ${this.options.python} cannot import dagster`);
    }
    if (p.pending.size === 0) return;
    if (this.missing !== undefined) return p.settleAll(new DagsterStatusError(this.missing, 'dagster-missing'));
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    const last = p.lastLine.line;
    p.settleAll(new DagsterStatusError(`the Dagster status process (pid ${p.runner.pid ?? '?'}) ${how} before it answered${last ? `: ${last}` : ''}`, 'runner'));
  }
}

/**
 * The whole of a failed request's error on one line: unlike a run's failure, which its log shows in full, this
 * text is all the user sees, and Dagster puts the useful part of a config error on the lines after the first.
 */
export function statusErrorText(error: RunnerError): string {
  const text = error.message.split('\n').map((l) => l.trim()).filter(Boolean).join(' ');
  const full = !text ? error.class : text.startsWith(`${error.class}:`) ? text : `${error.class}: ${text}`;
  return full.length > 800 ? `${full.slice(0, 800)}…` : full;
}
