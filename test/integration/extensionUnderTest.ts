// What the integration suites share: the extension's API and polling for state that VS Code updates asynchronously.
import * as vscode from 'vscode';
import type { DefinitionsNode, DefinitionsTreeProvider } from '../../src/extension/definitionsTreeProvider';
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

/** The tree as `label [contextValue]` lines, children indented: what a reader of the sidebar sees, with what menus key on. */
export async function outline(tree: DefinitionsTreeProvider, node?: DefinitionsNode, depth = 0): Promise<string[]> {
  const lines: string[] = [];
  for (const child of await tree.getChildren(node)) {
    const item = tree.getTreeItem(child);
    lines.push(`${'  '.repeat(depth)}${item.label} [${item.contextValue}]`);
    lines.push(...(await outline(tree, child, depth + 1)));
  }
  return lines;
}

/**
 * Runs `action` while recording the warnings the extension shows, until `expected` of them arrived (a panel
 * button runs its command without waiting for it). The test files live in the extension under test, so VS Code
 * hands them the same `vscode` API object as the extension: replacing the function there records the
 * extension's own calls (and answers none, as a user who dismissed the notification).
 */
export async function warningsDuring<T>(action: () => Thenable<T> | Promise<T>, expected = 0): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const window = vscode.window as { showWarningMessage: (...args: unknown[]) => Thenable<unknown> };
  const original = window.showWarningMessage;
  window.showWarningMessage = (message: unknown) => {
    warnings.push(String(message));
    return Promise.resolve(undefined);
  };
  try {
    const result = await action();
    if (expected > 0) await poll(`${expected} warning(s)`, () => (warnings.length >= expected ? true : undefined));
    return { result, warnings };
  } finally {
    window.showWarningMessage = original;
  }
}
