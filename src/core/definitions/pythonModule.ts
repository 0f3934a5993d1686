// One parsed Python module: its imports, module-level variables, functions, classes and syntax errors.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { PythonValue } from './pythonExpression';
import { dottedName, evaluateCall, evaluatePythonExpression } from './pythonExpression';
import type { PythonNameScope } from './partitionsFromPython';
import type { PythonCall } from './pythonCallArguments';
import { scanTopLevelStatements } from './topLevelStatements';
import { PythonStatementParser } from './pythonStatementParser';

export interface PythonImport {
  /** Absolute or relative ("." prefixed) module name. */
  module: string;
  /** The imported symbol for `from m import s`, or null when the local name is the module itself. */
  symbol: string | null;
  /** Offset of the import statement. */
  from: number;
}

export interface PythonDecorator {
  /** The decorator as written, e.g. "dg.asset". */
  name: string;
  /** Its call when written with parentheses, e.g. `@asset(group_name="x")`. */
  call: PythonCall | null;
  from: number;
}

export interface PythonParameter {
  name: string;
  annotation: string | null;
  /** `*args` / `**kwargs` are 'star' / 'starstar'. */
  kind: 'normal' | 'star' | 'starstar';
}

export interface PythonFunction {
  name: string;
  /** Offset of the `def` keyword (of `async` for async functions). */
  defOffset: number;
  decorators: PythonDecorator[];
  parameters: PythonParameter[];
}

/** A decorator inside a function, class or loop body (where a factory would create definitions). */
export interface NestedDecorator {
  name: string;
  line: number;
  column: number;
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
  readonly functions: PythonFunction[] = [];
  readonly classes = new Set<string>();
  /** The kind of statement that bound each module-level name last (Python's "last binding wins"). */
  readonly bindings = new Map<string, ModuleBindingKind>();
  readonly nestedDecorators: NestedDecorator[] = [];
  /** Calls of these names inside undecorated function bodies and loops: definitions made by factories. */
  readonly nestedCalls: NestedDecorator[] = [];
  /** Offset of the first syntax error in the parsed statements, or null. */
  readonly firstSyntaxError: number | null = null;
  private readonly lineStarts: number[];
  private readonly assignments = new Map<string, { start: number; end: number }>();

  constructor(readonly text: string, readonly base = 0) {
    const scanned = scanTopLevelStatements(text);
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
      if (s.kind === 'import' && !s.malformed && this.fastImport(s.start, s.end)) continue;
      if (s.kind === 'import') {
        const tree = parse(s.start, s.end);
        for (let c = tree.topNode.firstChild; c; c = c.nextSibling) if (c.name === 'ImportStatement') this.readImport(c, s.start);
      } else if (s.kind === 'decorator') {
        let last = i;
        while (statements[last + 1]?.kind === 'decorator') last++;
        const target = statements[last + 1];
        if (target && target.kind === 'def' && !target.malformed && this.fastDecoratedFunction(statements.slice(i, last + 1), target)) {
          i = last + 1;
        } else if (target && (target.kind === 'def' || target.kind === 'class') && !target.malformed) {
          const tree = parse(s.start, target.headerEnd, ' ...\n');
          for (let c = tree.topNode.firstChild; c; c = c.nextSibling) if (c.name === 'DecoratedStatement') this.readDefinition(c, s.start);
          i = last + 1;
        } else {
          parse(s.start, statements[last].end);
          i = last;
        }
      } else if (s.malformed) {
        parse(s.start, s.end);
      } else if (s.kind === 'def' || s.kind === 'class') {
        const name = DEF_NAME.exec(text.slice(s.start, s.start + 200))?.[1];
        if (name && s.kind === 'def') this.addFunction({ name, defOffset: s.start + base, decorators: [], parameters: [] });
        else if (name) this.addClass(name);
      } else if (s.kind === 'simple') {
        const name = ASSIGNMENT.exec(text.slice(s.start, s.start + 200))?.[1];
        if (name) {
          assignments.delete(name);
          assignments.set(name, { start: s.start, end: s.end });
          this.bind(name, 'variable');
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

  /** `import a.b as c, d` / `from ..m import (x as y, z)` / `from m import *` without a syntax tree. */
  private fastImport(start: number, end: number): boolean {
    const found = PythonStatementParser.attempt(() => {
      const p = new PythonStatementParser(this.text, start, end, this.base);
      const from = start + this.base;
      const out: (() => void)[] = [];
      if (p.acceptKeyword('import')) {
        do {
          const dotted = p.dotted(0);
          const alias = p.acceptKeyword('as') ? p.name(0) : null;
          const local = alias ?? dotted.split('.')[0];
          const module = alias ? dotted : local;
          out.push(() => this.addImport(local, { module, symbol: null, from }));
        } while (p.accept(',', 0));
      } else if (p.acceptKeyword('from')) {
        let module = p.dots();
        if (!p.acceptKeyword('import')) {
          module += p.dotted(0);
          if (!p.acceptKeyword('import')) PythonStatementParser.giveUp();
        }
        if (p.accept('*', 0)) out.push(() => this.starImports.push({ module, from }));
        else {
          const depth = p.accept('(', 0) ? 1 : 0;
          while (p.peek(depth) !== ')' && p.peek(depth) !== '') {
            const symbol = p.name(depth);
            const local = p.acceptKeyword('as') ? p.name(depth) : symbol;
            out.push(() => this.addImport(local, { module, symbol, from }));
            if (!p.accept(',', depth)) break;
          }
          if (depth) p.expect(')', 1);
          if (out.length === 0) PythonStatementParser.giveUp();
        }
      } else PythonStatementParser.giveUp();
      p.finish();
      return out;
    });
    if (!found) return false;
    for (const add of found) add();
    return true;
  }

  private addImport(local: string, imp: PythonImport): void {
    this.imports.set(local, imp);
    this.bind(local, 'import');
  }

  /** Decorators (`@name` / `@name(args)`) and the def header, without a syntax tree. */
  private fastDecoratedFunction(decorators: readonly { start: number; end: number }[], def: { start: number; headerEnd: number }): boolean {
    const fn = PythonStatementParser.attempt((): PythonFunction => {
      const read: PythonDecorator[] = [];
      for (const d of decorators) {
        const p = new PythonStatementParser(this.text, d.start, d.end, this.base);
        p.expect('@', 0);
        const name = p.dotted(0);
        const call = p.peek(0) === '(' ? p.call(name, { from: d.start + 1 + this.base, to: 0 }, 0) : null;
        p.finish();
        read.push({ name, call, from: d.start + this.base });
      }
      const p = new PythonStatementParser(this.text, def.start, def.headerEnd, this.base);
      p.acceptKeyword('async');
      if (!p.acceptKeyword('def')) PythonStatementParser.giveUp();
      const name = p.name(0);
      const parameters = p.parameters();
      p.headerEnd();
      p.finish();
      return { name, defOffset: def.start + this.base, decorators: read, parameters };
    });
    if (!fn) return false;
    this.addFunction(fn);
    return true;
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

  /** The value of `name = <value>` (also `a = name = <value>` and `name: T = <value>`) written at [start, end). */
  parseAssignment(start: number, end: number, name: string): PythonValue {
    const fast = PythonStatementParser.attempt(() => {
      const p = new PythonStatementParser(this.text, start, end, this.base);
      const parts = [p.assignedValue()];
      if (p.accept(':', 0)) {
        p.expression(0); // `name: T = value`: the annotation
        if (parts[0].kind !== 'name') PythonStatementParser.giveUp();
      }
      while (p.accept('=', 0)) parts.push(p.assignedValue());
      p.finish();
      const targets = parts.slice(0, -1);
      if (targets.length === 0 || !targets.some((t) => t.kind === 'name' && t.name === name)) PythonStatementParser.giveUp();
      return parts[parts.length - 1];
    });
    if (fast) return fast;
    const at = { from: start + this.base, to: end + this.base };
    const tree = parser.parse(this.text.slice(start, end));
    const node = tree.topNode.firstChild;
    let broken = false;
    tree.iterate({ enter: (ref) => { if (ref.type.isError) broken = true; return broken ? false : undefined; } });
    if (broken || !node || node.name !== 'AssignStatement') return { ...at, kind: 'unsupported', syntax: 'a statement with a syntax error' };
    let value: SyntaxNode | null = null;
    let targeted = false;
    for (let c = node.firstChild; c; c = c.nextSibling) {
      if (c.name === 'AssignOp' || c.name === 'TypeDef' || c.name === 'Comment') continue;
      if (c.nextSibling?.name === 'AssignOp' || c.nextSibling?.name === 'TypeDef') {
        if (c.name === 'VariableName' && this.text.slice(start + c.from, start + c.to) === name) targeted = true;
      } else value = c;
    }
    if (!value || !targeted) return { ...at, kind: 'unsupported', syntax: 'assignment' };
    return evaluatePythonExpression(value, this.text.slice(start, end), this.base + start);
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

  /** Names resolved through this module's imports only: `dg.X` with `import dagster as dg`, `X` from `from dagster import X`. */
  readonly scope: PythonNameScope = {
    dagsterSymbol: (dotted) => {
      const parts = dotted.split('.');
      const imported = this.imports.get(parts[0]);
      if (parts.length === 1) {
        if (!imported) return dotted;
        return isDagsterModule(imported.module) && imported.symbol !== null ? imported.symbol : null;
      }
      if (imported && imported.symbol === null && isDagsterModule(imported.module) && parts.length === 2) return parts[1];
      if (!imported && parts[0] === 'dagster' && parts.length === 2) return parts[1];
      return null;
    },
    variable: (name) => this.variables.get(name),
  };

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

  /** `node` comes from parsing the text that starts at `start`. */
  private readImport(node: SyntaxNode, start: number): void {
    const text = this.text;
    const tokens: { name: string; text: string }[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) tokens.push({ name: c.name, text: text.slice(start + c.from, start + c.to) });
    const groups = (list: typeof tokens) => {
      const out: (typeof tokens)[] = [[]];
      for (const t of list) {
        if (t.name === ',') out.push([]);
        else if (t.name !== '(' && t.name !== ')' && t.name !== 'Comment') out[out.length - 1].push(t);
      }
      return out.filter((g) => g.length > 0);
    };
    const from = start + node.from + this.base;
    const importAt = tokens.findIndex((t) => t.name === 'import');
    if (importAt < 0) return;
    if (tokens[0]?.name === 'from') {
      const module = tokens.slice(1, importAt).map((t) => t.text).join('');
      for (const g of groups(tokens.slice(importAt + 1))) {
        if (g[0].text === '*') {
          this.starImports.push({ module, from });
          continue;
        }
        const asAt = g.findIndex((t) => t.name === 'as');
        const local = asAt >= 0 ? g[asAt + 1]?.text ?? g[0].text : g[0].text;
        this.imports.set(local, { module, symbol: g[0].text, from });
        this.bind(local, 'import');
      }
      return;
    }
    for (const g of groups(tokens.slice(importAt + 1))) {
      const asAt = g.findIndex((t) => t.name === 'as');
      const dotted = (asAt >= 0 ? g.slice(0, asAt) : g).map((t) => t.text).join('');
      if (asAt >= 0 && g[asAt + 1]) {
        this.imports.set(g[asAt + 1].text, { module: dotted, symbol: null, from });
        this.bind(g[asAt + 1].text, 'import');
      } else {
        // `import a.b.c` binds `a`; dotted uses (`a.b.c.x`) are resolved from the top package down.
        const top = dotted.split('.')[0];
        this.imports.set(top, { module: top, symbol: null, from });
        this.bind(top, 'import');
      }
    }
  }

  /** A DecoratedStatement parsed from the text that starts at `start`. */
  private readDefinition(node: SyntaxNode, start: number): void {
    const local = this.text.slice(start, start + node.to);
    const base = this.base + start;
    const cls = node.getChild('ClassDefinition');
    if (cls) {
      const name = cls.getChild('VariableName');
      if (name) this.addClass(local.slice(name.from, name.to));
      return;
    }
    const fn = node.getChild('FunctionDefinition');
    const nameNode = fn?.getChild('VariableName');
    if (!fn || !nameNode) return;
    const decorators: PythonDecorator[] = [];
    for (const d of node.getChildren('Decorator')) {
      const parts: string[] = [];
      let call: PythonCall | null = null;
      for (let c = d.firstChild; c; c = c.nextSibling) {
        if (c.name === 'VariableName') parts.push(local.slice(c.from, c.to));
        else if (c.name === 'ArgList') {
          call = evaluateCall(parts.join('.'), c, local, { from: d.from + 1 + base, to: c.to + base }, base);
        } else if (c.name !== 'At' && c.name !== '.') {
          const name = dottedName(c, local);
          if (name !== null) parts.push(name);
        }
      }
      decorators.push({ name: parts.join('.'), call, from: d.from + base });
    }
    this.addFunction({
      name: local.slice(nameNode.from, nameNode.to),
      defOffset: fn.from + base,
      decorators,
      parameters: this.readParameters(fn.getChild('ParamList'), local),
    });
  }

  private readParameters(list: SyntaxNode | null, text: string): PythonParameter[] {
    const params: PythonParameter[] = [];
    let kind: PythonParameter['kind'] = 'normal';
    for (let c = list?.firstChild ?? null; c; c = c.nextSibling) {
      if (c.name === '*') kind = 'star';
      else if (c.name === '**') kind = 'starstar';
      else if (c.name === ',') kind = 'normal';
      else if (c.name === 'VariableName') {
        const type = c.nextSibling?.name === 'TypeDef' ? c.nextSibling : null;
        const annotation = type ? text.slice(type.from, type.to).replace(/^:\s*/, '') : null;
        params.push({ name: text.slice(c.from, c.to), annotation, kind });
      }
    }
    return params;
  }
}

export function isDagsterModule(module: string): boolean {
  return module === 'dagster' || module.startsWith('dagster.');
}
