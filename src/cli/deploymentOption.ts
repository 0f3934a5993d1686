// `--deployment NAME|URL`: the Dagster deployment a CLI command talks to (a name from the workspace's
// backfillStudio.deployments setting, or a webserver URL), its token from the environment, and the RemoteBackfills
// over the workspace's state store.
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import { findDagsterDeployment } from '../core/deployment/dagsterDeployments';
import { RemoteBackfills } from '../core/deployment/remoteBackfills';
import { readWorkspaceDeployments } from '../core/deployment/workspaceDeployments';
import type { BackfillWorkspace } from '../core/workspace/backfillWorkspace';
import { CliError } from './cliError';
import type { CliOutput } from './cliOutput';

/** The environment variable holding a Dagster+ user token (sent as the Dagster-Cloud-Api-Token header). */
export const DEPLOYMENT_TOKEN_ENV = 'DAGSTER_CLOUD_API_TOKEN';

function environmentToken(): string | undefined {
  const token = process.env[DEPLOYMENT_TOKEN_ENV]?.trim();
  return token ? token : undefined;
}

/** The deployment `--deployment` names; a setting entry that is wrong is said on stderr, the others still work. */
export function cliDeployment(ws: BackfillWorkspace, out: CliOutput, nameOrUrl: string): DagsterDeployment {
  const { deployments, problems } = readWorkspaceDeployments(ws.root);
  for (const p of problems) out.error(`backfill: warning: ${p}`);
  try {
    return findDagsterDeployment(nameOrUrl, deployments);
  } catch (e) {
    throw new CliError(`--deployment: ${(e as Error).message} Deployments are configured in .vscode/settings.json as "backfillStudio.deployments": [{ "name": "prod", "url": "http://host:3000", "kind": "oss" }].`);
  }
}

/** Remote backfills recorded in the workspace's state store; the token is read from the environment on each connect. */
export function cliRemoteBackfills(ws: BackfillWorkspace, timeoutMs?: number): RemoteBackfills {
  return new RemoteBackfills({
    store: async () => (await ws.engine()).store,
    token: async () => environmentToken(),
    origin: 'cli',
    now: () => ws.clock.now().getTime(),
    ...(timeoutMs !== undefined ? { clientOptions: { timeoutMs } } : {}),
  });
}

/** `--poll SECONDS`: the first delay between two reads of a followed remote backfill. */
export function pollSeconds(text: string | undefined): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 600) throw new CliError(`--poll ${JSON.stringify(text)} must be a number of seconds above 0, at most 600`);
  return n;
}

/** `--timeout SECONDS`: how long one request to the deployment may take. */
export function requestTimeoutMs(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0 || n > 3600) throw new CliError(`--timeout ${JSON.stringify(text)} must be a number of seconds above 0, at most 3600`);
  return Math.round(n * 1000);
}
