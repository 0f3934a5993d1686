// A small hand-written parser for the statements definitions live in, producing PythonValues directly.
//
// Building a @lezer/python syntax tree per statement dominates discovery time on large workspaces, and
// decorators, imports and module-level assignments use a tiny part of Python. This parser covers that part
// (literals, names, attributes, calls, displays, + - * / | &) and gives up (returns null) on anything else,
// in which case the caller parses the statement with @lezer/python, which also locates syntax errors.
import type { PythonKeywordArgument, PythonValue } from './pythonExpression';
import { decodeStringLiteral } from './pythonExpression';

type Call = Extract<PythonValue, { kind: 'call' }>;

class GiveUp extends Error {}


function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function isNamePart(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57);
}
const STRING_PREFIX = /^(?:[rRbBuU]|[rR][bB]|[bB][rR])?$/;
const KEYWORDS = new Set(['lambda', 'not', 'and', 'or', 'if', 'else', 'for', 'in', 'is', 'await', 'yield', 'async']);
const BINARY_LEVEL: Record<string, number> = { '|': 1, '&': 2, '+': 3, '-': 3, '*': 4, '/': 4 };

/** Offsets of values are positions in `text` plus `base`. */
export class PythonStatementParser {
  pos: number;

  constructor(private readonly text: string, start: number, private readonly end: number, private readonly base: number) {
    this.pos = start;
  }

  /** Runs `read`, returning null when the statement uses syntax this parser does not cover. */
  static attempt<T>(read: () => T): T | null {
    try {
      return read();
    } catch (e) {
      if (e instanceof GiveUp) return null;
      throw e;
    }
  }

  /** Skips spaces, comments, line continuations and (inside brackets) newlines. */
  skip(newlines: boolean): void {
    const t = this.text;
    while (this.pos < this.end) {
      const c = t.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 12) this.pos++;
      else if (c === 92 && (t.charCodeAt(this.pos + 1) === 10 || t.charCodeAt(this.pos + 1) === 13)) this.pos += t.charCodeAt(this.pos + 1) === 13 && t.charCodeAt(this.pos + 2) === 10 ? 3 : 2;
      else if (c === 35) {
        const eol = t.indexOf('\n', this.pos);
        this.pos = eol < 0 || eol > this.end ? this.end : eol;
      } else if (newlines && (c === 10 || c === 13)) this.pos++;
      else break;
    }
  }

  peek(depth: number): string {
    this.skip(depth > 0);
    return this.pos < this.end ? this.text[this.pos] : '';
  }

  expect(s: string, depth: number): void {
    this.skip(depth > 0);
    if (!this.text.startsWith(s, this.pos) || this.pos + s.length > this.end) throw new GiveUp();
    this.pos += s.length;
  }

  accept(s: string, depth: number): boolean {
    this.skip(depth > 0);
    if (this.text.startsWith(s, this.pos) && this.pos + s.length <= this.end) {
      this.pos += s.length;
      return true;
    }
    return false;
  }

  name(depth: number): string {
    this.skip(depth > 0);
    const start = this.pos;
    if (this.pos >= this.end || !isNameStart(this.text.charCodeAt(this.pos))) throw new GiveUp();
    while (this.pos < this.end && isNamePart(this.text.charCodeAt(this.pos))) this.pos++;
    return this.text.slice(start, this.pos);
  }

  dotted(depth: number): string {
    let out = this.name(depth);
    while (this.peek(depth) === '.' && this.text[this.pos + 1] !== '.') {
      this.pos++;
      out += `.${this.name(depth)}`;
    }
    return out;
  }

  /** Only whitespace and comments may remain before the end of the statement. */
  finish(): void {
    this.skip(true);
    if (this.pos < this.end) throw new GiveUp();
  }

  expression(depth: number, level = 1): PythonValue {
    let left = this.unary(depth);
    for (;;) {
      this.skip(depth > 0);
      const op = this.text[this.pos];
      const opLevel = BINARY_LEVEL[op];
      if (opLevel === undefined || opLevel < level || this.text[this.pos + 1] === '=' || (op === '*' && this.text[this.pos + 1] === '*') || (op === '/' && this.text[this.pos + 1] === '/')) break;
      this.pos++;
      const right = this.expression(depth, opLevel + 1);
      left = { from: left.from, to: right.to, kind: 'binary', op, left, right };
    }
    return left;
  }

  private unary(depth: number): PythonValue {
    const c = this.peek(depth);
    if (c === '-' || c === '+') {
      const from = this.pos;
      this.pos++;
      const v = this.unary(depth);
      const at = { from: from + this.base, to: v.to };
      if (v.kind === 'int' || v.kind === 'float') return { ...v, ...at, value: c === '-' ? -v.value : v.value };
      return { ...at, kind: 'unsupported', syntax: 'unary operator' };
    }
    return this.postfix(depth);
  }

  private postfix(depth: number): PythonValue {
    const parenthesized = this.peek(depth) === '(';
    let v = this.atom(depth);
    let dotted = v.kind === 'name' && !parenthesized;
    for (;;) {
      const c = this.peek(depth);
      if (c === '.' && this.text[this.pos + 1] !== '.') {
        this.pos++;
        const attr = this.name(depth);
        if (dotted && v.kind === 'name') v = { ...v, to: this.pos + this.base, name: `${v.name}.${attr}` };
        else {
          v = this.method(v, attr, depth);
          dotted = false;
        }
      } else if (c === '(') {
        if (v.kind !== 'name' || !dotted) throw new GiveUp();
        v = this.call(v.name, { from: v.from, to: v.to }, depth);
        dotted = false;
      } else if (c === '[') {
        this.skipBalanced('[', ']');
        v = { from: v.from, to: this.pos + this.base, kind: 'unsupported', syntax: 'subscript' };
        dotted = false;
      } else return v;
    }
  }

  /** `receiver.method(...)`: only as a call, like the syntax tree evaluation. */
  private method(receiver: PythonValue, attr: string, depth: number): PythonValue {
    if (this.peek(depth) !== '(') throw new GiveUp();
    const call = this.call(`.${attr}`, { from: receiver.from, to: receiver.to }, depth);
    return { ...call, receiver };
  }

  private skipBalanced(open: string, close: string): void {
    let level = 0;
    const t = this.text;
    while (this.pos < this.end) {
      const c = t[this.pos];
      if (c === '"' || c === "'") {
        this.stringToken();
        continue;
      }
      if (c === open) level++;
      else if (c === close && --level === 0) {
        this.pos++;
        return;
      }
      this.pos++;
    }
    throw new GiveUp();
  }

  /** `callee(args)`; `at.from` is where the call starts. */
  call(callee: string, at: { from: number; to: number }, depth: number): Call {
    this.expect('(', depth);
    const args: PythonValue[] = [];
    const kwargs: PythonKeywordArgument[] = [];
    let hasSplat = false;
    while (this.peek(1) !== ')') {
      if (this.accept('**', 1) || this.accept('*', 1)) {
        hasSplat = true;
        this.expression(1);
      } else {
        const save = this.pos;
        this.skip(true);
        const nameStart = this.pos;
        let keyword: string | null = null;
        if (isNameStart(this.text.charCodeAt(this.pos))) {
          const n = this.name(1);
          if (this.peek(1) === '=' && this.text[this.pos + 1] !== '=') {
            this.pos++;
            keyword = n;
          } else this.pos = save;
        }
        const value = this.expression(1);
        if (keyword !== null) kwargs.push({ from: nameStart + this.base, to: value.to, name: keyword, value });
        else args.push(value);
      }
      if (!this.accept(',', 1)) break;
    }
    this.expect(')', 1);
    return { from: at.from, to: this.pos + this.base, kind: 'call', callee, args, kwargs, hasSplat };
  }

  private atom(depth: number): PythonValue {
    const c = this.peek(depth);
    const start = this.pos;
    const at = () => ({ from: start + this.base, to: this.pos + this.base });
    if (c === '(' || c === '[') {
      this.pos++;
      const close = c === '(' ? ')' : ']';
      const items: PythonValue[] = [];
      let comma = false;
      while (this.peek(depth + 1) !== close) {
        const starAt = this.pos;
        if (this.accept('*', depth + 1)) {
          const inner = this.expression(depth + 1);
          items.push({ from: starAt + this.base, to: inner.to, kind: 'starred', value: inner });
        } else items.push(this.expression(depth + 1));
        if (!this.accept(',', depth + 1)) break;
        comma = true;
      }
      this.expect(close, depth + 1);
      if (c === '[') return { ...at(), kind: 'list', items };
      if (items.length === 1 && !comma && items[0].kind !== 'starred') return { ...items[0], ...at() };
      return { ...at(), kind: 'tuple', items };
    }
    if (c === '{') {
      this.pos++;
      const entries: { key: PythonValue; value: PythonValue }[] = [];
      // A set literal ({"a", "b"}, e.g. 1.2's non_argument_deps) is told from a dict by its first item's missing ':'.
      const items: PythonValue[] = [];
      while (this.peek(depth + 1) !== '}') {
        if (this.text.startsWith('**', this.pos) || this.text.startsWith('*', this.pos)) throw new GiveUp();
        const key = this.expression(depth + 1);
        if (entries.length === 0 && (items.length > 0 || this.peek(depth + 1) !== ':')) items.push(key);
        else {
          this.expect(':', depth + 1);
          entries.push({ key, value: this.expression(depth + 1) });
        }
        if (!this.accept(',', depth + 1)) break;
      }
      this.expect('}', depth + 1);
      if (items.length > 0) return { ...at(), kind: 'set', items };
      return { ...at(), kind: 'dict', entries };
    }
    if (c === '"' || c === "'") return this.strings(depth);
    const code = this.text.charCodeAt(this.pos);
    const next = this.text.charCodeAt(this.pos + 1);
    if ((code >= 48 && code <= 57) || (c === '.' && next >= 48 && next <= 57)) {
      const m = /^(?:0[xXoObB][0-9a-fA-F_]+|(?:\d[\d_]*)?\.?\d[\d_]*(?:[eE][+-]?\d+)?[jJ]?|\d[\d_]*\.)/.exec(this.text.slice(this.pos, this.pos + 64));
      if (!m) throw new GiveUp();
      this.pos += m[0].length;
      return numberValue(m[0], at());
    }
    if (c === '.' && this.text.startsWith('...', this.pos)) {
      this.pos += 3;
      return { ...at(), kind: 'unsupported', syntax: 'Ellipsis' };
    }
    if (isNameStart(code)) {
      const n = this.name(depth);
      const after = this.text[this.pos];
      if ((after === '"' || after === "'") && STRING_PREFIX.test(n)) {
        this.pos = start;
        return this.strings(depth);
      }
      if (KEYWORDS.has(n)) throw new GiveUp();
      if (n === 'None') return { ...at(), kind: 'none' };
      if (n === 'True' || n === 'False') return { ...at(), kind: 'bool', value: n === 'True' };
      return { ...at(), kind: 'name', name: n };
    }
    throw new GiveUp();
  }

  /** One or more adjacent string literals (f-strings are left to the syntax tree). */
  private strings(depth: number): PythonValue {
    const start = this.pos;
    let value = '';
    let end = this.pos;
    for (;;) {
      this.skip(depth > 0);
      let prefixLength = 0;
      while (prefixLength < 2 && isNameStart(this.text.charCodeAt(this.pos + prefixLength)) && this.text.charCodeAt(this.pos + prefixLength) !== 95) prefixLength++;
      const prefix = this.text.slice(this.pos, this.pos + prefixLength);
      const q = this.text[this.pos + prefix.length];
      if (q !== '"' && q !== "'") break;
      if (!STRING_PREFIX.test(prefix)) throw new GiveUp();
      const from = this.pos;
      this.pos += prefix.length;
      this.stringToken();
      value += decodeStringLiteral(this.text.slice(from, this.pos));
      end = this.pos;
    }
    this.pos = end;
    return { from: start + this.base, to: end + this.base, kind: 'str', value };
  }

  private stringToken(): void {
    const t = this.text;
    const q = t[this.pos];
    const triple = t[this.pos + 1] === q && t[this.pos + 2] === q;
    this.pos += triple ? 3 : 1;
    while (this.pos < this.end) {
      const c = t[this.pos];
      if (c === '\\') this.pos += 2;
      else if (c === q && (!triple || (t[this.pos + 1] === q && t[this.pos + 2] === q))) {
        this.pos += triple ? 3 : 1;
        return;
      } else if (!triple && c === '\n') throw new GiveUp();
      else this.pos++;
    }
    throw new GiveUp();
  }

  acceptKeyword(word: string): boolean {
    this.skip(false);
    if (this.text.startsWith(word, this.pos) && !isNamePart(this.text.charCodeAt(this.pos + word.length))) {
      this.pos += word.length;
      return true;
    }
    return false;
  }

  /** The source text from `from` to the current position. */
  sliceFrom(from: number): string {
    return this.text.slice(from, this.pos);
  }

  /** Leading dots of a relative module name. */
  dots(): string {
    this.skip(false);
    let out = '';
    while (this.text[this.pos] === '.') {
      out += '.';
      this.pos++;
      this.skip(false);
    }
    return out;
  }

  /** An assignment's value: `a, b` at the top level is a tuple as in Python. */
  assignedValue(): PythonValue {
    const first = this.expression(0);
    if (this.peek(0) !== ',') return first;
    const items = [first];
    while (this.accept(',', 0)) {
      const c = this.peek(0);
      if (c === '' || c === '\n' || c === '\r' || c === '=') break;
      items.push(this.expression(0));
    }
    return { from: first.from, to: items[items.length - 1].to, kind: 'tuple', items };
  }

  static giveUp(): never {
    throw new GiveUp();
  }
}

function numberValue(raw: string, at: { from: number; to: number }): PythonValue {
  const s = raw.replace(/_/g, '');
  if (/^0[xob]/i.test(s)) return { ...at, kind: 'int', value: Number(s.toLowerCase()) };
  if (/^\d+$/.test(s)) return { ...at, kind: 'int', value: Number(s) };
  if (/[jJ]$/.test(s)) return { ...at, kind: 'unsupported', syntax: 'complex number' };
  return { ...at, kind: 'float', value: Number(s) };
}
