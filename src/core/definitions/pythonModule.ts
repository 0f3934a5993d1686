// One parsed Python module: its imports, module-level variables, functions, classes and syntax errors.
import { parser } from '@lezer/python';
import type { PythonValue } from './pythonExpression';
import { scanTopLevelStatements } from './topLevelStatements';
import { lezerTopLevelStatements } from './lezerTopLevelStatements';
import type { PythonFunction } from './pythonFunction';
import type { ImportBinding } from './pythonStatements';

export type { PythonDecorator, PythonFunction, PythonParameter } from './pythonFunction';
import { assignmentValue, fastDecoratedFunction, fastImports, treeDecoratedStatement, treeImports } from './pythonStatements';

export interface PythonImport {
  /** Absolute or relative ("." prefixed) module name. */
  module: string;
  /** The imported symbol for `from m import s`, or null when the local name is the module itself. */
  symbol: string | null;
  /** Offset of the import statement. */
  from: number;
}

/** A decorator inside a function, class or loop body (where a factory would create definitions). */
export interface NestedDecorator {
  name: string;
  line: number;
  column: number;
}

export interface PythonModuleOptions {
  /**
   * 'fast' (default): the top-level scanner and the hand-written statement parser, @lezer/python where it gives up;
   * 'lezer': statements found in a whole-module @lezer/python tree and each read from its syntax tree.
   */
  parser?: 'fast' | 'lezer';
}

export type ModuleBindingKind = 'import' | 'variable' | 'function' | 'class';

/** Module-level variables, parsed the first time they are asked for. */
export class ModuleVariables {
  private readonly parsed = new Map<string, PythonValue>();
  constructor(private readonly statements: Map<string, { start: number; end: number }>, private readonly module: PythonModule) {}

  has(name: string): boolean {
    return this.statements.has(name);
  }

  get(name: string): PythonValue | undefined {
    const found = this.parsed.get(name);
    if (found) return found;
    const s = this.statements.get(name);
    if (!s) return undefined;
    const value = this.module.parseAssignment(s.start, s.end, name);
    this.parsed.set(name, value);
    return value;
  }

  names(): IterableIterator<string> {
    return this.statements.keys();
  }
}

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)\s*(?::[^=\n]*)?=(?!=)/;
const CHAINED = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=(?!=)/;
const DEF_NAME = /^(?:async\s+)?(?:def|class)\s+([A-Za-z_][A-Za-z0-9_]*)/;

/**
 * Only what definitions can live in is parsed (see topLevelStatements): imports and decorated function
 * headers at once, module-level assignments when first used; bodies never. Offsets of values are offsets in
 * the source plus `base`, so values of every module of a workspace share one offset space; `position` and
 * `source` translate them back.
 */
export class PythonModule {
  readonly imports = new Map<string, PythonImport>();
  readonly starImports: { module: string; from: number }[] = [];
  readonly variables: ModuleVariables;
  private readonly fastParser: boolean;
  readonly functions: PythonFunction[] = [];
  readonly classes = new Set<string>();
  /** Base class expressions of undecorated classes as written (`ConfigurableResource`, `dg.IOManager`), by class name. */
  readonly classBases = new Map<string, string[]>();
  /** The kind of statement that bound each module-level name last (Python's "last binding wins"). */
  readonly bindings = new Map<string, ModuleBindingKind>();
  readonly nestedDecorators: NestedDecorator[] = [];
  /** Calls of these names inside undecorated function bodies and loops: definitions made by factories. */
  readonly nestedCalls: NestedDecorator[] = [];
  /** Offset of the first syntax error in the parsed statements, or null. */
  readonly firstSyntaxError: number | null = null;
  private readonly lineStarts: number[];
  private readonly assignments = new Map<string, { start: number; end: number }>();

  constructor(readonly text: string, readonly base = 0, options: PythonModuleOptions = {}) {
    // The lezer path reads every statement from a syntax tree: the reference the fast parser is tested against.
    const fastParser = options.parser !== 'lezer';
    this.fastParser = fastParser;
    const scanned = fastParser ? scanTopLevelStatements(text) : lezerTopLevelStatements(text);
    this.lineStarts = scanned.lineStarts;
    const assignments = this.assignments;
    this.variables = new ModuleVariables(assignments, this);
    const { statements } = scanned;
    let error: number | null = null;
    const parse = (from: number, to: number, suffix = '') => {
      const tree = parser.parse(suffix ? text.slice(from, to) + suffix : text.slice(from, to));
      if (error === null) {
        tree.iterate({
          enter: (ref) => {
            if (ref.type.isError && error === null) error = from + Math.min(ref.from, to - from) + base;
            return error === null ? undefined : false;
          },
        });
      }
      return tree;
    };
    for (let i = 0; i < statements.length; i++) {
      const s = statements[i];
      if (s.kind === 'import') {
        const fast = s.malformed || !fastParser ? null : fastImports(text, s.start, s.end, base);
        if (fast) fast.forEach((b) => this.addImport(b));
        else {
          const tree = parse(s.start, s.end);
          for (let c = tree.topNode.firstChild; c; c = c.nextSibling) if (c.name === 'ImportStatement') treeImports(c, text, s.start, base).forEach((b) => this.addImport(b));
        }
      } else if (s.kind === 'decorator') {
        let last = i;
        while (statements[last + 1]?.kind === 'decorator') last++;
        const target = statements[last + 1];
        const fast = fastParser && target?.kind === 'def' && !target.malformed ? fastDecoratedFunction(text, statements.slice(i, last + 1), target, base) : null;
        if (fast) {
          this.addFunction({ ...fast, end: target.end + base });
          i = last + 1;
        } else if (target && (target.kind === 'def' || target.kind === 'class') && !target.malformed) {
          const tree = parse(s.start, target.headerEnd, ' ...\n');
          for (let c = tree.topNode.firstChild; c; c = c.nextSibling) {
            if (c.name !== 'DecoratedStatement') continue;
            const read = treeDecoratedStatement(c, text, s.start, base);
            if (read && 'className' in read) this.addClass(read.className);
            else if (read) this.addFunction({ ...read, end: target.end + base });
          }
          i = last + 1;
        } else {
          parse(s.start, statements[last].end);
          i = last;
        }
      } else if (s.malformed) {
        parse(s.start, s.end);
      } else if (s.kind === 'def' || s.kind === 'class') {
        const name = DEF_NAME.exec(text.slice(s.start, s.start + 200))?.[1];
        if (name && s.kind === 'def') this.addFunction({ name, defOffset: s.start + base, decorators: [], parameters: [], end: s.end + base });
        else if (name) {
          this.addClass(name);
          const bases = /^[^(:]*\(([^)]*)\)\s*:/.exec(text.slice(s.start, s.headerEnd))?.[1];
          if (bases !== undefined) this.classBases.set(name, baseNames(bases));
        }
      } else if (s.kind === 'simple') {
        const head = text.slice(s.start, s.start + 200);
        let m = ASSIGNMENT.exec(head);
        // `a = b = value` binds every target.
        for (let rest = head; m; rest = rest.slice(m[0].length), m = CHAINED.exec(rest)) {
          assignments.delete(m[1]);
          assignments.set(m[1], { start: s.start, end: s.end });
          this.bind(m[1], 'variable');
        }
      }
    }
    this.firstSyntaxError = error;
    this.findNestedCalls(statements);
    for (const at of scanned.nestedDecorators) {
      const name = /^@\s*([A-Za-z_][\w.]*)/.exec(text.slice(at, at + 120))?.[1];
      if (name) this.nestedDecorators.push({ name, ...this.position(at + base) });
    }
  }

  private addImport(b: ImportBinding): void {
    if (b.local === null) {
      this.starImports.push({ module: b.module, from: b.from });
      return;
    }
    this.imports.set(b.local, { module: b.module, symbol: b.symbol, from: b.from });
    this.bind(b.local, 'import');
  }

  /** Source text of the statement that assigns a module-level variable. */
  assignmentSource(name: string): string | undefined {
    const s = this.assignments.get(name);
    return s ? this.text.slice(s.start, s.end) : undefined;
  }

  private findNestedCalls(statements: readonly { kind: string; start: number; end: number; headerEnd: number }[]): void {
    const text = this.text;
    const pattern = /\b(define_asset_job|AssetSpec|SourceAsset)\s*\(/g;
    let si = 0;
    for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
      while (si < statements.length - 1 && statements[si].end <= m.index) si++;
      const s = statements[si];
      if (!s || m.index < s.start) continue;
      const inBody = s.kind === 'compound' || (s.kind === 'def' && s.headerEnd > 0 && m.index > s.headerEnd && statements[si - 1]?.kind !== 'decorator');
      if (!inBody) continue;
      const lineStart = text.lastIndexOf('\n', m.index) + 1;
      if (text.slice(lineStart, m.index).includes('#')) continue;
      this.nestedCalls.push({ name: m[1], ...this.position(m.index + this.base) });
    }
  }

  /** The value of `name = <value>` written at [start, end). */
  parseAssignment(start: number, end: number, name: string): PythonValue {
    return assignmentValue(this.text, start, end, this.base, name, this.fastParser);
  }

  /** 1-based line and column of an offset of this module's values. */
  position(offset: number): { line: number; column: number } {
    const orig = Math.max(0, Math.min(offset - this.base, this.text.length));
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= orig) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: orig - starts[lo] + 1 };
  }

  source(v: { from: number; to: number }): string {
    return this.text.slice(v.from - this.base, v.to - this.base);
  }

  findFunction(name: string): PythonFunction | undefined {
    return this.functions.find((f) => f.name === name);
  }

  private bind(name: string, kind: ModuleBindingKind): void {
    this.bindings.delete(name); // keeps the map in binding order
    this.bindings.set(name, kind);
  }

  private addFunction(fn: PythonFunction): void {
    const existing = this.functions.findIndex((f) => f.name === fn.name);
    if (existing >= 0) this.functions.splice(existing, 1);
    this.functions.push(fn);
    this.bind(fn.name, 'function');
  }

  private addClass(name: string): void {
    this.classes.add(name);
    this.bind(name, 'class');
  }
}

export function isDagsterModule(module: string): boolean {
  return module === 'dagster' || module.startsWith('dagster.');
}

/** `A, b.C[T], metaclass=M` → ["A", "b.C"]: the bases a class derives from, keywords and type arguments left out. */
function baseNames(text: string): string[] {
  return text.split(',').map((b) => b.trim().replace(/\[.*$/s, '')).filter((b) => /^[A-Za-z_][\w.]*$/.test(b));
}
