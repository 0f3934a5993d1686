// The AssetDefinition of an @asset-decorated function: key, group, partitions, deps (deps=, ins=, parameters), policy.
import type { AssetDefinition, AssetDependency } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import type { PythonDecorator, PythonFunction } from './pythonModule';
import { assetKeyFromPython, assetReferenceFromPython } from './assetKeyFromPython';
import { partitionsOrDiagnostic } from './partitionsOrDiagnostic';

export function kwarg(decorator: PythonDecorator, name: string): PythonValue | undefined {
  const v = decorator.call?.kwargs.find((k) => k.name === name)?.value;
  return v && v.kind !== 'none' ? v : undefined;
}

export function stringArg(ctx: DecoratedDefinitionContext, v: PythonValue | undefined, what: string): string | undefined {
  if (!v) return undefined;
  const r = ctx.module.close(v);
  if (r.kind === 'none') return undefined;
  if (r.kind !== 'str') throw new PythonEvaluationError(r.from, `${what} must be a string, got ${describePythonValue(r)}`);
  return r.value;
}

/** The key an @asset gets without reading deps (used to resolve function-name references first). */
export function assetKeyOf(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator): string[] {
  return guarded(ctx, [fn.name], () => {
    const key = kwarg(decorator, 'key');
    if (key) return assetKeyFromPython(key, ctx.module, 'key');
    const prefixValue = kwarg(decorator, 'key_prefix');
    const prefix = prefixValue ? assetKeyFromPython(prefixValue, ctx.module, 'key_prefix') : [];
    return [...prefix, stringArg(ctx, kwarg(decorator, 'name'), 'name') ?? fn.name];
  });
}

const CONTEXT_ANNOTATION = /(^|\.)(AssetExecutionContext|OpExecutionContext|AssetCheckExecutionContext)$/;

/** Parameters that are not upstream assets: the context, a Config, resources (also of the project's own resource classes). */
function isInputParameter(ctx: DecoratedDefinitionContext, p: PythonFunction['parameters'][number], index: number): boolean {
  if (p.kind !== 'normal') return false;
  const ann = p.annotation?.trim() ?? '';
  if (index === 0 && (p.name === 'context' || p.name === '_context' || CONTEXT_ANNOTATION.test(ann))) return false;
  if (p.name === 'config' || /Config$/.test(ann) || /ResourceParam\[|Resource$/.test(ann)) return false;
  if (/^[A-Za-z_][\w.]*$/.test(ann) && ctx.module.isResourceClass?.(ann)) return false;
  return true;
}

/**
 * Upstream assets of a decorated function: ins= (with partition mappings), parameters, deps= and 1.2's
 * non_argument_deps=. `inputs`, when given, is filled in step with the result: the parameter name of each
 * dependency Dagster loads through an input (whose upstream must exist when the code location loads), else null.
 */
export function dependenciesOf(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator, inputs?: (string | null)[]): AssetDependency[] {
  const deps: AssetDependency[] = [];
  const addDep = (d: AssetDependency, input: string | null = null) => {
    if (deps.some((e) => e.key.join('/') === d.key.join('/'))) return;
    deps.push(d);
    inputs?.push(input);
  };
  const parameters = new Set(fn.parameters.filter((p, i) => isInputParameter(ctx, p, i)).map((p) => p.name));
  const insValue = kwarg(decorator, 'ins');
  const insNames = new Set<string>();
  if (insValue) {
    guarded(ctx, undefined, () => {
      const ins = ctx.module.close(insValue);
      if (ins.kind !== 'dict') throw new PythonEvaluationError(ins.from, `ins must be a dict of AssetIn(...), got ${describePythonValue(ins)}`);
      for (const { key, value } of ins.entries) {
        guarded(ctx, undefined, () => {
          const inputName = stringArg(ctx, key, 'an ins key') as string;
          insNames.add(inputName);
          addDep(assetInDependency(ctx, inputName, value), parameters.has(inputName) ? inputName : null);
        });
      }
    });
  }
  fn.parameters.forEach((p, i) => {
    // A parameter's key is its name alone, whatever the asset's key_prefix (build_asset_ins in
    // _core/definitions/decorators/asset_decorator.py); Dagster later matches it by name within the group.
    if (isInputParameter(ctx, p, i) && !insNames.has(p.name)) addDep({ key: [p.name], mapping: null }, p.name);
  });
  const nonArgumentDeps = kwarg(decorator, 'non_argument_deps');
  if (nonArgumentDeps && kwarg(decorator, 'deps')) {
    guarded(ctx, undefined, () => {
      throw new PythonEvaluationError(nonArgumentDeps.from, 'Cannot specify both deps and non_argument_deps to @asset. Use only deps instead.');
    });
  }
  if (nonArgumentDeps) {
    guarded(ctx, undefined, () => {
      const set = ctx.module.close(nonArgumentDeps);
      if (set.kind !== 'set' && set.kind !== 'list' && set.kind !== 'tuple') {
        throw new PythonEvaluationError(set.from, `non_argument_deps must be a set of asset names or AssetKeys, got ${describePythonValue(set)}`);
      }
      for (const item of set.items) guarded(ctx, undefined, () => addDep({ key: nonArgumentKey(ctx, item), mapping: null }), 'warning');
    });
  }
  const depsValue = kwarg(decorator, 'deps');
  if (depsValue) {
    guarded(ctx, undefined, () => {
      const list = ctx.module.close(depsValue);
      if (list.kind !== 'list' && list.kind !== 'tuple') throw new PythonEvaluationError(list.from, `deps must be a list, got ${describePythonValue(list)}`);
      // Items as written (when deps= is a literal list) keep their own text for partition mappings.
      const items = (depsValue.kind === 'list' || depsValue.kind === 'tuple') && depsValue.items.length === list.items.length ? depsValue.items : list.items;
      for (const item of items) {
        guarded(ctx, undefined, () => addDep(assetReferenceFromPython(item, ctx.module, ctx.assetKeyOfFunction)), 'warning');
      }
    });
  }
  return deps;
}

export function backfillPolicyOf(ctx: DecoratedDefinitionContext, decorator: PythonDecorator): string | null {
  const policy = kwarg(decorator, 'backfill_policy');
  return policy ? ctx.module.sourceOf(policy) : null;
}

/** `inputs` is filled as dependenciesOf fills it. */
export function assetFromDecorator(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator, inputs?: (string | null)[]): AssetDefinition {
  return {
    kind: 'asset',
    key: assetKeyOf(ctx, fn, decorator),
    group: guarded(ctx, 'default', () => stringArg(ctx, kwarg(decorator, 'group_name'), 'group_name') ?? 'default'),
    location: ctx.module.locate(fn.defOffset),
    partitions: partitionsOrDiagnostic(ctx, kwarg(decorator, 'partitions_def'), 'partitions_def'),
    deps: dependenciesOf(ctx, fn, decorator, inputs),
    backfillPolicy: backfillPolicyOf(ctx, decorator),
  };
}

/** Dagster 1.2 reads a string of non_argument_deps as a user string ("a/b" is ["a", "b"]: AssetKey.from_user_string). */
function nonArgumentKey(ctx: DecoratedDefinitionContext, item: PythonValue): string[] {
  const v = ctx.module.close(item);
  return v.kind === 'str' ? v.value.split('/') : assetKeyFromPython(item, ctx.module, 'a non_argument_deps entry');
}

function assetInDependency(ctx: DecoratedDefinitionContext, inputName: string, raw: PythonValue): AssetDependency {
  const v = ctx.module.close(raw);
  if (v.kind !== 'call' || v.receiver || ctx.module.scope.dagsterSymbol(v.callee) !== 'AssetIn') {
    throw new PythonEvaluationError(v.from, `ins['${inputName}'] must be AssetIn(...), got ${describePythonValue(v)}`);
  }
  const written = raw.kind === 'call' ? raw : v;
  const arg = (call: typeof v, name: string, position: number) => {
    const found = call.kwargs.find((k) => k.name === name)?.value ?? call.args[position];
    return found && found.kind !== 'none' ? found : undefined;
  };
  const keyValue = arg(v, 'key', 0);
  const prefixValue = arg(v, 'key_prefix', 2);
  const key = keyValue
    ? assetKeyFromPython(keyValue, ctx.module, 'AssetIn key')
    : [...(prefixValue ? assetKeyFromPython(prefixValue, ctx.module, 'AssetIn key_prefix') : []), inputName];
  const mapping = arg(written, 'partition_mapping', 4);
  if (!mapping || ctx.module.close(mapping).kind === 'none') return { key, mapping: null };
  return { key, mapping: ctx.module.sourceOf(mapping), mappingLocation: ctx.module.locate(mapping.from) };
}
