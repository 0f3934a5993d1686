// Assets declared by value: AssetSpec(...) and SourceAsset(...) (external assets, observed or not materialized here).
import type { AssetDefinition, AssetDependency } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import { assetKeyFromPython, assetReferenceFromPython } from './assetKeyFromPython';
import { stringArg } from './assetFromDecorator';
import { partitionsOrDiagnostic } from './partitionsOrDiagnostic';

/** `raw` must be an AssetSpec(...) or SourceAsset(...) call (or a name bound to one); located at the call. */
export function assetFromSpec(ctx: DecoratedDefinitionContext, raw: PythonValue, keysOnly = false): AssetDefinition {
  const v = ctx.module.close(raw);
  const symbol = v.kind === 'call' && !v.receiver ? ctx.module.scope.dagsterSymbol(v.callee) : null;
  if (v.kind !== 'call' || (symbol !== 'AssetSpec' && symbol !== 'SourceAsset')) {
    throw new PythonEvaluationError(v.from, `expected AssetSpec(...) or SourceAsset(...), got ${describePythonValue(v)}`);
  }
  const arg = (name: string, position: number) => {
    const found = v.kwargs.find((k) => k.name === name)?.value ?? (position >= 0 ? v.args[position] : undefined);
    return found && found.kind !== 'none' ? found : undefined;
  };
  const keyValue = arg('key', 0);
  if (!keyValue) throw new PythonEvaluationError(v.from, `${v.callee}() needs a key`);
  const deps: AssetDependency[] = [];
  const depsValue = arg('deps', -1);
  if (depsValue && !keysOnly) {
    guarded(ctx, undefined, () => {
      const list = ctx.module.close(depsValue);
      if (list.kind !== 'list' && list.kind !== 'tuple') throw new PythonEvaluationError(list.from, `deps must be a list, got ${describePythonValue(list)}`);
      for (const item of list.items) {
        guarded(ctx, undefined, () => {
          const d = assetReferenceFromPython(item, ctx.module, ctx.assetKeyOfFunction);
          if (!deps.some((e) => e.key.join('/') === d.key.join('/'))) deps.push(d);
        }, 'warning');
      }
    });
  }
  return {
    kind: 'asset',
    key: assetKeyFromPython(keyValue, ctx.module, 'key'),
    group: guarded(ctx, 'default', () => stringArg(ctx, arg('group_name', -1), 'group_name') ?? 'default'),
    location: ctx.module.locate(v.from),
    partitions: keysOnly ? null : partitionsOrDiagnostic(ctx, arg('partitions_def', -1), 'partitions_def'),
    deps,
    backfillPolicy: null,
  };
}
