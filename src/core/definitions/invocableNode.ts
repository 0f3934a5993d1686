// What a name invoked in a job or graph body is: an @op or a @graph function (of any module), with its Dagster name.
import type { PythonFunction } from './pythonModule';
import type { ResolvedModule } from './resolvedModule';

export interface InvocableNode {
  kind: 'op' | 'graph';
  /** The definition's name: `name=` of the decorator, else the function's. */
  name: string;
  /** Workspace path of the module defining the function (graph bodies are read in their own scope). */
  path: string;
  fn: PythonFunction;
}

const NODE_DECORATORS: Readonly<Record<string, InvocableNode['kind']>> = { op: 'op', graph: 'graph' };

/** The op or graph `dotted` names in the module at `path`, or null when it is anything else or cannot be told. */
export function invocableNode(view: ResolvedModule, path: string, dotted: string): InvocableNode | null {
  const b = view.bindingIn(path, dotted);
  if (b.kind !== 'function') return null;
  for (const d of b.fn.decorators) {
    const symbol = dagsterSymbolIn(view, b.path, d.name);
    const kind = symbol === null ? undefined : NODE_DECORATORS[symbol];
    if (!kind) continue;
    if (!d.call) return { kind, name: b.fn.name, path: b.path, fn: b.fn };
    if (d.call.args.length > 0 || d.call.hasSplat) return null;
    const nameArg = d.call.kwargs.find((k) => k.name === 'name');
    if (!nameArg) return { kind, name: b.fn.name, path: b.path, fn: b.fn };
    const value = view.close(nameArg.value);
    return value.kind === 'str' && value.value !== '' ? { kind, name: value.value, path: b.path, fn: b.fn } : null;
  }
  return null;
}

function dagsterSymbolIn(view: ResolvedModule, path: string, dotted: string): string | null {
  const b = view.bindingIn(path, dotted);
  return b.kind === 'external' && b.name.startsWith('dagster.') ? b.name.slice('dagster.'.length) : null;
}
