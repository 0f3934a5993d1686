// Dependencies of one code location's assets resolved as Dagster resolves them: by name within the group, else reported.
import type { DefinitionDiagnostic } from './definition';
import type { ModuleAsset } from './moduleDefinitions';

/** Keys joined once per key array: unchanged modules keep their arrays from one snapshot to the next. */
const joinedKeys = new WeakMap<readonly string[], string>();
const joined = (k: readonly string[]): string => {
  let j = joinedKeys.get(k);
  if (j === undefined) joinedKeys.set(k, (j = k.join('/')));
  return j;
};

/**
 * Dagster's resolve_assets_def_deps (_core/definitions/resolved_asset_deps.py), applied when a Definitions object
 * (or repository) is built: a dependency whose key no loaded asset has, written as a single name (a parameter,
 * `deps=["items"]`, `non_argument_deps={"items"}`), is the one loaded asset in the depending asset's group whose
 * key ends with that name, unless that is the depending asset itself. A parameter left unresolved is an error there
 * (its IO manager would have nothing to load): reported here; other unresolved deps stay as written, as external upstreams.
 */
export function resolveAssetDeps(assets: readonly ModuleAsset[], diagnostics: DefinitionDiagnostic[]): ModuleAsset[] {
  const keys = new Set(assets.map((a) => joined(a.asset.key)));
  // Most projects name every upstream by its key: the tables below are built only when one does not.
  if (assets.every((a) => a.asset.deps.every((d) => keys.has(joined(d.key))))) return assets as ModuleAsset[];
  const byGroupAndName = new Map<string, string[][]>();
  for (const { asset } of assets) {
    const id = `${asset.group}\0${asset.key[asset.key.length - 1]}`;
    const list = byGroupAndName.get(id);
    if (list) list.push(asset.key);
    else byGroupAndName.set(id, [asset.key]);
  }
  const keysOfOrigin = new Map<string, Set<string>>();
  for (const a of assets) keysOfOrigin.set(a.origin, (keysOfOrigin.get(a.origin) ?? new Set()).add(joined(a.asset.key)));

  const reported = new Set<string>();
  return assets.map((a) => {
    let deps = a.asset.deps;
    a.asset.deps.forEach((dep, i) => {
      if (keys.has(joined(dep.key))) return;
      const matches = dep.key.length === 1 ? byGroupAndName.get(`${a.asset.group}\0${dep.key[0]}`) ?? [] : [];
      if (matches.length === 1 && !keysOfOrigin.get(a.origin)?.has(joined(matches[0]))) {
        if (deps === a.asset.deps) deps = [...deps];
        deps[i] = { ...dep, key: matches[0] };
        return;
      }
      const input = a.inputs?.[i];
      // Reported once per input of the function, not per asset of a multi-asset.
      if (input && !reported.has(`${a.origin}\0${input}`)) {
        reported.add(`${a.origin}\0${input}`);
        // A warning, not an error: what discovery cannot see (an asset factory, @dbt_assets) may provide it.
        diagnostics.push({ location: a.asset.location, severity: 'warning', message: unresolvedInputMessage(a, input, dep.key, matches, keys) });
      }
    });
    return deps === a.asset.deps ? a : { ...a, asset: { ...a.asset, deps } };
  });
}

function unresolvedInputMessage(a: ModuleAsset, input: string, key: readonly string[], sameGroup: readonly string[][], keys: ReadonlySet<string>): string {
  const similar = similarAssetKeys(key, [...keys].map((k) => k.split('/')));
  const ambiguity = sameGroup.length > 1 ? ` Several assets of group '${a.asset.group}' are named '${key[0]}' (${sameGroup.map(joined).join(', ')}), so the name does not pick one.` : '';
  const hint = similar.length > 0 ? ` Did you mean one of the following? ${similar.slice(0, 10).map(joined).join(', ')}` : '';
  return `Input asset '${joined(key)}' (parameter '${input}' of asset '${joined(a.asset.key)}') is not produced by any asset discovery found in the code location and is not one of its sources; Dagster refuses to load a code location with such an input.${ambiguity}${hint}`;
}

/**
 * Dagster's resolve_similar_asset_names, for its message, without the fuzzy comparisons (rapidfuzz / difflib):
 * the same name under any prefix when none was given, one prefix component more or less, or "a/b" written as one name.
 */
function similarAssetKeys(target: readonly string[], candidates: readonly string[][]): string[][] {
  const name = target[target.length - 1];
  const split = target.join('/').split('/');
  return candidates.filter((c) => {
    const sameName = c[c.length - 1] === name;
    const symmetric = new Set([...c.filter((x) => !target.includes(x)), ...target.filter((x) => !c.includes(x))]);
    return (sameName && target.length === 1)
      || (sameName && symmetric.size === 1 && Math.max(c.length, target.length) > 1)
      || (c.length === split.length && c.every((x, i) => x === split[i]));
  }).sort((x, y) => joined(x).localeCompare(joined(y)));
}
