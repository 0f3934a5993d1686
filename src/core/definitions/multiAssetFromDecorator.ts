// The assets of a @multi_asset / @graph_multi_asset function: one per outs= entry and per specs= AssetSpec.
import type { AssetDefinition } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { PythonDecorator, PythonFunction } from './pythonModule';
import { assetKeyFromPython } from './assetKeyFromPython';
import { backfillPolicyOf, dependenciesOf, kwarg, stringArg } from './assetFromDecorator';
import { partitionsOrDiagnostic } from './partitionsOrDiagnostic';
import { assetFromSpec } from './assetSpecFromPython';

type Call = Extract<PythonValue, { kind: 'call' }>;

/** internal_asset_deps={"out": {AssetKey(...), ...}}: each named output's own upstream keys ("a/b"), or null. */
function internalAssetDeps(ctx: DecoratedDefinitionContext, decorator: PythonDecorator): Map<string, Set<string>> | null {
  const raw = kwarg(decorator, 'internal_asset_deps');
  if (!raw) return null;
  return guarded(ctx, null, () => {
    const dict = ctx.module.close(raw);
    if (dict.kind !== 'dict') throw new PythonEvaluationError(dict.from, `internal_asset_deps must be a dict of output name to a set of AssetKeys, got ${describePythonValue(dict)}`);
    const out = new Map<string, Set<string>>();
    for (const entry of dict.entries) {
      const name = stringArg(ctx, entry.key, 'an internal_asset_deps key') as string;
      const keys = ctx.module.close(entry.value);
      if (keys.kind !== 'set' && keys.kind !== 'list' && keys.kind !== 'tuple') {
        throw new PythonEvaluationError(keys.from, `internal_asset_deps['${name}'] must be a set of AssetKeys, got ${describePythonValue(keys)}`);
      }
      out.set(name, new Set(keys.items.map((k) => assetKeyFromPython(k, ctx.module, `internal_asset_deps['${name}']`).join('/'))));
    }
    return out;
  });
}

function argOf(call: Call, name: string, position: number): PythonValue | undefined {
  const v = call.kwargs.find((k) => k.name === name)?.value ?? (position >= 0 ? call.args[position] : undefined);
  return v && v.kind !== 'none' ? v : undefined;
}

/** Keys only (for references to the function from deps= and selections), without diagnostics. */
export function multiAssetKeysOf(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator): string[][] {
  return multiAssetsFromDecorator({ ...ctx, diagnostics: [] }, fn, decorator, true).map((a) => a.asset.key);
}

/** One asset of a multi-asset, with its input parameters in step with its deps (see ModuleAsset.inputs). */
export interface MultiAssetOutput {
  asset: AssetDefinition;
  inputs: (string | null)[];
}

export function multiAssetsFromDecorator(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator, keysOnly = false): MultiAssetOutput[] {
  const location = ctx.module.locate(fn.defOffset);
  const group = guarded(ctx, null, () => stringArg(ctx, kwarg(decorator, 'group_name'), 'group_name') ?? null);
  const partitions = keysOnly ? null : partitionsOrDiagnostic(ctx, kwarg(decorator, 'partitions_def'), 'partitions_def');
  const allInputs: (string | null)[] = [];
  const allDeps = keysOnly ? [] : dependenciesOf(ctx, fn, decorator, allInputs);
  const internal = keysOnly ? null : internalAssetDeps(ctx, decorator);
  const backfillPolicy = keysOnly ? null : backfillPolicyOf(ctx, decorator);
  const out: MultiAssetOutput[] = [];
  /** Every output depends on every input unless internal_asset_deps names its own (_core/definitions/decorators/asset_decorator.py). */
  const depsOf = (outName: string) => {
    const own = internal?.get(outName);
    if (!own) return { deps: allDeps, inputs: allInputs };
    const keep = allDeps.map((d) => own.has(d.key.join('/')));
    const deps = allDeps.filter((_, i) => keep[i]);
    const inputs = allInputs.filter((_, i) => keep[i]);
    for (const k of own.values()) if (!deps.some((d) => d.key.join('/') === k)) { deps.push({ key: k.split('/'), mapping: null }); inputs.push(null); }
    return { deps, inputs };
  };
  const outs = kwarg(decorator, 'outs');
  if (outs) {
    guarded(ctx, undefined, () => {
      const dict = ctx.module.close(outs);
      if (dict.kind !== 'dict') throw new PythonEvaluationError(dict.from, `outs must be a dict of name to AssetOut(...), got ${describePythonValue(dict)}`);
      for (const entry of dict.entries) {
        guarded(ctx, undefined, () => {
          const name = stringArg(ctx, entry.key, 'an outs key') as string;
          const value = entry.value;
          if (value.kind !== 'call' || value.receiver || ctx.module.scope.dagsterSymbol(value.callee) !== 'AssetOut') {
            throw new PythonEvaluationError(value.from, `outs['${name}'] must be AssetOut(...), got ${describePythonValue(value)}`);
          }
          // AssetOut(key_prefix=None, key=None, dagster_type=..., description=None, is_required=True, io_manager_key=None, metadata=None, group_name=None, ...)
          const keyValue = argOf(value, 'key', 1);
          const prefixValue = argOf(value, 'key_prefix', 0);
          const key = keyValue
            ? assetKeyFromPython(keyValue, ctx.module, `outs['${name}'] key`)
            : [...(prefixValue ? assetKeyFromPython(prefixValue, ctx.module, `outs['${name}'] key_prefix`) : []), name];
          const outGroup = stringArg(ctx, argOf(value, 'group_name', -1), 'group_name');
          if (outGroup !== undefined && group !== null && !keysOnly) {
            // Dagster's check.invariant in @multi_asset: the code location does not load; the output is still listed.
            ctx.diagnostics.push({ location: ctx.module.locate(value.from), severity: 'error',
              message: 'Cannot set group_name parameter on multi_asset if one or more of the AssetOuts supplied to this multi_asset have a group_name defined.' });
          }
          const { deps, inputs } = depsOf(name);
          out.push({ asset: { kind: 'asset', key, group: outGroup ?? group ?? 'default', location, partitions, deps: deps.filter((d) => d.key.join('/') !== key.join('/')), backfillPolicy },
            inputs: inputs.filter((_, i) => deps[i].key.join('/') !== key.join('/')) });
        });
      }
    });
  }
  const specs = kwarg(decorator, 'specs');
  if (specs) {
    guarded(ctx, undefined, () => {
      const list = ctx.module.close(specs);
      if (list.kind !== 'list' && list.kind !== 'tuple') throw new PythonEvaluationError(list.from, `specs must be a list of AssetSpec(...), got ${describePythonValue(list)}`);
      for (const item of list.items) {
        guarded(ctx, undefined, () => {
          const spec = assetFromSpec(ctx, item, keysOnly);
          const ownDeps = spec.deps.filter((d) => !allDeps.some((e) => e.key.join('/') === d.key.join('/')));
          out.push({ asset: {
            ...spec,
            location,
            group: spec.group !== 'default' ? spec.group : group ?? 'default',
            partitions: spec.partitions ?? partitions,
            deps: [...allDeps, ...ownDeps],
            backfillPolicy,
          }, inputs: [...allInputs, ...ownDeps.map(() => null)] });
        });
      }
    });
  }
  if (!outs && !specs && !keysOnly) {
    guarded(ctx, undefined, () => {
      throw new PythonEvaluationError(decorator.from, `@${decorator.name} needs outs= or specs= naming the assets it produces`);
    });
  }
  return out;
}
