// Dagster+ user tokens in VS Code's SecretStorage (the OS keychain), one per deployment name and URL: never in
// settings, the state file or a log. A deployment renamed or moved asks for its token again.
import type * as vscode from 'vscode';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';

/** The SecretStorage key of a deployment's token: its name and its URL without a trailing slash. */
export function deploymentTokenKey(deployment: Pick<DagsterDeployment, 'name' | 'url'>): string {
  return `backfillStudio.deploymentToken:${JSON.stringify([deployment.name, deployment.url.replace(/\/+$/, '')])}`;
}

export class DeploymentTokens {
  constructor(private readonly secrets: vscode.SecretStorage) {}

  /** The token sent to `deployment`: Dagster+ deployments only (an OSS webserver takes none). */
  async tokenFor(deployment: DagsterDeployment): Promise<string | undefined> {
    if (deployment.kind !== 'dagster-plus') return undefined;
    const token = await this.secrets.get(deploymentTokenKey(deployment));
    return token === undefined || token === '' ? undefined : token;
  }

  store(deployment: DagsterDeployment, token: string): Thenable<void> {
    return this.secrets.store(deploymentTokenKey(deployment), token);
  }

  forget(deployment: DagsterDeployment): Thenable<void> {
    return this.secrets.delete(deploymentTokenKey(deployment));
  }

  async has(deployment: DagsterDeployment): Promise<boolean> {
    return (await this.secrets.get(deploymentTokenKey(deployment))) !== undefined;
  }
}
