// The discovery fixtures (docs examples, a multi-package project with Definitions) against their expected definitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverDefinitions } from '../../../src/core/definitions/discoverDefinitions';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';

const fixtures = path.resolve(__dirname, '../../../../test/fixtures/discovery');

/** The `defs --json` projection plus located diagnostics: everything a fixture pins down. */
async function discovered(folder: string) {
  const d = await discoverDefinitions(new NodeSourceFiles(path.join(fixtures, folder)));
  return {
    assets: d.assets.map((a) => ({ key: a.key, group: a.group, file: a.location.file, line: a.location.line,
      partitions: a.partitions?.toJSON() ?? null, deps: a.deps.map((d) => ({ key: d.key, mapping: d.mapping })), backfillPolicy: a.backfillPolicy })),
    jobs: d.jobs.map((j) => ({ name: j.name, file: j.location.file, line: j.location.line, partitions: j.partitions?.toJSON() ?? null })),
    diagnostics: d.diagnostics.map((x) => `${x.location.file}:${x.location.line}:${x.location.column} ${x.severity} ${x.message}`),
  };
}

/** With UPDATE_EXPECTED=1 the fixtures' expected.json are written from discovery (then read and reviewed by hand). */
async function expected(folder: string) {
  const file = path.join(fixtures, folder, 'expected.json');
  if (process.env.UPDATE_EXPECTED === '1') fs.writeFileSync(file, `${JSON.stringify(await discovered(folder), null, 1)}\n`);
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

for (const folder of ['docs_examples', 'multi_package', 'docs_snippets', 'legacy_repository', 'dg_project']) {
  test(`fixture ${folder}: every asset, job and diagnostic exactly as expected.json`, async () => {
    const got = await discovered(folder);
    const want = await expected(folder);
    assert.deepEqual(got.assets, want.assets);
    assert.deepEqual(got.jobs, want.jobs);
    assert.deepEqual(got.diagnostics, want.diagnostics);
  });
}

test('multi_package: names resolve across modules (relative, star with __all__, aliases, f-strings, datetime arithmetic)', async () => {
  const got = await discovered('multi_package');
  const byKey = new Map(got.assets.map((a) => [a.key.join('/'), a]));
  // START = YEAR + "-01-" + "01" in constants.py, imported by partitions.py, imported by raw.py.
  assert.equal((byKey.get('warehouse/raw_orders')?.partitions as { start: string }).start, '2024-01-01T00:00:00+00:00');
  // f"{START}-00:00" with Europe/Paris.
  assert.equal((byKey.get('warehouse/raw_clicks')?.partitions as { start: string }).start, '2024-01-01T00:00:00+01:00');
  // datetime(2024, 3, 1) - timedelta(days=1)
  assert.equal((byKey.get('launch_report')?.partitions as { start: string }).start, '2024-02-29T00:00:00+00:00');
  // The multi-partitioned asset, dimensions sorted by name.
  assert.deepEqual((byKey.get('orders_by_region')?.partitions as { dimensions: { name: string }[] }).dimensions.map((d) => d.name), ['date', 'region']);
  // A mapping held in a variable is the variable's text; a multi-line one is rendered on one line.
  assert.deepEqual(byKey.get('orders_by_day')?.deps, [
    { key: ['warehouse', 'raw_orders'], mapping: 'dg.TimeWindowPartitionMapping(start_offset=-1, end_offset=0)' },
    { key: ['warehouse', 'clicks'], mapping: 'TimeWindowPartitionMapping(start_offset=-1)' },
  ]);
  // The config function of nightly_export lives in configs.py.
  const nightly = got.jobs.find((j) => j.name === 'nightly_export');
  assert.equal((nightly?.partitions as { cron: string }).cron, '0 2 * * *');
  // Only what Definitions lists: tests/test_assets.py's asset is reported, not loaded.
  assert.ok(!byKey.has('scratch_asset'));
  assert.ok(got.diagnostics.some((d) => d.startsWith("tests/test_assets.py:5:1 warning asset 'scratch_asset' is not listed in Definitions")));
});

/** `name@location/repository` of every asset and job of a fixture, as Dagster's GraphQL selectors would name them. */
async function locatedNames(folder: string): Promise<string[]> {
  const d = await discoverDefinitions(new NodeSourceFiles(path.join(fixtures, folder)));
  return [...d.assets, ...d.jobs].map((x) => `${x.kind === 'asset' ? x.key.join('/') : x.name}@${x.codeLocation?.name}/${x.codeLocation?.repositoryName}`).sort();
}

test('docs_snippets: each Definitions or @repository module is its own location, the package imported by its own name', async () => {
  assert.deepEqual(await locatedNames('docs_snippets'), [
    'continent_job@dict_repository.py/continents',
    'do_stuff_partitioned@date_partitioned_job.py/__repository__',
    'monthly_revenue@__init__.py/__repository__',
    'regional_sales@legacy_repository.py/regions_repository',
    'regional_sales@static_partitioned_asset.py/__repository__',
    'regional_summary@legacy_repository.py/regions_repository',
    'regional_summary@static_partitioned_asset.py/__repository__',
    'regions_job@legacy_repository.py/regions_repository',
    'revenue_growth@__init__.py/__repository__',
    'web_job@asset_job_schedule.py/__repository__',
    'web_logs@asset_job_schedule.py/__repository__',
    'web_sessions@asset_job_schedule.py/__repository__',
  ]);
});

test('legacy_repository: workspace.yaml locations, a with_resources repository and a dict one with a lazy job', async () => {
  assert.deepEqual(await locatedNames('legacy_repository'), [
    'activity/weekly_activity@repository.py/legacy_project',
    'activity_job@repository.py/legacy_project',
    'comments@repository.py/legacy_project',
    'core_job@repository.py/legacy_project',
    'hourly_sync@ops/ops_repository',
    'items@repository.py/legacy_project',
    'nightly_vacuum@ops/ops_repository',
  ]);
});

test('dg_project: one location, the @definitions function loading the defs folder', async () => {
  assert.deepEqual(await locatedNames('dg_project'), [
    'cleaned_orders@dg-project/__repository__', 'ingest_job@dg-project/__repository__',
    'raw_orders@dg-project/__repository__', 'weekly_report@dg-project/__repository__',
  ]);
});
