// Where a Dagster+ user token is kept: VS Code's SecretStorage, one entry per deployment address (never settings,
// logs or the state file). Keyed by the webserver's address, so a token is only ever sent where it was set for.
import type * as vscode from 'vscode';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';

/** The SecretStorage key of a deployment's token: its URL without a trailing slash or `/graphql`. */
export function deploymentTokenKey(deployment: Pick<DagsterDeployment, 'url'>): string {
  return `backfillStudio.deploymentToken:${deployment.url.trim().replace(/\/+$/, '').replace(/\/graphql$/, '')}`;
}

export async function readDeploymentToken(secrets: vscode.SecretStorage, deployment: Pick<DagsterDeployment, 'url'>): Promise<string | undefined> {
  return (await secrets.get(deploymentTokenKey(deployment))) || undefined;
}
