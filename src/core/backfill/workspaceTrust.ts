// The refusal every way of starting or signalling a run process gives while the workspace's code may not run (VS Code:
// an untrusted folder), in one wording for every face.

/** What Launch, Cancel, Pause, Resume and Re-execute say in an untrusted workspace. */
export const UNTRUSTED_WORKSPACE_EXPLANATION =
  'Backfill Studio launches, cancels and pauses nothing in an untrusted workspace: backfills run the workspace\'s code. Trust the workspace to run backfills.';

export class UntrustedWorkspaceError extends Error {
  override name = 'UntrustedWorkspaceError';
  constructor() {
    super(UNTRUSTED_WORKSPACE_EXPLANATION);
  }
}

/**
 * Throws UntrustedWorkspaceError unless code may run. Cancel and pause count too: canceling an orphan adopts it,
 * which signals its stored processes and asks the runner whether its runs materialized.
 */
export function assertMayRunCode(mayRunCode: (() => boolean) | undefined): void {
  if (mayRunCode?.() === false) throw new UntrustedWorkspaceError();
}
