// Select Python Interpreter: pick or type an interpreter, store it in the folder's settings, then check dagster there.
import * as vscode from 'vscode';
import { checkDagster, DAGSTER_NOT_IMPORTABLE, INTERPRETER_NOT_FOUND, type DagsterCheck } from './checkDagster';
import { COMMAND_IDS } from './commandIds';
import { resolvePythonInterpreter, SOURCE_LABEL, storePythonPath, type PythonInterpreter } from './resolvePythonInterpreter';

export const WORKSPACE_NOT_TRUSTED = 'workspace not trusted';

/** The check's outcome plus the interpreter it was about, which after the choice is what Dagster work will use. */
export type InterpreterCheckResult = DagsterCheck & { interpreter: PythonInterpreter };

const SELECT_TITLE = 'Select Python Interpreter';
const ENTER_PATH = 'Enter path…';
// Virtual environments people usually keep inside the project; Windows puts the executable elsewhere.
const VENV_CANDIDATES = process.platform === 'win32' ? ['.venv/Scripts/python.exe', 'venv/Scripts/python.exe'] : ['.venv/bin/python', 'venv/bin/python'];

/** `arg`, a path string, skips the quick pick so tests and other commands can choose directly. */
export async function selectPythonInterpreter(folder: vscode.WorkspaceFolder | undefined, arg: unknown): Promise<InterpreterCheckResult | undefined> {
  if (!folder) throw new Error('Open a folder to choose its Python interpreter.');
  const chosen = typeof arg === 'string' && arg.trim() !== '' ? arg.trim() : await pickInterpreter(folder);
  if (chosen === undefined) return undefined;
  await storePythonPath(folder, chosen);
  // Re-resolve rather than trust the choice: the Python extension's environment still wins when it has one.
  const interpreter = await resolvePythonInterpreter(folder);
  const overridden = interpreter.source === 'python-extension' ? ` The Python extension's active environment (${interpreter.path}) takes precedence over this setting; change it there to use ${chosen}.` : '';
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage(`Backfill Studio saved ${chosen} as the Python interpreter but does not run it to check for dagster: this workspace is not trusted, and running an interpreter from it could run its code.${overridden}`);
    return { ok: false, reason: WORKSPACE_NOT_TRUSTED, interpreter };
  }
  const check = await checkDagster(interpreter.path);
  showCheck(check, interpreter, overridden);
  return { ...check, interpreter };
}

async function pickInterpreter(folder: vscode.WorkspaceFolder): Promise<string | undefined> {
  const current = await resolvePythonInterpreter(folder);
  const items: (vscode.QuickPickItem & { value: string | undefined })[] = [{ label: current.path, description: `current · ${SOURCE_LABEL[current.source]}`, value: current.path }];
  const candidates = ['python3', 'python'];
  for (const rel of VENV_CANDIDATES) {
    const uri = vscode.Uri.joinPath(folder.uri, rel);
    if (await exists(uri)) candidates.push(uri.fsPath);
  }
  for (const c of candidates) if (!items.some((i) => i.value === c)) items.push({ label: c, value: c });
  items.push({ label: ENTER_PATH, description: 'a Python executable anywhere on disk', value: undefined });
  const picked = await vscode.window.showQuickPick(items, { title: SELECT_TITLE, placeHolder: 'The interpreter Backfill Studio uses for Dagster' });
  if (!picked) return undefined;
  if (picked.value !== undefined) return picked.value;
  const typed = await vscode.window.showInputBox({
    title: SELECT_TITLE,
    prompt: 'Path to a Python executable (relative paths are taken from the workspace folder)',
    value: current.path,
    validateInput: (v) => (v.trim() === '' ? 'Enter a path or a command name such as python3.' : undefined),
  });
  return typed?.trim() || undefined;
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** Not awaited by the command: the message's promise settles only when the user dismisses it or clicks. */
function showCheck(check: DagsterCheck, interpreter: PythonInterpreter, overridden: string): void {
  if (check.ok) {
    void vscode.window.showInformationMessage(`dagster ${check.dagster} on Python ${check.python} at ${interpreter.path}${overridden ? ` (${SOURCE_LABEL[interpreter.source]})` : ''}`);
    return;
  }
  const fix =
    check.reason === INTERPRETER_NOT_FOUND
      ? 'Choose an interpreter that exists.'
      : check.reason === DAGSTER_NOT_IMPORTABLE
        ? `Install it there (${interpreter.path} -m pip install dagster) or choose the environment that has it.`
        : 'Check that this interpreter runs, or choose another one.';
  void vscode.window
    .showWarningMessage(`Backfill Studio: ${check.reason} for the Python interpreter ${interpreter.path} (${SOURCE_LABEL[interpreter.source]}). ${fix}${overridden}`, SELECT_TITLE)
    .then((clicked) => {
      if (clicked === SELECT_TITLE) void vscode.commands.executeCommand(COMMAND_IDS.selectPythonInterpreter);
    });
}
