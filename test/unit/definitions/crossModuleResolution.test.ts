// Cross-module name resolution and evaluation through the DefinitionIndex, on small in-memory workspaces.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

function discover(files: Record<string, string>) {
  const index = new DefinitionIndex();
  index.update(Object.entries(files).map(([path, text]) => ({ path, text })));
  return { index, defs: index.snapshot() };
}

test('absolute, relative and aliased imports, `import a.b`, module attributes and packages', () => {
  const { defs } = discover({
    'proj/__init__.py': '',
    'proj/parts/__init__.py': 'from .time import daily as DAILY\n',
    'proj/parts/time.py': 'import dagster\nSTART = "2023-05-" + "01"\ndaily = dagster.DailyPartitionsDefinition(start_date=START)\n',
    'proj/keys.py': 'PREFIX = ["lake"]\n',
    'proj/assets.py': [
      'import dagster as dg',
      'import proj.keys',
      'from proj import parts',
      'from .parts import DAILY as d2',
      '',
      '@dg.asset(partitions_def=parts.DAILY, key_prefix=proj.keys.PREFIX)',
      'def a(): ...',
      '',
      '@dg.asset(partitions_def=d2, deps=[a])',
      'def b(): ...',
    ].join('\n'),
  });
  assert.deepEqual(defs.diagnostics, []);
  assert.deepEqual(defs.assets.map((x) => [x.key.join('/'), x.location.line, x.partitions?.describe(), x.deps.map((d) => d.key.join('/'))]), [
    ['lake/a', 7, 'daily from 2023-05-01 (UTC)', []],
    ['b', 10, 'daily from 2023-05-01 (UTC)', ['lake/a']],
  ]);
});

test('star imports honour __all__ and the last binding of a name wins', () => {
  const { defs } = discover({
    'consts.py': '__all__ = ["START"]\nSTART = "2024-02-01"\n_HIDDEN = "x"\nOTHER = "2020-01-01"\n',
    'assets.py': [
      'from dagster import asset, DailyPartitionsDefinition',
      'from consts import *',
      'START = "1999-01-01"',
      'from consts import START',
      '',
      '@asset(partitions_def=DailyPartitionsDefinition(start_date=START))',
      'def x(): ...',
      '',
      '@asset(partitions_def=DailyPartitionsDefinition(start_date=OTHER))',
      'def y(): ...',
    ].join('\n'),
  });
  assert.equal(defs.assets[0].partitions?.describe(), 'daily from 2024-02-01 (UTC)');
  assert.equal(defs.assets[1].partitions, null);
  assert.deepEqual(defs.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.message}`), [
    "assets.py:9 partitions_def 'OTHER' cannot be resolved: 'OTHER' is not defined in assets (assets.py); partitions unknown",
  ]);
});

test('an error in a value defined in another module is reported where it is written', () => {
  const { defs } = discover({
    'parts.py': 'import dagster as dg\n\nbad = dg.DailyPartitionsDefinition(start_date="2024-02-30")\n',
    'a.py': 'import dagster as dg\nfrom parts import bad\n\n@dg.asset(partitions_def=bad)\ndef a(): ...\n',
    'b.py': 'import dagster as dg\nfrom parts import bad\n\n@dg.asset(partitions_def=bad)\ndef b(): ...\n',
  });
  assert.deepEqual(defs.assets.map((a) => [a.key[0], a.partitions]), [['a', null], ['b', null]]);
  assert.deepEqual(defs.diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.message}`), [
    "parts.py:3:47 Start '2024-02-30' does not match the format '%Y-%m-%d'.",
  ]);
});

test('define_asset_job infers partitions from its selection; Definitions limits what is loaded', () => {
  const { defs } = discover({
    'defs.py': [
      'from dagster import AssetKey, AssetSelection, Definitions, HourlyPartitionsDefinition, asset, define_asset_job',
      'hourly = HourlyPartitionsDefinition(start_date="2024-01-01-00:00")',
      '',
      '@asset(partitions_def=hourly, group_name="g")',
      'def one(): ...',
      '',
      '@asset(group_name="g")',
      'def two(one): ...',
      '',
      '@asset',
      'def unlisted(): ...',
      '',
      'g_job = define_asset_job("g_job", AssetSelection.groups("g"))',
      'missing_job = define_asset_job("missing_job", [AssetKey("nope")])',
      'defs = Definitions(assets=[one, two], jobs=[g_job, missing_job])',
    ].join('\n'),
  });
  assert.deepEqual(defs.assets.map((a) => a.key[0]), ['one', 'two']);
  assert.deepEqual(defs.jobs.map((j) => [j.name, j.location.line, j.partitions?.describe() ?? null]), [
    ['g_job', 13, 'hourly from 2024-01-01-00:00 (UTC)'],
    ['missing_job', 14, null],
  ]);
  assert.deepEqual(defs.diagnostics.map((d) => `${d.location.line} ${d.severity} ${d.message}`), [
    "11 warning asset 'unlisted' is not listed in Definitions (defs.py:15), so Dagster does not load it",
    "14 error AssetKey(s) ['nope'] were selected, but no AssetsDefinition objects supply these keys. Make sure all keys are spelled correctly, and all AssetsDefinitions are correctly added to the `Definitions`.",
  ]);
});

test('load_assets_from_modules with key_prefix and group_name re-keys the loaded assets', () => {
  const { defs } = discover({
    'pkg/__init__.py': '',
    'pkg/raw.py': 'from dagster import asset\n\n@asset\ndef a(): ...\n\n@asset\ndef b(a): ...\n',
    'pkg/defs.py': 'import dagster as dg\nfrom pkg import raw\n\ndefs = dg.Definitions(assets=dg.load_assets_from_modules([raw], key_prefix="p", group_name="grp"))\n',
  });
  assert.deepEqual(defs.assets.map((a) => [a.key.join('/'), a.group, a.deps.map((d) => d.key.join('/'))]), [['p/a', 'grp', []], ['p/b', 'grp', ['p/a']]]);
});

test('code locations: workspace.yaml python_file, pyproject [tool.dg] defs module', () => {
  const yaml = discover({
    'workspace.yaml': 'load_from:\n  - python_file: jobs/main.py\n',
    'jobs/main.py': 'from dagster import asset\n\n@asset\ndef loaded(): ...\n',
    'jobs/other.py': 'from dagster import asset\n\n@asset\ndef not_loaded(): ...\n',
  });
  assert.deepEqual(yaml.defs.assets.map((a) => a.key[0]), ['loaded']);
  // Dagster names a python_file location by its basename (origin.py's _assign_loadable_target_origin_name).
  assert.deepEqual(yaml.index.codeLocations.map((l) => [l.name, l.files]), [['main.py', ['jobs/main.py']]]);
  const dg = discover({
    'pyproject.toml': '[project]\nname = "my-proj"\n\n[tool.dg]\ndirectory_type = "project"\n\n[tool.dg.project]\nroot_module = "my_proj"\n',
    'src/my_proj/__init__.py': '',
    'src/my_proj/defs/__init__.py': '',
    'src/my_proj/defs/sales.py': 'import dagster as dg\n\n@dg.asset\ndef sales(): ...\n',
    'scripts/adhoc.py': 'import dagster as dg\n\n@dg.asset\ndef adhoc(): ...\n',
  });
  assert.deepEqual(dg.defs.assets.map((a) => a.key[0]), ['sales']);
});

test('chained assignments, string concatenation, f-strings and date arithmetic in one module', () => {
  const { defs } = discover({
    'a.py': [
      'import datetime as dt',
      'import dagster as dg',
      'YEAR = "2023"',
      'first = also = f"{YEAR}-0" + "2-01"',
      'LATE = dt.datetime(2024, 1, 31, 23) + dt.timedelta(hours=2)',
      '',
      '@dg.asset(partitions_def=dg.DailyPartitionsDefinition(start_date=also))',
      'def a(): ...',
      '',
      '@dg.asset(partitions_def=dg.HourlyPartitionsDefinition(start_date=LATE))',
      'def b(): ...',
    ].join('\n'),
  });
  assert.deepEqual(defs.diagnostics, []);
  assert.deepEqual(defs.assets.map((x) => (x.partitions?.toJSON() as { start: string }).start), ['2023-02-01T00:00:00+00:00', '2024-02-01T01:00:00+00:00']);
});
