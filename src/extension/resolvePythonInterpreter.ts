// Which Python interpreter Dagster work uses: the Python extension's active environment, else our setting, else python3.
import * as path from 'node:path';
import * as vscode from 'vscode';

export const PYTHON_PATH_SETTING = 'pythonPath';
const SECTION = 'backfillStudio';
const PYTHON_EXTENSION_ID = 'ms-python.python';
const DEFAULT_INTERPRETER = 'python3';

export type PythonInterpreterSource = 'python-extension' | 'setting' | 'default';

export interface PythonInterpreter {
  /** An absolute path, or a bare command name (`python3`) that the OS looks up on PATH. */
  path: string;
  source: PythonInterpreterSource;
}

/** Human wording of where an interpreter came from, shared by the quick pick and the messages. */
export const SOURCE_LABEL: Record<PythonInterpreterSource, string> = {
  'python-extension': 'from the Python extension',
  setting: `from the ${SECTION}.${PYTHON_PATH_SETTING} setting`,
  default: 'default',
};

export async function resolvePythonInterpreter(folder: vscode.WorkspaceFolder | undefined): Promise<PythonInterpreter> {
  const fromExtension = await activeEnvironmentPath(folder);
  if (fromExtension) return { path: fromExtension, source: 'python-extension' };
  const configured = vscode.workspace.getConfiguration(SECTION, folder?.uri).get<string>(PYTHON_PATH_SETTING, '').trim();
  if (configured) return { path: absoluteInFolder(configured, folder), source: 'setting' };
  return { path: DEFAULT_INTERPRETER, source: 'default' };
}

/** Writes the interpreter choice to the folder's settings; undefined removes it so the resolution falls through. */
export async function storePythonPath(folder: vscode.WorkspaceFolder, value: string | undefined): Promise<void> {
  await vscode.workspace.getConfiguration(SECTION, folder.uri).update(PYTHON_PATH_SETTING, value, vscode.ConfigurationTarget.WorkspaceFolder);
}

/**
 * The Python extension's public API has changed shape over the years and the extension may be missing,
 * disabled or fail to activate, so every step is checked and any surprise means "no answer from it".
 */
async function activeEnvironmentPath(folder: vscode.WorkspaceFolder | undefined): Promise<string | undefined> {
  try {
    const ext = vscode.extensions.getExtension(PYTHON_EXTENSION_ID);
    if (!ext) return undefined;
    const exports: unknown = ext.isActive ? ext.exports : await ext.activate();
    const environments = (exports as { environments?: unknown } | undefined)?.environments;
    const getActive = (environments as { getActiveEnvironmentPath?: unknown } | undefined)?.getActiveEnvironmentPath;
    if (typeof getActive !== 'function') return undefined;
    // Recent versions return the value directly, older previews a promise: awaiting covers both.
    const env: unknown = await getActive.call(environments, folder?.uri);
    const found = (env as { path?: unknown } | undefined)?.path;
    return typeof found === 'string' && found.trim() !== '' ? found : undefined;
  } catch {
    return undefined;
  }
}

/** `.venv/bin/python` in the setting means the folder's venv, not one relative to whatever cwd the host has. */
function absoluteInFolder(configured: string, folder: vscode.WorkspaceFolder | undefined): string {
  const looksLikePath = configured.includes('/') || configured.includes('\\');
  if (!looksLikePath || path.isAbsolute(configured) || !folder) return configured;
  return path.join(folder.uri.fsPath, configured);
}
