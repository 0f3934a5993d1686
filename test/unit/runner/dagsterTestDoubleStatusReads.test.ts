// The dagster test double stores and reads back what Dagster does for asset partition statuses: planned materializations
// logged when a run is created, the event log's reads (counts by partition, attempts without materializations, records
// after a cursor, the greatest storage id, event tags), runless materializations, dagster.yaml checks and dynamic
// partition key checks, each in the versions real Dagster has them (see the test double's README).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { pythonWorkspace, result, runPythonCode } from './dagsterPythonScripts';

const DEFS = `
from dagster import DailyPartitionsDefinition, Definitions, MultiPartitionsDefinition, StaticPartitionsDefinition, asset

daily = DailyPartitionsDefinition(start_date="2024-01-01")
colors = MultiPartitionsDefinition({"date": daily, "color": StaticPartitionsDefinition(["red", "blue"])})


@asset(partitions_def=daily)
def raw(context) -> None:
    pass


@asset(partitions_def=colors)
def painted(context) -> None:
    pass


@asset
def plain(context) -> None:
    pass


defs = Definitions(assets=[raw, painted, plain])
`;

const PRELUDE = `
import json, os, sys, warnings
from dagster import AssetKey, AssetMaterialization, DagsterEventType, DagsterInstance, EventRecordsFilter, MultiPartitionKey
import defs
inst = DagsterInstance.get()
job = defs.defs.get_implicit_global_asset_job_def()
def run(selection, partition_key=None, tags=None, run_id=None):
    return job.execute_in_process(instance=inst, partition_key=partition_key, tags=tags, run_id=run_id, raise_on_error=False, asset_selection=[AssetKey(s) for s in selection])
def planned(after=None):
    records = inst.get_event_records(EventRecordsFilter(event_type=DagsterEventType.ASSET_MATERIALIZATION_PLANNED, after_cursor=after), ascending=True)
    return [[r.storage_id, r.event_log_entry.run_id, r.event_log_entry.dagster_event.asset_key.path[-1], r.event_log_entry.dagster_event.partition, r.event_log_entry.user_message, r.event_log_entry.dagster_event.step_key] for r in records]
def out(**fields):
    print("RESULT " + json.dumps(fields, default=str), flush=True)
def error(fn):
    try:
        fn()
        return None
    except BaseException as exc:
        return "%s: %s" % (type(exc).__name__, exc)
`;

const script = (version: string, body: string, env: NodeJS.ProcessEnv = {}) => {
  const ws = pythonWorkspace(DEFS);
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), '');
  return runPythonCode(ws, PRELUDE + body, { DAGSTER_TEST_DOUBLE_VERSION: version, ...env }).then(result);
};

test('creating a run logs one ASSET_MATERIALIZATION_PLANNED per asset of its plan before the run starts (its partition, or none); a range run logs one without a partition before 1.11, one per key from then', { timeout: 60_000 }, async () => {
  for (const version of ['1.2.0', '1.11.0']) {
    const res = await script(version, `
one = run(["raw", "plain"], "2024-01-05", run_id="11111111-1111-4111-8111-111111111111")
start = [l.dagster_event.event_type_value for l in inst.all_logs(one.run_id) if l.dagster_event][:3]
before = inst.event_log_storage.get_maximum_record_id()
ranged = run(["raw"], tags={"dagster/asset_partition_range_start": "2024-01-07", "dagster/asset_partition_range_end": "2024-01-09"})
multi = run(["painted"], MultiPartitionKey({"date": "2024-01-02", "color": "red"}))
out(first=planned()[:2], start=start, ranged=[p[3] for p in planned(before) if p[1] == ranged.run_id], multi=[p[3] for p in planned() if p[1] == multi.run_id],
    message=[l.dagster_event.message for l in inst.all_logs(one.run_id) if l.dagster_event and l.dagster_event.event_type_value == "ASSET_MATERIALIZATION_PLANNED"][0])
`);
    assert.deepEqual(res.first.map((p: unknown[]) => p.slice(1)), [
      ['11111111-1111-4111-8111-111111111111', 'raw', '2024-01-05', '', 'raw'],
      ['11111111-1111-4111-8111-111111111111', 'plain', null, '', 'plain'],
    ], version);
    assert.deepEqual(res.start, ['ASSET_MATERIALIZATION_PLANNED', 'ASSET_MATERIALIZATION_PLANNED', 'PIPELINE_START'], 'planned before the run starts');
    assert.deepEqual(res.ranged, version === '1.2.0' ? [null] : ['2024-01-07', '2024-01-08', '2024-01-09'], version);
    assert.deepEqual(res.multi, ['red|2024-01-02'], 'a multi key: its string form, dimensions in name order');
    assert.equal(res.message, '__ASSET_JOB intends to materialize asset ["raw"]');
  }
});

test('the event log answers Dagster\'s status reads: counts by partition (a list of keys), attempts without materializations, records of any asset after a cursor, the greatest storage id, dimension tags', { timeout: 60_000 }, async () => {
  const res = await script('1.11.0', `
ok = run(["raw"], "2024-01-05")
failed_run = run(["raw"], "2024-01-06", tags={})
again = run(["raw"], "2024-01-05")
painted = run(["painted"], MultiPartitionKey({"date": "2024-01-02", "color": "blue"}))
storage = inst.event_log_storage
top = storage.get_maximum_record_id()
last = inst.get_event_records(EventRecordsFilter(event_type=DagsterEventType.ASSET_MATERIALIZATION), limit=1)[0].storage_id
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    after = inst.get_event_records(EventRecordsFilter(event_type=DagsterEventType.ASSET_MATERIALIZATION, after_cursor=last - 1), ascending=True)
attempts = storage.get_latest_asset_partition_materialization_attempts_without_materializations(AssetKey("raw"))
out(counts={"/".join(k.path): v for k, v in inst.get_materialization_count_by_partition([AssetKey("raw"), AssetKey("painted"), AssetKey("plain")]).items()},
    tuple=error(lambda: inst.get_materialization_count_by_partition((AssetKey("raw"),))),
    attempts={p: [r == failed_run.run_id, isinstance(i, int)] for p, (r, i) in attempts.items()},
    after=[[r.storage_id == last, r.event_log_entry.dagster_event.asset_key.path] for r in after], warned=[str(w.message) for w in caught],
    topIsLast=top == max(r.storage_id for r in inst.get_event_records(EventRecordsFilter(event_type=DagsterEventType.PIPELINE_SUCCESS), limit=1)),
    cursorAttempts=storage.get_latest_asset_partition_materialization_attempts_without_materializations(AssetKey("raw"), after_storage_id=top),
    tags=inst.get_event_tags_for_asset(AssetKey("painted")), materialized=sorted(inst.get_materialized_partitions(AssetKey("raw"))))
`, { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw@2024-01-06' });
  assert.deepEqual(res.counts, { raw: { '2024-01-05': 2 }, painted: { 'blue|2024-01-02': 1 }, plain: {} });
  assert.match(res.tuple, /^CheckError: Param "asset_keys" is not a list/);
  assert.deepEqual(res.attempts, { '2024-01-06': [true, true] }, 'only the failed attempt: the others were followed by a materialization');
  assert.deepEqual(res.after, [[true, ['painted']]]);
  assert.deepEqual(res.warned, ['Use fetch_materializations instead of get_event_records to fetch materialization events.']);
  assert.equal(res.topIsLast, true, 'the run\'s last event has the greatest storage id');
  assert.deepEqual(res.cursorAttempts, {});
  assert.deepEqual(res.tags, [{ 'dagster/partition/color': 'blue', 'dagster/partition/date': '2024-01-02' }]);
  assert.deepEqual(res.materialized, ['2024-01-05']);
});

test('per version: the attempts read takes after_storage_id from 1.6, report_runless_asset_event exists from 1.5, store_event_batch from 1.7, the materialization warning from 1.7', { timeout: 60_000 }, async () => {
  const body = `
storage = inst.event_log_storage
out(cursor=error(lambda: storage.get_latest_asset_partition_materialization_attempts_without_materializations(AssetKey("raw"), after_storage_id=1)),
    runless=error(lambda: inst.report_runless_asset_event(AssetMaterialization("raw", partition="2024-02-01"))),
    batch=hasattr(storage, "store_event_batch"), counts=inst.get_materialization_count_by_partition([AssetKey("raw")])[AssetKey("raw")],
    runIds=[l.run_id for l in inst.all_logs("")], jobNames=[l.job_name for l in inst.all_logs("")])
`;
  const [old, mid, current] = await Promise.all(['1.4.0', '1.5.0', '1.7.0'].map((v) => script(v, body)));
  assert.match(old.cursor, /^TypeError: .*after_storage_id/);
  assert.match(old.runless, /^AttributeError: 'DagsterInstance' object has no attribute 'report_runless_asset_event'/);
  assert.deepEqual([old.batch, old.counts], [false, {}]);
  assert.equal(mid.runless, null);
  assert.deepEqual(mid.counts, { '2024-02-01': 1 }, 'a runless materialization counts like any other');
  assert.deepEqual([mid.runIds, mid.jobNames], [[''], ['']], 'stored with run id and job name ""');
  assert.deepEqual([current.cursor, current.batch], [null, true]);
});

test('dagster.yaml is checked as Dagster does: an unknown entry is a DagsterInvalidConfigError, invalid YAML raises the YAML error, an empty file is fine', { timeout: 60_000 }, async () => {
  const ws = pythonWorkspace(DEFS);
  const open = async (yaml: string) => {
    fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), yaml);
    return result(await runPythonCode(ws, `
import json
from dagster import DagsterInstance
try:
    DagsterInstance.get()
    print("RESULT " + json.dumps({"error": None}))
except Exception as exc:
    print("RESULT " + json.dumps({"error": "%s.%s: %s" % (type(exc).__module__, type(exc).__name__, exc)}))
`)).error as string | null;
  };
  assert.equal(await open(''), null);
  assert.equal(await open('telemetry:\n  enabled: false\n'), null);
  const unknown = await open('bogus_storage:\n  x: 1\n');
  assert.match(unknown!, /^dagster\._core\.errors\.DagsterInvalidConfigError: Errors whilst loading dagster instance config at dagster\.yaml\.\n {4}Error 1: Received unexpected config entry "bogus_storage" at the root\./);
  assert.match((await open('run_storage: [unclosed\n'))!, /^yaml\.\w+\.\w+Error: /);
});

test('dynamic partitions: add_dynamic_partitions refuses a bare string and keys with "..." or control characters, is idempotent and keeps insertion order; keys list in Dagster\'s order for every kind', { timeout: 60_000 }, async () => {
  const res = await script('1.11.0', `
from dagster import DynamicPartitionsDefinition, MultiPartitionsDefinition, StaticPartitionsDefinition, DailyPartitionsDefinition
from datetime import datetime, timedelta, timezone
inst.add_dynamic_partitions("customers", ["globex", "acme"])
inst.add_dynamic_partitions("customers", ["acme", "initech"])
dyn = DynamicPartitionsDefinition(name="customers")
today = datetime.now(timezone.utc).date()
daily = DailyPartitionsDefinition(start_date=(today - timedelta(days=3)).strftime("%Y-%m-%d"))
out(bare=error(lambda: inst.add_dynamic_partitions("customers", "acme")), dots=error(lambda: inst.add_dynamic_partitions("customers", ["a...b"])),
    tab=error(lambda: inst.add_dynamic_partitions("customers", ["a\\tb"])), keys=inst.get_dynamic_partitions("customers"),
    dynamic=dyn.get_partition_keys(dynamic_partitions_store=inst), daily=daily.get_partition_keys(),
    yesterday=(today - timedelta(days=1)).strftime("%Y-%m-%d"),
    multi=[str(k) for k in MultiPartitionsDefinition({"z": StaticPartitionsDefinition(["1", "2"]), "a": dyn}).get_partition_keys(dynamic_partitions_store=inst)])
`);
  assert.equal(res.bare, 'DagsterInvalidInvocationError: partition_keys must be a sequence of strings');
  assert.equal(res.dots, "DagsterInvalidDefinitionError: ['...'] are invalid substrings in a partition key");
  assert.equal(res.tab, "DagsterInvalidDefinitionError: ['\\t'] are invalid substrings in a partition key");
  assert.deepEqual(res.keys, ['globex', 'acme', 'initech']);
  assert.deepEqual(res.dynamic, res.keys);
  assert.equal(res.daily.length, 3, 'a daily definition\'s last key is yesterday\'s (today\'s window has not ended)');
  assert.equal(res.daily[2], res.yesterday);
  assert.deepEqual(res.multi, ['globex|1', 'globex|2', 'acme|1', 'acme|2', 'initech|1', 'initech|2'], 'product order, the first dimension by name varying slowest');
});
