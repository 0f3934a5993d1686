// Reads a YAML file (backfills.yaml, workspace.yaml) through the `yaml` package into nodes that remember their
// 1-based line and column, so every diagnostic built on them points at the place in the file.
import { isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, Scalar } from 'yaml';
import type { Document, Node as YNode, Pair } from 'yaml';
import { YamlError } from './yamlNode';
import type { YamlEntry, YamlMapping, YamlNode } from './yamlNode';

export { YamlError } from './yamlNode';
export type { YamlEntry, YamlMapping, YamlNode, YamlScalar, YamlSequence } from './yamlNode';

/** Parses `text` (the contents of `file`); returns null for a document without content. Throws YamlError. */
export function parseYamlDocument(file: string, text: string): YamlNode | null {
  const lines = new LineCounter();
  // Duplicate keys are checked while reading the tree, to name the line of the first one.
  const docs = parseAllDocuments(text, { lineCounter: lines, merge: true, uniqueKeys: false, prettyErrors: false });
  const at = (offset: number): { line: number; column: number } => {
    const { line, col } = lines.linePos(offset);
    return { line, column: col };
  };
  if ('empty' in docs) {
    // An empty stream: only comments, directives or nothing at all.
    const problem = docs.errors[0];
    if (problem) throw located(file, at(problem.pos[0]), problem.message);
    return null;
  }
  const list: Document[] = docs;
  for (const doc of list) {
    const problem = doc.errors[0];
    if (problem) throw located(file, at(problem.pos[0]), problem.message);
  }
  // `---` with nothing after it is a document whose content is an empty null: no content, as an empty file.
  const withContent = list.filter((d) => d.contents !== null && !(isScalar(d.contents) && d.contents.value === null && !d.contents.source));
  if (withContent.length > 1) {
    throw new YamlError(file, at(withContent[1]!.range?.[0] ?? 0).line, 1, 'only one YAML document is allowed ("---" starts a second one)');
  }
  const doc = withContent[0];
  if (!doc || doc.contents === null) return null;
  return new TreeReader(file, doc, at).read(doc.contents as YNode);
}

/** The `yaml` package's messages end with their own position; ours lead with it. */
function located(file: string, where: { line: number; column: number }, message: string): YamlError {
  return new YamlError(file, where.line, where.column, message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '').trim());
}

class TreeReader {
  constructor(
    private readonly file: string,
    private readonly doc: Document,
    private readonly at: (offset: number) => { line: number; column: number },
  ) {}

  read(node: YNode | null | undefined, fallback = 0): YamlNode {
    if (isAlias(node)) {
      const target = node.resolve(this.doc) as YNode | undefined;
      if (!target) {
        const where = this.at(node.range?.[0] ?? fallback);
        throw new YamlError(this.file, where.line, where.column, `the alias *${node.source} names no anchor: define &${node.source} before it`);
      }
      return this.read(target, node.range?.[0] ?? fallback);
    }
    const where = this.at(node?.range?.[0] ?? fallback);
    if (!node) return { kind: 'scalar', value: null, text: '', quoted: false, ...where };
    if (isScalar(node)) return this.scalar(node, where);
    if (isSeq(node)) return { kind: 'sequence', items: node.items.map((item) => this.read(item as YNode, node.range?.[1] ?? fallback)), ...where };
    if (isMap(node)) return this.mapping(node.items as Pair[], where);
    throw new YamlError(this.file, where.line, where.column, 'unsupported YAML node');
  }

  private scalar(node: Scalar, where: { line: number; column: number }): YamlNode {
    const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE;
    const raw = node.value;
    const text = typeof raw === 'string' ? raw : String(node.source ?? raw ?? '');
    // Only null, booleans and decimal integers resolve: "3.5", big numbers and dates stay text, as written.
    const resolves = raw === null || typeof raw === 'boolean' || (typeof raw === 'number' && Number.isSafeInteger(raw) && /^[-+]?\d+$/.test(text));
    const value = resolves ? raw as null | boolean | number : text;
    return { kind: 'scalar', value, text, quoted, ...where };
  }

  private mapping(pairs: Pair[], where: { line: number; column: number }): YamlMapping {
    const entries: YamlEntry[] = [];
    const seen = new Map<string, number>();
    const add = (entry: YamlEntry, merged: boolean): void => {
      const first = seen.get(entry.key);
      if (first !== undefined) {
        if (merged) return; // a merged key never overrides one written in the mapping itself
        throw new YamlError(this.file, entry.line, entry.column, `duplicate key "${entry.key}" (first defined on line ${first})`);
      }
      seen.set(entry.key, entry.line);
      entries.push(entry);
    };
    const merges: YamlMapping[] = [];
    for (const pair of pairs) {
      if (!isPair(pair)) continue;
      const keyNode = pair.key as YNode | null;
      const keyAt = this.at(keyNode?.range?.[0] ?? 0);
      if (isScalar(keyNode) && (typeof keyNode.value === 'symbol' || (keyNode.value === '<<' && keyNode.type === Scalar.PLAIN))) {
        // Merge keys: `<<: *base` or `<<: [*a, *b]`, earlier sources winning, keys written here winning over all.
        const source = this.read(pair.value as YNode);
        const sources = source.kind === 'sequence' ? source.items : [source];
        for (const s of sources) {
          if (s.kind !== 'mapping') throw new YamlError(this.file, s.line, s.column, 'a merge key ("<<") takes a mapping or a list of mappings');
          merges.push(s);
        }
        continue;
      }
      if (!isScalar(keyNode)) throw new YamlError(this.file, keyAt.line, keyAt.column, 'a key must be a plain or quoted text, not a list or mapping');
      const key = String(keyNode.value ?? '');
      add({ key, ...keyAt, value: this.read(pair.value as YNode, keyNode.range?.[1] ?? 0) }, false);
    }
    for (const source of merges) for (const entry of source.entries) add(entry, true);
    return { kind: 'mapping', entries, ...where };
  }
}
