// load_assets_from_* calls and dependency resolution as Dagster applies them when a code location loads.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

function discover(files: Record<string, string>) {
  const index = new DefinitionIndex();
  index.update(Object.entries(files).map(([path, text]) => ({ path, text })));
  return index.snapshot();
}

const rows = (defs: ReturnType<typeof discover>) => defs.assets.map((a) => [a.key.join('/'), a.group, a.deps.map((d) => d.key.join('/'))]);
const messages = (defs: ReturnType<typeof discover>) => defs.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.severity} ${d.message}`);

test('a package load prefixes deps on any asset the same call loads, in any of its modules, and nothing else', () => {
  const defs = discover({
    'shop/__init__.py': '',
    'shop/raw/__init__.py': '',
    'shop/raw/orders.py': 'from dagster import SourceAsset, asset\n\nvendor = SourceAsset(key="vendor")\n\n@asset(deps=[vendor])\ndef orders(): ...\n',
    'shop/raw/nested/__init__.py': '',
    'shop/raw/nested/items.py': 'from dagster import asset\n\n@asset\ndef items(orders, payments): ...\n',
    'shop/other.py': 'from dagster import asset\n\n@asset\ndef payments(): ...\n',
    'shop/definitions.py': [
      'from dagster import Definitions, load_assets_from_modules, load_assets_from_package_module',
      'from shop import other, raw',
      '',
      'raw_assets = load_assets_from_package_module(raw, group_name="raw", key_prefix=["lake", "raw"])',
      'defs = Definitions(assets=raw_assets + load_assets_from_modules([other]))',
    ].join('\n'),
  });
  assert.deepEqual(rows(defs), [
    ['payments', 'default', []],
    ['lake/raw/items', 'raw', ['lake/raw/orders', 'payments']],
    // The SourceAsset keeps its key (and takes the group); the dep on it is left as written.
    ['vendor', 'raw', []],
    ['lake/raw/orders', 'raw', ['vendor']],
  ]);
  // payments is outside the call and keeps its key, so items' input finds it as written.
  assert.deepEqual(defs.diagnostics, []);
});

test('source_key_prefix prefixes SourceAssets and the deps on them; AssetSpecs load only with include_specs', () => {
  const defs = discover({
    'ext.py': [
      'from dagster import AssetSpec, SourceAsset, asset',
      '',
      'feed = SourceAsset(key="feed")',
      'declared = AssetSpec("declared")',
      '',
      '@asset(deps=[feed, "declared"])',
      'def cleaned(): ...',
    ].join('\n'),
    'defs.py': [
      'import dagster as dg',
      'import ext',
      '',
      'defs = dg.Definitions(assets=dg.load_assets_from_modules([ext], key_prefix="p", source_key_prefix=["src"]))',
    ].join('\n'),
  });
  assert.deepEqual(rows(defs), [['src/feed', 'default', []], ['p/cleaned', 'default', ['src/feed', 'declared']]]);
  assert.deepEqual(messages(defs), ["ext.py:4 warning asset 'declared' is not listed in Definitions (defs.py:4), so Dagster does not load it"]);

  const withSpecs = discover({
    'ext.py': 'from dagster import AssetSpec, asset\n\ndeclared = AssetSpec("declared")\n\n@asset(deps=["declared"])\ndef cleaned(): ...\n',
    'defs.py': 'import dagster as dg\nimport ext\n\ndefs = dg.Definitions(assets=dg.load_assets_from_modules([ext], key_prefix="p", include_specs=True))\n',
  });
  // With include_specs the spec is loaded, keeps its key, yet deps on it are prefixed (Dagster's key replacement).
  assert.deepEqual(rows(withSpecs), [['declared', 'default', []], ['p/cleaned', 'default', ['p/declared']]]);
});

test('an asset imported into a loaded module is loaded by that call (prefixed by it), once however often it is bound', () => {
  const defs = discover({
    'pkg/__init__.py': '',
    'pkg/raw.py': 'from dagster import asset\n\n@asset\ndef orders(): ...\n',
    'pkg/marts.py': 'from dagster import asset\nfrom pkg.raw import orders\nfrom pkg.raw import orders as again\n\n@asset(deps=[orders])\ndef revenue(): ...\n',
    'pkg/defs.py': 'import dagster as dg\nfrom pkg import marts\n\ndefs = dg.Definitions(assets=dg.load_assets_from_modules([marts], key_prefix="m"))\n',
  });
  assert.deepEqual(rows(defs), [['m/revenue', 'default', ['m/orders']], ['m/orders', 'default', []]]);
  assert.deepEqual(defs.diagnostics, []);
});

test('group_name regroups what a call loads; an asset with a group of its own is the error Dagster raises', () => {
  const defs = discover({
    'a.py': 'from dagster import asset\n\n@asset(group_name="mine")\ndef x(): ...\n\n@asset\ndef y(): ...\n',
    'defs.py': 'import dagster as dg\nimport a\n\ndefs = dg.Definitions(assets=[*dg.load_assets_from_modules([a], "grp")])\n',
  });
  assert.deepEqual(rows(defs), [['x', 'mine', []], ['y', 'grp', []]]);
  assert.deepEqual(messages(defs), [
    'a.py:4 error Asset x has group name mine, which conflicts with the group name grp provided in load_assets_from_modules (called at defs.py:4); Dagster refuses to load the code location',
  ]);
});

test('load_assets_from_current_module and load_assets_from_package_name take their group and prefix', () => {
  const defs = discover({
    'proj/__init__.py': '',
    'proj/here.py': 'from dagster import asset, load_assets_from_current_module\n\n@asset\ndef a(): ...\n\n@asset\ndef b(a): ...\n\nhere_assets = load_assets_from_current_module(group_name="here", key_prefix="h")\n',
    'proj/there/__init__.py': '',
    'proj/there/t.py': 'from dagster import asset\n\n@asset\ndef t(): ...\n',
    'proj/defs.py': [
      'from dagster import Definitions, load_assets_from_package_name',
      'from proj.here import here_assets',
      '',
      'defs = Definitions(assets=[*here_assets, *load_assets_from_package_name("proj.there", key_prefix=["th"])])',
    ].join('\n'),
  });
  assert.deepEqual(rows(defs), [['h/a', 'here', []], ['h/b', 'here', ['h/a']], ['th/t', 'default', []]]);
});

test('single names resolve as Dagster resolves them: within the group, once, never to the asset itself', () => {
  const defs = discover({
    'a.py': [
      'from dagster import asset',
      '',
      '@asset(key_prefix=["s3", "core"], group_name="core")',
      'def items(): ...',
      '',
      '@asset(key_prefix=["snowflake", "core"], group_name="core")',
      'def comments(items): ...',
      '',
      '@asset(group_name="core", deps=["items"])',
      'def counts(): ...',
      '',
      '@asset(key_prefix=["other"], group_name="elsewhere", non_argument_deps={"items"})',
      'def unmatched(): ...',
      '',
      '@asset(key_prefix=["x"], group_name="self")',
      'def looped(looped): ...',
    ].join('\n'),
  });
  assert.deepEqual(rows(defs), [
    ['s3/core/items', 'core', []],
    ['snowflake/core/comments', 'core', ['s3/core/items']],
    ['counts', 'core', ['s3/core/items']],
    // Not an input, so Dagster keeps it as an external upstream; only parameters must resolve.
    ['other/unmatched', 'elsewhere', ['items']],
    ['x/looped', 'self', ['looped']],
  ]);
  assert.deepEqual(messages(defs), [
    "a.py:16 warning Input asset 'looped' (parameter 'looped' of asset 'x/looped') is not produced by any asset discovery found in the code location and is not one of its sources; Dagster refuses to load a code location with such an input. Did you mean one of the following? x/looped",
  ]);
});

test('two assets of the group with the name leave a parameter unresolved, reported with both', () => {
  const defs = discover({
    'a.py': [
      'from dagster import asset',
      '',
      '@asset(key_prefix="one")',
      'def items(): ...',
      '',
      '@asset(key_prefix="two")',
      'def items_copy(): ...',
      '',
      '@asset(name="items", key_prefix="two")',
      'def items_again(): ...',
      '',
      '@asset',
      'def report(items): ...',
    ].join('\n'),
  });
  assert.deepEqual(defs.assets.find((a) => a.key[0] === 'report')?.deps, [{ key: ['items'], mapping: null }]);
  assert.match(messages(defs)[0], /Several assets of group 'default' are named 'items' \(one\/items, two\/items\)/);
});
