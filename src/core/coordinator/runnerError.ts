// RunnerError: how the Python runner reports a failure (the user's innermost exception), and its wire check.

/** The user's innermost exception (Dagster's wrappers walked through), as the runner reports a failure. */
export interface RunnerError {
  class: string;
  message: string;
  /** The whole chain, outermost first, as Python prints it. */
  stack: string;
  /** Dagster's wrapper around the user's error, e.g. 'DagsterExecutionLoadInputError: Error occurred while loading input "prev" of step "rolling"'. */
  context?: string;
  /** "file.py:12": the innermost frame in the workspace's own code (preflight). */
  location?: string;
}

const str = (v: unknown): v is string => typeof v === 'string';

export function isRunnerError(v: unknown): v is RunnerError {
  if (typeof v !== 'object' || v === null) return false;
  const e = v as Record<string, unknown>;
  return str(e.class) && str(e.message) && str(e.stack) && (e.context === undefined || str(e.context)) && (e.location === undefined || str(e.location));
}
