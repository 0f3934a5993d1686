// Asset selections as written in define_asset_job (lists, query strings, AssetSelection.*) and their evaluation.
import type { AssetDefinition } from './definition';
import type { DecoratedDefinitionContext } from './decoratedDefinitionContext';
import type { PythonValue } from './pythonExpression';
import { PythonEvaluationError, describePythonValue } from './pythonExpression';
import { assetKeyFromPython, assetReferenceFromPython } from './assetKeyFromPython';

export type AssetSelection =
  | { kind: 'all' }
  | { kind: 'keys'; keys: string[][] }
  | { kind: 'groups'; groups: string[] }
  | { kind: 'union' | 'intersection' | 'difference'; left: AssetSelection; right: AssetSelection }
  | { kind: 'upstream' | 'downstream'; of: AssetSelection; depth: number | null; includeSelf: boolean };

/** Reads a selection; throws PythonEvaluationError naming what cannot be read statically. */
export function assetSelectionFromPython(ctx: DecoratedDefinitionContext, raw: PythonValue | undefined): AssetSelection {
  if (!raw) return { kind: 'all' };
  const v = ctx.module.close(raw);
  switch (v.kind) {
    case 'none':
      return { kind: 'all' };
    case 'str':
      return selectionQuery(v.value, v.from);
    case 'list':
    case 'tuple':
      return v.items.map((item) => selectionItem(ctx, item)).reduce<AssetSelection>((a, b) => ({ kind: 'union', left: a, right: b }), { kind: 'keys', keys: [] });
    case 'name':
      return selectionItem(ctx, v);
    case 'binary': {
      const kind = v.op === '|' ? 'union' : v.op === '&' ? 'intersection' : v.op === '-' ? 'difference' : null;
      if (!kind) throw new PythonEvaluationError(v.from, `selection operator ${v.op} is not an AssetSelection operator (|, &, -)`);
      return { kind, left: assetSelectionFromPython(ctx, v.left), right: assetSelectionFromPython(ctx, v.right) };
    }
    case 'call':
      return selectionCall(ctx, v);
    default:
      throw new PythonEvaluationError(v.from, `selection must be a list of assets or keys, a string or an AssetSelection, got ${describePythonValue(v)}`);
  }
}

function selectionItem(ctx: DecoratedDefinitionContext, item: PythonValue): AssetSelection {
  const v = ctx.module.close(item);
  if (v.kind === 'str') return selectionQuery(v.value, v.from);
  if (v.kind === 'name') {
    const keys = ctx.assetKeysOfFunction?.(v.name);
    if (keys) return { kind: 'keys', keys };
  }
  if (v.kind === 'call' && v.receiver) return selectionCall(ctx, v);
  return { kind: 'keys', keys: [assetReferenceFromPython(item, ctx.module, ctx.assetKeyOfFunction).key] };
}

function selectionCall(ctx: DecoratedDefinitionContext, v: Extract<PythonValue, { kind: 'call' }>): AssetSelection {
  if (v.receiver) {
    const of = assetSelectionFromPython(ctx, v.receiver);
    const method = v.callee.slice(1);
    if (method === 'upstream' || method === 'downstream') {
      const depth = v.kwargs.find((k) => k.name === 'depth')?.value ?? v.args[0];
      const self = v.kwargs.find((k) => k.name === 'include_self')?.value ?? v.args[1];
      return { kind: method, of, depth: depth?.kind === 'int' ? depth.value : null, includeSelf: self?.kind !== 'bool' || self.value };
    }
    if (method === 'required_multi_asset_neighbors') return of;
    throw new PythonEvaluationError(v.from, `AssetSelection method ${method}() is not evaluated by discovery`);
  }
  const symbol = ctx.module.scope.dagsterSymbol(v.callee);
  if (symbol === 'AssetSelection.all') return { kind: 'all' };
  if (symbol === 'AssetSelection.groups') {
    return { kind: 'groups', groups: v.args.map((a) => {
      const s = ctx.module.close(a);
      if (s.kind !== 'str') throw new PythonEvaluationError(s.from, `AssetSelection.groups() takes group names, got ${describePythonValue(s)}`);
      return s.value;
    }) };
  }
  if (symbol === 'AssetSelection.keys') {
    return { kind: 'keys', keys: v.args.map((a) => {
      const s = ctx.module.close(a);
      return s.kind === 'str' ? s.value.split('/') : assetKeyFromPython(s, ctx.module, 'AssetSelection.keys()');
    }) };
  }
  if (symbol === 'AssetSelection.assets') {
    return v.args.map((a) => selectionItem(ctx, a)).reduce<AssetSelection>((a, b) => ({ kind: 'union', left: a, right: b }), { kind: 'keys', keys: [] });
  }
  throw new PythonEvaluationError(v.from, `selection ${v.callee}(...) is not evaluated by discovery (supported: AssetSelection.all/groups/keys/assets, |, &, -, .upstream(), .downstream())`);
}

/** Dagster's query strings: "*" (all), "key:a/b", "group:g", "a/b" with `*` / `+` for upstream and downstream. */
export function selectionQuery(query: string, offset: number): AssetSelection {
  const q = query.trim();
  if (q === '*') return { kind: 'all' };
  const m = /^(\*|\+*)([^*+]+?)(\*|\+*)$/.exec(q);
  if (!m) throw new PythonEvaluationError(offset, `selection query ${JSON.stringify(query)} is not understood by discovery`);
  const body = m[2].trim();
  let base: AssetSelection;
  if (body.startsWith('group:')) base = { kind: 'groups', groups: [body.slice(6).replace(/^"|"$/g, '')] };
  else base = { kind: 'keys', keys: [body.replace(/^key:/, '').replace(/^"|"$/g, '').split('/')] };
  const depthOf = (s: string) => (s === '*' ? null : s.length);
  if (m[1]) base = { kind: 'upstream', of: base, depth: depthOf(m[1]), includeSelf: true };
  if (m[3]) base = { kind: 'downstream', of: base, depth: depthOf(m[3]), includeSelf: true };
  return base;
}

/** The assets a selection picks among `assets` (in their order); `missing` gets keys named but not found. */
export function selectAssets(selection: AssetSelection, assets: readonly AssetDefinition[], missing: string[][] = []): AssetDefinition[] {
  const byKey = new Map(assets.map((a) => [a.key.join('/'), a]));
  const picked = evaluate(selection, assets, byKey, missing);
  return assets.filter((a) => picked.has(a.key.join('/')));
}

function evaluate(s: AssetSelection, assets: readonly AssetDefinition[], byKey: Map<string, AssetDefinition>, missing: string[][]): Set<string> {
  switch (s.kind) {
    case 'all':
      return new Set(byKey.keys());
    case 'keys': {
      for (const k of s.keys) if (!byKey.has(k.join('/'))) missing.push(k);
      return new Set(s.keys.map((k) => k.join('/')).filter((k) => byKey.has(k)));
    }
    case 'groups':
      return new Set(assets.filter((a) => s.groups.includes(a.group)).map((a) => a.key.join('/')));
    case 'union': {
      const out = evaluate(s.left, assets, byKey, missing);
      for (const k of evaluate(s.right, assets, byKey, missing)) out.add(k);
      return out;
    }
    case 'intersection': {
      const right = evaluate(s.right, assets, byKey, missing);
      return new Set([...evaluate(s.left, assets, byKey, missing)].filter((k) => right.has(k)));
    }
    case 'difference': {
      const right = evaluate(s.right, assets, byKey, missing);
      return new Set([...evaluate(s.left, assets, byKey, missing)].filter((k) => !right.has(k)));
    }
    case 'upstream':
    case 'downstream': {
      const start = evaluate(s.of, assets, byKey, missing);
      const next = new Map<string, string[]>();
      for (const a of assets) {
        for (const d of a.deps) {
          const [from, to] = s.kind === 'upstream' ? [a.key.join('/'), d.key.join('/')] : [d.key.join('/'), a.key.join('/')];
          next.set(from, [...(next.get(from) ?? []), to]);
        }
      }
      const out = new Set(s.includeSelf ? start : []);
      let frontier = [...start];
      for (let level = 0; frontier.length > 0 && (s.depth === null || level < s.depth); level++) {
        const following: string[] = [];
        for (const k of frontier) for (const n of next.get(k) ?? []) if (byKey.has(n) && !out.has(n)) { out.add(n); following.push(n); }
        frontier = following;
      }
      return out;
    }
  }
}
