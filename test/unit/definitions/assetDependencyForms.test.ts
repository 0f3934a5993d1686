// The dependency forms real projects write: 1.2's non_argument_deps, ins/AssetIn, deps/AssetDep, multi-asset outs and internal deps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

function discover(files: Record<string, string>) {
  const index = new DefinitionIndex();
  index.update(Object.entries(files).map(([path, text]) => ({ path, text })));
  return index.snapshot();
}

const depsByKey = (defs: ReturnType<typeof discover>) => Object.fromEntries(defs.assets.map((a) => [a.key.join('/'), a.deps.map((d) => d.key.join('/'))]));

test('non_argument_deps (1.2): a set of names, "a/b" user strings and AssetKeys are upstream keys', () => {
  const defs = discover({
    'legacy.py': [
      'from dagster import AssetKey, asset',
      '',
      '@asset',
      'def raw_events(): ...',
      '',
      '@asset(non_argument_deps={"raw_events"})',
      'def events(): ...',
      '',
      '@asset(non_argument_deps={"lake/raw_users", AssetKey(["lake", "raw_orders"])})',
      'def users(): ...',
      '',
      'UPSTREAM = ["raw_events"]',
      '',
      '@asset(non_argument_deps=UPSTREAM)',
      'def sessions(context, events): ...',
    ].join('\n'),
  });
  assert.deepEqual(depsByKey(defs), {
    raw_events: [],
    events: ['raw_events'],
    users: ['lake/raw_users', 'lake/raw_orders'],
    sessions: ['events', 'raw_events'],
  });
  assert.deepEqual(defs.assets.find((a) => a.key[0] === 'users')?.deps[0].key, ['lake', 'raw_users']);
  assert.deepEqual(defs.diagnostics, []);
});

test('deps= and non_argument_deps= together are refused as Dagster refuses them', () => {
  const defs = discover({
    'both.py': 'from dagster import asset\n\n@asset(deps=["a"], non_argument_deps={"b"})\ndef c(): ...\n',
  });
  assert.deepEqual(defs.diagnostics.map((d) => `${d.location.line} ${d.severity} ${d.message}`), [
    '3 error Cannot specify both deps and non_argument_deps to @asset. Use only deps instead.',
  ]);
});

test('multi_asset: AssetOut key_prefix and group_name, internal_asset_deps narrowing each output, deps and ins', () => {
  const defs = discover({
    'multi.py': [
      'import dagster as dg',
      '',
      'raw_crm = dg.SourceAsset(key=["lake", "raw_crm"])',
      '',
      '@dg.multi_asset(',
      '    outs={',
      '        "users": dg.AssetOut(key_prefix=["crm"], group_name="people"),',
      '        "accounts": dg.AssetOut(key_prefix=["crm"]),',
      '        "summary": dg.AssetOut(),',
      '    },',
      '    ins={"raw": dg.AssetIn(key=["lake", "raw_crm"])},',
      '    deps=["audit_log"],',
      '    internal_asset_deps={',
      '        "users": {dg.AssetKey(["lake", "raw_crm"])},',
      '        "summary": {dg.AssetKey(["crm", "users"]), dg.AssetKey("audit_log")},',
      '    },',
      ')',
      'def crm_tables(raw): ...',
      '',
      '@dg.multi_asset(outs={"one": dg.AssetOut(group_name="g1"), "two": dg.AssetOut()}, group_name="g2")',
      'def grouped_twice(): ...',
    ].join('\n'),
  });
  assert.deepEqual(defs.assets.map((a) => [a.key.join('/'), a.group, a.deps.map((d) => d.key.join('/'))]), [
    ['lake/raw_crm', 'default', []],
    ['crm/users', 'people', ['lake/raw_crm']],
    ['crm/accounts', 'default', ['lake/raw_crm', 'audit_log']],
    ['summary', 'default', ['audit_log', 'crm/users']],
    ['one', 'g1', []],
    ['two', 'g2', []],
  ]);
  // Dagster's check.invariant in @multi_asset: reported, the outputs still listed.
  assert.deepEqual(defs.diagnostics.map((d) => `${d.location.line} ${d.severity} ${d.message}`), [
    '20 error Cannot set group_name parameter on multi_asset if one or more of the AssetOuts supplied to this multi_asset have a group_name defined.',
  ]);
});

test('graph_asset and graph_multi_asset parameters are upstream assets', () => {
  const defs = discover({
    'graphs.py': [
      'from dagster import AssetOut, graph_asset, graph_multi_asset, op',
      '',
      '@op',
      'def step(x): ...',
      '',
      '@graph_asset(key_prefix=["warehouse"])',
      'def cleaned(raw_orders):',
      '    return step(raw_orders)',
      '',
      '@graph_multi_asset(outs={"a": AssetOut(), "b": AssetOut()})',
      'def split(cleaned):',
      '    return step(cleaned), step(cleaned)',
    ].join('\n'),
  });
  // `cleaned` names no key, so Dagster takes the one asset of the same group named so: warehouse/cleaned.
  assert.deepEqual(depsByKey(defs), { 'warehouse/cleaned': ['raw_orders'], a: ['warehouse/cleaned'], b: ['warehouse/cleaned'] });
});

test('SourceAsset, AssetSpec, external_assets_from_specs and observable_source_asset are upstreams Dagster cannot materialize', () => {
  const defs = discover({
    'ext.py': [
      'import dagster as dg',
      '',
      'feed = dg.SourceAsset(key=["vendor", "feed"])',
      'declared = dg.AssetSpec("declared")',
      'external = dg.external_assets_from_specs([dg.AssetSpec("lake_table")])',
      '',
      '@dg.observable_source_asset',
      'def watched(): ...',
      '',
      '@dg.asset(deps=[feed, declared, "lake_table", watched])',
      'def built(): ...',
      '',
      '@dg.multi_asset(specs=[dg.AssetSpec("made_here")])',
      'def producer(): ...',
    ].join('\n'),
  });
  assert.deepEqual(defs.assets.map((a) => [a.key.join('/'), a.materializable ?? true]), [
    ['vendor/feed', false], ['declared', false], ['lake_table', false], ['watched', false], ['built', true], ['made_here', true],
  ]);
  assert.deepEqual(defs.assets.find((a) => a.key[0] === 'built')?.deps.map((d) => d.key.join('/')), ['vendor/feed', 'declared', 'lake_table', 'watched']);
});
