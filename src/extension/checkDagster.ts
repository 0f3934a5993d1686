// Asks an interpreter whether it can import dagster, and which dagster and Python versions it has.
import { execFile, type ExecFileException } from 'node:child_process';

export type DagsterCheck = { ok: true; dagster: string; python: string } | { ok: false; reason: string };

export const INTERPRETER_NOT_FOUND = 'interpreter not found';
export const DAGSTER_NOT_IMPORTABLE = 'dagster is not importable';

const TIMEOUT_MS = 20_000;
const SCRIPT = "import json,sys; import dagster; print(json.dumps({'dagster': dagster.__version__, 'python': sys.version.split()[0]}))";

/** Runs the interpreter with an argument array, never a shell, so a path with spaces or quotes is just a path. */
export function checkDagster(interpreter: string): Promise<DagsterCheck> {
  return new Promise((resolve) => {
    execFile(interpreter, ['-c', SCRIPT], { timeout: TIMEOUT_MS, windowsHide: true, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (error) {
        resolve({ ok: false, reason: failureReason(error, stderr) });
        return;
      }
      try {
        const parsed = JSON.parse(stdout.trim()) as { dagster?: unknown; python?: unknown };
        if (typeof parsed.dagster === 'string' && typeof parsed.python === 'string') {
          resolve({ ok: true, dagster: parsed.dagster, python: parsed.python });
          return;
        }
      } catch {
        // Falls through: something printed more than our JSON line (a sitecustomize, a wrapper script).
      }
      resolve({ ok: false, reason: `unexpected output: ${firstLine(stdout) || '(none)'}` });
    });
  });
}

function failureReason(error: ExecFileException, stderr: string): string {
  if (error.code === 'ENOENT') return INTERPRETER_NOT_FOUND;
  if (/\b(ModuleNotFoundError|ImportError)\b/.test(stderr)) return DAGSTER_NOT_IMPORTABLE;
  if (error.killed) return `no answer within ${TIMEOUT_MS / 1000} s`;
  // A Python traceback starts with a fixed header; the line that names the error is the last one.
  const lines = stderr.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  const telling = lines[0]?.startsWith('Traceback') ? lines[lines.length - 1] : lines[0];
  return telling ?? error.message;
}

function firstLine(text: string): string {
  return text.split(/\r?\n/).find((l) => l.trim() !== '')?.trim() ?? '';
}
