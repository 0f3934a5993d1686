// `backfill defs`: the workspace's Dagster definitions by code location (and repository), then asset group, as Dagster's UI lists them.
import { codeLocationLabel } from '../core/definitions/ambiguousDefinitionNames';
import type { AssetDefinition, DefinitionsSnapshot, JobDefinition } from '../core/definitions/definition';

export interface AssetGroupOutline {
  name: string;
  assets: AssetDefinition[];
}

export interface CodeLocationOutline {
  /** `location`, or `location/repository` for a named @repository (what --location and the views show). */
  label: string;
  name: string | null;
  repository: string | null;
  /** Workspace-relative folder the location is declared in ('' for the root). */
  root: string | null;
  groups: AssetGroupOutline[];
  jobs: JobDefinition[];
}

/** Locations and, within each, groups in the order discovery found them first. */
export function definitionsOutline(s: Pick<DefinitionsSnapshot, 'assets' | 'jobs'>): CodeLocationOutline[] {
  const locations = new Map<string, CodeLocationOutline>();
  const locationOf = (d: AssetDefinition | JobDefinition): CodeLocationOutline => {
    const label = codeLocationLabel(d);
    let found = locations.get(label);
    if (!found) {
      const l = d.codeLocation;
      found = { label, name: l?.name ?? null, repository: l?.repositoryName ?? null, root: l?.root ?? null, groups: [], jobs: [] };
      locations.set(label, found);
    }
    return found;
  };
  for (const a of s.assets) {
    const location = locationOf(a);
    let group = location.groups.find((g) => g.name === a.group);
    if (!group) location.groups.push((group = { name: a.group, assets: [] }));
    group.assets.push(a);
  }
  for (const j of s.jobs) locationOf(j).jobs.push(j);
  return [...locations.values()];
}
