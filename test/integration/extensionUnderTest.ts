// What the integration suites share: the extension's API and polling for state that VS Code updates asynchronously.
import * as vscode from 'vscode';
import type { BackfillStudioApi } from '../../src/extension/extension';

export const EXTENSION_ID = 'backfill-studio.backfill-studio';

export async function api(): Promise<BackfillStudioApi> {
  return vscode.extensions.getExtension<BackfillStudioApi>(EXTENSION_ID)!.activate();
}

/** Resolves with the first defined value `probe` returns, checking every 100 ms until `timeoutMs`. */
export async function poll<T>(what: string, probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A file of the workspace folder under test. */
export function workspaceUri(rel: string): vscode.Uri {
  return vscode.Uri.joinPath(vscode.workspace.workspaceFolders![0]!.uri, rel);
}

/** The code lenses VS Code computes for a workspace file (opening it first, as an editor would). */
export async function lensesOf(rel: string): Promise<vscode.CodeLens[]> {
  const uri = workspaceUri(rel);
  await vscode.workspace.openTextDocument(uri);
  return (await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)) ?? [];
}
