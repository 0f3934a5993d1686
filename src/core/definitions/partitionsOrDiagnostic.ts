// Reads a partitions_def argument in discovery: a definition, or null plus a located diagnostic saying why.
import type { PartitionsDefinition } from '../partitions/partitionsDefinition';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError } from './pythonExpression';
import { partitionsFromPython } from './partitionsFromPython';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import { guarded } from './decoratedDefinitionContext';
import { unresolvedNameMessage } from './unresolvedNameMessage';

export function partitionsOrDiagnostic(ctx: DecoratedDefinitionContext, raw: PythonValue | undefined, what: string): PartitionsDefinition | null {
  if (!raw) return null;
  const v = ctx.module.close(raw);
  if (v.kind === 'none') return null;
  if (v.kind === 'name') {
    return guarded(ctx, null, () => {
      throw new PythonEvaluationError(v.from, `${unresolvedNameMessage(ctx.module, what, v.name)}; partitions unknown`);
    }, 'warning');
  }
  const unresolved = firstUnresolvedName(ctx, v);
  if (unresolved) {
    return guarded(ctx, null, () => {
      throw new PythonEvaluationError(unresolved.from, `${unresolvedNameMessage(ctx.module, what, unresolved.name)}; partitions unknown`);
    }, 'warning');
  }
  return guarded(ctx, null, () => memoized(v, () => partitionsFromPython(v, ctx.module.scope)));
}

/** Closed values are shared while nothing changes: many assets naming one variable build its definition once. */
const built = new WeakMap<PythonValue, PartitionsDefinition | PythonEvaluationError>();

function memoized(v: PythonValue, build: () => PartitionsDefinition): PartitionsDefinition {
  const found = built.get(v);
  if (found instanceof PythonEvaluationError) throw found;
  if (found) return found;
  try {
    const made = build();
    built.set(v, made);
    return made;
  } catch (e) {
    if (e instanceof PythonEvaluationError) built.set(v, e);
    throw e;
  }
}

/** A name inside the value that leads nowhere: reported as such rather than as a wrong argument type. */
function firstUnresolvedName(ctx: DecoratedDefinitionContext, v: PythonValue, depth = 0): Extract<PythonValue, { kind: 'name' }> | null {
  if (depth > 20) return null;
  const children: PythonValue[] = v.kind === 'call' ? [...v.args, ...v.kwargs.map((k) => k.value)]
    : v.kind === 'list' || v.kind === 'tuple' ? v.items
    : v.kind === 'dict' ? v.entries.flatMap((e) => [e.key, e.value])
    : v.kind === 'binary' ? [v.left, v.right] : [];
  if (v.kind === 'name') return ctx.module.binding(v.name).kind === 'unresolved' ? v : null;
  for (const c of children) {
    const found = firstUnresolvedName(ctx, c, depth + 1);
    if (found) return found;
  }
  return null;
}
