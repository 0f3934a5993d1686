// What a Dagster run executes, checked before anything starts: asset keys of one code location, or one job.
import { definitionName, type Definition, type DefinitionCodeLocation } from '../definitions/definition';
import type { RunRequest } from './runLauncher';

/** The run's kind and code location. Throws a clear message for unknown, command or mixed targets. */
export function runnerTarget(run: Pick<RunRequest, 'targets'>, lookup: (name: string) => Definition | undefined): { kind: 'asset' | 'job'; location: DefinitionCodeLocation } {
  const defs = run.targets.map((name) => {
    const d = lookup(name);
    if (!d) throw new Error(`no Dagster asset or job named ${JSON.stringify(name)}`);
    if (d.kind === 'command') throw new Error(`${name} is a command target, not a Dagster definition`);
    if (!d.codeLocation) throw new Error(`${name} has no code location (it was not found by discovery), so the runner cannot import it`);
    return d;
  });
  const jobs = defs.filter((d) => d.kind === 'job');
  if (jobs.length > 0 && defs.length > 1) throw new Error(`a run executes one job or a set of assets, not ${run.targets.join(', ')}`);
  const location = defs[0]!.codeLocation!;
  const other = defs.find((d) => JSON.stringify(d.codeLocation) !== JSON.stringify(location));
  if (other) throw new Error(`${definitionName(defs[0]!)} and ${definitionName(other)} are in different code locations (${location.name}, ${other.codeLocation!.name}); one run executes one location`);
  return { kind: jobs.length ? 'job' : 'asset', location };
}
