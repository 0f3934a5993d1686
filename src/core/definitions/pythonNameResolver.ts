// Resolves Python names across a workspace's modules: imports (absolute, relative, star, aliases) and attributes.
import type { PythonFunction, PythonModule } from './pythonModule';
import { isDagsterModule } from './pythonModule';
import type { PythonValue } from './pythonExpression';
import type { PythonModuleNames } from './pythonModuleNames';

/** What a name means. `external` names are outside the workspace, canonical: "dagster.asset", "datetime.datetime". */
export type PythonBinding =
  | { kind: 'value'; path: string; name: string; value: PythonValue }
  | { kind: 'function'; path: string; fn: PythonFunction }
  | { kind: 'class'; path: string; name: string }
  | { kind: 'module'; path: string | null; name: string }
  | { kind: 'external'; name: string }
  | { kind: 'unresolved'; reason: string };

/** The workspace's modules as the resolver sees them; `consulted` records cross-module reads (for incremental updates). */
export interface PythonModuleSource {
  readonly names: PythonModuleNames;
  module(path: string): PythonModule | undefined;
  consulted(path: string): void;
}

const MAX_DEPTH = 40;

export class PythonNameResolver {
  constructor(private readonly source: PythonModuleSource) {}

  get names(): PythonModuleNames {
    return this.source.names;
  }

  /** A dotted name as used in module `path`, e.g. "dg.asset", "partitions.daily", "my_pkg.assets.raw". */
  resolve(path: string, dotted: string, depth = 0): PythonBinding {
    const parts = dotted.split('.');
    let b = this.resolveInModule(path, parts[0], depth);
    if (b.kind === 'unresolved' && parts.length > 1) {
      // Not Python's rule, but what a qualified reference produced by discovery itself means: an absolute module path.
      for (let i = parts.length - 1; i >= 1; i--) {
        const file = this.source.names.fileOf(parts.slice(0, i).join('.'));
        if (file) {
          b = { kind: 'module', path: file, name: parts.slice(0, i).join('.') };
          return this.attributes(b, parts.slice(i), depth);
        }
      }
      if (parts[0] === 'dagster') return { kind: 'external', name: dotted };
      return b;
    }
    return this.attributes(b, parts.slice(1), depth);
  }

  private attributes(start: PythonBinding, rest: string[], depth: number): PythonBinding {
    let b = start;
    for (const part of rest) {
      if (b.kind === 'module') b = this.moduleAttribute(b, part, depth);
      else if (b.kind === 'external') b = { kind: 'external', name: `${b.name}.${part}` };
      else if (b.kind === 'unresolved') return b;
      else return { kind: 'unresolved', reason: `'${part}' is an attribute of ${describeBinding(b)}, which discovery does not evaluate` };
    }
    return b;
  }

  private moduleAttribute(m: Extract<PythonBinding, { kind: 'module' }>, attribute: string, depth: number): PythonBinding {
    if (m.path) {
      const found = this.resolveInModule(m.path, attribute, depth + 1);
      if (found.kind !== 'unresolved') return found;
    }
    const sub = `${m.name}.${attribute}`;
    const file = this.source.names.fileOf(sub);
    if (file) return { kind: 'module', path: file, name: sub };
    if (this.source.names.isPackage(sub)) return { kind: 'module', path: null, name: sub };
    return { kind: 'unresolved', reason: `module '${m.name}'${m.path ? ` (${m.path})` : ''} defines no '${attribute}'` };
  }

  /** A single (undotted) name bound at module level in `path`. */
  resolveInModule(path: string, name: string, depth = 0): PythonBinding {
    if (depth > MAX_DEPTH) return { kind: 'unresolved', reason: `'${name}' is part of an import cycle` };
    const m = this.source.module(path);
    if (!m) return { kind: 'unresolved', reason: `${path} could not be read` };
    this.source.consulted(path);
    switch (m.bindings.get(name)) {
      case 'variable':
        return { kind: 'value', path, name, value: m.variables.get(name) as PythonValue };
      case 'function':
        return { kind: 'function', path, fn: m.findFunction(name) as PythonFunction };
      case 'class':
        return { kind: 'class', path, name };
      case 'import': {
        const imp = m.imports.get(name);
        if (imp) return this.resolveImport(path, imp.module, imp.symbol, depth);
        break;
      }
    }
    for (let i = m.starImports.length - 1; i >= 0; i--) {
      const target = this.source.names.absolute(m.starImports[i].module, path);
      if (isDagsterModule(target)) return { kind: 'external', name: `dagster.${name}` };
      const file = this.source.names.fileOf(target);
      if (!file || name.startsWith('_') || !this.exports(file, name)) continue;
      const found = this.resolveInModule(file, name, depth + 1);
      if (found.kind !== 'unresolved') return found;
    }
    return { kind: 'unresolved', reason: `'${name}' is not defined in ${this.source.names.moduleNameOf(path)} (${path})` };
  }

  /** Base class names of class `name` in module `path`, as written there (empty when unknown). */
  classBases(path: string, name: string): string[] {
    return this.source.module(path)?.classBases.get(name) ?? [];
  }

  private exports(file: string, name: string): boolean {
    const m = this.source.module(file);
    if (!m) return false;
    const all = m.variables.get('__all__');
    if (all && (all.kind === 'list' || all.kind === 'tuple')) return all.items.some((i) => i.kind === 'str' && i.value === name);
    return true;
  }

  private resolveImport(fromPath: string, moduleName: string, symbol: string | null, depth: number): PythonBinding {
    const abs = this.source.names.absolute(moduleName, fromPath);
    if (isDagsterModule(abs)) return { kind: 'external', name: symbol === null ? 'dagster' : `dagster.${symbol}` };
    const file = this.source.names.fileOf(abs);
    if (symbol === null) {
      if (file || this.source.names.isPackage(abs)) return { kind: 'module', path: file ?? null, name: abs };
      return { kind: 'external', name: abs };
    }
    if (file) {
      const found = this.resolveInModule(file, symbol, depth + 1);
      if (found.kind !== 'unresolved') return found;
      const sub = this.source.names.fileOf(`${abs}.${symbol}`);
      return sub ? { kind: 'module', path: sub, name: `${abs}.${symbol}` } : found;
    }
    const sub = this.source.names.fileOf(`${abs}.${symbol}`);
    if (sub) return { kind: 'module', path: sub, name: `${abs}.${symbol}` };
    if (this.source.names.isPackage(abs)) {
      return { kind: 'unresolved', reason: `package '${abs}' has no module or name '${symbol}'` };
    }
    return { kind: 'external', name: `${abs}.${symbol}` };
  }
}

export function describeBinding(b: PythonBinding): string {
  switch (b.kind) {
    case 'value': return `the variable ${b.name} (${b.path})`;
    case 'function': return `the function ${b.fn.name} (${b.path})`;
    case 'class': return `the class ${b.name} (${b.path})`;
    case 'module': return `the module ${b.name}`;
    case 'external': return `${b.name} (outside the workspace)`;
    case 'unresolved': return b.reason;
  }
}
