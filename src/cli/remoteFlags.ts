// The flags that only mean something for a backfill on a Dagster deployment, checked together before anything runs.
import { CliError } from './cliError';
import type { CliValues } from './cliOptions';

export interface RemoteFlags {
  deployment: string | undefined;
}

/** Refuses flags of a deployment launch without --deployment, and local-only flags with it. */
export function remoteFlags(command: string, v: CliValues): RemoteFlags {
  const launch = command === 'asset' || command === 'job' || command === 'plan';
  if (!launch || v.deployment !== undefined) {
    if (v.deployment !== undefined) {
      if (v.deployment.trim() === '') throw new CliError('--deployment needs a name from backfillStudio.deployments or a webserver URL');
      if (v.plan !== undefined) throw new CliError('--plan FILE launches a saved plan on this machine: leave out --deployment, or plan again with --deployment');
      if (v.save !== undefined) throw new CliError('--save FILE saves a plan for this machine: leave out --deployment (backfill plan --deployment --json prints what the deployment would be asked)');
      if (v['max-concurrent'] !== undefined) throw new CliError('--max-concurrent with --deployment: the deployment\'s run queue decides how many runs run at a time');
      if (v['key-space'] !== undefined) throw new CliError('--key-space describes a plan for this machine: leave out --deployment');
    }
    return { deployment: v.deployment };
  }
  for (const flag of ['title', 'description', 'no-follow', 'poll', 'timeout'] as const) {
    if (v[flag] !== undefined) throw new CliError(`--${flag} goes with --deployment NAME|URL (a backfill on a Dagster deployment)`);
  }
  return { deployment: undefined };
}

/** For a backfill that runs on this machine: the deployment-only flags of resume, reexecute, cancel and show are refused. */
export function assertNoRemoteFlags(v: CliValues, id: string): void {
  const given = (['no-follow', 'poll', 'timeout'] as const).filter((f) => v[f] !== undefined);
  if (given.length > 0) throw new CliError(`${given.map((f) => `--${f}`).join(', ')}: backfill ${id} runs on this machine, not on a Dagster deployment (the command follows it here)`);
}
