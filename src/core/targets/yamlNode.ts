// The nodes a YAML file is read into (see yamlDocument.ts), each with its 1-based source position, and YamlError.

export interface YamlScalar {
  kind: 'scalar';
  /** Plain null/~/empty -> null, true/false -> boolean, decimal integers -> number; anything else (quoted, other numbers) is text. */
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

/** A YAML syntax error or a key problem; the message reads "file:line:column: reason". */
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
