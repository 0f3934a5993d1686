// Asset keys written in Python: "name", ["a", "b"], AssetKey(...), AssetIn/AssetDep/AssetSpec/SourceAsset references.
import type { SourceLocation } from './definition';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { DefinitionModule } from './resolvedModule';
import { unresolvedNameMessage } from './unresolvedNameMessage';

/** A str is one key segment (Dagster's AssetKey.from_coercible); a list/tuple of str is a path; AssetKey(x) likewise. */
export function assetKeyFromPython(raw: PythonValue, module: DefinitionModule, what: string): string[] {
  const v = module.close(raw);
  if (v.kind === 'str') return [v.value];
  if (v.kind === 'list' || v.kind === 'tuple') {
    return v.items.map((s) => {
      if (s.kind !== 'str') throw new PythonEvaluationError(s.from, `${what} must be a list of strings, got ${describePythonValue(s)} in it`);
      return s.value;
    });
  }
  if (v.kind === 'call' && !v.receiver && module.scope.dagsterSymbol(v.callee) === 'AssetKey') {
    if (v.hasSplat) throw new PythonEvaluationError(v.from, `${v.callee}(*...) cannot be evaluated statically`);
    const arg = v.args.length > 1 ? { ...v, kind: 'list' as const, items: v.args } : v.args[0] ?? v.kwargs.find((k) => k.name === 'path')?.value;
    if (!arg) throw new PythonEvaluationError(v.from, `${v.callee}() needs a path`);
    return assetKeyFromPython(arg, module, what);
  }
  if (v.kind === 'call' && v.receiver && v.callee === '.with_prefix') {
    const prefix = v.args[0] ?? v.kwargs.find((k) => k.name === 'prefix')?.value;
    if (!prefix) throw new PythonEvaluationError(v.from, 'with_prefix() needs a prefix');
    return [...assetKeyFromPython(prefix, module, what), ...assetKeyFromPython(v.receiver, module, what)];
  }
  if (v.kind === 'name') throw new PythonEvaluationError(v.from, unresolvedNameMessage(module, what, v.name));
  throw new PythonEvaluationError(v.from, `${what} must be a string, a list of strings or AssetKey(...), got ${describePythonValue(v)}`);
}

export interface AssetReference {
  key: string[];
  /** Partition mapping as written, or null. */
  mapping: string | null;
  /** Where the mapping is written, for diagnostics about it. */
  mappingLocation?: SourceLocation;
}

/**
 * One entry of `deps=[...]`: a key, AssetDep(...), AssetSpec(...)/SourceAsset(...), or a name referring to an
 * asset function (in this module or imported).
 */
export function assetReferenceFromPython(raw: PythonValue, module: DefinitionModule, assetKeyOfFunction: (name: string) => string[] | null): AssetReference {
  if (raw.kind === 'name') {
    const key = assetKeyOfFunction(raw.name);
    if (key) return { key, mapping: null };
    const b = module.binding(raw.name);
    if (b.kind !== 'value') throw new PythonEvaluationError(raw.from, unresolvedNameMessage(module, 'dependency', raw.name));
  }
  const v = module.close(raw);
  if (v.kind === 'name') {
    const key = assetKeyOfFunction(v.name);
    if (key) return { key, mapping: null };
  }
  if (v.kind === 'call' && !v.receiver) {
    const symbol = module.scope.dagsterSymbol(v.callee);
    if (symbol === 'AssetDep') {
      const target = v.args[0] ?? v.kwargs.find((k) => k.name === 'asset')?.value;
      if (!target) throw new PythonEvaluationError(v.from, `${v.callee}() needs an asset`);
      const inner = assetReferenceFromPython(target, module, assetKeyOfFunction);
      const mappingRaw = rawArgument(raw, v, 'partition_mapping', -1);
      if (!mappingRaw || module.close(mappingRaw).kind === 'none') return { key: inner.key, mapping: null };
      return { key: inner.key, mapping: module.sourceOf(mappingRaw), mappingLocation: module.locate(mappingRaw.from) };
    }
    if (symbol === 'AssetSpec' || symbol === 'SourceAsset') {
      const key = v.args[0] ?? v.kwargs.find((k) => k.name === 'key')?.value;
      if (!key) throw new PythonEvaluationError(v.from, `${v.callee}() needs a key`);
      return { key: assetKeyFromPython(key, module, 'key'), mapping: null };
    }
  }
  return { key: assetKeyFromPython(v, module, 'a dependency'), mapping: null };
}

/** The argument as written when `raw` is the call itself, so its source text is the author's. */
function rawArgument(raw: PythonValue, closed: Extract<PythonValue, { kind: 'call' }>, name: string, position: number): PythonValue | undefined {
  const call = raw.kind === 'call' ? raw : closed;
  return call.kwargs.find((k) => k.name === name)?.value ?? call.args[position];
}
