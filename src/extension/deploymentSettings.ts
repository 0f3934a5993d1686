// The `backfillStudio.deployments` setting: read for a folder (each problem warned about once, naming the setting),
// and a deployment added to the workspace's value without copying the user's own entries into it.
import * as vscode from 'vscode';
import { readDagsterDeployments } from '../core/deployment/dagsterDeployments';
import type { DagsterDeployment } from '../core/deployment/dagsterGraphqlClient';

export const DEPLOYMENTS_SETTING = 'deployments';
const SETTING_NAME = `backfillStudio.${DEPLOYMENTS_SETTING}`;

/** The configured deployments of `folder`; `warned` remembers which problems were shown (one warning each, not one per read). */
export function configuredDeployments(folder: vscode.WorkspaceFolder, log: vscode.LogOutputChannel, warned: Set<string>): DagsterDeployment[] {
  const raw = vscode.workspace.getConfiguration('backfillStudio', folder.uri).get<unknown>(DEPLOYMENTS_SETTING);
  const { deployments, problems } = readDagsterDeployments(raw, SETTING_NAME);
  for (const problem of problems) {
    if (warned.has(problem)) continue;
    warned.add(problem);
    log.warn(problem);
    void vscode.window.showWarningMessage(`Backfill Studio: ${problem}`);
  }
  return deployments;
}

/**
 * Adds (or replaces, by name) a deployment in the folder's workspace value of the setting: the folder's own in a
 * multi-root workspace, the workspace's otherwise. Values set elsewhere (user settings) are left as they are.
 */
export async function addDeploymentToSettings(folder: vscode.WorkspaceFolder, deployment: DagsterDeployment): Promise<void> {
  const config = vscode.workspace.getConfiguration('backfillStudio', folder.uri);
  const multiRoot = (vscode.workspace.workspaceFolders?.length ?? 0) > 1;
  const inspected = config.inspect<unknown>(DEPLOYMENTS_SETTING);
  const current = multiRoot ? inspected?.workspaceFolderValue : inspected?.workspaceValue;
  const kept = Array.isArray(current) ? current.filter((e) => !(e && typeof e === 'object' && (e as { name?: unknown }).name === deployment.name)) : [];
  const entry = { name: deployment.name, url: deployment.url, kind: deployment.kind };
  await config.update(DEPLOYMENTS_SETTING, [...kept, entry], multiRoot ? vscode.ConfigurationTarget.WorkspaceFolder : vscode.ConfigurationTarget.Workspace);
}
