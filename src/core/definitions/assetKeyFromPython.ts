// Asset keys written in Python: "name", ["a", "b"], AssetKey(...), AssetIn/AssetDep/AssetSpec/SourceAsset references.
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { PythonModule } from './pythonModule';
import { resolve } from './partitionsFromPython';

/** A str is one key segment (Dagster's AssetKey.from_coercible); a list/tuple of str is a path; AssetKey(x) likewise. */
export function assetKeyFromPython(raw: PythonValue, module: PythonModule, what: string): string[] {
  const v = resolve(raw, module.scope);
  if (v.kind === 'str') return [v.value];
  if (v.kind === 'list' || v.kind === 'tuple') {
    return v.items.map((item) => {
      const s = resolve(item, module.scope);
      if (s.kind !== 'str') throw new PythonEvaluationError(s.from, `${what} must be a list of strings, got ${describePythonValue(s)} in it`);
      return s.value;
    });
  }
  if (v.kind === 'call' && module.scope.dagsterSymbol(v.callee) === 'AssetKey') {
    const arg = v.args[0] ?? v.kwargs.find((k) => k.name === 'path')?.value;
    if (!arg) throw new PythonEvaluationError(v.from, `${v.callee}() needs a path`);
    return assetKeyFromPython(arg, module, what);
  }
  throw new PythonEvaluationError(v.from, `${what} must be a string, a list of strings or AssetKey(...), got ${describePythonValue(v)}`);
}

export interface AssetReference {
  key: string[];
  /** Partition mapping as written, or null. */
  mapping: string | null;
}

/**
 * One entry of `deps=[...]`: a key, AssetDep(...), AssetSpec(...)/SourceAsset(...), or the name of an
 * @asset function of the same module.
 */
export function assetReferenceFromPython(raw: PythonValue, module: PythonModule, assetKeyOfFunction: (name: string) => string[] | null): AssetReference {
  if (raw.kind === 'name' && !raw.name.includes('.')) {
    const key = assetKeyOfFunction(raw.name);
    if (key) return { key, mapping: null };
    if (!module.variables.has(raw.name)) {
      const imported = module.imports.get(raw.name);
      throw new PythonEvaluationError(raw.from, imported
        ? `dependency '${raw.name}' is imported from module '${imported.module}', which discovery does not follow`
        : `dependency '${raw.name}' is not an asset, asset key or variable defined in this module`);
    }
  }
  const v = resolve(raw, module.scope);
  if (v.kind === 'call') {
    const symbol = module.scope.dagsterSymbol(v.callee);
    if (symbol === 'AssetDep') {
      const target = v.args[0] ?? v.kwargs.find((k) => k.name === 'asset')?.value;
      if (!target) throw new PythonEvaluationError(v.from, `${v.callee}() needs an asset`);
      const inner = assetReferenceFromPython(target, module, assetKeyOfFunction);
      const mapping = v.kwargs.find((k) => k.name === 'partition_mapping')?.value;
      return { key: inner.key, mapping: mapping && mapping.kind !== 'none' ? module.source(mapping) : null };
    }
    if (symbol === 'AssetSpec' || symbol === 'SourceAsset') {
      const key = v.args[0] ?? v.kwargs.find((k) => k.name === 'key')?.value;
      if (!key) throw new PythonEvaluationError(v.from, `${v.callee}() needs a key`);
      return { key: assetKeyFromPython(key, module, 'key'), mapping: null };
    }
  }
  return { key: assetKeyFromPython(v, module, 'a dependency'), mapping: null };
}
