// Which definitions a backfill targets: names, with Dagster's `key*` (all downstream) and `key+` (one level per +) suffixes.
import { definitionName, type Definition } from '../definitions/definition';
import { BackfillPlanError } from './backfillPlan';

function upstreamNames(d: Definition): string[] {
  if (d.kind === 'asset') return d.deps.map((dep) => dep.key.join('/'));
  if (d.kind === 'command') return d.deps;
  return [];
}

/** Where a definition is, for a message: `location (file:line)`. */
export function describeDefinitionPlace(d: Definition): string {
  const where = `${d.location.file}:${d.location.line}`;
  return d.kind === 'command' ? `backfills.yaml (${where})` : `${d.codeLocation?.name ?? 'workspace'} (${where})`;
}

/**
 * The definitions of one code location (`location`, as Dagster's `-l/--location`), command targets included,
 * or all of them; an unknown location is an error listing the known ones.
 */
export function definitionsInLocation(all: readonly Definition[], location: string | undefined): readonly Definition[] {
  if (location === undefined) return all;
  const inLocation = all.filter((d) => d.kind === 'command' || d.codeLocation?.name === location);
  if (!inLocation.some((d) => d.kind !== 'command')) {
    const known = [...new Set(all.flatMap((d) => (d.kind !== 'command' && d.codeLocation ? [d.codeLocation.name] : [])))].sort().join(', ') || 'none';
    throw new BackfillPlanError(`no code location named ${JSON.stringify(location)} (known: ${known})`);
  }
  return inLocation;
}

/**
 * Definitions by selection item, in selection order then discovery order; unknown names list the known ones.
 * A name two code locations define is an error naming both: `location` chooses one.
 */
export function selectTargets(everything: readonly Definition[], items: readonly string[], where: string, location?: string): Definition[] {
  const all = definitionsInLocation(everything, location);
  const byName = new Map<string, Definition[]>();
  for (const d of all) {
    const list = byName.get(definitionName(d));
    if (list) list.push(d);
    else byName.set(definitionName(d), [d]);
  }
  const children = new Map<string, string[]>();
  for (const d of all) {
    for (const up of upstreamNames(d)) if (up !== definitionName(d)) children.set(up, [...(children.get(up) ?? []), definitionName(d)]);
  }
  const chosen = new Set<string>();
  for (const raw of items) {
    const m = /^(.*?)(\*|\++)?$/.exec(raw.trim())!;
    const name = m[1]!;
    const found = byName.get(name);
    if (!found) {
      const known = [...byName.keys()].join(', ') || 'none';
      throw new BackfillPlanError(`no asset, job or command target named ${JSON.stringify(name)} in ${where}${location !== undefined ? ` code location ${JSON.stringify(location)}` : ''} (known: ${known})`);
    }
    if (found.length > 1) {
      throw new BackfillPlanError(`${JSON.stringify(name)} is defined ${found.length} times: ${found.map(describeDefinitionPlace).join(', ')}; choose one code location with --location NAME`);
    }
    const depth = m[2] === undefined ? 0 : m[2] === '*' ? Infinity : m[2].length;
    let frontier = [name];
    chosen.add(name);
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      frontier = frontier.flatMap((n) => children.get(n) ?? []).filter((c) => !chosen.has(c));
      frontier.forEach((c) => chosen.add(c));
    }
  }
  for (const name of chosen) {
    const found = byName.get(name)!;
    if (found.length > 1) throw new BackfillPlanError(`downstream ${JSON.stringify(name)} is defined ${found.length} times: ${found.map(describeDefinitionPlace).join(', ')}; choose one code location with --location NAME`);
  }
  return all.filter((d) => chosen.has(definitionName(d)));
}
