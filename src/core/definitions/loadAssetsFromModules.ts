// What one load_assets_from_* call returns: its modules' assets (own and imported, each once), re-keyed and re-grouped as Dagster does.
import type { AssetDefinition, DefinitionDiagnostic } from './definition';
import type { AssetsLoaderCall } from './definitionsObject';
import type { ModuleImportOfAssets } from './resolvedModule';
import type { ModuleAsset, ModuleDefinitions } from './moduleDefinitions';

/**
 * Dagster's rules (DagsterObjectsList.with_attributes in _core/definitions/module_loaders/object_list.py; 1.2's
 * prefix_assets in _core/definitions/load_assets_from_modules.py agrees where both apply):
 * - key_prefix prefixes the keys of the AssetsDefinitions the call loads, and their deps on keys the same call
 *   loads; deps on anything else (another call's assets, SourceAssets) keep their keys. SourceAssets and AssetSpecs
 *   keep their own keys.
 * - source_key_prefix then prefixes the SourceAssets (and AssetSpecs, with include_specs) and every dep on them.
 * - group_name regroups everything loaded; an asset or spec with a group of its own other than "default" is an error.
 */
export function loadAssetsFromModules(call: AssetsLoaderCall, byPath: ReadonlyMap<string, ModuleDefinitions>, diagnostics: DefinitionDiagnostic[]): ModuleAsset[] {
  const members: ModuleAsset[] = [];
  const seen = new Set<ModuleAsset>();
  const add = (a: ModuleAsset) => {
    // Objects are found once per call however many modules bind them (ModuleScopedDagsterDefs dedupes by id).
    if (seen.has(a) || (a.loadedAs === 'spec' && !call.includeSpecs)) return;
    seen.add(a);
    members.push(a);
  };
  for (const path of call.paths) {
    const m = byPath.get(path);
    if (!m) continue;
    for (const a of m.assets) add(a);
    // Dagster's loaders read every attribute of a module, imported ones too (find_objects_in_module_of_types in
    // _core/definitions/module_loaders/utils.py).
    for (const imp of m.imports) for (const a of importedAssets(imp, byPath)) add(a);
  }
  if (call.keyPrefix.length === 0 && call.sourceKeyPrefix.length === 0 && call.group === null) return members;

  const joined = (k: readonly string[]) => k.join('/');
  const loadable = new Set(members.filter((a) => a.loadedAs !== 'source').map((a) => joined(a.asset.key)));
  const sources = new Set(members.filter((a) => a.loadedAs !== 'definition').map((a) => joined(a.asset.key)));
  return members.map((member) => {
    const a = member.asset;
    let key = a.key;
    let deps = a.deps;
    if (call.keyPrefix.length > 0 && member.loadedAs === 'definition') {
      key = [...call.keyPrefix, ...key];
      deps = deps.map((d) => (loadable.has(joined(d.key)) ? { ...d, key: [...call.keyPrefix, ...d.key] } : d));
    }
    if (call.sourceKeyPrefix.length > 0) {
      if (member.loadedAs !== 'definition') key = [...call.sourceKeyPrefix, ...key];
      deps = deps.map((d) => (sources.has(joined(d.key)) ? { ...d, key: [...call.sourceKeyPrefix, ...d.key] } : d));
    }
    return { ...member, asset: { ...a, key, deps, group: groupOf(call, member, a, diagnostics) } };
  });
}

/** The assets an import binds: the name in its module, followed through re-exports; every public one for `*`. */
function importedAssets(imp: ModuleImportOfAssets, byPath: ReadonlyMap<string, ModuleDefinitions>, visited?: Set<string>): readonly ModuleAsset[] {
  const m = byPath.get(imp.file);
  if (!m) return [];
  if (imp.symbol !== null) {
    const own = assetsNamed(m).get(imp.symbol);
    if (own) return own;
  }
  // Re-exports and star imports are followed, each (module, name) once: imports may form a cycle.
  const seen = visited ?? new Set<string>();
  const id = `${imp.file}\0${imp.symbol ?? '*'}`;
  if (seen.has(id)) return [];
  seen.add(id);
  if (imp.symbol === null) {
    return [...m.assets.filter((a) => a.name !== undefined && !a.name.startsWith('_')),
      ...m.imports.filter((i) => i.local === null || !i.local.startsWith('_')).flatMap((i) => importedAssets(i, byPath, seen))];
  }
  const reexport = m.imports.find((i) => i.local === imp.symbol);
  return reexport ? importedAssets(reexport, byPath, seen) : [];
}

/** A module's assets by the name they are bound to, computed once per read of the module. */
const namedAssets = new WeakMap<ModuleDefinitions, Map<string, ModuleAsset[]>>();
function assetsNamed(m: ModuleDefinitions): Map<string, ModuleAsset[]> {
  let map = namedAssets.get(m);
  if (!map) {
    map = new Map();
    for (const a of m.assets) if (a.name !== undefined) map.set(a.name, [...(map.get(a.name) ?? []), a]);
    namedAssets.set(m, map);
  }
  return map;
}

function groupOf(call: AssetsLoaderCall, member: ModuleAsset, a: AssetDefinition, diagnostics: DefinitionDiagnostic[]): string {
  if (call.group === null) return a.group;
  if (member.loadedAs !== 'source' && a.group !== 'default' && a.group !== call.group) {
    diagnostics.push({ location: a.location, severity: 'error',
      message: `Asset ${a.key.join('/')} has group name ${a.group}, which conflicts with the group name ${call.group} provided in load_assets_from_modules (called at ${call.location.file}:${call.location.line}); Dagster refuses to load the code location` });
    return a.group;
  }
  return call.group;
}
