// Evaluation of Python expression syntax (from @lezer/python) into plain values; calls and names stay symbolic.
import type { SyntaxNode } from '@lezer/common';

interface Located {
  /** Character offsets of the expression; a module parsed with a base offset shifts them by it (see PythonModule). */
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
    | { kind: 'list' | 'tuple' | 'set'; items: PythonValue[] }
    | { kind: 'dict'; entries: { key: PythonValue; value: PythonValue }[] }
    /**
     * A call of a dotted name, e.g. `dg.AssetKey("a")`; `hasSplat` marks `*args` / `**kwargs` in the call.
     * A method called on a computed value (`AssetSelection.groups("a").downstream()`) has `receiver` set and
     * a callee of "." plus the method name.
     */
    | { kind: 'call'; callee: string; args: PythonValue[]; kwargs: PythonKeywordArgument[]; hasSplat: boolean; receiver?: PythonValue }
    /** A (dotted) name such as `daily_partitions` or `ScheduleType.DAILY`. */
    | { kind: 'name'; name: string }
    /** `left op right` for + - * / | & (the operator as written). */
    | { kind: 'binary'; op: string; left: PythonValue; right: PythonValue }
    /** An f-string: literal text and replacement fields (fields with a conversion or format spec are unsupported). */
    | { kind: 'fstring'; parts: (string | PythonValue)[] }
    /** `*items` inside a list or tuple display. */
    | { kind: 'starred'; value: PythonValue }
    /** Any other syntax (operators, subscripts, lambdas, comprehensions, ...), named by its node type. */
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

/** `base` is added to every offset, so values of several modules can share one offset space. */
export function evaluatePythonExpression(node: SyntaxNode, text: string, base = 0): PythonValue {
  const at = { from: node.from + base, to: node.to + base };
  switch (node.name) {
    case 'String':
      return { ...at, kind: 'str', value: decodeStringLiteral(text.slice(node.from, node.to)) };
    case 'FormatString':
      return formatString(node, text, base, at);
    case 'ContinuedString': {
      const parts: (string | PythonValue)[] = [];
      for (let c = node.firstChild; c; c = c.nextSibling) {
        if (c.name === 'String') parts.push(decodeStringLiteral(text.slice(c.from, c.to)));
        else if (c.name === 'FormatString') {
          const f = formatString(c, text, base, at);
          if (f.kind === 'fstring') parts.push(...f.parts);
          else return f;
        }
      }
      return parts.every((p) => typeof p === 'string') ? { ...at, kind: 'str', value: parts.join('') } : { ...at, kind: 'fstring', parts };
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
        const v = evaluatePythonExpression(operand, text, base);
        if (v.kind === 'int' || v.kind === 'float') return { ...v, ...at, value: sign === '-' ? -v.value : v.value };
      }
      return { ...at, kind: 'unsupported', syntax: 'unary operator' };
    }
    case 'BinaryExpression': {
      const left = node.firstChild;
      const op = left?.nextSibling;
      const right = op?.nextSibling;
      const opText = op ? text.slice(op.from, op.to) : '';
      if (!left || !right || !['+', '-', '*', '/', '|', '&'].includes(opText)) return { ...at, kind: 'unsupported', syntax: `operator ${opText}` };
      return { ...at, kind: 'binary', op: opText, left: evaluatePythonExpression(left, text, base), right: evaluatePythonExpression(right, text, base) };
    }
    case 'ParenthesizedExpression': {
      const inner = childExpressions(node)[0];
      return inner ? { ...evaluatePythonExpression(inner, text, base), ...at } : { ...at, kind: 'unsupported', syntax: '()' };
    }
    case 'ArrayExpression':
    case 'TupleExpression':
      return { ...at, kind: node.name === 'ArrayExpression' ? 'list' : 'tuple', items: sequenceItems(node, text, base) };
    case 'SetExpression':
      return { ...at, kind: 'set', items: sequenceItems(node, text, base) };
    case 'DictionaryExpression': {
      const parts = childExpressions(node);
      if (parts.length % 2 !== 0 || hasChild(node, '**')) return { ...at, kind: 'unsupported', syntax: 'dict unpacking' };
      const entries: { key: PythonValue; value: PythonValue }[] = [];
      for (let i = 0; i < parts.length; i += 2) {
        entries.push({ key: evaluatePythonExpression(parts[i], text, base), value: evaluatePythonExpression(parts[i + 1], text, base) });
      }
      return { ...at, kind: 'dict', entries };
    }
    case 'VariableName':
    case 'MemberExpression': {
      const name = dottedName(node, text);
      return name === null ? { ...at, kind: 'unsupported', syntax: 'subscript' } : { ...at, kind: 'name', name };
    }
    case 'CallExpression':
      return callValue(node, text, base, at);
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

function sequenceItems(node: SyntaxNode, text: string, base: number): PythonValue[] {
  const items: PythonValue[] = [];
  let starred = false;
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === '*') starred = true;
    else if (!PUNCTUATION.has(c.name) && c.name !== 'Comment') {
      const v = evaluatePythonExpression(c, text, base);
      items.push(starred ? { from: c.from + base - 1, to: v.to, kind: 'starred', value: v } : v);
      starred = false;
    }
  }
  return items;
}

function hasChild(node: SyntaxNode, name: string): boolean {
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.name === name) return true;
  return false;
}

function formatString(node: SyntaxNode, text: string, base: number, at: Located): PythonValue {
  const literal = text.slice(node.from, node.to);
  const prefix = /^[a-zA-Z]*/.exec(literal)?.[0] ?? '';
  const quote = literal.startsWith('"""', prefix.length) || literal.startsWith("'''", prefix.length) ? 3 : 1;
  const raw = prefix.toLowerCase().includes('r');
  const parts: (string | PythonValue)[] = [];
  let pos = node.from + prefix.length + quote;
  const literalText = (to: number) => {
    const chunk = text.slice(pos, to).replace(/\{\{/g, '{').replace(/\}\}/g, '}');
    if (chunk) parts.push(raw ? chunk : decodeStringLiteral(`"${chunk}"`));
  };
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name !== 'FormatReplacement') continue;
    literalText(c.from);
    const inner = childExpressions(c).filter((x) => x.name !== '{' && x.name !== '}');
    if (inner.length !== 1 || hasChild(c, 'FormatConversion') || hasChild(c, 'FormatSpec')) {
      return { ...at, kind: 'unsupported', syntax: 'f-string with a conversion or format spec' };
    }
    parts.push(evaluatePythonExpression(inner[0], text, base));
    pos = c.to;
  }
  literalText(node.to - quote);
  return { ...at, kind: 'fstring', parts };
}

function callValue(node: SyntaxNode, text: string, base: number, at: Located): PythonValue {
  const calleeNode = node.firstChild;
  const argList = node.getChild('ArgList');
  if (!calleeNode || !argList) return { ...at, kind: 'unsupported', syntax: 'call' };
  const callee = dottedName(calleeNode, text);
  if (callee !== null) return evaluateCall(callee, argList, text, at, base);
  // `x(...).method(...)`: the receiver is evaluated, the method keeps its name.
  const method = calleeNode.name === 'MemberExpression' ? calleeNode.lastChild : null;
  const receiverNode = calleeNode.firstChild;
  if (!method || method.name !== 'PropertyName' || !receiverNode) return { ...at, kind: 'unsupported', syntax: 'call of a computed callee' };
  const call = evaluateCall(`.${text.slice(method.from, method.to)}`, argList, text, at, base);
  return { ...call, receiver: evaluatePythonExpression(receiverNode, text, base) };
}

/** A call of `callee` with the arguments of an ArgList node (also used for decorators, whose tree has no CallExpression). */
export function evaluateCall(callee: string, argList: SyntaxNode, text: string, at: Located, base = 0): Extract<PythonValue, { kind: 'call' }> {
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
      kwargs.push({ from: c.from + base, to: next.nextSibling.to + base, name: text.slice(c.from, c.to), value: evaluatePythonExpression(next.nextSibling, text, base) });
      c = next.nextSibling;
      continue;
    }
    args.push(evaluatePythonExpression(c, text, base));
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
  const inner = body.slice(quote.length, Math.max(quote.length, body.length - quote.length));
  if (prefix.toLowerCase().includes('r')) return inner;
  return inner.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|[0-7]{1,3}|[\s\S])/g, (whole, e: string) => {
    if (/^[xuU]/.test(e) && e.length > 1) {
      const code = parseInt(e.slice(1), 16);
      return code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
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
    case 'set': return 'a set';
    case 'dict': return 'a dict';
    case 'call': return v.receiver ? `a call of the method ${v.callee.slice(1)}` : `a call of ${v.callee}`;
    case 'name': return `the name ${v.name}`;
    case 'binary': return `an expression with ${v.op}`;
    case 'fstring': return 'an f-string';
    case 'starred': return 'a starred expression';
    case 'unsupported': return `unsupported syntax (${v.syntax})`;
  }
}
