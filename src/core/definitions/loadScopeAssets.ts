// The assets one load scope loads: everything in its files, or what its Definitions objects list (re-keyed as listed).
import type { ModuleAsset, ModuleDefinitions } from './moduleDefinitions';
import type { DefinitionsObject, ListedDefinitions } from './definitionsObject';
import type { LoadedOrigins } from './loadedOrigins';

/** An asset with the `assets` array of the module that defines it. */
type OwnedAsset = readonly [ModuleAsset, readonly ModuleAsset[]];

/** Assets of the scope in load order; every loaded origin is recorded in `loaded`. */
export function loadScopeAssets(files: readonly string[], objects: readonly DefinitionsObject[], byPath: ReadonlyMap<string, ModuleDefinitions>, loaded: LoadedOrigins): ModuleAsset[] {
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
  /** Assets added one by one, and modules whose every asset was added (so their assets need no entry of their own). */
  const added = new Set<ModuleAsset>();
  const wholeAdded = new Set<readonly ModuleAsset[]>();
  const rekeyed = new Set<string>();
  for (const o of objects) {
    for (const entry of o.assets as ListedDefinitions[]) {
      if (entry.kind === 'origin') {
        if (listedOrigins.has(entry.origin)) continue;
        listedOrigins.add(entry.origin);
        for (const [a, own] of originAssets(entry.origin)) {
          if (!added.has(a) && !wholeAdded.has(own)) {
            added.add(a);
            out.push(a);
            loaded.add(a.origin);
          }
        }
        continue;
      }
      const moduleAssets = byPath.get(entry.path)?.assets ?? [];
      if (entry.keyPrefix.length === 0 && entry.group === null) {
        if (wholeAdded.has(moduleAssets)) continue;
        for (const a of moduleAssets) if (!added.has(a)) out.push(a);
        wholeAdded.add(moduleAssets);
        loaded.addWhole(moduleAssets);
        continue;
      }
      const ownKeys = new Set(moduleAssets.map((a) => a.asset.key.join('/')));
      const prefix = (k: string[]) => [...entry.keyPrefix, ...k];
      for (const a of moduleAssets) {
        const id = `${a.origin}|${a.asset.key.join('/')}|${entry.keyPrefix.join('/')}|${entry.group}`;
        if (rekeyed.has(id)) continue;
        rekeyed.add(id);
        out.push({ ...a, asset: {
          ...a.asset,
          key: prefix(a.asset.key),
          group: entry.group ?? a.asset.group,
          deps: a.asset.deps.map((d) => (ownKeys.has(d.key.join('/')) ? { ...d, key: prefix(d.key) } : d)),
        } });
      }
      // Every asset of the module now has its origin loaded (re-keyed copies keep their origin).
      loaded.addWhole(moduleAssets);
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
