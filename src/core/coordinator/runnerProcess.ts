// One process of the Python runner: spawned with an argv array in its own process group, events read from
// file descriptor 3, output from stdout/stderr, and a group kill (SIGTERM, then SIGKILL after a grace period).
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { cutLineMessage, LineSplitter, parseRunnerLine, type RunnerMessage } from './runnerProtocol';
import { signalProcessGroup } from './signalProcessGroup';

export interface RunnerProcessOptions {
  python: string;
  script: string;
  mode: 'run' | 'worker' | 'check' | 'status';
  cwd: string;
  env?: NodeJS.ProcessEnv;
  onMessage(message: RunnerMessage): void;
  onOutput(text: string): void;
}

export interface RunnerExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the interpreter could not be started at all. */
  spawnError: string | null;
}

export class RunnerProcess {
  private readonly child: ChildProcess;
  private killTimer: NodeJS.Timeout | undefined;
  private spawnError: string | null = null;
  readonly exited: Promise<RunnerExit>;
  private exitedValue: RunnerExit | undefined;

  constructor(options: RunnerProcessOptions) {
    // detached: the runner leads its own process group, so a kill also reaches what user code started.
    this.child = spawn(options.python, [options.script, options.mode], {
      cwd: options.cwd,
      env: { ...process.env, ...options.env, PYTHONUNBUFFERED: '1' },
      shell: false,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
    });
    const events = new LineSplitter((line, cut) => options.onMessage(cut ? cutLineMessage(line, cut.droppedCharacters) : parseRunnerLine(line)));
    const channel = this.child.stdio[3] as Readable | null;
    // Decoded by a stream decoder: a chunk may end inside a UTF-8 character, whose bytes wait for the next one.
    channel?.setEncoding('utf8');
    channel?.on('data', (d: string) => events.push(d));
    this.child.stdout?.setEncoding('utf8');
    this.child.stderr?.setEncoding('utf8');
    this.child.stdout?.on('data', (d: string) => options.onOutput(d));
    this.child.stderr?.on('data', (d: string) => options.onOutput(d));
    // A worker that dies leaves writes to its stdin failing with EPIPE: the exit handler reports it.
    this.child.stdin?.on('error', () => undefined);
    this.child.on('error', (e) => {
      this.spawnError = `could not start the Python interpreter ${JSON.stringify(options.python)}: ${e.message}`;
    });
    this.exited = new Promise((resolve) => {
      this.child.on('close', (code, signal) => {
        events.end();
        if (this.killTimer) clearTimeout(this.killTimer);
        this.exitedValue = { code, signal, spawnError: this.spawnError };
        resolve(this.exitedValue);
      });
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get hasExited(): boolean {
    return this.exitedValue !== undefined;
  }

  send(value: unknown): void {
    this.child.stdin?.write(JSON.stringify(value) + '\n');
  }

  /** EOF on stdin: a worker exits after its current run, a one-run process after reading its request. */
  endInput(): void {
    this.child.stdin?.end();
  }

  /**
   * Stops the run in progress: for a cancel, SIGUSR1 to the runner alone first (it then reports the run CANCELED
   * to Dagster, which records the coming interrupt as a failure); a timeout stays the failure Dagster records.
   * Then SIGTERM to the group, SIGKILL after the grace period.
   */
  stopRun(cancel: boolean, graceMs: number): void {
    if (cancel && !this.hasExited && this.child.pid !== undefined && process.platform !== 'win32') {
      try {
        process.kill(this.child.pid, 'SIGUSR1');
      } catch {
        // Gone already: its exit is reported as usual.
      }
    }
    this.killGroup(graceMs);
  }

  /** SIGTERM to the whole process group, SIGKILL after the grace period if it is still there. */
  killGroup(graceMs: number): void {
    if (this.hasExited) return;
    this.signalGroup('SIGTERM');
    this.killTimer ??= setTimeout(() => this.signalGroup('SIGKILL'), graceMs);
  }

  private signalGroup(sig: NodeJS.Signals): void {
    if (this.child.pid !== undefined) signalProcessGroup(this.child.pid, sig);
  }
}
