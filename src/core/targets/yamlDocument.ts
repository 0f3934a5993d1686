// Parses the YAML subset backfills.yaml uses into nodes that remember their 1-based line and column.
import { YamlError } from './yamlNode';
import type { SourceLine, YamlMapping, YamlNode, YamlSequence } from './yamlNode';
import { parseQuotedScalar, plainScalarValue } from './yamlScalar';
import { YamlFlowScanner } from './yamlFlowScanner';

export { YamlError } from './yamlNode';
export type { YamlEntry, YamlMapping, YamlNode, YamlScalar, YamlSequence } from './yamlNode';

const UNSUPPORTED_VALUE_STARTS: Record<string, string> = {
  '&': 'anchors (&name) are not supported',
  '*': 'aliases (*name) are not supported',
  '!': 'tags (!tag) are not supported',
  '|': 'block scalars (| and >) are not supported; write the value on one line or quote it',
  '>': 'block scalars (| and >) are not supported; write the value on one line or quote it',
  '%': 'directives (%) are not supported',
  '@': '"@" is reserved in YAML and cannot start a plain value; quote it',
  '`': '"`" is reserved in YAML and cannot start a plain value; quote it',
};

/** Parses `text` (the contents of `file`); returns null for a document without content. Throws YamlError. */
export function parseYamlDocument(file: string, text: string): YamlNode | null {
  const parser = new BlockParser(file, splitLines(file, text));
  return parser.parseDocument();
}

/** Removes comments and blank lines, rejects tab indentation and handles the `---` document start. */
function splitLines(file: string, text: string): SourceLine[] {
  const out: SourceLine[] = [];
  const raw = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  let sawContent = false;
  raw.forEach((line, i) => {
    const number = i + 1;
    const indentMatch = /^[ \t]*/.exec(line)![0];
    const tab = indentMatch.indexOf('\t');
    const content = stripComment(file, number, line).trimEnd();
    if (content.trim() === '') return;
    if (tab >= 0) throw new YamlError(file, number, tab + 1, 'tabs are not allowed for indentation; use spaces');
    const indent = indentMatch.length;
    const body = content.slice(indent);
    if (indent === 0 && /^---(\s|$)/.test(body)) {
      if (sawContent) throw new YamlError(file, number, 1, 'only one YAML document is allowed ("---" starts a second one)');
      const rest = body.slice(3).trim();
      if (rest !== '') throw new YamlError(file, number, 5, 'put the content on the line after "---"');
      sawContent = true;
      return;
    }
    if (indent === 0 && /^\.\.\.(\s|$)/.test(body)) {
      throw new YamlError(file, number, 1, 'the document end marker "..." is not supported');
    }
    sawContent = true;
    out.push({ number, indent, text: body });
  });
  return out;
}

/**
 * Cuts a `#` comment off a line. A quote only opens a quoted scalar where a scalar can start (after
 * `:`, `-`, `[`, `{`, `,` or at the line start), as in YAML, so `it's` in a plain value is no quote.
 */
function stripComment(file: string, lineNumber: number, line: string): string {
  let prevSignificant = '';
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    const afterIndicator = '[{,:'.includes(prevSignificant) || ('-?'.includes(prevSignificant) && line[i - 1] === ' ');
    if ((ch === '"' || ch === "'") && (prevSignificant === '' || afterIndicator)) {
      const end = closingQuote(line, i);
      if (end < 0) throw new YamlError(file, lineNumber, i + 1, `unterminated ${ch === '"' ? 'double' : 'single'}-quoted string (quoted values must end on the same line)`);
      i = end;
      prevSignificant = ch;
      continue;
    }
    if (ch === '#' && (i === 0 || line[i - 1] === ' ' || line[i - 1] === '\t')) return line.slice(0, i);
    if (ch !== ' ' && ch !== '\t') prevSignificant = ch;
  }
  return line;
}

function closingQuote(line: string, start: number): number {
  const q = line[start];
  for (let i = start + 1; i < line.length; i++) {
    if (q === '"' && line[i] === '\\') { i++; continue; }
    if (line[i] === q) {
      if (q === "'" && line[i + 1] === "'") { i++; continue; }
      return i;
    }
  }
  return -1;
}

interface KeySplit {
  key: string;
  column: number;
  /** Offset in the line text where the value starts (after ": " and spaces). */
  valueOffset: number;
}

class BlockParser {
  private pos = 0;

  constructor(private readonly file: string, private readonly lines: SourceLine[]) {}

  parseDocument(): YamlNode | null {
    if (this.lines.length === 0) return null;
    const first = this.lines[0]!;
    const node = this.parseBlock(first.indent);
    const extra = this.lines[this.pos];
    if (extra) throw this.error(extra, 0, 'unexpected content here (check the indentation)');
    return node;
  }

  private error(line: SourceLine, offset: number, message: string): YamlError {
    return new YamlError(this.file, line.number, line.indent + offset + 1, message);
  }

  private parseBlock(indent: number): YamlNode {
    const line = this.lines[this.pos]!;
    if (isSequenceItem(line.text)) return this.parseSequence(indent);
    if (this.splitKey(line) !== null) return this.parseMapping(indent);
    return this.parseInlineValue(line, 0, indent - 1);
  }

  private parseMapping(indent: number): YamlMapping {
    const first = this.lines[this.pos]!;
    const mapping: YamlMapping = { kind: 'mapping', entries: [], line: first.number, column: first.indent + 1 };
    const seen = new Map<string, number>();
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      if (line.indent < indent) break;
      if (line.indent > indent) throw this.error(line, 0, 'unexpected indentation');
      const split = this.splitKey(line);
      if (split === null) {
        const what = isSequenceItem(line.text) ? 'a list item' : 'a value without a key';
        throw this.error(line, 0, `expected "key: value" here, found ${what}`);
      }
      const earlier = seen.get(split.key);
      if (earlier !== undefined) {
        throw new YamlError(this.file, line.number, split.column, `duplicate key "${split.key}" (first defined on line ${earlier})`);
      }
      seen.set(split.key, line.number);
      const value = this.parseValueAfter(line, split.valueOffset, indent, true);
      mapping.entries.push({ key: split.key, line: line.number, column: split.column, value });
    }
    return mapping;
  }

  private parseSequence(indent: number): YamlSequence {
    const first = this.lines[this.pos]!;
    const sequence: YamlSequence = { kind: 'sequence', items: [], line: first.number, column: first.indent + 1 };
    while (this.pos < this.lines.length) {
      const line = this.lines[this.pos]!;
      if (line.indent < indent) break;
      if (line.indent > indent) throw this.error(line, 0, 'unexpected indentation');
      if (!isSequenceItem(line.text)) break;
      const after = /^-[ ]*/.exec(line.text)![0].length;
      if (after < line.text.length && (isSequenceItem(line.text.slice(after)) || this.splitKey(line, after) !== null)) {
        // "- key: value" and "- - item" open a nested block whose indentation is the column after "- ".
        const nested: SourceLine = { number: line.number, indent: line.indent + after, text: line.text.slice(after) };
        this.lines[this.pos] = nested;
        sequence.items.push(this.parseBlock(nested.indent));
      } else {
        sequence.items.push(this.parseValueAfter(line, after, indent, false));
      }
    }
    return sequence;
  }

  /** Parses what follows "key:" or "- " on `line` (or the nested block below it) and advances past it. */
  private parseValueAfter(line: SourceLine, offset: number, indent: number, inMapping: boolean): YamlNode {
    if (offset < line.text.length) return this.parseInlineValue(line, offset, indent);
    this.pos++;
    const next = this.lines[this.pos];
    const nestedSequenceAtSameIndent = inMapping && next !== undefined && next.indent === indent && isSequenceItem(next.text);
    if (next !== undefined && (next.indent > indent || nestedSequenceAtSameIndent)) return this.parseBlock(next.indent);
    return { kind: 'scalar', value: null, text: '', quoted: false, line: line.number, column: line.indent + offset + 1 };
  }

  /** A value that starts on `line` at `offset`: flow collection, quoted or plain scalar (plain may continue on deeper lines). */
  private parseInlineValue(line: SourceLine, offset: number, indent: number): YamlNode {
    const ch = line.text[offset]!;
    const unsupported = UNSUPPORTED_VALUE_STARTS[ch];
    if (unsupported) throw this.error(line, offset, unsupported);
    if (isSequenceItem(line.text.slice(offset))) throw this.error(line, offset, 'a list cannot start on the same line as its key; start it on the next line');
    if (ch === '?' && /^\?(\s|$)/.test(line.text.slice(offset))) throw this.error(line, offset, 'explicit keys ("? ") are not supported');
    if (ch === '[' || ch === '{') {
      const scanner = new YamlFlowScanner(this.file, this.lines, this.pos, offset, indent);
      const node = scanner.parseNode();
      scanner.expectEnd();
      this.pos = scanner.lineIndex + 1;
      return node;
    }
    if (ch === '"' || ch === "'") {
      const { value, end } = parseQuotedScalar(this.file, line, offset);
      if (line.text.slice(end).trim() !== '') throw this.error(line, end, 'unexpected text after the quoted value');
      this.pos++;
      return { kind: 'scalar', value, text: value, quoted: true, line: line.number, column: line.indent + offset + 1 };
    }
    let text = line.text.slice(offset).trim();
    this.pos++;
    // A plain value may continue on more-indented lines; YAML folds those line breaks into spaces.
    while (this.pos < this.lines.length && this.lines[this.pos]!.indent > indent) {
      const more = this.lines[this.pos]!;
      if (this.splitKey(more) !== null) throw this.error(more, 0, 'unexpected "key: value" inside a multi-line value (check the indentation)');
      text += ' ' + more.text.trim();
      this.pos++;
    }
    return { kind: 'scalar', value: plainScalarValue(text), text, quoted: false, line: line.number, column: line.indent + offset + 1 };
  }

  /** Recognises `key:` (plain or quoted) at `offset`; null when the text there is not a mapping key. */
  private splitKey(line: SourceLine, offset = 0): KeySplit | null {
    const text = line.text;
    const column = line.indent + offset + 1;
    const ch = text[offset];
    if (ch === '"' || ch === "'") {
      const { value, end } = parseQuotedScalar(this.file, line, offset);
      const colon = /^[ ]*:(?=[ ]|$)/.exec(text.slice(end));
      if (!colon) return null;
      return { key: value, column, valueOffset: skipSpaces(text, end + colon[0].length) };
    }
    if (ch === undefined || ch === '[' || ch === '{' || isSequenceItem(text.slice(offset))) return null;
    const match = /:(?= |$)/.exec(text.slice(offset));
    if (!match) return null;
    const key = text.slice(offset, offset + match.index).trimEnd();
    if (key === '') throw this.error(line, offset, 'missing key before ":"');
    const unsupported = UNSUPPORTED_VALUE_STARTS[key[0]!];
    if (unsupported) throw this.error(line, offset, unsupported);
    if (key.startsWith('? ') || key === '?') throw this.error(line, offset, 'explicit keys ("? ") are not supported');
    return { key, column, valueOffset: skipSpaces(text, offset + match.index + 1) };
  }
}

function isSequenceItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}
