// Names (asset keys, job names) that more than one code location defines: faces then show the location beside them.
import type { AssetDefinition, JobDefinition } from './definition';
import { definitionName } from './definition';

type Snapshot = { assets: readonly AssetDefinition[]; jobs: readonly JobDefinition[] };

/** Computed once per snapshot: every code lens request, tree item and launch asks again. */
const computed = new WeakMap<Snapshot, ReadonlySet<string>>();

/** Names defined in two or more code locations (or repositories) of a snapshot. */
export function ambiguousDefinitionNames(s: Snapshot): ReadonlySet<string> {
  let names = computed.get(s);
  if (!names) {
    names = computeAmbiguous(s);
    computed.set(s, names);
  }
  return names;
}

function computeAmbiguous(s: Snapshot): Set<string> {
  const seen = new Map<string, string>();
  const out = new Set<string>();
  for (const d of [...s.assets, ...s.jobs]) {
    const name = definitionName(d);
    const place = `${d.codeLocation?.name ?? ''}\0${d.codeLocation?.repositoryName ?? ''}`;
    const first = seen.get(name);
    if (first === undefined) seen.set(name, place);
    else if (first !== place) out.add(name);
  }
  return out;
}

/** How a face names a definition's place: `location` or `location/repository` for a named @repository. */
export function codeLocationLabel(d: AssetDefinition | JobDefinition): string {
  const l = d.codeLocation;
  if (!l) return 'workspace';
  return l.repositoryName && l.repositoryName !== '__repository__' ? `${l.name}/${l.repositoryName}` : l.name;
}
