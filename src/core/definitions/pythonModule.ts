// One parsed Python module: its imports, module-level variables, decorated functions and syntax errors.
import type { SyntaxNode, Tree } from '@lezer/common';
import { parser } from '@lezer/python';
import type { PythonValue } from './pythonExpression';
import { dottedName, evaluateCall, evaluatePythonExpression } from './pythonExpression';
import type { PythonNameScope } from './partitionsFromPython';
import type { PythonCall } from './pythonCallArguments';

export interface PythonImport {
  /** Absolute or relative ("." prefixed) module name. */
  module: string;
  /** The imported symbol for `from m import s`, or null when the local name is the module itself. */
  symbol: string | null;
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

export class PythonModule {
  readonly tree: Tree;
  readonly imports = new Map<string, PythonImport>();
  readonly variables = new Map<string, PythonValue>();
  readonly functions: PythonFunction[] = [];
  /** Offset of the first syntax error, or null when the module parses cleanly. */
  readonly firstSyntaxError: number | null = null;
  private readonly lineStarts: number[] = [0];

  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) this.lineStarts.push(i + 1);
    this.tree = parser.parse(text);
    let error: number | null = null;
    this.tree.iterate({
      enter: (ref) => {
        if (ref.type.isError && error === null) error = ref.from;
        if (ref.name === 'ImportStatement') this.readImport(ref.node);
        else if (ref.name === 'AssignStatement' && ref.node.parent?.name === 'Script') this.readAssignment(ref.node);
        else if (ref.name === 'DecoratedStatement') this.readDecorated(ref.node);
        return undefined;
      },
    });
    this.firstSyntaxError = error;
  }

  /** 1-based line and column of an offset. */
  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.lineStarts[lo] + 1 };
  }

  source(v: { from: number; to: number }): string {
    return this.text.slice(v.from, v.to);
  }

  findFunction(name: string): PythonFunction | undefined {
    return this.functions.find((f) => f.name === name);
  }

  /** Names resolved through this module's imports: `dg.X` with `import dagster as dg`, `X` from `from dagster import X`. */
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

  private readImport(node: SyntaxNode): void {
    const tokens: { name: string; text: string }[] = [];
    for (let c = node.firstChild; c; c = c.nextSibling) tokens.push({ name: c.name, text: this.text.slice(c.from, c.to) });
    const groups = (list: typeof tokens) => {
      const out: (typeof tokens)[] = [[]];
      for (const t of list) {
        if (t.name === ',') out.push([]);
        else if (t.name !== '(' && t.name !== ')') out[out.length - 1].push(t);
      }
      return out.filter((g) => g.length > 0);
    };
    const importAt = tokens.findIndex((t) => t.name === 'import');
    if (tokens[0]?.name === 'from') {
      const module = tokens.slice(1, importAt).map((t) => t.text).join('');
      for (const g of groups(tokens.slice(importAt + 1))) {
        const asAt = g.findIndex((t) => t.name === 'as');
        const symbol = g[0].text;
        if (symbol === '*') continue;
        this.imports.set(asAt >= 0 ? g[asAt + 1]?.text ?? symbol : symbol, { module, symbol });
      }
      return;
    }
    for (const g of groups(tokens.slice(importAt + 1))) {
      const asAt = g.findIndex((t) => t.name === 'as');
      const dotted = (asAt >= 0 ? g.slice(0, asAt) : g).map((t) => t.text).join('');
      if (asAt >= 0 && g[asAt + 1]) this.imports.set(g[asAt + 1].text, { module: dotted, symbol: null });
      else this.imports.set(dotted.split('.')[0], { module: dotted.split('.')[0], symbol: null });
    }
  }

  private readAssignment(node: SyntaxNode): void {
    const target = node.firstChild;
    const op = node.getChild('AssignOp');
    const value = op?.nextSibling;
    if (!target || target.name !== 'VariableName' || !value) return;
    // Chained (`a = b = x`) and tuple assignments are left out: only `name = expr` and `name: T = expr`.
    if (value.nextSibling?.name === 'AssignOp') return;
    this.variables.set(this.text.slice(target.from, target.to), evaluatePythonExpression(value, this.text));
  }

  private readDecorated(node: SyntaxNode): void {
    const fn = node.getChild('FunctionDefinition');
    if (!fn) return;
    const nameNode = fn.getChild('VariableName');
    if (!nameNode) return;
    const decorators: PythonDecorator[] = [];
    for (const d of node.getChildren('Decorator')) {
      const parts: string[] = [];
      let call: PythonCall | null = null;
      for (let c = d.firstChild; c; c = c.nextSibling) {
        if (c.name === 'VariableName') parts.push(this.text.slice(c.from, c.to));
        else if (c.name === 'ArgList') {
          call = evaluateCall(parts.join('.'), c, this.text, { from: d.from + 1, to: c.to });
        } else if (c.name !== 'At' && c.name !== '.') {
          const name = dottedName(c, this.text);
          if (name !== null) parts.push(name);
        }
      }
      decorators.push({ name: parts.join('.'), call, from: d.from });
    }
    this.functions.push({
      name: this.text.slice(nameNode.from, nameNode.to),
      defOffset: fn.from,
      decorators,
      parameters: this.readParameters(fn.getChild('ParamList')),
    });
  }

  private readParameters(list: SyntaxNode | null): PythonParameter[] {
    const params: PythonParameter[] = [];
    let kind: PythonParameter['kind'] = 'normal';
    for (let c = list?.firstChild ?? null; c; c = c.nextSibling) {
      if (c.name === '*') kind = 'star';
      else if (c.name === '**') kind = 'starstar';
      else if (c.name === ',') kind = 'normal';
      else if (c.name === 'VariableName') {
        const type = c.nextSibling?.name === 'TypeDef' ? c.nextSibling : null;
        const annotation = type ? this.text.slice(type.from, type.to).replace(/^:\s*/, '') : null;
        params.push({ name: this.text.slice(c.from, c.to), annotation, kind });
      }
    }
    return params;
  }
}

function isDagsterModule(module: string): boolean {
  return module === 'dagster' || module.startsWith('dagster.');
}
