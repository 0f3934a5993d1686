// Evaluation of Python expression syntax (from @lezer/python) into plain values; calls and names stay symbolic.
import type { SyntaxNode } from '@lezer/common';

interface Located {
  /** Character offsets of the expression in the parsed text. */
  from: number;
  to: number;
}

export interface PythonKeywordArgument extends Located {
  name: string;
  value: PythonValue;
}

export type PythonValue = Located &
  (
    | { kind: 'str'; value: string }
    | { kind: 'int' | 'float'; value: number }
    | { kind: 'bool'; value: boolean }
    | { kind: 'none' }
    | { kind: 'list' | 'tuple'; items: PythonValue[] }
    | { kind: 'dict'; entries: { key: PythonValue; value: PythonValue }[] }
    /** A call of a dotted name, e.g. `dg.AssetKey("a")`; `hasSplat` marks `*args` / `**kwargs` in the call. */
    | { kind: 'call'; callee: string; args: PythonValue[]; kwargs: PythonKeywordArgument[]; hasSplat: boolean }
    /** A (dotted) name such as `daily_partitions` or `ScheduleType.DAILY`. */
    | { kind: 'name'; name: string }
    /** Any other syntax (f-strings, operators, subscripts, lambdas, ...), named by its node type. */
    | { kind: 'unsupported'; syntax: string }
  );

/** An evaluation failure at an offset of the parsed text; callers turn the offset into a line and column. */
export class PythonEvaluationError extends Error {
  override name = 'PythonEvaluationError';
  constructor(readonly offset: number, readonly reason: string) {
    super(reason);
  }
}

/** The dotted name of a VariableName / MemberExpression chain (`a.b.c`), or null for other syntax. */
export function dottedName(node: SyntaxNode, text: string): string | null {
  if (node.name === 'VariableName' || node.name === 'PropertyName') return text.slice(node.from, node.to);
  if (node.name !== 'MemberExpression') return null;
  const parts: string[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === '.') continue;
    if (c.name === '[') return null;
    const part = dottedName(c, text);
    if (part === null) return null;
    parts.push(part);
  }
  return parts.join('.');
}

export function evaluatePythonExpression(node: SyntaxNode, text: string): PythonValue {
  const at = { from: node.from, to: node.to };
  switch (node.name) {
    case 'String':
      return { ...at, kind: 'str', value: decodeStringLiteral(text.slice(node.from, node.to)) };
    case 'ContinuedString': {
      let value = '';
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.name !== 'String') return { ...at, kind: 'unsupported', syntax: 'f-string' };
        value += decodeStringLiteral(text.slice(c.from, c.to));
      }
      return { ...at, kind: 'str', value };
    }
    case 'Number':
      return numberValue(text.slice(node.from, node.to), at);
    case 'Boolean':
      return { ...at, kind: 'bool', value: text.slice(node.from, node.to) === 'True' };
    case 'None':
      return { ...at, kind: 'none' };
    case 'UnaryExpression': {
      const op = node.firstChild;
      const operand = op?.nextSibling;
      const sign = op ? text.slice(op.from, op.to) : '';
      if (operand && (sign === '-' || sign === '+')) {
        const v = evaluatePythonExpression(operand, text);
        if (v.kind === 'int' || v.kind === 'float') return { ...v, ...at, value: sign === '-' ? -v.value : v.value };
      }
      return { ...at, kind: 'unsupported', syntax: 'unary operator' };
    }
    case 'ParenthesizedExpression': {
      const inner = childExpressions(node)[0];
      return inner ? { ...evaluatePythonExpression(inner, text), ...at } : { ...at, kind: 'unsupported', syntax: '()' };
    }
    case 'ArrayExpression':
    case 'TupleExpression':
      return { ...at, kind: node.name === 'ArrayExpression' ? 'list' : 'tuple', items: childExpressions(node).map((c) => evaluatePythonExpression(c, text)) };
    case 'DictionaryExpression': {
      const parts = childExpressions(node);
      if (parts.length % 2 !== 0 || hasChild(node, '**')) return { ...at, kind: 'unsupported', syntax: 'dict unpacking' };
      const entries: { key: PythonValue; value: PythonValue }[] = [];
      for (let i = 0; i < parts.length; i += 2) {
        entries.push({ key: evaluatePythonExpression(parts[i], text), value: evaluatePythonExpression(parts[i + 1], text) });
      }
      return { ...at, kind: 'dict', entries };
    }
    case 'VariableName':
    case 'MemberExpression': {
      const name = dottedName(node, text);
      return name === null ? { ...at, kind: 'unsupported', syntax: 'subscript' } : { ...at, kind: 'name', name };
    }
    case 'CallExpression':
      return callValue(node, text, at);
    default:
      return { ...at, kind: 'unsupported', syntax: node.name };
  }
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ',', ':', '*', '**', 'AssignOp']);

function childExpressions(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (!PUNCTUATION.has(c.name) && c.name !== 'Comment') out.push(c);
  return out;
}

function hasChild(node: SyntaxNode, name: string): boolean {
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) return true;
  return false;
}

function callValue(node: SyntaxNode, text: string, at: Located): PythonValue {
  const calleeNode = node.firstChild;
  const argList = node.getChild('ArgList');
  const callee = calleeNode ? dottedName(calleeNode, text) : null;
  if (callee === null || !argList) return { ...at, kind: 'unsupported', syntax: 'call of a computed callee' };
  return evaluateCall(callee, argList, text, at);
}

/** A call of `callee` with the arguments of an ArgList node (also used for decorators, whose tree has no CallExpression). */
export function evaluateCall(callee: string, argList: SyntaxNode, text: string, at: Located): Extract<PythonValue, { kind: 'call' }> {
  const args: PythonValue[] = [];
  const kwargs: PythonKeywordArgument[] = [];
  let hasSplat = false;
  for (let c = argList.firstChild; c; c = c.nextSibling) {
    if (c.name === '*' || c.name === '**') {
      hasSplat = true;
      c = c.nextSibling;
      if (!c) break;
      continue;
    }
    if (PUNCTUATION.has(c.name) || c.name === 'Comment') continue;
    const next = c.nextSibling;
    if (c.name === 'VariableName' && next?.name === 'AssignOp' && next.nextSibling) {
      kwargs.push({ from: c.from, to: next.nextSibling.to, name: text.slice(c.from, c.to), value: evaluatePythonExpression(next.nextSibling, text) });
      c = next.nextSibling;
      continue;
    }
    args.push(evaluatePythonExpression(c, text));
  }
  return { ...at, kind: 'call', callee, args, kwargs, hasSplat };
}

function numberValue(raw: string, at: Located): PythonValue {
  const s = raw.replace(/_/g, '');
  if (/^0[xob]/i.test(s)) return { ...at, kind: 'int', value: Number(s.toLowerCase()) };
  if (/^\d+$/.test(s)) return { ...at, kind: 'int', value: Number(s) };
  if (/[jJ]$/.test(s)) return { ...at, kind: 'unsupported', syntax: 'complex number' };
  return { ...at, kind: 'float', value: Number(s) };
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', a: '\u0007', b: '\b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '\n': '' };

/** The value of a Python string literal, honouring r/b/u prefixes, triple quotes and escapes. */
export function decodeStringLiteral(literal: string): string {
  const prefix = /^[a-zA-Z]*/.exec(literal)?.[0] ?? '';
  const body = literal.slice(prefix.length);
  const quote = body.startsWith('"""') || body.startsWith("'''") ? body.slice(0, 3) : body.slice(0, 1);
  const inner = body.slice(quote.length, body.length - quote.length);
  if (prefix.toLowerCase().includes('r')) return inner;
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, e: string) => {
    if (/^[xuU]/.test(e) && e.length > 1) return String.fromCodePoint(parseInt(e.slice(1), 16));
    if (/^[0-7]+$/.test(e)) return String.fromCharCode(parseInt(e, 8));
    return ESCAPES[e] ?? whole;
  });
}

/** Short description of a value for error messages, e.g. "a list" or "the name foo". */
export function describePythonValue(v: PythonValue): string {
  switch (v.kind) {
    case 'str': return `the string ${JSON.stringify(v.value)}`;
    case 'int': case 'float': return `the number ${v.value}`;
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': return 'a list';
    case 'tuple': return 'a tuple';
    case 'dict': return 'a dict';
    case 'call': return `a call of ${v.callee}`;
    case 'name': return `the name ${v.name}`;
    case 'unsupported': return `unsupported syntax (${v.syntax})`;
  }
}
