// The commands that configure deployments: "Add Dagster Deployment…" (name, URL, kind and, for Dagster+, the user
// token into SecretStorage) and "Replace or Forget Dagster+ Token…".
import * as vscode from 'vscode';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';
import { addDeploymentToSettings } from './deploymentSettings';
import type { DeploymentTokens } from './deploymentTokens';
import type { WorkspaceSession } from './workspaceSession';

/** What the commands accept instead of asking (other extensions, tests): the token, if any, goes to SecretStorage only. */
export interface DeploymentArgument {
  name?: unknown;
  url?: unknown;
  kind?: unknown;
  token?: unknown;
  action?: unknown;
}

const KINDS = [
  { label: 'Dagster', description: 'an OSS webserver (dagster dev, dagster-webserver)', deploymentKind: 'oss' as const },
  { label: 'Dagster+', description: 'a Dagster+ (Dagster Cloud) deployment; asks for a user token', deploymentKind: 'dagster-plus' as const },
];

function deploymentUrlProblem(value: string): string | undefined {
  let url: URL;
  try { url = new URL(value.trim()); } catch { return 'Give the webserver\'s address, e.g. http://localhost:3000 or https://myorg.dagster.cloud/prod.'; }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return `The address must start with http:// or https://, not ${url.protocol}`;
  if (url.username || url.password) return 'Leave credentials out of the address: a Dagster+ token is asked for separately and kept in VS Code\'s secret storage.';
  return undefined;
}

function deploymentNameProblem(value: string): string | undefined {
  if (value.trim() === '') return 'Give the deployment a name, e.g. prod.';
  if (value.trim().length > 100) return 'At most 100 characters.';
  return undefined;
}

async function askToken(deployment: DagsterDeployment): Promise<string | undefined> {
  return vscode.window.showInputBox({
    title: `Dagster+ user token for ${deployment.name}`,
    prompt: 'A user token from Dagster+ (Organization settings → Tokens). Kept in VS Code\'s secret storage, never in settings.',
    password: true, ignoreFocusOut: true,
    validateInput: (v) => (v.trim() === '' ? 'Paste the token, or press Escape to set it later.' : undefined),
  });
}

/** Asks for (or takes from `arg`) a deployment, stores its token and writes the setting. Returns it, or undefined when dismissed. */
export async function addDagsterDeployment(session: WorkspaceSession, tokens: DeploymentTokens, arg?: DeploymentArgument): Promise<DagsterDeployment | undefined> {
  const existing = session.deployments();
  const given = arg && typeof arg === 'object' ? arg : {};
  const name = typeof given.name === 'string' ? given.name : await vscode.window.showInputBox({
    title: 'Add Dagster Deployment (1/3): name', prompt: 'The name the Launch panel\'s "Run on" and the CLI\'s --deployment use', placeHolder: 'prod', ignoreFocusOut: true,
    validateInput: (v) => deploymentNameProblem(v)
      ?? (existing.some((d) => d.name === v.trim()) ? { message: `A deployment named "${v.trim()}" exists: adding replaces it.`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined),
  });
  if (name === undefined) return undefined;
  const nameProblem = deploymentNameProblem(name);
  if (nameProblem) throw new Error(`Add Dagster Deployment: ${nameProblem}`);
  const url = typeof given.url === 'string' ? given.url : await vscode.window.showInputBox({
    title: 'Add Dagster Deployment (2/3): webserver URL', value: 'http://localhost:3000', ignoreFocusOut: true,
    prompt: 'The address of the Dagster UI (GraphQL is at /graphql under it)', validateInput: deploymentUrlProblem,
  });
  if (url === undefined) return undefined;
  const urlProblem = deploymentUrlProblem(url);
  if (urlProblem) throw new Error(`Add Dagster Deployment: "${url}": ${urlProblem}`);
  let kind: DagsterDeployment['kind'];
  if (given.kind === 'oss' || given.kind === 'dagster-plus') kind = given.kind;
  else if (given.kind !== undefined) throw new Error(`Add Dagster Deployment: kind must be "oss" or "dagster-plus", not ${JSON.stringify(given.kind)}.`);
  else {
    const cloud = /(^|\.)dagster\.cloud$/.test(new URL(url.trim()).hostname);
    const picked = await vscode.window.showQuickPick(cloud ? [...KINDS].reverse() : KINDS, { title: 'Add Dagster Deployment (3/3): kind', ignoreFocusOut: true });
    if (!picked) return undefined;
    kind = picked.deploymentKind;
  }
  const deployment: DagsterDeployment = { name: name.trim(), url: url.trim(), kind };
  if (kind === 'dagster-plus') {
    const token = typeof given.token === 'string' ? given.token : await askToken(deployment);
    // No token now is allowed: the deployment answers 401 with how to set one, and the token command sets it later.
    if (token !== undefined && token.trim() !== '') await tokens.store(deployment, token.trim());
  }
  await addDeploymentToSettings(session.folder, deployment);
  void vscode.window.showInformationMessage(`Backfill Studio: added deployment ${deployment.name} (${deployment.url}). Choose it under "Run on" in the Launch panel.`);
  return deployment;
}

/** Replaces or forgets a Dagster+ deployment's token; returns what was done, or undefined when dismissed. */
export async function manageDeploymentToken(session: WorkspaceSession, tokens: DeploymentTokens, arg?: DeploymentArgument): Promise<'replaced' | 'forgotten' | undefined> {
  const plus = session.deployments().filter((d) => d.kind === 'dagster-plus');
  const given = arg && typeof arg === 'object' ? arg : {};
  let deployment: DagsterDeployment | undefined;
  if (typeof given.name === 'string') {
    deployment = plus.find((d) => d.name === given.name);
    if (!deployment) throw new Error(`No Dagster+ deployment named "${given.name}" in backfillStudio.deployments (${plus.map((d) => `"${d.name}"`).join(', ') || 'none'}).`);
  } else {
    if (plus.length === 0) throw new Error('No Dagster+ deployment is configured: add one with "Backfill Studio: Add Dagster Deployment…". An OSS webserver takes no token.');
    const items = await Promise.all(plus.map(async (d) => ({ label: d.name, description: d.url, detail: (await tokens.has(d)) ? 'token set' : 'no token set', deployment: d })));
    deployment = (await vscode.window.showQuickPick(items, { title: 'Dagster+ token of which deployment?' }))?.deployment;
  }
  if (!deployment) return undefined;
  const action = given.action === 'replace' || given.action === 'forget' ? given.action : (await vscode.window.showQuickPick(
    [{ label: 'Replace token…', action: 'replace' as const }, { label: 'Forget token', action: 'forget' as const }],
    { title: `Dagster+ token of ${deployment.name}` },
  ))?.action;
  if (action === undefined) return undefined;
  if (action === 'forget') {
    await tokens.forget(deployment);
    void vscode.window.showInformationMessage(`Backfill Studio: forgot the Dagster+ token of ${deployment.name}.`);
    return 'forgotten';
  }
  const token = typeof given.token === 'string' ? given.token : await askToken(deployment);
  if (token === undefined || token.trim() === '') return undefined;
  await tokens.store(deployment, token.trim());
  void vscode.window.showInformationMessage(`Backfill Studio: replaced the Dagster+ token of ${deployment.name}.`);
  return 'replaced';
}
