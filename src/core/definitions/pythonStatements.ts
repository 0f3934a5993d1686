// Reading one top-level statement (imports, a decorated def header, an assignment's value): the fast parser
// first, and the @lezer/python syntax tree when the statement uses syntax the fast parser leaves out.
import type { SyntaxNode } from '@lezer/common';
import { parser } from '@lezer/python';
import type { PythonValue } from './pythonExpression';
import { dottedName, evaluateCall, evaluatePythonExpression } from './pythonExpression';
import type { PythonCall } from './pythonCallArguments';
import type { PythonDecorator, PythonFunction, PythonParameter } from './pythonFunction';
import { PythonStatementParser } from './pythonStatementParser';

/** One name an import statement binds; `local` is null for `from m import *`. */
export interface ImportBinding {
  local: string | null;
  module: string;
  symbol: string | null;
  from: number;
}

interface Span {
  start: number;
  end: number;
}

/** `import a.b as c, d` / `from ..m import (x as y, z)` / `from m import *`, or null to use the syntax tree. */
export function fastImports(text: string, start: number, end: number, base: number): ImportBinding[] | null {
  return PythonStatementParser.attempt(() => {
    const p = new PythonStatementParser(text, start, end, base);
    const from = start + base;
    const out: ImportBinding[] = [];
    if (p.acceptKeyword('import')) {
      do {
        const dotted = p.dotted(0);
        const alias = p.acceptKeyword('as') ? p.name(0) : null;
        // `import a.b.c` binds `a`; dotted uses are resolved from the top package down.
        out.push(alias ? { local: alias, module: dotted, symbol: null, from } : { local: dotted.split('.')[0], module: dotted.split('.')[0], symbol: null, from });
      } while (p.accept(',', 0));
    } else if (p.acceptKeyword('from')) {
      let module = p.dots();
      if (!p.acceptKeyword('import')) {
        module += p.dotted(0);
        if (!p.acceptKeyword('import')) PythonStatementParser.giveUp();
      }
      if (p.accept('*', 0)) out.push({ local: null, module, symbol: null, from });
      else {
        const depth = p.accept('(', 0) ? 1 : 0;
        while (p.peek(depth) !== ')' && p.peek(depth) !== '') {
          const symbol = p.name(depth);
          out.push({ local: p.acceptKeyword('as') ? p.name(depth) : symbol, module, symbol, from });
          if (!p.accept(',', depth)) break;
        }
        if (depth) p.expect(')', 1);
        if (out.length === 0) PythonStatementParser.giveUp();
      }
    } else PythonStatementParser.giveUp();
    p.finish();
    return out;
  });
}

/** The ImportStatement `node` of a tree parsed from the text that starts at `start`. */
export function treeImports(node: SyntaxNode, text: string, start: number, base: number): ImportBinding[] {
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
  const from = start + node.from + base;
  const importAt = tokens.findIndex((t) => t.name === 'import');
  if (importAt < 0) return [];
  const out: ImportBinding[] = [];
  if (tokens[0]?.name === 'from') {
    const module = tokens.slice(1, importAt).map((t) => t.text).join('');
    for (const g of groups(tokens.slice(importAt + 1))) {
      if (g[0].text === '*') {
        out.push({ local: null, module, symbol: null, from });
        continue;
      }
      const asAt = g.findIndex((t) => t.name === 'as');
      out.push({ local: asAt >= 0 ? g[asAt + 1]?.text ?? g[0].text : g[0].text, module, symbol: g[0].text, from });
    }
    return out;
  }
  for (const g of groups(tokens.slice(importAt + 1))) {
    const asAt = g.findIndex((t) => t.name === 'as');
    const dotted = (asAt >= 0 ? g.slice(0, asAt) : g).map((t) => t.text).join('');
    if (asAt >= 0 && g[asAt + 1]) out.push({ local: g[asAt + 1].text, module: dotted, symbol: null, from });
    else out.push({ local: dotted.split('.')[0], module: dotted.split('.')[0], symbol: null, from });
  }
  return out;
}

/** Decorators (`@name` / `@name(args)`) and the def header, or null to use the syntax tree. */
export function fastDecoratedFunction(text: string, decorators: readonly Span[], def: { start: number; headerEnd: number }, base: number): PythonFunction | null {
  return PythonStatementParser.attempt((): PythonFunction => {
    const read: PythonDecorator[] = [];
    for (const d of decorators) {
      const p = new PythonStatementParser(text, d.start, d.end, base);
      p.expect('@', 0);
      const name = p.dotted(0);
      const call = p.peek(0) === '(' ? p.call(name, { from: d.start + 1 + base, to: 0 }, 0) : null;
      p.finish();
      read.push({ name, call, from: d.start + base });
    }
    const p = new PythonStatementParser(text, def.start, def.headerEnd, base);
    p.acceptKeyword('async');
    if (!p.acceptKeyword('def')) PythonStatementParser.giveUp();
    const name = p.name(0);
    const parameters = fastParameters(p);
    if (p.accept('->', 0)) p.expression(0);
    p.expect(':', 0);
    p.finish();
    return { name, defOffset: def.start + base, decorators: read, parameters };
  });
}

/** `(a, b: T = 1, *args, **kw)` of a def header. */
function fastParameters(p: PythonStatementParser): PythonParameter[] {
  p.expect('(', 0);
  const params: PythonParameter[] = [];
  while (p.peek(1) !== ')') {
    let kind: PythonParameter['kind'] = 'normal';
    if (p.accept('**', 1)) kind = 'starstar';
    else if (p.accept('*', 1)) kind = 'star';
    else if (p.accept('/', 1)) {
      if (!p.accept(',', 1)) break;
      continue;
    }
    if (kind === 'star' && (p.peek(1) === ',' || p.peek(1) === ')')) {
      if (!p.accept(',', 1)) break;
      continue;
    }
    const name = p.name(1);
    let annotation: string | null = null;
    if (p.accept(':', 1)) {
      p.skip(true);
      const from = p.pos;
      p.expression(1);
      annotation = p.sliceFrom(from).trim();
    }
    if (p.accept('=', 1)) p.expression(1);
    params.push({ name, annotation, kind });
    if (!p.accept(',', 1)) break;
  }
  p.expect(')', 1);
  return params;
}

/** A DecoratedStatement of a tree parsed from the text that starts at `start`: a function, or a class name. */
export function treeDecoratedStatement(node: SyntaxNode, text: string, start: number, base: number): PythonFunction | { className: string } | null {
  const local = text.slice(start, start + node.to);
  const at = base + start;
  const cls = node.getChild('ClassDefinition');
  if (cls) {
    const name = cls.getChild('VariableName');
    return name ? { className: local.slice(name.from, name.to) } : null;
  }
  const fn = node.getChild('FunctionDefinition');
  const nameNode = fn?.getChild('VariableName');
  if (!fn || !nameNode) return null;
  const decorators: PythonDecorator[] = [];
  for (const d of node.getChildren('Decorator')) {
    const parts: string[] = [];
    let call: PythonCall | null = null;
    for (let c = d.firstChild; c; c = c.nextSibling) {
      if (c.name === 'VariableName') parts.push(local.slice(c.from, c.to));
      else if (c.name === 'ArgList') {
        call = evaluateCall(parts.join('.'), c, local, { from: d.from + 1 + at, to: c.to + at }, at);
      } else if (c.name !== 'At' && c.name !== '.') {
        const name = dottedName(c, local);
        if (name !== null) parts.push(name);
      }
    }
    decorators.push({ name: parts.join('.'), call, from: d.from + at });
  }
  return { name: local.slice(nameNode.from, nameNode.to), defOffset: fn.from + at, decorators, parameters: treeParameters(fn.getChild('ParamList'), local) };
}

function treeParameters(list: SyntaxNode | null, text: string): PythonParameter[] {
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

/** The value of `name = <value>` (also `a = name = <value>` and `name: T = <value>`) written at [start, end). */
export function assignmentValue(text: string, start: number, end: number, base: number, name: string, fastParser = true): PythonValue {
  const fast = !fastParser ? null : PythonStatementParser.attempt(() => {
    const p = new PythonStatementParser(text, start, end, base);
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
  const at = { from: start + base, to: end + base };
  const tree = parser.parse(text.slice(start, end));
  const node = tree.topNode.firstChild;
  let broken = false;
  tree.iterate({ enter: (ref) => { if (ref.type.isError) broken = true; return broken ? false : undefined; } });
  if (broken || !node || node.name !== 'AssignStatement') return { ...at, kind: 'unsupported', syntax: 'a statement with a syntax error' };
  let value: SyntaxNode | null = null;
  let targeted = false;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'AssignOp' || c.name === 'TypeDef' || c.name === 'Comment') continue;
    if (c.nextSibling?.name === 'AssignOp' || c.nextSibling?.name === 'TypeDef') {
      if (c.name === 'VariableName' && text.slice(start + c.from, start + c.to) === name) targeted = true;
    } else value = c;
  }
  if (!value || !targeted) return { ...at, kind: 'unsupported', syntax: 'assignment' };
  return evaluatePythonExpression(value, text.slice(start, end), base + start);
}
