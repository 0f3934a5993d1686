// The assets one load scope loads: everything in its files, or what its Definitions objects list (re-keyed as listed).
import type { ModuleAsset, ModuleDefinitions } from './moduleDefinitions';
import type { DefinitionsObject, ListedDefinitions } from './definitionsObject';
import type { LoadedOrigins } from './loadedOrigins';
import type { DefinitionDiagnostic } from './definition';
import { loadAssetsFromModules } from './loadAssetsFromModules';

/** An asset with the `assets` array of the module that defines it. */
type OwnedAsset = readonly [ModuleAsset, readonly ModuleAsset[]];

/** Assets of the scope in load order; every loaded origin is recorded in `loaded`. */
export function loadScopeAssets(files: readonly string[], objects: readonly DefinitionsObject[], byPath: ReadonlyMap<string, ModuleDefinitions>, loaded: LoadedOrigins, diagnostics: DefinitionDiagnostic[]): ModuleAsset[] {
  if (objects.length === 0 || objects.some((o) => o.assets === null)) return everything(files, byPath, loaded);
  let byOrigin: Map<string, OwnedAsset[]> | undefined;
  const originAssets = (origin: string): OwnedAsset[] => {
    if (!byOrigin) {
      byOrigin = new Map();
      for (const f of files) {
        const own = byPath.get(f)?.assets ?? [];
        for (const a of own) {
          const list = byOrigin.get(a.origin);
          if (list) list.push([a, own]);
          else byOrigin.set(a.origin, [[a, own]]);
        }
      }
    }
    return byOrigin.get(origin) ?? originAnywhere(byPath, origin);
  };
  const out: ModuleAsset[] = [];
  const listedOrigins = new Set<string>();
  /**
   * The same object listed twice (directly and by a loader, or by two loaders) is loaded once; copies a loader
   * re-keyed or re-grouped are one asset per origin and key.
   */
  const added = new Set<ModuleAsset>();
  const copyIds = new Set<string>();
  const push = (a: ModuleAsset, copy: boolean) => {
    if (added.has(a)) return;
    added.add(a);
    if (copy) {
      const id = `${a.origin}|${a.asset.key.join('/')}`;
      if (copyIds.has(id)) return;
      copyIds.add(id);
    }
    out.push(a);
    loaded.add(a.origin);
  };
  for (const o of objects) {
    for (const entry of o.assets as ListedDefinitions[]) {
      if (entry.kind === 'origin') {
        if (listedOrigins.has(entry.origin)) continue;
        listedOrigins.add(entry.origin);
        for (const [a] of originAssets(entry.origin)) push(a, false);
        continue;
      }
      const copies = entry.keyPrefix.length > 0 || entry.sourceKeyPrefix.length > 0 || entry.group !== null;
      for (const a of loadAssetsFromModules(entry, byPath, diagnostics)) push(a, copies);
    }
  }
  return out;
}

function everything(files: readonly string[], byPath: ReadonlyMap<string, ModuleDefinitions>, loaded: LoadedOrigins): ModuleAsset[] {
  const out: ModuleAsset[] = [];
  for (const f of files) {
    const own = byPath.get(f)?.assets;
    if (!own) continue;
    for (const a of own) out.push(a);
    loaded.addWhole(own);
  }
  return out;
}

function originAnywhere(byPath: ReadonlyMap<string, ModuleDefinitions>, origin: string): OwnedAsset[] {
  for (const m of byPath.values()) {
    const found = m.assets.filter((a) => a.origin === origin);
    if (found.length > 0) return found.map((a) => [a, m.assets] as const);
  }
  return [];
}
