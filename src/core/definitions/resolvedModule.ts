// One module seen through the workspace: names resolved across imports, values closed, offsets located in any file.
import type { SourceLocation } from './definition';
import type { PythonValue } from './pythonExpression';
import type { PythonFunction, PythonImport, PythonModule } from './pythonModule';
import type { PythonNameScope } from './partitionsFromPython';
import type { PythonCall } from './pythonCallArguments';
import type { PythonBinding, PythonNameResolver } from './pythonNameResolver';
import type { ClosedVariables } from './closedPythonValue';
import { PythonValueCloser } from './closedPythonValue';
import { pythonValueSource } from './pythonValueSource';

/** One import of a workspace module's names: `local` is bound to `symbol` of `file`; both null for `import *`. */
export interface ModuleImportOfAssets {
  local: string | null;
  file: string;
  symbol: string | null;
}

/** Finds the module (and its workspace path) whose values carry an offset. */
export type OffsetOwner = (offset: number) => { path: string; module: PythonModule } | undefined;

/** What reading definitions needs from a module; PythonModule-compatible where the readers share code. */
export interface DefinitionModule {
  readonly path: string;
  readonly scope: PythonNameScope;
  readonly variables: { has(name: string): boolean };
  readonly imports: { get(name: string): PythonImport | undefined };
  findFunction(name: string): PythonFunction | undefined;
  position(offset: number): { line: number; column: number };
  locate(offset: number): SourceLocation;
  source(v: { from: number; to: number }): string;
  /** The value with its names substituted and constants folded (see PythonValueCloser). */
  close(v: PythonValue): PythonValue;
  /** Source text of `raw` for a definition's fields: as written, or rendered when names were substituted. */
  sourceOf(raw: PythonValue): string;
  binding(dotted: string): PythonBinding;
  /** Whether a name (a parameter's annotation) is a Dagster resource or IO manager class, or derives from one. */
  isResourceClass?(dotted: string): boolean;
}

export class ResolvedModule implements DefinitionModule {
  readonly closer: PythonValueCloser;
  private readonly bindingCache = new Map<string, PythonBinding>();
  private readonly symbolCache = new Map<string, string | null>();

  constructor(readonly path: string, readonly module: PythonModule, private readonly resolver: PythonNameResolver, private readonly owner: OffsetOwner, closedVariables?: ClosedVariables) {
    this.closer = new PythonValueCloser(resolver, path, closedVariables);
  }

  get imports(): Map<string, PythonImport> {
    return this.module.imports;
  }

  binding(dotted: string): PythonBinding {
    let b = this.bindingCache.get(dotted);
    if (!b) {
      b = this.resolver.resolve(this.path, dotted);
      this.bindingCache.set(dotted, b);
    }
    return b;
  }

  isResourceClass(dotted: string, path = this.path, depth = 0): boolean {
    if (depth > 10) return false;
    const b = this.bindingIn(path, dotted);
    // ConfigurableResource, ConfigurableIOManager, ResourceDefinition, IOManager; dagster_aws.s3.S3Resource and the like.
    if (b.kind === 'external') return /^dagster(_\w+)?\./.test(b.name) && /(Resource|IOManager)\w*$/.test(b.name);
    if (b.kind !== 'class') return false;
    return this.resolver.classBases(b.path, b.name).some((base) => this.isResourceClass(base, b.path, depth + 1));
  }

  /**
   * `from X import name` and `from X import *` of workspace modules, by where X is (no name is resolved, so the
   * module depends on nothing more): what module loaders may find here besides the module's own assets.
   */
  importedFromWorkspace(): ModuleImportOfAssets[] {
    const out: ModuleImportOfAssets[] = [];
    const names = this.resolver.names;
    for (const [local, imp] of this.module.imports) {
      if (imp.symbol === null || this.module.bindings.get(local) !== 'import') continue;
      const file = names.fileOf(names.absolute(imp.module, this.path));
      if (file) out.push({ local, file, symbol: imp.symbol });
    }
    for (const s of this.module.starImports) {
      const file = names.fileOf(names.absolute(s.module, this.path));
      if (file) out.push({ local: null, file, symbol: null });
    }
    return out;
  }

  /** What a dotted name means in the module at `path` (another module's function body is read in its own scope). */
  bindingIn(path: string, dotted: string): PythonBinding {
    return path === this.path ? this.binding(dotted) : this.resolver.resolve(path, dotted);
  }

  /** The module (and its path) whose text holds an offset, e.g. a function found through a binding. */
  moduleAt(offset: number): { path: string; module: PythonModule } | undefined {
    return this.owner(offset);
  }

  readonly scope: PythonNameScope = {
    dagsterSymbol: (dotted) => {
      let s = this.symbolCache.get(dotted);
      if (s === undefined) {
        const b = this.binding(dotted);
        s = b.kind === 'external' && b.name.startsWith('dagster.') ? b.name.slice('dagster.'.length) : null;
        this.symbolCache.set(dotted, s);
      }
      return s;
    },
    variable: (name) => {
      const b = this.binding(name);
      return b.kind === 'value' ? this.closer.close(b.value, b.path) : undefined;
    },
  };

  readonly variables = { has: (name: string) => this.binding(name).kind === 'value' };

  findFunction(name: string): PythonFunction | undefined {
    const b = this.binding(name);
    if (b.kind !== 'function') return undefined;
    return {
      ...b.fn,
      decorators: b.fn.decorators.map((d) => ({
        ...d,
        name: this.closer.callee(d.name, b.path),
        call: d.call ? (this.closer.close(d.call, b.path) as PythonCall) : null,
      })),
    };
  }

  close(v: PythonValue): PythonValue {
    const owner = this.owner(v.from);
    return this.closer.close(v, owner?.path ?? this.path);
  }

  position(offset: number): { line: number; column: number } {
    return (this.owner(offset)?.module ?? this.module).position(offset);
  }

  locate(offset: number): SourceLocation {
    const owner = this.owner(offset);
    const { line, column } = (owner?.module ?? this.module).position(offset);
    return { file: owner?.path ?? this.path, line, column };
  }

  source(v: { from: number; to: number }): string {
    const m = this.owner(v.from)?.module ?? this.module;
    return m.text.slice(v.from - m.base, v.to - m.base);
  }

  sourceOf(raw: PythonValue): string {
    return pythonValueSource(raw, this.close(raw), (v) => this.source(v));
  }
}
