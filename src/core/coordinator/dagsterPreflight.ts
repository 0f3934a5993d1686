// The preflight of a Dagster backfill: one request per code location that opens the instance (creating a fresh
// home's storage once, before any worker runs a partition) and loads the location, and the message when it fails.
import { randomUUID } from 'node:crypto';
import type { Definition, DefinitionCodeLocation } from '../definitions/definition';
import { runnerTarget } from './runnerTarget';
import type { RunRequest } from './runLauncher';
import type { PreflightRequest, RunnerError } from './runnerProtocol';
import { errorLine } from './runnerRunSession';

/** One preflight request per code location the runs use, each listing the distinct jobs (or asset sets) to resolve. */
export function preflightRequests(runs: readonly RunRequest[], workspaceRoot: string, lookup: (name: string) => Definition | undefined): PreflightRequest[] {
  const byLocation = new Map<string, PreflightRequest>();
  for (const run of runs) {
    const { kind, location } = runnerTarget(run, lookup);
    const key = JSON.stringify(location);
    let request = byLocation.get(key);
    if (!request) byLocation.set(key, (request = { requestId: `preflight-${randomUUID()}`, preflight: true, workspaceRoot, location, jobs: [] }));
    const targets = [...run.targets].sort();
    if (!request.jobs.some((j) => j.kind === kind && JSON.stringify(j.targets) === JSON.stringify(targets))) request.jobs.push({ kind, targets });
  }
  return [...byLocation.values()];
}

export interface PreflightFailure {
  location: DefinitionCodeLocation;
  python: string;
  dagsterVersion?: string;
  phase?: string;
  error: RunnerError | string;
}

const PHASES: Record<string, string> = {
  instance: 'could not open the Dagster instance',
  import: 'could not import code location',
  definitions: 'could not load the definitions of code location',
};

/** One message for the whole backfill: what failed, where in the user's code, with which Dagster and interpreter. */
export function preflightMessage(f: PreflightFailure): string {
  const what = PHASES[f.phase ?? 'import'] ?? PHASES.import!;
  const where = f.phase === 'instance' ? '' : ` ${JSON.stringify(f.location.name)}`;
  const reason = typeof f.error === 'string' ? f.error : errorLine(f.error);
  const at = typeof f.error !== 'string' && f.error.location ? ` (${f.error.location.replace(/:(\d+)$/, ', line $1')})` : '';
  const version = f.dagsterVersion ? `Dagster ${f.dagsterVersion}` : 'Dagster';
  const hint = /unexpected keyword argument|has no attribute|cannot import name/.test(reason)
    ? ' The code may use an API this Dagster does not have: upgrade dagster in the interpreter or choose another one.'
    : '';
  return `The backfill ${what}${where} with ${version} (interpreter ${f.python}): ${reason}${at}. No run was launched: every partition would fail alike.${hint}`;
}
