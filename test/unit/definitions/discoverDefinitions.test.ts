// Discovery over examples/quickstart and the fixtures in test/fixtures/discovery: a variety of forms, broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { AssetDefinition, SourceFiles } from '../../../src/core/definitions/definition';
import { discoverDefinitions, parsePythonDefinitions } from '../../../src/core/definitions/discoverDefinitions';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/discovery');

const folderFiles = (root: string): SourceFiles => new NodeSourceFiles(root);

const byKey = (assets: AssetDefinition[], key: string) => {
  const found = assets.find((a) => a.key.join('/') === key);
  assert.ok(found, `asset ${key} not found among ${assets.map((a) => a.key.join('/')).join(', ')}`);
  return found;
};

test('quickstart: daily assets and a job with a daily partitioned config', async () => {
  const defs = await discoverDefinitions(folderFiles(path.join(fixtures, '../../../examples/quickstart')));
  assert.deepEqual(defs.diagnostics, []);
  assert.deepEqual(defs.assets.map((a) => [a.key, a.group, a.location.line]), [[['raw_events'], 'default', 21], [['events'], 'default', 28]]);
  const events = byKey(defs.assets, 'events');
  assert.deepEqual(events.deps, [{ key: ['raw_events'], mapping: null }]);
  assert.equal(events.partitions?.toJSON().kind, 'time_window');
  assert.deepEqual(events.partitions?.keys(new Date('2024-01-03T00:00:00Z')), ['2024-01-01', '2024-01-02']);
  assert.deepEqual(defs.jobs.map((j) => [j.name, j.location.file, j.location.line]), [['do_stuff_partitioned', 'definitions.py', 45]]);
  const job = defs.jobs[0];
  assert.deepEqual(job.partitions?.toJSON(), { kind: 'time_window', cron: '0 0 * * *', start: '2021-04-01T00:00:00+00:00', end: null, timezone: 'UTC', fmt: '%Y-%m-%d', endOffset: 0 });
  assert.deepEqual(job.partitions?.keysInRange('2021-04-01', '2021-04-03', new Date('2021-05-01T00:00:00Z')), ['2021-04-01', '2021-04-02', '2021-04-03']);
});

test('variety: prefixes, names, ins, deps, variables, policies and jobs', async () => {
  const defs = await discoverDefinitions(folderFiles(path.join(fixtures, 'variety')));
  const clicks = byKey(defs.assets, 'warehouse/raw/clicks');
  assert.equal(clicks.group, 'ingest');
  assert.deepEqual(clicks.deps, []);
  assert.equal(clicks.partitions?.describe(), 'hourly from 2022-01-01-00:00 (US/Pacific)');
  const rollup = byKey(defs.assets, 'warehouse/daily_clicks');
  assert.deepEqual(rollup.deps, [
    { key: ['warehouse', 'raw', 'clicks'], mapping: 'dg.TimeWindowPartitionMapping(start_offset=-1)', mappingLocation: { file: 'assets.py', line: 23, column: 81 } },
    { key: ['lookup_table'], mapping: null },
  ]);
  assert.equal(rollup.backfillPolicy, 'BackfillPolicy.single_run()');
  assert.equal((rollup.partitions?.toJSON() as { endOffset: number }).endOffset, 1);
  const byRegion = byKey(defs.assets, 'by_region');
  assert.deepEqual(byRegion.partitions?.toJSON(), { kind: 'static', keys: ['us', 'eu', 'apac'] });
  assert.deepEqual(byRegion.deps, [
    { key: ['warehouse', 'daily_clicks'], mapping: null }, { key: ['standalone'], mapping: null },
    { key: ['ext', 'feed'], mapping: null }, { key: ['other'], mapping: 'dg.IdentityPartitionMapping()', mappingLocation: { file: 'assets.py', line: 31, column: 142 } },
  ]);
  assert.equal((byKey(defs.assets, 'weekly_report').partitions?.toJSON() as { cron: string }).cron, '0 6 * * 1');
  const imported = byKey(defs.assets, 'imported_partitions');
  assert.equal(imported.partitions, null);
  const unpartitioned = byKey(defs.assets, 'unpartitioned');
  assert.deepEqual([unpartitioned.partitions, unpartitioned.deps], [null, [{ key: ['by_region'], mapping: null }]]);

  const messages = defs.diagnostics.map((d) => `${d.location.file}:${d.location.line}:${d.location.column} ${d.severity} ${d.message}`);
  assert.deepEqual(messages, [
    // Dagster refuses these dependencies when it loads the location (validate_partition_mappings).
    "assets.py:23:81 error Invalid partition mapping from warehouse/daily_clicks to warehouse/raw/clicks: Timezones US/Pacific and UTC don't match",
    // rollup's lookup_table parameter names no asset of the file (nor one of its group): Dagster refuses that input.
    "assets.py:27:1 warning Input asset 'lookup_table' (parameter 'lookup_table' of asset 'warehouse/daily_clicks') is not produced by any asset discovery found in the code location and is not one of its sources; Dagster refuses to load a code location with such an input.",
    'assets.py:32:1 error Invalid partition mapping from by_region to warehouse/daily_clicks: Upstream and downstream partitions definitions must match, ' +
      'or a different partition mapping must be provided. Got upstream definition TimeWindowPartitionsDefinition and downstream definition StaticPartitionsDefinition',
    "assets.py:41:26 warning partitions_def 'shared_partitions' is imported from module 'my_project.partitions', which is outside the workspace; partitions unknown",
    "assets.py:41:51 warning dependency 'unknown_thing' cannot be resolved: 'unknown_thing' is not defined in assets (assets.py)",
    'assets.py:62:1 warning `dagster dev -f assets.py` refuses this module: No repository and more than one job found in "assets" (3 jobs, no Definitions object). They are listed as the backfill runner loads them; for Dagster, list them in Definitions(jobs=[...])',
  ]);

  assert.deepEqual(defs.jobs.map((j) => [j.name, j.location.line, j.partitions?.toJSON().kind ?? null]),
    [['monthly_job', 52, 'time_window'], ['weekly_job', 62, 'time_window'], ['plain_job', 67, null]]);
  assert.equal((defs.jobs[1].partitions?.toJSON() as { cron: string }).cron, '0 0 * * 1');
});

test('broken files yield what parses plus located diagnostics; files without dagster are skipped', async () => {
  const defs = await discoverDefinitions(folderFiles(path.join(fixtures, 'broken')));
  assert.deepEqual(defs.assets.map((a) => [a.key[0], a.partitions === null]), [['survives', false], ['bad_cron', true], ['bad_date', true]]);
  const messages = defs.diagnostics.map((d) => `${d.location.line}:${d.location.column} ${d.severity} ${d.message}`);
  assert.equal(messages.length, 3, messages.join('\n'));
  assert.equal(messages[0], "9:86 error Found invalid cron schedule '0 0 * * 8' for a TimeWindowPartitionsDefinition.");
  assert.equal(messages[1], "14:60 error Start '2024-02-30' does not match the format '%Y-%m-%d'.");
  assert.match(messages[2], /^19:\d+ error Python syntax error at line 19, column \d+; definitions in the unparsable part may be missing$/);
  const plain = await discoverDefinitions(folderFiles(path.join(fixtures, 'plain')));
  assert.deepEqual(plain, { assets: [], jobs: [], diagnostics: [] });
});

test('parsePythonDefinitions: bare and called decorators, aliases, and non-dagster decorators', () => {
  const text = [
    'import dagster',
    'from dagster import asset as a',
    'from other import asset',
    '',
    '@dagster.asset',
    'def one(): ...',
    '',
    '@a(group_name="g", deps=["one"])',
    'async def two(context): ...',
    '',
    '@asset',
    'def not_dagster(): ...',
  ].join('\n');
  const found = parsePythonDefinitions('pkg/mod.py', text);
  assert.deepEqual(found.assets.map((x) => [x.key, x.group, x.location]), [
    [['one'], 'default', { file: 'pkg/mod.py', line: 6, column: 1 }],
    [['two'], 'g', { file: 'pkg/mod.py', line: 9, column: 1 }],
  ]);
  assert.deepEqual(found.assets[1].deps, [{ key: ['one'], mapping: null }]);
  assert.deepEqual(found.diagnostics, []);
});
