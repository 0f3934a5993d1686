// Routes each run to the launcher of its targets' kind: command targets to the command launcher, Dagster
// assets and jobs to the Dagster launcher.
import type { Definition } from '../definitions/definition';
import type { RunIo, RunLauncher, RunOutcome, RunRequest } from './runLauncher';

export interface TargetRunLauncherOptions {
  definition(name: string): Definition | undefined;
  command: RunLauncher;
  dagster: RunLauncher;
}

export class TargetRunLauncher implements RunLauncher {
  constructor(private readonly options: TargetRunLauncherOptions) {}

  launch(run: RunRequest, io: RunIo): Promise<RunOutcome> {
    const kinds = new Set(run.targets.map((name) => this.options.definition(name)?.kind ?? 'unknown'));
    if (kinds.has('unknown')) {
      const unknown = run.targets.filter((name) => !this.options.definition(name));
      return Promise.resolve({ status: 'FAILURE', exitCode: null, error: `no asset, job or command target named ${unknown.map((n) => JSON.stringify(n)).join(', ')}` });
    }
    if (kinds.has('command') && kinds.size > 1) {
      return Promise.resolve({ status: 'FAILURE', exitCode: null, error: `a run cannot mix command targets and Dagster definitions: ${run.targets.join(', ')}` });
    }
    return (kinds.has('command') ? this.options.command : this.options.dagster).launch(run, io);
  }

  /** Only Dagster can tell whether an interrupted run materialized; a command target's run is run again. */
  materialized(run: RunRequest): Promise<boolean> {
    return this.isDagster(run) && this.options.dagster.materialized ? this.options.dagster.materialized(run) : Promise.resolve(false);
  }

  /** The Dagster runs' preflight (commands need none). */
  async preflight(runs: RunRequest[]): Promise<string | null> {
    const dagster = runs.filter((run) => this.isDagster(run));
    return dagster.length > 0 && this.options.dagster.preflight ? this.options.dagster.preflight(dagster) : null;
  }

  private isDagster(run: RunRequest): boolean {
    return run.targets.every((name) => { const k = this.options.definition(name)?.kind; return k === 'asset' || k === 'job'; });
  }
}
