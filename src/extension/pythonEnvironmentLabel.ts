// The status bar's words for the interpreter a folder's Dagster work uses: "Dagster 1.8.4 · Python 3.11 (.venv)".
import type { DagsterCheck } from './checkDagster';

export interface PythonEnvironmentState {
  /** The interpreter's path or command name, and where it was chosen (in words). */
  interpreter: { path: string; sourceLabel: string };
  /** The check's answer; undefined until asked (or while it runs); `untrusted` when the workspace may not run it. */
  dagster?: DagsterCheck | 'untrusted';
}

export interface PythonEnvironmentLabel {
  text: string;
  tooltip: string;
  /** A failed check: shown as a warning. */
  warning: boolean;
}

/** Folders holding a system's bin/, not an environment's. */
const SYSTEM_PREFIXES = new Set(['usr', 'local', 'opt', 'homebrew', 'Library']);

/** The environment's name: the folder of a venv (`.venv/bin/python` → `.venv`), else the interpreter's own name (`python3.11`). */
export function environmentName(interpreterPath: string): string {
  const parts = interpreterPath.split(/[\\/]/).filter((p) => p !== '');
  const bin = parts.length - 2;
  if (bin >= 1 && /^(bin|Scripts)$/.test(parts[bin]!) && !SYSTEM_PREFIXES.has(parts[bin - 1]!)) return parts[bin - 1]!;
  return parts[parts.length - 1] ?? interpreterPath;
}

export function pythonEnvironmentLabel(state: PythonEnvironmentState): PythonEnvironmentLabel {
  const { interpreter, dagster } = state;
  const name = environmentName(interpreter.path);
  const where = `${interpreter.path} (${interpreter.sourceLabel})`;
  const choose = 'Click to choose another interpreter (Select Python Interpreter).';
  if (dagster === undefined) return { text: `$(loading~spin) Python (${name})`, tooltip: `Python interpreter ${where}: checking its Dagster…\n${choose}`, warning: false };
  if (dagster === 'untrusted') {
    return { text: `Python (${name})`, tooltip: `Python interpreter ${where}. Not run to check for dagster: the workspace is not trusted.\n${choose}`, warning: false };
  }
  if (dagster.ok) {
    const python = dagster.python.split('.').slice(0, 2).join('.');
    return { text: `Dagster ${dagster.dagster} · Python ${python} (${name})`, tooltip: `dagster ${dagster.dagster} on Python ${dagster.python} at ${where}.\n${choose}`, warning: false };
  }
  return { text: `$(warning) No Dagster · Python (${name})`, tooltip: `${dagster.reason} for the Python interpreter ${where}: Dagster assets and jobs cannot run.\n${choose}`, warning: true };
}
