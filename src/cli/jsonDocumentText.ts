// The text of a --json document: exactly JSON.stringify(value, null, 2), built faster for long arrays of plain values.

/**
 * JSON.stringify with an indent leaves V8's fast serializer and costs ~6x the compact form: `partitions keys` of
 * 100,000 keys spent more time there than listing them. Plain objects and arrays are walked here and each plain value
 * written compactly (the same text: a string or number has no indentation); a toJSON method is called as
 * JSON.stringify calls it; anything else (class instances, boxed values) goes through JSON.stringify itself, its lines indented to where it sits.
 */
export function jsonDocumentText(value: unknown): string | undefined {
  return textAt(value, '', '');
}

function textAt(held: unknown, key: string, indent: string): string | undefined {
  // As JSON.stringify does: a toJSON method is asked with the key the value sits under ('' at the top, the index in an array).
  const toJSON = typeof held === 'object' && held !== null ? (held as { toJSON?: unknown }).toJSON : undefined;
  const value = typeof toJSON === 'function' ? (toJSON as (key: string) => unknown).call(held, key) : held;
  if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value) && Object.getPrototypeOf(value) === Array.prototype) {
    if (value.length === 0) return '[]';
    const items = new Array<string>(value.length);
    for (let i = 0; i < value.length; i++) items[i] = textAt(value[i], String(i), inner) ?? 'null';
    return `[\n${inner}${items.join(`,\n${inner}`)}\n${indent}]`;
  }
  if (typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const members: string[] = [];
    for (const member of Object.keys(value)) {
      const text = textAt((value as Record<string, unknown>)[member], member, inner);
      if (text !== undefined) members.push(`${JSON.stringify(member)}: ${text}`);
    }
    return members.length === 0 ? '{}' : `{\n${inner}${members.join(`,\n${inner}`)}\n${indent}}`;
  }
  // Newlines in JSON text are all between tokens (a string's own are escaped), so indenting each line is exact.
  return JSON.stringify(value, null, 2)?.replace(/\n/g, `\n${indent}`);
}
