// The JobDefinition of a @job-decorated function: partitions from partitions_def= or a partitioned config.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { JobDefinition } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError } from './pythonExpression';
import type { PythonDecorator, PythonFunction } from './pythonModule';
import { kwarg, stringArg } from './assetFromDecorator';
import { partitionsOrDiagnostic } from './partitionsOrDiagnostic';
import { partitionsFromPartitionedConfig, resolve } from './partitionsFromPython';
import { partitionsDefinitionsEqual } from '../partitions/mappings/partitionMapping';

export const PARTITIONED_CONFIG_DECORATORS = [
  'hourly_partitioned_config', 'daily_partitioned_config', 'weekly_partitioned_config', 'monthly_partitioned_config',
  'static_partitioned_config', 'dynamic_partitioned_config', 'partitioned_config',
];

export function jobFromDecorator(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator): JobDefinition {
  const { line, column } = ctx.module.position(fn.defOffset);
  const partitionsDef = kwarg(decorator, 'partitions_def');
  const config = kwarg(decorator, 'config');
  let partitions = partitionsOrDiagnostic(ctx, partitionsDef, 'partitions_def');
  if (!partitionsDef && config) partitions = partitionsOfConfig(ctx, config);
  // With partitions_def, a plain config dict is the same run config for every key; a partitioned config must agree.
  if (partitionsDef && config && partitions) checkConfigAgainstPartitionsDef(ctx, config, partitions);
  return {
    kind: 'job',
    name: guarded(ctx, fn.name, () => stringArg(ctx, kwarg(decorator, 'name'), 'name') ?? fn.name),
    location: { file: ctx.path, line, column },
    partitions,
  };
}

function checkConfigAgainstPartitionsDef(ctx: DecoratedDefinitionContext, config: PythonValue, partitions: PartitionsDefinition): void {
  const v = resolve(config, ctx.module.scope);
  if (v.kind === 'call' && ctx.module.scope.dagsterSymbol(v.callee) === 'ConfigMapping') {
    guarded(ctx, null, () => {
      throw new PythonEvaluationError(config.from, "Can't supply a ConfigMapping for 'config' when 'partitions_def' is supplied.");
    });
    return;
  }
  const fromConfig = partitionsOfConfig(ctx, config, true);
  if (fromConfig && !partitionsDefinitionsEqual(fromConfig, partitions)) {
    guarded(ctx, null, () => {
      throw new PythonEvaluationError(config.from,
        "Can't supply a PartitionedConfig for 'config' with a different PartitionsDefinition than supplied for 'partitions_def'.");
    });
  }
}

/**
 * `config=` naming a function decorated with a *_partitioned_config decorator, or a PartitionedConfig(...) call,
 * gives the job its partitions. `quiet` skips the warnings about configs that cannot be followed.
 */
function partitionsOfConfig(ctx: DecoratedDefinitionContext, config: PythonValue, quiet = false): PartitionsDefinition | null {
  const resolved = resolve(config, ctx.module.scope);
  if (resolved.kind === 'call' && ctx.module.scope.dagsterSymbol(resolved.callee) === 'PartitionedConfig') {
    return guarded(ctx, null, () => partitionsFromPartitionedConfig('PartitionedConfig', resolved, ctx.module.scope));
  }
  if (config.kind !== 'name' || config.name.includes('.')) return null;
  const configFn = ctx.module.findFunction(config.name);
  if (configFn) {
    for (const d of configFn.decorators) {
      const symbol = ctx.module.scope.dagsterSymbol(d.name);
      if (symbol === null || !PARTITIONED_CONFIG_DECORATORS.includes(symbol)) continue;
      const call = d.call;
      if (!call) {
        return guarded(ctx, null, () => {
          throw new PythonEvaluationError(d.from, `@${d.name} needs its arguments, e.g. @${d.name}(start_date=...)`);
        });
      }
      return guarded(ctx, null, () => partitionsFromPartitionedConfig(symbol, call, ctx.module.scope));
    }
    return null;
  }
  if (quiet || ctx.module.variables.has(config.name)) return null;
  const imported = ctx.module.imports.get(config.name);
  return guarded(ctx, null, () => {
    throw new PythonEvaluationError(config.from, imported
      ? `config '${config.name}' is imported from module '${imported.module}', which discovery does not follow; partitions unknown`
      : `config '${config.name}' is not defined in this module; partitions unknown`);
  }, 'warning');
}
