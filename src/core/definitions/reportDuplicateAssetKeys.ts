// Duplicate asset keys among one repository's assets: each key interned once to a number, so a snapshot checks arrays, not a map.
import type { AssetDefinition, DefinitionDiagnostic } from './definition';

/** Key string -> id, and back; asset definitions of unchanged modules are the same objects from one snapshot to the next. */
let ids = new Map<string, number>();
let keys: string[] = [];
let idOfAsset = new WeakMap<AssetDefinition, number>();
/** firstAt[id]: index of the key's first asset in this call, valid while seenIn[id] === call. */
let firstAt = new Int32Array(1024);
let seenIn = new Int32Array(1024);
let call = 0;

function keyId(a: AssetDefinition): number {
  let id = idOfAsset.get(a);
  if (id === undefined) {
    const key = a.key.join('/');
    id = ids.get(key);
    if (id === undefined) {
      id = keys.length;
      keys.push(key);
      ids.set(key, id);
    }
    idOfAsset.set(a, id);
  }
  return id;
}

/** At every asset whose key an earlier asset (in `assets` order) of the same repository has: Dagster's error. */
export function reportDuplicateAssetKeys(assets: readonly AssetDefinition[], diagnostics: DefinitionDiagnostic[]): void {
  // Keys of definitions long gone would pile up over a session: start afresh when most interned keys are stale.
  if (keys.length > 4 * assets.length + 4096) {
    ids = new Map();
    keys = [];
    idOfAsset = new WeakMap();
  }
  call = call === 0x7fffffff ? 1 : call + 1;
  if (call === 1) seenIn.fill(0);
  for (let i = 0; i < assets.length; i++) {
    const id = keyId(assets[i]);
    if (id >= seenIn.length) grow(id);
    if (seenIn[id] !== call) {
      seenIn[id] = call;
      firstAt[id] = i;
      continue;
    }
    const d = assets[i];
    const seen = assets[firstAt[id]];
    diagnostics.push({ location: d.location, severity: 'error',
      message: `Duplicate asset key: AssetKey([${d.key.map((p) => `'${p}'`).join(', ')}]) (also defined at ${seen.location.file}:${seen.location.line}); Dagster does not load the code location` });
  }
}

function grow(id: number): void {
  const size = Math.max(id + 1, seenIn.length * 2);
  const first = new Int32Array(size);
  first.set(firstAt);
  const seen = new Int32Array(size);
  seen.set(seenIn);
  firstAt = first;
  seenIn = seen;
}
