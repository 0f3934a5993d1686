// The discovery fixtures (docs examples, multi-package projects, a 1.2-era module) against their expected definitions and plans.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { discoverDefinitions } from '../../../src/core/definitions/discoverDefinitions';
import { NodeSourceFiles } from '../../../src/core/workspace/nodeSourceFiles';
import { definitionName } from '../../../src/core/definitions/definition';
import { selectTargets } from '../../../src/core/backfill/targetSelection';
import { planBackfill } from '../../../src/core/backfill/planBackfill';
import { BackfillWorkspace } from '../../../src/core/workspace/backfillWorkspace';

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

for (const folder of ['docs_examples', 'multi_package', 'docs_snippets', 'legacy_repository', 'dg_project', 'hacker_news', 'legacy_events']) {
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

/** The fixture's definitions as the planner and the launch form see them. */
async function definitionsOf(folder: string) {
  const d = await discoverDefinitions(new NodeSourceFiles(path.join(fixtures, folder)));
  return [...d.assets, ...d.jobs];
}

test('hacker_news: package loads group and prefix their assets; `items` parameters find s3/core/items by group', async () => {
  const got = await discovered('hacker_news');
  const byKey = new Map(got.assets.map((a) => [a.key.join('/'), a]));
  assert.deepEqual([...byKey.keys()].filter((k) => byKey.get(k)?.group === 'core'), ['s3/core/items', 'snowflake/core/comments', 'snowflake/core/stories']);
  assert.deepEqual(byKey.get('snowflake/core/comments')?.deps, [{ key: ['s3', 'core', 'items'], mapping: null }]);
  // Deps on assets loaded by the same call take its prefix; AssetIn keys outside it stay as written.
  assert.deepEqual(byKey.get('snowflake/activity_analytics/activity_daily_stats')?.deps.map((d) => d.key.join('/')),
    ['snowflake/activity_analytics/comment_daily_stats', 'snowflake/activity_analytics/story_daily_stats']);
  assert.deepEqual(byKey.get('snowflake/activity_analytics/comment_daily_stats')?.deps.map((d) => d.key.join('/')), ['snowflake/core/comments']);
  assert.deepEqual(got.diagnostics, []);
});

test('hacker_news: "Include downstream" of s3/core/items lists its two dependants, and a backfill of items* plans them', async () => {
  const all = await definitionsOf('hacker_news');
  // The launch form's list: selectTargets(all, [`${target}*`]) without the target itself (launchPanel.ts).
  const downstream = selectTargets(all, ['s3/core/items*'], 'hacker_news').map(definitionName).filter((n) => n !== 's3/core/items');
  assert.deepEqual(downstream.filter((n) => n.startsWith('snowflake/core/')), ['snowflake/core/comments', 'snowflake/core/stories']);
  const plan = planBackfill(selectTargets(all, ['s3/core/items+'], 'hacker_news'), { kind: 'range', from: '2024-01-01-00:00', to: '2024-01-01-01:00' }, new Date('2024-03-01T00:00:00Z'), { known: all });
  assert.deepEqual(plan.targets, ['s3/core/items', 'snowflake/core/comments', 'snowflake/core/stories']);
  // Same partitions, so Dagster's rule runs the three together, one run per hour.
  assert.deepEqual(plan.runs.map((r) => `${r.targets.join()}@${r.partitionKey}`), [
    's3/core/items,snowflake/core/comments,snowflake/core/stories@2024-01-01-00:00',
    's3/core/items,snowflake/core/comments,snowflake/core/stories@2024-01-01-01:00',
  ]);
});

test('legacy_events: non_argument_deps are dependencies, so raw_events* plans events and sessions after it', async () => {
  const all = await definitionsOf('legacy_events');
  const plan = planBackfill(selectTargets(all, ['raw_events*'], 'legacy_events'), { kind: 'list', keys: ['2024-01-01'] }, new Date('2024-03-01T00:00:00Z'), { known: all });
  assert.deepEqual(plan.targets, ['raw_events', 'events', 'sessions']);
  assert.deepEqual(plan.runs.map((r) => `${r.targets.join()}@${r.partitionKey}`), ['raw_events,events,sessions@2024-01-01']);
  const got = await discovered('legacy_events');
  assert.deepEqual(got.assets.find((a) => a.key.join('/') === 'events')?.deps.map((d) => d.key), [['raw_events'], ['raw', 'users']]);
});

test('legacy_events: a SourceAsset is an upstream, never a launchable target; its downstream assets are', async () => {
  const ws = new BackfillWorkspace({ root: path.join(fixtures, 'legacy_events'), origin: 'test' });
  try {
    const snapshot = await ws.refreshDefinitions();
    assert.equal(snapshot.assets.find((a) => a.key.join('/') === 'vendor/tracking_feed')?.materializable, false);
    assert.throws(() => ws.assertLaunchable({ targets: ['vendor/tracking_feed', 'raw_events'] }),
      /^BackfillPlanError: vendor\/tracking_feed is an asset Dagster declares or observes but cannot materialize .*backfill the assets downstream of it instead$/);
    ws.assertLaunchable({ targets: ['raw_events', 'raw/users', 'events'] });
  } finally {
    await ws.close();
  }
});
