// Reads a partitions_def argument in discovery: a definition, or null plus a located diagnostic saying why.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError } from './pythonExpression';
import { partitionsFromPython, resolve } from './partitionsFromPython';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';

export function partitionsOrDiagnostic(ctx: DecoratedDefinitionContext, raw: PythonValue | undefined, what: string): PartitionsDefinition | null {
  if (!raw) return null;
  const v = resolve(raw, ctx.module.scope);
  if (v.kind === 'name') {
    const imported = ctx.module.imports.get(v.name.split('.')[0]);
    return guarded(ctx, null, () => {
      throw new PythonEvaluationError(v.from, imported
        ? `${what} '${v.name}' is imported from module '${imported.module}', which discovery does not follow; partitions unknown`
        : `${what} '${v.name}' is not defined in this module; partitions unknown`);
    }, 'warning');
  }
  return guarded(ctx, null, () => partitionsFromPython(v, ctx.module.scope));
}
