// Parses flow collections (`[a, "b c"]`, `{KEY: value}`), which may span several lines, for the YAML subset.
import { YamlError } from './yamlNode';
import type { SourceLine, YamlMapping, YamlNode, YamlScalar, YamlSequence } from './yamlNode';
import { parseQuotedScalar, plainScalarValue } from './yamlScalar';

const UNSUPPORTED_IN_FLOW: Record<string, string> = {
  '&': 'anchors (&name) are not supported',
  '*': 'aliases (*name) are not supported',
  '!': 'tags (!tag) are not supported',
  '|': 'block scalars (| and >) are not supported',
  '>': 'block scalars (| and >) are not supported',
  '@': '"@" is reserved in YAML and cannot start a plain value; quote it',
  '`': '"`" is reserved in YAML and cannot start a plain value; quote it',
};

export class YamlFlowScanner {
  private offset: number;

  constructor(
    private readonly file: string,
    private readonly lines: readonly SourceLine[],
    /** Index into `lines` of the line the scanner is on; after parsing, the line holding the closing bracket. */
    public lineIndex: number,
    offset: number,
    /** Indentation of the block that owns the collection; its continuation lines must be deeper. */
    private readonly parentIndent: number,
  ) {
    this.offset = offset;
    this.firstLine = lineIndex;
  }

  private readonly firstLine: number;

  parseNode(): YamlNode {
    this.skipSpace();
    const ch = this.peek();
    if (ch === '[') return this.parseSequence();
    if (ch === '{') return this.parseMapping();
    if (ch === '"' || ch === "'") return this.parseQuoted();
    if (ch === '') throw this.errorAtEnd('expected a value, found the end of the file');
    const unsupported = UNSUPPORTED_IN_FLOW[ch];
    if (unsupported) throw this.error(unsupported);
    return this.parsePlain();
  }

  /** After the outermost collection, nothing but a comment may follow on its line. */
  expectEnd(): void {
    const line = this.line();
    const closer = line.text[this.offset - 1];
    while (line.text[this.offset] === ' ') this.offset++;
    if (this.offset < line.text.length) throw this.error(`unexpected text after the closing "${closer}"`);
  }

  private line(): SourceLine {
    return this.lines[this.lineIndex]!;
  }

  private peek(): string {
    const line = this.lines[this.lineIndex];
    // A line back at the owner's indentation is outside the collection (it was never closed), unless it closes it.
    const outside = this.lineIndex > this.firstLine && line !== undefined && line.indent <= this.parentIndent && !/^[\]}]/.test(line.text);
    if (line === undefined || outside) return '';
    return this.offset < line.text.length ? line.text[this.offset]! : '\n';
  }

  private skipSpace(): void {
    for (;;) {
      const ch = this.peek();
      if (ch === ' ' || ch === '\t') this.offset++;
      else if (ch === '\n') { this.lineIndex++; this.offset = 0; }
      else return;
    }
  }

  private position(): { line: number; column: number } {
    const line = this.line();
    return { line: line.number, column: line.indent + this.offset + 1 };
  }

  private error(message: string): YamlError {
    const { line, column } = this.position();
    return new YamlError(this.file, line, column, message);
  }

  private errorAtEnd(message: string): YamlError {
    const last = this.lines[this.lines.length - 1]!;
    return new YamlError(this.file, last.number, last.indent + last.text.length + 1, message);
  }

  private parseSequence(): YamlSequence {
    const start = this.position();
    const sequence: YamlSequence = { kind: 'sequence', items: [], ...start };
    this.offset++;
    for (;;) {
      this.skipSpace();
      if (this.peek() === ']') { this.offset++; return sequence; }
      if (this.peek() === '') throw this.unterminated('[', start);
      const item = this.parseNode();
      this.skipSpace();
      if (this.peek() === ':') throw this.error('"key: value" inside [...] is not supported; use {key: value}');
      sequence.items.push(item);
      this.skipSpace();
      const next = this.peek();
      if (next === ',') { this.offset++; continue; }
      if (next === ']') { this.offset++; return sequence; }
      if (next === '') throw this.unterminated('[', start);
      throw this.error(`expected "," or "]" in the list, found "${next}"`);
    }
  }

  private parseMapping(): YamlMapping {
    const start = this.position();
    const mapping: YamlMapping = { kind: 'mapping', entries: [], ...start };
    const seen = new Map<string, number>();
    this.offset++;
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') { this.offset++; return mapping; }
      if (this.peek() === '') throw this.unterminated('{', start);
      const keyNode = this.parseNode();
      if (keyNode.kind !== 'scalar') throw new YamlError(this.file, keyNode.line, keyNode.column, 'a key must be a plain or quoted string');
      if (keyNode.value === null && !keyNode.quoted) throw new YamlError(this.file, keyNode.line, keyNode.column, 'missing key before ":"');
      const earlier = seen.get(keyNode.text);
      if (earlier !== undefined) {
        throw new YamlError(this.file, keyNode.line, keyNode.column, `duplicate key "${keyNode.text}" (first defined on line ${earlier})`);
      }
      seen.set(keyNode.text, keyNode.line);
      this.skipSpace();
      if (this.peek() !== ':') throw this.error(`expected ":" after the key "${keyNode.text}"`);
      const colon = this.position();
      this.offset++;
      this.skipSpace();
      if (this.peek() === '') throw this.unterminated('{', start);
      const value: YamlNode = this.peek() === ',' || this.peek() === '}'
        ? { kind: 'scalar', value: null, text: '', quoted: false, ...colon }
        : this.parseNode();
      mapping.entries.push({ key: keyNode.text, line: keyNode.line, column: keyNode.column, value });
      this.skipSpace();
      const next = this.peek();
      if (next === ',') { this.offset++; continue; }
      if (next === '}') { this.offset++; return mapping; }
      if (next === '') throw this.unterminated('{', start);
      throw this.error(`expected "," or "}" in the mapping, found "${next}"`);
    }
  }

  private unterminated(open: string, start: { line: number; column: number }): YamlError {
    const close = open === '[' ? ']' : '}';
    return new YamlError(this.file, start.line, start.column, `"${open}" is never closed by "${close}"`);
  }

  private parseQuoted(): YamlScalar {
    const start = this.position();
    const { value, end } = parseQuotedScalar(this.file, this.line(), this.offset);
    this.offset = end;
    return { kind: 'scalar', value, text: value, quoted: true, ...start };
  }

  /** A plain scalar ends at a flow indicator, at ": " (or ":" before an indicator) and at the end of its line. */
  private parsePlain(): YamlScalar {
    const start = this.position();
    const text = this.line().text;
    let end = this.offset;
    while (end < text.length) {
      const ch = text[end]!;
      if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
      if (ch === ':' && (end + 1 === text.length || ' ,[]{}'.includes(text[end + 1]!))) break;
      end++;
    }
    const value = text.slice(this.offset, end).trim();
    if (value === '') throw this.error(`expected a value, found "${text[end] ?? 'end of line'}"`);
    this.offset = end;
    return { kind: 'scalar', value: plainScalarValue(value), text: value, quoted: false, ...start };
  }
}
