// @repository in its forms: a list, a dict of kinds, locals, with_resources, *load_assets_from_..., inline asset jobs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DefinitionIndex } from '../../../src/core/definitions/definitionIndex';

function discover(files: Record<string, string>) {
  const index = new DefinitionIndex();
  index.update(Object.entries(files).map(([path, text]) => ({ path, text })));
  return index.snapshot();
}

const assets = [
  'from dagster import asset, DailyPartitionsDefinition, StaticPartitionsDefinition',
  '',
  'daily = DailyPartitionsDefinition(start_date="2023-01-01")',
  '',
  '@asset(partitions_def=daily)',
  'def raw_events(): ...',
  '',
  '@asset(partitions_def=daily)',
  'def cleaned_events(raw_events): ...',
  '',
  '@asset(partitions_def=StaticPartitionsDefinition(["us", "eu"]))',
  'def regions(): ...',
  '',
].join('\n');

test('a @repository returning a list: with_resources, *load_assets_from_modules, an inline define_asset_job and a schedule', () => {
  const s = discover({
    'pipeline/__init__.py': '',
    'pipeline/assets.py': assets,
    'pipeline/repository.py': [
      'from dagster import repository, with_resources, load_assets_from_modules, define_asset_job, build_schedule_from_partitioned_job, job, op',
      'from dagster_aws.s3 import s3_resource',
      'from . import assets',
      '',
      '@op',
      'def ping(): ...',
      '',
      '@job',
      'def ping_job():',
      '    ping()',
      '',
      'events_job = define_asset_job("events_job", selection=["raw_events", "cleaned_events"])',
      '',
      '@repository',
      'def analytics():',
      '    everything = load_assets_from_modules([assets])',
      '    return [',
      '        *with_resources(everything, {"s3": s3_resource}),',
      '        build_schedule_from_partitioned_job(events_job),',
      '        define_asset_job("regions_job", selection=["regions"]),',
      '        ping_job,',
      '    ]',
      '',
    ].join('\n'),
  });
  assert.deepEqual(s.diagnostics.map((d) => d.message), []);
  assert.deepEqual(s.assets.map((a) => [a.key.join('/'), a.codeLocation?.name, a.codeLocation?.repositoryName]), [
    ['raw_events', 'repository.py', 'analytics'], ['cleaned_events', 'repository.py', 'analytics'], ['regions', 'repository.py', 'analytics'],
  ]);
  assert.deepEqual(s.jobs.map((j) => [j.name, j.partitions?.describe() ?? null, j.codeLocation?.repositoryName]), [
    ['ping_job', null, 'analytics'],
    ['events_job', 'daily from 2023-01-01 (UTC)', 'analytics'],
    ['regions_job', 'static: us, eu', 'analytics'],
  ]);
});

test('a @repository returning a dict of kinds, named by name=; two repositories in one file are two repositories of one location', () => {
  const s = discover({
    'assets.py': assets,
    'repo.py': [
      'from dagster import repository, define_asset_job, ScheduleDefinition',
      'from assets import raw_events, regions',
      '',
      'daily_job = define_asset_job("daily_job", selection=["raw_events"])',
      'regions_job = define_asset_job("regions_job", selection=["regions"])',
      '',
      '@repository(name="daily_repo")',
      'def first():',
      '    return {',
      '        "jobs": {"daily_job": daily_job},',
      '        "schedules": {"nightly": ScheduleDefinition(job=daily_job, cron_schedule="0 0 * * *")},',
      '        "assets": [raw_events],',
      '    }',
      '',
      '@repository',
      'def regions_repo():',
      '    return [regions, regions_job]',
      '',
    ].join('\n'),
  });
  assert.deepEqual(s.diagnostics.map((d) => d.message), ["asset 'cleaned_events' is not listed in Definitions (repo.py:8, repo.py:16), so Dagster does not load it"]);
  assert.deepEqual(s.assets.map((a) => [a.key.join('/'), `${a.codeLocation?.name}/${a.codeLocation?.repositoryName}`]), [
    ['raw_events', 'repo.py/daily_repo'], ['regions', 'repo.py/regions_repo'],
  ]);
  assert.deepEqual(s.jobs.map((j) => [j.name, j.partitions?.describe() ?? null, j.codeLocation?.repositoryName]), [
    ['daily_job', 'daily from 2023-01-01 (UTC)', 'daily_repo'], ['regions_job', 'static: us, eu', 'regions_repo'],
  ]);
});

test('a @repository whose body cannot be read lists everything of its location, saying why', () => {
  const s = discover({
    'assets.py': assets,
    'repo.py': 'from dagster import repository\nfrom assets import raw_events\n\n@repository\ndef repo():\n    return build_everything()\n',
  });
  assert.deepEqual(s.assets.map((a) => a.key.join('/')), ['raw_events', 'cleaned_events', 'regions']);
  assert.deepEqual(s.diagnostics.map((d) => `${d.location.file}:${d.location.line} ${d.message}`),
    ["repo.py:5 @repository 'repo': a call of build_everything is not statically resolvable; every definition of the code location is listed instead"]);
});
