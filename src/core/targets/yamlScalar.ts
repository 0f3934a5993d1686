// Quoted-scalar unescaping and plain-scalar resolution (null, booleans, integers) for the YAML subset.
import { YamlError } from './yamlNode';
import type { SourceLine } from './yamlNode';

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};
const HEX_ESCAPE_LENGTHS: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Parses the quoted scalar starting at `offset` of `line.text`; `end` is the offset just after the closing quote. */
export function parseQuotedScalar(file: string, line: SourceLine, offset: number): { value: string; end: number } {
  const text = line.text;
  const quote = text[offset];
  const fail = (at: number, message: string): YamlError => new YamlError(file, line.number, line.indent + at + 1, message);
  let value = '';
  for (let i = offset + 1; i < text.length; i++) {
    const ch = text[i]!;
    if (quote === "'") {
      if (ch !== "'") { value += ch; continue; }
      if (text[i + 1] === "'") { value += "'"; i++; continue; }
      return { value, end: i + 1 };
    }
    if (ch === '"') return { value, end: i + 1 };
    if (ch !== '\\') { value += ch; continue; }
    const esc = text[i + 1];
    if (esc === undefined) break;
    const simple = SIMPLE_ESCAPES[esc];
    if (simple !== undefined) { value += simple; i++; continue; }
    const hexLength = HEX_ESCAPE_LENGTHS[esc];
    const hex = hexLength === undefined ? '' : text.slice(i + 2, i + 2 + hexLength);
    if (hexLength === undefined || !new RegExp(`^[0-9A-Fa-f]{${hexLength}}$`).test(hex)) {
      throw fail(i, `invalid escape "\\${hexLength === undefined ? esc : esc + hex}" in a double-quoted string`);
    }
    const codePoint = parseInt(hex, 16);
    if (codePoint > 0x10ffff) throw fail(i, `escape "\\${esc}${hex}" is not a Unicode code point`);
    value += String.fromCodePoint(codePoint);
    i += 1 + hexLength;
  }
  const kind = quote === '"' ? 'double' : 'single';
  throw fail(offset, `unterminated ${kind}-quoted string (quoted values must end on the same line)`);
}

/** YAML core-schema resolution, limited to what a config file needs; floats and everything else stay strings. */
export function plainScalarValue(text: string): string | number | boolean | null {
  if (text === '' || text === '~' || text === 'null' || text === 'Null' || text === 'NULL') return null;
  if (text === 'true' || text === 'True' || text === 'TRUE') return true;
  if (text === 'false' || text === 'False' || text === 'FALSE') return false;
  if (/^[-+]?[0-9]+$/.test(text)) {
    const n = Number(text);
    if (Number.isSafeInteger(n)) return n;
  }
  return text;
}
