// Runs command targets: substitutes the partition into the argv template and spawns it without a shell.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { CommandTarget } from '../definitions/definition';
import type { RunIo, RunLauncher, RunOutcome, RunRequest } from './runLauncher';

export interface CommandRunLauncherOptions {
  workspaceRoot: string;
  targets: ReadonlyMap<string, CommandTarget>;
  /** How long a canceled run gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
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
  constructor(private readonly options: CommandRunLauncherOptions) {}

  launch(run: RunRequest, io: RunIo): Promise<RunOutcome> {
    const target = this.options.targets.get(run.target);
    if (!target) {
      return Promise.resolve({ status: 'FAILURE', exitCode: null, error: `no command target named ${run.target}` });
    }
    const values = partitionValues(target, run.partitionKey);
    const [program, ...args] = target.command.map((a) => substitutePartition(a, values));
    const cwd = path.resolve(this.options.workspaceRoot, target.cwd);
    const env = {
      ...process.env,
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
      // detached: the run gets its own process group, so cancel reaches its children too.
      const child = spawn(program!, args, { cwd, env, shell: false, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
      // Detached, the child leads its own process group: its pid is the group id a crash-recovering process signals.
      if (child.pid !== undefined) io.onProcess?.(child.pid);
      let canceled = false;
      let killTimer: NodeJS.Timeout | undefined;
      let spawnError: string | null = null;
      const signalGroup = (sig: NodeJS.Signals) => {
        if (child.pid === undefined) return;
        try {
          process.kill(-child.pid, sig);
        } catch {
          // the group is already gone
        }
      };
      const onAbort = () => {
        canceled = true;
        signalGroup('SIGTERM');
        killTimer = setTimeout(() => signalGroup('SIGKILL'), this.options.killGraceMs ?? 5000);
      };
      io.signal.addEventListener('abort', onAbort, { once: true });
      child.stdout.on('data', (d: Buffer) => io.onLog(d.toString('utf8')));
      child.stderr.on('data', (d: Buffer) => io.onLog(d.toString('utf8')));
      child.on('error', (e) => {
        spawnError = `could not start ${JSON.stringify(program)} in ${cwd}: ${e.message}`;
      });
      child.on('close', (code, signal) => {
        io.signal.removeEventListener('abort', onAbort);
        if (killTimer) clearTimeout(killTimer);
        if (canceled) resolve({ status: 'CANCELED', exitCode: code, error: 'canceled' });
        else if (spawnError) resolve({ status: 'FAILURE', exitCode: null, error: spawnError });
        else if (code === 0) resolve({ status: 'SUCCESS', exitCode: 0, error: null });
        else resolve({ status: 'FAILURE', exitCode: code, error: signal ? `killed by ${signal}` : `exited with code ${code}` });
      });
    });
  }
}
