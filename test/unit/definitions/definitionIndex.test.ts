// Incremental discovery: a changed file is re-parsed alone and only the modules that consulted it are re-read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

const files: Record<string, string> = {
  'proj/__init__.py': '',
  'proj/parts.py': 'import dagster as dg\n\ndaily = dg.DailyPartitionsDefinition(start_date="2024-01-01")\n',
  'proj/a.py': 'import dagster as dg\nfrom proj.parts import daily\n\n@dg.asset(partitions_def=daily)\ndef a(): ...\n',
  'proj/b.py': 'import dagster as dg\n\n@dg.asset\ndef b(): ...\n',
  'proj/c.py': 'import dagster as dg\nfrom proj.a import a\n\n@dg.asset(deps=[a])\ndef c(): ...\n',
  'proj/util.py': 'def helper():\n    return 1\n',
};

function load(): DefinitionIndex {
  const index = new DefinitionIndex();
  index.update(Object.entries(files).map(([path, text]) => ({ path, text })));
  index.snapshot();
  return index;
}

test('changing a partitions module re-reads only the modules whose definitions used it', () => {
  const index = load();
  assert.deepEqual([...index.recomputed].sort(), ['proj/a.py', 'proj/b.py', 'proj/c.py', 'proj/parts.py']);
  index.update([{ path: 'proj/parts.py', text: files['proj/parts.py'].replace('2024-01-01', '2023-01-01') }]);
  const after = index.snapshot();
  assert.deepEqual([...index.recomputed].sort(), ['proj/a.py', 'proj/parts.py']);
  assert.equal(after.assets.find((x) => x.key[0] === 'a')?.partitions?.describe(), 'daily from 2023-01-01 (UTC)');
  assert.deepEqual(after.assets.find((x) => x.key[0] === 'c')?.deps, [{ key: ['a'], mapping: null }]);
});

test('renaming an asset function re-reads the modules that refer to it; unchanged text is a no-op', () => {
  const index = load();
  index.update([{ path: 'proj/util.py', text: files['proj/util.py'] }]);
  assert.equal(index.snapshot(), index.snapshot());
  index.update([{ path: 'proj/a.py', text: files['proj/a.py'].replace('@dg.asset(partitions_def=daily)', '@dg.asset(partitions_def=daily, key_prefix="k")') }]);
  const after = index.snapshot();
  assert.deepEqual([...index.recomputed].sort(), ['proj/a.py', 'proj/c.py']);
  assert.deepEqual(after.assets.find((x) => x.key.at(-1) === 'c')?.deps, [{ key: ['k', 'a'], mapping: null }]);
});

test('added and deleted files re-resolve names (a module that appears makes an import resolvable)', () => {
  const index = new DefinitionIndex();
  index.update([{ path: 'x.py', text: 'import dagster as dg\nfrom y import P\n\n@dg.asset(partitions_def=P)\ndef x(): ...\n' }]);
  assert.equal(index.snapshot().assets[0].partitions, null);
  index.update([{ path: 'y.py', text: 'import dagster as dg\nP = dg.StaticPartitionsDefinition(["a"])\n' }]);
  assert.deepEqual(index.snapshot().assets[0].partitions?.toJSON(), { kind: 'static', keys: ['a'] });
  index.update([{ path: 'y.py', text: undefined }]);
  const gone = index.snapshot();
  assert.equal(gone.assets[0].partitions, null);
  assert.match(gone.diagnostics[0].message, /partitions_def 'P' is imported from module 'y', which is outside the workspace/);
});

test('a value closed once and shared still makes every module that used it depend on what it read', () => {
  const index = new DefinitionIndex();
  const asset = (name: string) => `import dagster as dg\nfrom mid import P\n\n@dg.asset(partitions_def=P)\ndef ${name}(): ...\n`;
  index.update([
    { path: 'base.py', text: 'START = "2024-01-01"\n' },
    { path: 'mid.py', text: 'import dagster as dg\nfrom base import START\nP = dg.DailyPartitionsDefinition(start_date=START)\n' },
    { path: 'a.py', text: asset('a') },
    { path: 'b.py', text: asset('b') },
  ]);
  index.snapshot();
  index.update([{ path: 'base.py', text: 'START = "2022-01-01"\n' }]);
  const after = index.snapshot();
  assert.deepEqual([...index.recomputed].sort(), ['a.py', 'b.py']); // mid.py's own definitions never read base.py
  assert.deepEqual(after.assets.map((x) => x.partitions?.describe()), ['daily from 2022-01-01 (UTC)', 'daily from 2022-01-01 (UTC)']);
});

test('a snapshot after a one-file update equals a fresh full load of the same files', () => {
  const workspace: Record<string, string> = {
    'pyproject.toml': '[tool.dagster]\nmodule_name = "shop.definitions"\n',
    'shop/__init__.py': '',
    'shop/parts.py': 'import dagster as dg\n\ndaily = dg.DailyPartitionsDefinition(start_date="2024-01-01")\n',
    'shop/raw.py': 'import dagster as dg\nfrom shop.parts import daily\n\n@dg.asset(partitions_def=daily)\ndef orders(): ...\n\n@dg.asset(partitions_def=daily)\ndef customers(): ...\n',
    'shop/marts.py': 'import dagster as dg\nfrom shop.raw import orders\n\n@dg.asset(deps=[orders])\ndef revenue(): ...\n\n@dg.asset\ndef orders(): ...\n',
    'shop/extra.py': 'import dagster as dg\n\n@dg.asset\ndef unlisted(): ...\n\n@dg.asset\ndef picked(): ...\n',
    'shop/definitions.py': [
      'import dagster as dg',
      'from shop import raw, marts',
      'from shop.extra import picked',
      '',
      'daily_job = dg.define_asset_job("daily_job", selection=dg.AssetSelection.groups("default"))',
      '',
      'defs = dg.Definitions(',
      '    assets=[*dg.load_assets_from_modules([raw]), *dg.load_assets_from_modules([marts], key_prefix="mart"), picked],',
      '    jobs=[daily_job],',
      ')',
      '',
    ].join('\n'),
  };
  const fresh = (overrides: Record<string, string>) => {
    const index = new DefinitionIndex();
    index.update(Object.entries({ ...workspace, ...overrides }).map(([path, text]) => ({ path, text })));
    return index.snapshot();
  };
  const edits: Record<string, string>[] = [
    { 'shop/parts.py': workspace['shop/parts.py'].replace('2024-01-01', '2023-06-01') },
    { 'shop/marts.py': workspace['shop/marts.py'].replace('def revenue', 'def profit') },
    { 'shop/extra.py': workspace['shop/extra.py'].replace('def unlisted', 'def revenue') },
    { 'shop/raw.py': workspace['shop/raw.py'].replace('def customers', 'def orders') },
    { 'shop/definitions.py': workspace['shop/definitions.py'].replace(', picked]', ']') },
  ];
  const index = new DefinitionIndex();
  index.update(Object.entries(workspace).map(([path, text]) => ({ path, text })));
  const before = index.snapshot();
  assert.deepEqual(before, fresh({}));
  assert.ok(before.assets.length >= 5 && before.jobs.length === 1 && before.diagnostics.length > 0);
  for (const edit of edits) {
    const [path, text] = Object.entries(edit)[0];
    index.update([{ path, text }]);
    const after = index.snapshot();
    assert.deepEqual(after, fresh(edit), `after editing ${path}`);
    assert.notDeepEqual(after, before, `editing ${path} changes the snapshot`);
    index.update([{ path, text: workspace[path] }]);
    assert.deepEqual(index.snapshot(), before, `after restoring ${path}`);
  }
});
