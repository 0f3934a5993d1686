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
import { partitionsFromPartitionedConfig } from './partitionsFromPython';

export const PARTITIONED_CONFIG_DECORATORS = [
  'hourly_partitioned_config', 'daily_partitioned_config', 'weekly_partitioned_config', 'monthly_partitioned_config',
  'static_partitioned_config', 'partitioned_config',
];

export function jobFromDecorator(ctx: DecoratedDefinitionContext, fn: PythonFunction, decorator: PythonDecorator): JobDefinition {
  const { line, column } = ctx.module.position(fn.defOffset);
  const partitionsDef = kwarg(decorator, 'partitions_def');
  const config = kwarg(decorator, 'config');
  let partitions = partitionsOrDiagnostic(ctx, partitionsDef, 'partitions_def');
  if (!partitionsDef && config) partitions = partitionsOfConfig(ctx, config);
  return {
    kind: 'job',
    name: guarded(ctx, fn.name, () => stringArg(ctx, kwarg(decorator, 'name'), 'name') ?? fn.name),
    location: { file: ctx.path, line, column },
    partitions,
  };
}

/** `config=<name>` naming a function decorated with a *_partitioned_config decorator gives the job its partitions. */
function partitionsOfConfig(ctx: DecoratedDefinitionContext, config: PythonValue): PartitionsDefinition | null {
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
  if (ctx.module.variables.has(config.name)) return null;
  const imported = ctx.module.imports.get(config.name);
  return guarded(ctx, null, () => {
    throw new PythonEvaluationError(config.from, imported
      ? `config '${config.name}' is imported from module '${imported.module}', which discovery does not follow; partitions unknown`
      : `config '${config.name}' is not defined in this module; partitions unknown`);
  }, 'warning');
}
