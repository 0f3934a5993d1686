// One Dagster run as seen through the runner's events: forwards them to the run's RunIo and turns
// run_finished, a missing dagster or an early process exit into the run's outcome.
import type { RunIo, RunOutcome } from './runLauncher';
import { MISSING_DAGSTER_EXIT_CODE, type RunnerError, type RunnerMessage } from './runnerProtocol';
import type { RunnerExit } from './runnerProcess';

/** The one-line reason of a runner error: the user's "ValueError: bad day" (Dagster's messages may already start with the class). */
export function errorLine(error: RunnerError): string {
  const first = error.message.split('\n')[0]!.trim();
  if (!first) return error.class;
  return first.startsWith(`${error.class}:`) ? first : `${error.class}: ${first}`;
}

export class RunnerRunSession {
  private finished: RunOutcome | undefined;
  private missingDagster: string | undefined;

  constructor(private readonly io: RunIo) {}

  get outcome(): RunOutcome | undefined {
    return this.finished;
  }

  /** Takes one message of this run; returns true once the run has finished. */
  handle(message: RunnerMessage): boolean {
    const { event, run: _run, ...payload } = message;
    this.io.onEvent?.(event, payload);
    if (message.event === 'dagster_missing') {
      this.missingDagster = message.message;
      this.io.onLog(message.message + '\n');
    } else if (message.event === 'preflight_finished' && !this.finished) {
      // A preflight request ends with this event instead of run_finished.
      this.finished = message.ok ? { status: 'SUCCESS', exitCode: 0, error: null } : { status: 'FAILURE', exitCode: 1, error: message.error ? errorLine(message.error) : 'the preflight failed' };
      return true;
    } else if (message.event === 'run_finished' && !this.finished) {
      if (message.status === 'SUCCESS') this.finished = { status: 'SUCCESS', exitCode: 0, error: null };
      else if (message.status === 'CANCELED') this.finished = { status: 'CANCELED', exitCode: null, error: 'canceled' };
      else {
        const error = message.error ?? { class: 'DagsterRunFailure', message: 'the run failed', stack: '' };
        if (error.stack) this.io.onLog(error.stack.endsWith('\n') ? error.stack : error.stack + '\n');
        this.finished = { status: 'FAILURE', exitCode: 1, error: errorLine(error) };
      }
      return true;
    }
    return false;
  }

  /** The outcome when the process ended: run_finished if it came, else what the exit says. */
  outcomeAfterExit(exit: RunnerExit, canceled: boolean, what: string): RunOutcome {
    if (canceled) return { status: 'CANCELED', exitCode: exit.code, error: 'canceled' };
    if (exit.spawnError) return { status: 'FAILURE', exitCode: null, error: exit.spawnError };
    if (exit.code === MISSING_DAGSTER_EXIT_CODE || this.missingDagster) {
      return { status: 'FAILURE', exitCode: exit.code, error: this.missingDagster ?? `${what} exited with code ${MISSING_DAGSTER_EXIT_CODE}: dagster cannot be imported by this interpreter` };
    }
    if (this.finished) return { ...this.finished, exitCode: exit.code };
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    return { status: 'FAILURE', exitCode: exit.code, error: `${what} ${how} before the run finished` };
  }
}
