// Code locations as Dagster loads them: one per Definitions/@repository module, modules read once, duplicates per location.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';
import type { AssetDefinition, JobDefinition } from '../../../src/core/definitions/definition';
import { ambiguousDefinitionNames, codeLocationLabel } from '../../../src/core/definitions/ambiguousDefinitionNames';

function discover(files: Record<string, string>, folderName: string | null = null) {
  const index = new DefinitionIndex({}, folderName);
  index.update(Object.entries(files).map(([path, text]) => ({ path, text })));
  return index.snapshot();
}

const located = (d: AssetDefinition | JobDefinition) => `${d.kind === 'asset' ? d.key.join('/') : d.name}@${d.codeLocation?.name}`;
const messages = (s: ReturnType<typeof discover>) => s.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.severity} ${d.message}`);

const daily = 'from dagster import asset, DailyPartitionsDefinition\n\ndaily = DailyPartitionsDefinition(start_date="2024-01-01")\n\n';

test('a workspace folder with __init__.py is a package too: its own name imports its modules, each module read once', () => {
  const snapshot = discover({
    '__init__.py': '',
    'assets.py': `${daily}@asset(partitions_def=daily)\ndef events(): ...\n`,
    'sub/__init__.py': '',
    'sub/more.py': 'from dagster import asset\n\n@asset\ndef totals(): ...\n',
    'sub/one.py': 'from dagster import Definitions\nfrom snips.sub.more import totals\n\ndefs = Definitions(assets=[totals])\n',
    'everything.py': 'from dagster import Definitions, load_assets_from_package_module\nimport snips\n\ndefs = Definitions(assets=load_assets_from_package_module(snips))\n',
  }, 'snips');
  // Before: `import snips` did not resolve, so everything.py fell back to every asset, listed per Definitions object.
  assert.deepEqual(snapshot.assets.map(located).sort(), ['events@everything.py', 'totals@everything.py', 'totals@one.py']);
  assert.deepEqual(messages(snapshot), []);
});

test('without declared locations every Definitions module is its own location, named by its file as `dagster dev -f` names it', () => {
  const snapshot = discover({
    'shared.py': `${daily}@asset(partitions_def=daily)\ndef raw(): ...\n\n@asset\ndef unlisted(): ...\n`,
    'a/definitions.py': 'from dagster import Definitions, define_asset_job\nfrom shared import raw\n\nraw_job = define_asset_job("raw_job", selection=[raw])\ndefs = Definitions(assets=[raw], jobs=[raw_job])\n',
    'b/other_defs.py': 'from dagster import Definitions\nfrom shared import raw\n\ndefs = Definitions(assets=[raw])\n',
  });
  assert.deepEqual(snapshot.assets.map(located), ['raw@definitions.py', 'raw@other_defs.py']);
  assert.deepEqual(snapshot.jobs.map(located), ['raw_job@definitions.py']);
  assert.equal(snapshot.jobs[0].partitions?.describe(), 'daily from 2024-01-01 (UTC)');
  assert.deepEqual(snapshot.assets[0].codeLocation, { name: 'definitions.py', root: '', entryFiles: ['a/definitions.py'], repositoryName: '__repository__' });
  // The same key in two locations is no duplicate: each location has its own, and faces name the location.
  assert.deepEqual([...ambiguousDefinitionNames(snapshot)], ['raw']);
  assert.deepEqual(snapshot.assets.map(codeLocationLabel), ['definitions.py', 'other_defs.py']);
  assert.deepEqual(messages(snapshot), ["shared.py:9 warning asset 'unlisted' is not listed in Definitions (a/definitions.py:5, b/other_defs.py:4), so Dagster does not load it"]);
});

test('two Definitions objects in one module are the error Dagster raises; a key twice in one location is Dagster\'s duplicate error', () => {
  const snapshot = discover({
    'defs.py': [
      'from dagster import Definitions, asset',
      '',
      '@asset(key="orders")',
      'def orders_a(): ...',
      '',
      '@asset(key="orders")',
      'def orders_b(): ...',
      '',
      'defs = Definitions(assets=[orders_a, orders_b])',
      'other = Definitions(assets=[orders_a])',
      '',
    ].join('\n'),
  });
  assert.deepEqual(messages(snapshot), [
    "defs.py:7 error Duplicate asset key: AssetKey(['orders']) (also defined at defs.py:4); Dagster does not load the code location",
    'defs.py:10 error Cannot have more than one Definitions object defined at module scope. Found Definitions objects: defs.defs, defs.other (Dagster loads none of them; all are listed here)',
  ]);
});

test('a declared module whose __init__ imports its Definitions object loads what that object lists', () => {
  const snapshot = discover({
    'pyproject.toml': '[tool.dagster]\nmodule_name = "shop"\n',
    'shop/__init__.py': 'from .definitions import defs\n',
    'shop/assets.py': `${daily}@asset(partitions_def=daily)\ndef orders(): ...\n\n@asset\ndef scratch(): ...\n`,
    'shop/definitions.py': 'from dagster import Definitions\nfrom .assets import orders\n\ndefs = Definitions(assets=[orders])\n',
  });
  // Before: only shop/__init__.py's own definitions (none) were taken as the location's.
  assert.deepEqual(snapshot.assets.map(located), ['orders@shop']);
  assert.deepEqual(messages(snapshot), ["shop/assets.py:9 warning asset 'scratch' is not listed in Definitions (shop/definitions.py:4), so Dagster does not load it"]);
});

test('a module without Definitions loads the assets in its namespace, imported ones included', () => {
  const snapshot = discover({
    'assets.py': `${daily}@asset(partitions_def=daily)\ndef orders(): ...\n`,
    'reexport.py': 'import dagster\nfrom assets import orders\n',
  });
  assert.deepEqual(snapshot.assets.map(located), ['orders@assets.py', 'orders@reexport.py']);
  assert.deepEqual(messages(snapshot), []);
});

test('a star import puts the imported module\'s definitions in the namespace a declared module loads', () => {
  const snapshot = discover({
    'pyproject.toml': '[tool.dagster]\nmodule_name = "pipeline"\n',
    'pipeline/__init__.py': 'from .assets import *\n',
    'pipeline/assets.py': `${daily}@asset(partitions_def=daily)\ndef orders(): ...\n\n@asset\ndef _private(): ...\n`,
  });
  // Dagster loads what the module's namespace holds: `_private` is not bound by the star import.
  assert.deepEqual(snapshot.assets.map(located), ['orders@pipeline']);
});

test('a workspace.yaml module that does not exist is a warning on its line saying what is listed instead', () => {
  const snapshot = discover({
    'workspace.yaml': 'load_from:\n  - python_module: missing.defs\n',
    'assets.py': 'from dagster import asset\n\n@asset\ndef a(): ...\n',
  });
  assert.deepEqual(messages(snapshot), ["workspace.yaml:2 warning code location 'missing.defs': module 'missing.defs' was not found in the workspace; every definition under the workspace root is listed instead"]);
  assert.deepEqual(snapshot.assets.map(located), ['a@missing.defs']);
});
