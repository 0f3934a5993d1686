// Which definitions a backfill targets: names, with Dagster's `key*` (all downstream) and `key+` (one level per +) suffixes.
import { definitionName, type Definition } from '../definitions/definition';
import { BackfillPlanError } from './backfillPlan';

function upstreamNames(d: Definition): string[] {
  if (d.kind === 'asset') return d.deps.map((dep) => dep.key.join('/'));
  if (d.kind === 'command') return d.deps;
  return [];
}

/** Definitions by selection item, in selection order then discovery order; unknown names list the known ones. */
export function selectTargets(all: readonly Definition[], items: readonly string[], where: string): Definition[] {
  const byName = new Map(all.map((d) => [definitionName(d), d]));
  const children = new Map<string, string[]>();
  for (const d of all) {
    for (const up of upstreamNames(d)) if (up !== definitionName(d)) children.set(up, [...(children.get(up) ?? []), definitionName(d)]);
  }
  const chosen = new Set<string>();
  for (const raw of items) {
    const m = /^(.*?)(\*|\++)?$/.exec(raw.trim())!;
    const name = m[1]!;
    if (!byName.has(name)) {
      const known = [...byName.keys()].join(', ') || 'none';
      throw new BackfillPlanError(`no asset, job or command target named ${JSON.stringify(name)} in ${where} (known: ${known})`);
    }
    const depth = m[2] === undefined ? 0 : m[2] === '*' ? Infinity : m[2].length;
    let frontier = [name];
    chosen.add(name);
    for (let level = 0; level < depth && frontier.length > 0; level++) {
      frontier = frontier.flatMap((n) => children.get(n) ?? []).filter((c) => !chosen.has(c));
      frontier.forEach((c) => chosen.add(c));
    }
  }
  return all.filter((d) => chosen.has(definitionName(d)));
}
