// Runs command targets: substitutes the partition into the argv template and spawns it without a shell.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import type { CommandTarget } from '../definitions/definition';
import { CommandSpawner, type CommandProcessEvents } from './commandSpawner';
import type { RunIo, RunLauncher, RunOutcome, RunRequest } from './runLauncher';
import { LastStderrLine } from './lastStderrLine';
import { signalProcessGroup } from './signalProcessGroup';

export interface CommandRunLauncherOptions {
  workspaceRoot: string;
  targets: ReadonlyMap<string, CommandTarget>;
  /** How long a canceled run gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
  /**
   * Start runs through the spawner process (posix_spawn) run by this Python; without it, or until it is
   * ready, or if it cannot start, runs are spawned by Node directly. Same argv, env, process group and output.
   */
  spawner?: { python: string; script: string };
}

/** Fills `{partition_key}` and friends into one argv element; unknown `{names}` are left as written. */
export function substitutePartition(arg: string, values: Record<string, string>): string {
  return arg.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in values ? values[name]! : whole));
}

/**
 * The placeholder values of one run. A range run (a backfill policy's "first...last" key) gets its bounds in
 * {range_start}/{range_end} and the span of its windows in {partition_start}/{partition_end}; {partition_key}
 * is then the range label, as Dagster sets no single partition key on range runs.
 */
export function partitionValues(target: CommandTarget, partitionKey: string): Record<string, string> {
  const bounds = partitionKey.split('...');
  const [first, last] = bounds.length === 2 ? [bounds[0]!, bounds[1]!] : [partitionKey, partitionKey];
  const firstWindow = target.partitions.timeWindow(first);
  const lastWindow = target.partitions.timeWindow(last);
  return {
    partition_key: partitionKey,
    partition_start: firstWindow?.start ?? first,
    partition_end: lastWindow?.end ?? last,
    range_start: first,
    range_end: last,
  };
}

export class CommandRunLauncher implements RunLauncher {
  private spawner: CommandSpawner | undefined;
  private spawnerFailed = false;

  constructor(private readonly options: CommandRunLauncherOptions) {}

  launch(run: RunRequest, io: RunIo): Promise<RunOutcome> {
    const target = this.options.targets.get(run.target);
    if (!target) {
      return Promise.resolve({ status: 'FAILURE', exitCode: null, error: `no command target named ${run.target}` });
    }
    const values = partitionValues(target, run.partitionKey);
    const [program, ...args] = target.command.map((a) => substitutePartition(a, values));
    const cwd = path.resolve(this.options.workspaceRoot, target.cwd);
    const runEnv: Record<string, string> = {
      ...target.env,
      BACKFILL_ID: run.backfillId,
      BACKFILL_RUN_ID: run.runId,
      BACKFILL_PARTITION_KEY: run.partitionKey,
      BACKFILL_PARTITION_START: values['partition_start']!,
      BACKFILL_PARTITION_END: values['partition_end']!,
      BACKFILL_RANGE_START: values['range_start']!,
      BACKFILL_RANGE_END: values['range_end']!,
      // As Dagster's run tags (dagster/backfill, dagster/partition or the range tags, dagster/retry_number, the user's).
      BACKFILL_RUN_TAGS: JSON.stringify(run.tags ?? {}),
      BACKFILL_RUN_ATTEMPT: String(run.attempt ?? 1),
    };
    return new Promise<RunOutcome>((resolve) => {
      if (io.signal.aborted) return resolve({ status: 'CANCELED', exitCode: null, error: 'canceled before start' });
      let pid: number | undefined;
      let canceled = false;
      let killTimer: NodeJS.Timeout | undefined;
      const stderr = new LastStderrLine();
      const signalGroup = (sig: NodeJS.Signals) => (pid === undefined ? undefined : signalProcessGroup(pid, sig));
      const onAbort = () => {
        canceled = true;
        signalGroup('SIGTERM');
        killTimer = setTimeout(() => signalGroup('SIGKILL'), this.options.killGraceMs ?? 5000);
      };
      io.signal.addEventListener('abort', onAbort, { once: true });
      const settle = (outcome: RunOutcome) => {
        io.signal.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        resolve(canceled ? { status: 'CANCELED', exitCode: outcome.exitCode, error: 'canceled' } : outcome);
      };
      const events: CommandProcessEvents = {
        // The run leads its own process group: its pid is the group id cancel (and a crash-recovering process) signals.
        onPid: (p) => {
          pid = p;
          io.onProcess?.(p);
          if (canceled) signalGroup('SIGTERM');
        },
        onOutput: (text, stream) => {
          if (stream === 'stderr') stderr.push(text);
          io.onLog(text);
        },
        onSpawnError: (message) => settle({ status: 'FAILURE', exitCode: null, error: `could not start ${JSON.stringify(program)} in ${cwd}: ${message}` }),
        onLost: (reason) => settle({ status: 'FAILURE', exitCode: null, error: reason }),
        // A failure is known by what the program said last on stderr (its exit code is kept beside it).
        onClose: (code, signal) =>
          settle(code === 0 ? { status: 'SUCCESS', exitCode: 0, error: null } : { status: 'FAILURE', exitCode: code, error: stderr.line || (signal ? `killed by ${signal}` : `exited with code ${code}`) }),
      };
      const spawner = this.readySpawner();
      if (spawner) spawner.start({ program: program!, args, cwd, env: runEnv }, events);
      else spawnDirectly(program!, args, cwd, { ...process.env, ...runEnv }, events);
    });
  }

  /** The spawner when it is taking runs; otherwise undefined (starting it, the first time, for the runs to come). */
  private readySpawner(): CommandSpawner | undefined {
    const options = this.options.spawner;
    if (!options || this.spawnerFailed) return undefined;
    if (!this.spawner) {
      const spawner = new CommandSpawner(options.python, options.script, process.env, () => {
        if (this.spawner === spawner) this.spawner = undefined;
      });
      this.spawner = spawner;
      // One that never became ready (no such interpreter) is not tried again: runs spawn directly.
      void spawner.whenReady().then((ok) => (this.spawnerFailed ||= !ok));
    }
    return this.spawner.ready ? this.spawner : undefined;
  }

  /** Starts the spawner now rather than at the first run; resolves whether runs will go through it. */
  async prepare(): Promise<boolean> {
    this.readySpawner();
    return this.spawner ? this.spawner.whenReady() : false;
  }

  /** Ends the spawner once its runs have ended. */
  close(): void {
    this.spawner?.close();
    this.spawner = undefined;
  }
}

/** Node's own spawn: detached, so the run leads its own process group and cancel reaches its children too. */
function spawnDirectly(program: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, events: CommandProcessEvents): void {
  const child = spawn(program, args, { cwd, env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid !== undefined) events.onPid(child.pid);
  let spawnError: string | null = null;
  // A chunk may end inside a UTF-8 character: the decoders keep the partial bytes for the next one.
  const decoders = [new StringDecoder('utf8'), new StringDecoder('utf8')] as const;
  const forward = (text: string, stream: 'stdout' | 'stderr') => (text ? events.onOutput(text, stream) : undefined);
  child.stdout.on('data', (d: Buffer) => forward(decoders[0].write(d), 'stdout'));
  child.stderr.on('data', (d: Buffer) => forward(decoders[1].write(d), 'stderr'));
  child.on('error', (e) => (spawnError = e.message));
  child.on('close', (code, signal) => {
    forward(decoders[0].end(), 'stdout');
    forward(decoders[1].end(), 'stderr');
    if (spawnError !== null) events.onSpawnError(spawnError);
    else events.onClose(code, signal);
  });
}
