// Substitutes names in a Python value by what they are bound to (across modules) and folds constant expressions.
//
// A value read in module A may be used in module B: its names must be looked up in A, not B. Closing a value
// replaces variables by their (closed) values, makes Dagster and other outside names canonical ("dagster.X",
// "datetime.datetime") and qualifies A's functions and classes ("pkg.a.fn") so B can still resolve them.
// Offsets stay those of the source that wrote each piece; an unchanged value is returned as the same object.
import type { PythonValue } from './pythonExpression';
import type { PythonNameResolver } from './pythonNameResolver';
import { foldBinary } from './pythonConstantFolding';

const MAX_DEPTH = 40;

/**
 * Closed variables, shareable between closers until a module changes (see DefinitionIndex). A shared entry
 * remembers the modules read to close it, so a module that reuses it still records them as dependencies.
 */
export interface ClosedVariables {
  get(key: string): { value: PythonValue; consulted: readonly string[] } | undefined;
  set(key: string, entry: { value: PythonValue; consulted: readonly string[] }): void;
  /** Runs `compute`, returning the modules it read. */
  track(compute: () => PythonValue): { value: PythonValue; consulted: readonly string[] };
  /** Records `consulted` as read by the computation under way. */
  replay(consulted: readonly string[]): void;
}

/** A cache private to one closer: nothing to track. */
export function privateClosedVariables(): ClosedVariables {
  const map = new Map<string, { value: PythonValue; consulted: readonly string[] }>();
  return {
    get: (key) => map.get(key),
    set: (key, entry) => void map.set(key, entry),
    track: (compute) => ({ value: compute(), consulted: [] }),
    replay: () => undefined,
  };
}

export class PythonValueCloser {
  private readonly calleeCache = new Map<string, string>();

  /** `rootPath` is the module whose code will read the closed values. */
  constructor(private readonly resolver: PythonNameResolver, readonly rootPath: string, private readonly variableCache: ClosedVariables = privateClosedVariables()) {}

  close(v: PythonValue, owner: string, depth = 0): PythonValue {
    if (depth > MAX_DEPTH) return v;
    switch (v.kind) {
      case 'name':
        return this.closeName(v, owner, depth);
      case 'list':
      case 'tuple':
      case 'set': {
        const items: PythonValue[] = [];
        let changed = false;
        for (const item of v.items) {
          const c = this.close(item, owner, depth + 1);
          if (c !== item) changed = true;
          if (c.kind === 'starred' && (c.value.kind === 'list' || c.value.kind === 'tuple' || c.value.kind === 'set')) {
            items.push(...c.value.items);
            changed = true;
          } else items.push(c);
        }
        return changed ? { ...v, items } : v;
      }
      case 'dict': {
        let changed = false;
        const entries = v.entries.map((e) => {
          const key = this.close(e.key, owner, depth + 1);
          const value = this.close(e.value, owner, depth + 1);
          if (key !== e.key || value !== e.value) changed = true;
          return { key, value };
        });
        return changed ? { ...v, entries } : v;
      }
      case 'starred': {
        const value = this.close(v.value, owner, depth + 1);
        return value === v.value ? v : { ...v, value };
      }
      case 'call': {
        let changed = false;
        const closeOne = (x: PythonValue) => {
          const c = this.close(x, owner, depth + 1);
          if (c !== x) changed = true;
          return c;
        };
        const args = v.args.map(closeOne);
        const kwargs = v.kwargs.map((k) => {
          const value = closeOne(k.value);
          return value === k.value ? k : { ...k, value };
        });
        const receiver = v.receiver ? closeOne(v.receiver) : undefined;
        const callee = v.receiver ? v.callee : this.callee(v.callee, owner);
        if (callee !== v.callee) changed = true;
        if (!changed) return v;
        return receiver ? { ...v, callee, args, kwargs, receiver } : { ...v, callee, args, kwargs };
      }
      case 'binary': {
        const left = this.close(v.left, owner, depth + 1);
        const right = this.close(v.right, owner, depth + 1);
        const folded = foldBinary(v, left, right);
        if (folded) return folded;
        return left === v.left && right === v.right ? v : { ...v, left, right };
      }
      case 'fstring': {
        const parts = v.parts.map((p) => (typeof p === 'string' ? p : this.close(p, owner, depth + 1)));
        const text: string[] = [];
        for (const p of parts) {
          if (typeof p === 'string') text.push(p);
          else if (p.kind === 'str') text.push(p.value);
          else if (p.kind === 'int') text.push(String(p.value));
          else if (p.kind === 'bool') text.push(p.value ? 'True' : 'False');
          else return { ...v, parts };
        }
        return { from: v.from, to: v.to, kind: 'str', value: text.join('') };
      }
      default:
        return v;
    }
  }

  /** The canonical callee: "dagster.X" for Dagster's, qualified for another module's functions. */
  callee(callee: string, owner: string): string {
    const key = `${owner}\0${callee}`;
    const cached = this.calleeCache.get(key);
    if (cached !== undefined) return cached;
    const b = this.resolver.resolve(owner, callee);
    let out = callee;
    if (b.kind === 'external') out = b.name;
    else if (owner !== this.rootPath && (b.kind === 'function' || b.kind === 'class')) out = `${this.resolver.names.moduleNameOf(b.path)}.${b.kind === 'function' ? b.fn.name : b.name}`;
    else if (owner !== this.rootPath && b.kind === 'module') out = b.name;
    this.calleeCache.set(key, out);
    return out;
  }

  private closeName(v: Extract<PythonValue, { kind: 'name' }>, owner: string, depth: number): PythonValue {
    const b = this.resolver.resolve(owner, v.name);
    if (b.kind === 'value') {
      // Names in a value stay as written only for the root module, so that is part of the key.
      const key = `${b.path}\0${b.name}\0${b.path === this.rootPath ? 1 : 0}`;
      const cached = this.variableCache.get(key);
      if (cached) {
        this.variableCache.replay(cached.consulted);
        return cached.value;
      }
      const entry = this.variableCache.track(() => this.close(b.value, b.path, depth + 1));
      this.variableCache.set(key, entry);
      return entry.value;
    }
    if (owner === this.rootPath) return v;
    if (b.kind === 'external') return { ...v, name: b.name };
    if (b.kind === 'function' || b.kind === 'class') {
      return { ...v, name: `${this.resolver.names.moduleNameOf(b.path)}.${b.kind === 'function' ? b.fn.name : b.name}` };
    }
    if (b.kind === 'module') return { ...v, name: b.name };
    return { ...v, name: `${this.resolver.names.moduleNameOf(owner)}.${v.name}` };
  }
}
