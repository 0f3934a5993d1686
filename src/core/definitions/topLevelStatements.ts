// A fast scan of Python source for its top-level statements, so only the ones definitions live in get parsed.
//
// Definitions, imports and module-level variables are all top-level statements; function bodies (most of a
// module's text) never hold them. Tracking strings, comments, brackets and line continuations is enough to
// find where each statement at column 0 (or after a `;`) starts, which is far cheaper than building a syntax tree of
// it all. lezerTopLevelStatements.ts finds the same from a full tree: the differential test compares the two.

export type TopLevelStatementKind = 'import' | 'decorator' | 'def' | 'class' | 'compound' | 'simple';

export interface TopLevelStatement {
  kind: TopLevelStatementKind;
  start: number;
  /**
   * Start of the next top-level statement (or the end of the text): trailing comments and blank lines included;
   * for a statement ended by `;`, that `;`.
   */
  end: number;
  /** Offset just after the first `:` outside brackets (the end of a def/class header), or -1. */
  headerEnd: number;
  /** Unbalanced brackets or an unexpected indented line: worth a full parse to report the syntax error. */
  malformed: boolean;
}

export interface ScannedSource {
  statements: TopLevelStatement[];
  /** Offsets of `@` starting an indented line: decorators inside functions, classes and loops. */
  nestedDecorators: number[];
  /** Offset of the first character of every line. */
  lineStarts: number[];
}

const COMPOUND = new Set(['if', 'elif', 'else', 'for', 'while', 'try', 'except', 'finally', 'with']);

function kindAt(text: string, at: number): TopLevelStatementKind {
  if (text.charCodeAt(at) === 64 /* @ */) return 'decorator';
  const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(at, at + 16))?.[0] ?? '';
  if (word === 'import' || word === 'from') return 'import';
  if (word === 'def') return 'def';
  if (word === 'class') return 'class';
  if (word === 'async') return /^async\s+def\b/.test(text.slice(at, at + 32)) ? 'def' : 'compound';
  if (COMPOUND.has(word)) return 'compound';
  return 'simple';
}

/** Never throws; unterminated strings and brackets simply run to the end of the text. */
export function scanTopLevelStatements(text: string): ScannedSource {
  const statements: TopLevelStatement[] = [];
  const nestedDecorators: number[] = [];
  const lineStarts: number[] = [0];
  const n = text.length;
  let depth = 0;
  let continuation = false;
  let atLineStart = true;
  let current: TopLevelStatement | null = null;
  let i = 0;
  while (i < n) {
    if (atLineStart) {
      atLineStart = false;
      let j = i;
      let c = text.charCodeAt(j);
      while (c === 32 || c === 9 || c === 12) c = text.charCodeAt(++j);
      if (j >= n) break;
      if (c !== 10 && c !== 13 && c !== 35 /* # */ && depth === 0 && !continuation) {
        if (j === i) {
          if (current) current.end = i;
          current = { kind: kindAt(text, i), start: i, end: n, headerEnd: -1, malformed: false };
          statements.push(current);
        } else {
          if (c === 64) nestedDecorators.push(j);
          // Only a def, class or compound statement may be followed by an indented block.
          if (current && current.kind !== 'def' && current.kind !== 'class' && current.kind !== 'compound') current.malformed = true;
          if (!current) {
            current = { kind: 'simple', start: i, end: n, headerEnd: -1, malformed: true };
            statements.push(current);
          }
        }
      }
      continuation = false;
      i = j;
      continue;
    }
    const c = text.charCodeAt(i);
    switch (c) {
      case 10:
        lineStarts.push(i + 1);
        atLineStart = true;
        i++;
        break;
      case 13:
        if (text.charCodeAt(i + 1) !== 10) {
          lineStarts.push(i + 1);
          atLineStart = true;
        }
        i++;
        break;
      case 35: {
        const eol = text.indexOf('\n', i);
        i = eol < 0 ? n : eol;
        break;
      }
      case 92: /* \ */
        if (text.charCodeAt(i + 1) === 10 || text.charCodeAt(i + 1) === 13) {
          continuation = true;
          if (text.charCodeAt(i + 1) === 13 && text.charCodeAt(i + 2) === 10) i++;
          lineStarts.push(i + 2);
          atLineStart = true;
          i += 2;
        } else i += 2;
        break;
      case 34:
      case 39:
        i = skipString(text, i, c, lineStarts);
        // An unterminated string is a syntax error: a full parse of the statement reports where.
        if (i < 0) {
          i = -i;
          if (current) current.malformed = true;
        }
        break;
      case 40: case 91: case 123:
        depth++;
        i++;
        break;
      case 41: case 93: case 125:
        if (depth > 0) depth--;
        i++;
        break;
      case 58: /* : */
        if (depth === 0 && current && current.headerEnd < 0) current.headerEnd = i + 1;
        i++;
        break;
      case 59: /* ; */
        // `a = 1; b = 2` is two statements (in a def, class or compound header, what follows is their body).
        if (depth === 0 && current && (current.kind === 'simple' || current.kind === 'import')) {
          current.end = i;
          let j = i + 1;
          while (text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9 || text.charCodeAt(j) === 12) j++;
          const next = text.charCodeAt(j);
          if (j < n && next !== 10 && next !== 13 && next !== 35) {
            current = { kind: kindAt(text, j), start: j, end: n, headerEnd: -1, malformed: false };
            statements.push(current);
          } else current = null; // a trailing `;`: the statement keeps its end here
          i = j;
        } else i++;
        break;
      default:
        i++;
    }
  }
  if (current && depth > 0) current.malformed = true;
  for (const s of statements) if ((s.kind === 'def' || s.kind === 'class') && s.headerEnd < 0) s.malformed = true;
  return { statements, nestedDecorators, lineStarts };
}

/**
 * Offset after the string starting at `at` (quote char `q`), negated when the string is not terminated (a number
 * rather than an object: this runs for every string of every module); newlines inside triple quotes are recorded.
 */
function skipString(text: string, at: number, q: number, lineStarts: number[]): number {
  const n = text.length;
  if (text.charCodeAt(at + 1) === q && text.charCodeAt(at + 2) === q) {
    let i = at + 3;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 92) {
        if (text.charCodeAt(i + 1) === 10) lineStarts.push(i + 2);
        i += 2;
      } else if (c === 10) {
        lineStarts.push(i + 1);
        i++;
      } else if (c === q && text.charCodeAt(i + 1) === q && text.charCodeAt(i + 2) === q) return i + 3;
      else i++;
    }
    return -n;
  }
  let i = at + 1;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === q) return i + 1;
    if (c === 10 || c === 13) return -i; // unterminated: the line's end ends it, as for Python's tokenizer
    if (c === 92) {
      if (text.charCodeAt(i + 1) === 10) lineStarts.push(i + 2);
      i += 2;
    } else i++;
  }
  return -n;
}
