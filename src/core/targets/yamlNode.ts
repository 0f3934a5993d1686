// The nodes the backfills.yaml parser produces, each with its 1-based source position, and YamlError.

export interface YamlScalar {
  kind: 'scalar';
  /** Plain null/~/empty -> null, true/false -> boolean, decimal integers -> number; anything quoted stays a string. */
  value: string | number | boolean | null;
  /** The scalar as written (unquoted and unescaped), whatever `value` it resolved to. */
  text: string;
  quoted: boolean;
  line: number;
  column: number;
}

export interface YamlSequence {
  kind: 'sequence';
  items: YamlNode[];
  line: number;
  column: number;
}

export interface YamlEntry {
  key: string;
  /** Position of the key. */
  line: number;
  column: number;
  value: YamlNode;
}

export interface YamlMapping {
  kind: 'mapping';
  entries: YamlEntry[];
  line: number;
  column: number;
}

export type YamlNode = YamlScalar | YamlSequence | YamlMapping;

/** A line with content, comments removed: `indent` spaces, then `text` (no trailing spaces). */
export interface SourceLine {
  number: number;
  indent: number;
  text: string;
}

/** A syntax error or an unsupported YAML feature; the message reads "file:line:column: reason". */
export class YamlError extends Error {
  override name = 'YamlError';

  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly reason: string,
  ) {
    super(`${file}:${line}:${column}: ${reason}`);
  }
}
