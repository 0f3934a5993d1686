// Python source text of a value: as written when it is one line of one place, else rendered on one line.
import type { PythonValue } from './pythonExpression';

/**
 * `written` is the text the value's offsets cover (possibly in another module). Text that contains names
 * substituted by discovery, or spans lines, is rendered instead, with Dagster's names unprefixed, so the
 * result can be evaluated again on its own (e.g. by evaluatePartitionMappingExpression).
 */
export function pythonValueSource(original: PythonValue, closed: PythonValue, written: (v: PythonValue) => string): string {
  if (writtenAsIs(original, closed)) {
    const text = written(original);
    if (!/[\r\n]/.test(text)) return text;
  }
  return renderPythonValue(closed);
}

/** True when closing only made callees canonical: every value is still the one written at the same place. */
function writtenAsIs(a: PythonValue, b: PythonValue): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.from !== b.from || a.to !== b.to) return false;
  const all = (x: PythonValue[], y: PythonValue[]) => x.length === y.length && x.every((v, i) => writtenAsIs(v, y[i]));
  switch (a.kind) {
    case 'list': case 'tuple': case 'set':
      return all(a.items, (b as typeof a).items);
    case 'dict': {
      const e = (b as typeof a).entries;
      return a.entries.length === e.length && a.entries.every((x, i) => writtenAsIs(x.key, e[i].key) && writtenAsIs(x.value, e[i].value));
    }
    case 'call': {
      const c = b as typeof a;
      return all(a.args, c.args) && all(a.kwargs.map((k) => k.value), c.kwargs.map((k) => k.value))
        && (!a.receiver || (c.receiver !== undefined && writtenAsIs(a.receiver, c.receiver)));
    }
    case 'name':
      return true;
    default:
      return false;
  }
}

export function renderPythonValue(v: PythonValue): string {
  switch (v.kind) {
    case 'str': return pythonStringLiteral(v.value);
    case 'int': case 'float': return Number.isInteger(v.value) && v.kind === 'float' ? `${v.value}.0` : String(v.value);
    case 'bool': return v.value ? 'True' : 'False';
    case 'none': return 'None';
    case 'list': return `[${v.items.map(renderPythonValue).join(', ')}]`;
    case 'tuple': return v.items.length === 1 ? `(${renderPythonValue(v.items[0])},)` : `(${v.items.map(renderPythonValue).join(', ')})`;
    case 'set': return v.items.length === 0 ? 'set()' : `{${v.items.map(renderPythonValue).join(', ')}}`;
    case 'dict': return `{${v.entries.map((e) => `${renderPythonValue(e.key)}: ${renderPythonValue(e.value)}`).join(', ')}}`;
    case 'call': {
      const args = [...v.args.map(renderPythonValue), ...v.kwargs.map((k) => `${k.name}=${renderPythonValue(k.value)}`)];
      const callee = v.receiver ? `${renderPythonValue(v.receiver)}${v.callee}` : v.callee.replace(/^dagster\./, '');
      return `${callee}(${args.join(', ')})`;
    }
    case 'name': return v.name.replace(/^dagster\./, '');
    case 'binary': return `${renderPythonValue(v.left)} ${v.op} ${renderPythonValue(v.right)}`;
    case 'fstring': return `f${pythonStringLiteral(v.parts.map((p) => (typeof p === 'string' ? p.replace(/[{}]/g, '$&$&') : `{${renderPythonValue(p)}}`)).join(''))}`;
    case 'starred': return `*${renderPythonValue(v.value)}`;
    case 'unsupported': return `<${v.syntax}>`;
  }
}

function pythonStringLiteral(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/\t/g, '\\t')}"`;
}
