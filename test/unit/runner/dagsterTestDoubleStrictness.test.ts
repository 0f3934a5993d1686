// The dagster test double is as strict as real Dagster where the runner meets it (facts observed with
// real Dagster or read in Dagster's source): SQLite storage created check-then-create, job snapshots, run records, PIPELINE_* run events,
// listeners inside event handling, interrupts, wrapped errors, the filesystem IO manager and the version-dependent API.
// Each test runs small Python scripts against test/fixtures/dagster-test-double; processes that must overlap wait on a
// barrier (READY, then GO on stdin), and signals are sent once the script says its step started: no fixed sleeps.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { repoRoot } from '../project/repoRoot';
import { pythonWorkspace, result, runPythonCode, startPythonCode, together, type Py, type Running, type Ws } from './dagsterPythonScripts';

const DEFS = `
from dagster import AssetIn, DailyPartitionsDefinition, Definitions, TimeWindowPartitionMapping, asset, resource

daily = DailyPartitionsDefinition(start_date="2024-01-01")


@asset(partitions_def=daily)
def raw_events(context):
    return [context.partition_key]


@asset(partitions_def=daily)
def events(context, raw_events):
    return raw_events + ["events"]


@asset(partitions_def=daily, ins={"prev": AssetIn("events", partition_mapping=TimeWindowPartitionMapping(start_offset=-1, end_offset=-1))})
def rolling(context, prev):
    return prev


@asset(partitions_def=daily)
def broken(context):
    try:
        raise OSError("disk full")
    except OSError as exc:
        raise KeyError("no row") from exc


@asset(partitions_def=daily)
def broken_context(context):
    try:
        {}["day"]
    except KeyError:
        raise ValueError("bad row")


@asset(partitions_def=daily)
def lonely(context):
    return 1


@asset(partitions_def=daily)
def quiet(context):
    r = context.asset_partition_key_range
    w = context.asset_partitions_time_window
    context.log.info("range %s..%s window %s..%s old %s" % (r.start, r.end, w.start.date(), w.end.date(), context.partition_key_range.end))
    try:
        context.partition_key
    except Exception as exc:
        context.log.info("partition_key raised %s" % type(exc).__name__)


@resource
def db(init_context):
    raise RuntimeError("cannot connect")


@asset(required_resource_keys={"db"})
def uses_db(context):
    return 1


defs = Definitions(assets=[raw_events, events, rolling, broken, broken_context, lonely, quiet, uses_db], resources={"db": db})
`;

const PRELUDE = `
import json, os, sys
from dagster import AssetKey, DagsterEventType, DagsterInstance, EventRecordsFilter
def info(e):
    if e is None:
        return None
    return {"cls": e.cls_name, "message": e.message, "cause": info(e.cause), "context": info(getattr(e, "context", None)), "hasContext": hasattr(e, "context")}
def out(**fields):
    print("RESULT " + json.dumps(fields, default=str), flush=True)
def keys(*names):
    return [AssetKey(n) for n in names]
def job():
    import defs
    return defs.defs.get_implicit_global_asset_job_def()
`;

function workspace(source = DEFS): Ws {
  return pythonWorkspace(source);
}

function startPython(ws: Ws, body: string, env: NodeJS.ProcessEnv = {}): Running {
  return startPythonCode(ws, PRELUDE + body, env);
}

function runPython(ws: Ws, body: string, env: NodeJS.ProcessEnv = {}): Promise<Py> {
  return runPythonCode(ws, PRELUDE + body, env);
}

const OPEN_AFTER_GO = `
print("READY", flush=True)
sys.stdin.readline()
try:
    DagsterInstance.get()
    out(error=None)
except Exception as exc:
    out(error="%s.%s: %s" % (type(exc).__module__, type(exc).__name__, exc))
`;

test('four processes opening one fresh home at once collide in the check-then-create of its SQLite storage; the dagster.yaml notice goes to stderr', { timeout: 120_000 }, async () => {
  const ws = workspace();
  const outcomes = await together([1, 2, 3, 4].map(() => startPython(ws, OPEN_AFTER_GO, { DAGSTER_TEST_DOUBLE_STORAGE_RACE_SECONDS: '0.5' })));
  const errors = outcomes.map((o) => result(o).error as string | null);
  const failures = errors.filter((e): e is string => e !== null);
  assert.ok(failures.length >= 1, `no process failed: ${JSON.stringify(errors)}`);
  assert.ok(failures.length < 4, `every process failed: ${JSON.stringify(errors)}`);
  for (const f of failures) {
    assert.match(f, /^sqlite3\.(IntegrityError: UNIQUE constraint failed: alembic_version\.version_num|OperationalError: table \w+ already exists)$/);
  }
  const notice = `No dagster instance configuration file (dagster.yaml) found at ${ws.home}. Defaulting to loading and storing all metadata with ${ws.home}. If this is the desired behavior, create an empty dagster.yaml file in ${ws.home}.`;
  for (const o of outcomes) {
    assert.ok(o.stderr.includes(notice), o.stderr);
    assert.ok(!o.stdout.includes('No dagster instance'), 'the notice is on stderr only');
  }
  assert.ok(fs.existsSync(path.join(ws.home, 'history', 'runs.db')));
  // Once created, the home opens for everyone; with a dagster.yaml there is no notice.
  fs.writeFileSync(path.join(ws.home, 'dagster.yaml'), '');
  const later = await runPython(ws, 'DagsterInstance.get()\nout(error=None)');
  assert.equal(result(later).error, null);
  assert.equal(later.stderr, '');
});

test('two first runs of a new job at once: before 1.3 one can fail on the job snapshot\'s id; from 1.3 the insert tolerates it', { timeout: 120_000 }, async () => {
  const runOnce = (runId: string): string => `
inst = DagsterInstance.get()
print("READY", flush=True)
sys.stdin.readline()
try:
    job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id="${runId}", raise_on_error=False, asset_selection=keys("lonely"))
    out(error=None)
except Exception as exc:
    out(error="%s.%s: %s" % (type(exc).__module__, type(exc).__name__, exc))
`;
  for (const [version, collides] of [['1.2.0', true], ['1.3.0', false]] as const) {
    const ws = workspace();
    assert.equal((await runPython(ws, 'DagsterInstance.get()')).code, 0);
    const env = { DAGSTER_TEST_DOUBLE_VERSION: version, DAGSTER_TEST_DOUBLE_STORAGE_RACE_SECONDS: '0.5' };
    const errors = (await together([startPython(ws, runOnce('run-1'), env), startPython(ws, runOnce('run-2'), env)])).map((o) => result(o).error);
    if (collides) {
      assert.ok(errors.includes('sqlite3.IntegrityError: UNIQUE constraint failed: snapshots.snapshot_id'), JSON.stringify(errors));
      assert.ok(errors.includes(null), JSON.stringify(errors));
    } else {
      assert.deepEqual(errors, [null, null]);
    }
  }
});

test('a run id the instance already has raises DagsterRunAlreadyExists with an empty message; run records answer has_run, get_run_by_id and get_runs', { timeout: 60_000 }, async () => {
  const r = await runPython(workspace(), `
from dagster import DagsterRunStatus, RunsFilter
from dagster._core.errors import DagsterRunAlreadyExists
inst = DagsterInstance.get()
first = job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id="run-a", tags={"dagster/backfill": "bf1"}, raise_on_error=False, asset_selection=keys("lonely"))
try:
    job().execute_in_process(instance=inst, partition_key="2024-01-06", run_id="run-a", raise_on_error=False, asset_selection=keys("lonely"))
    again = None
except DagsterRunAlreadyExists as exc:
    again = {"cls": "%s.%s" % (type(exc).__module__, type(exc).__name__), "message": str(exc)}
run = inst.get_run_by_id("run-a")
ids = lambda f: [r.run_id for r in inst.get_runs(filters=f)]
out(again=again, success=first.success, has=[inst.has_run("run-a"), inst.has_run("nope")], missing=inst.get_run_by_id("nope"),
    status=run.status.name, jobName=run.job_name, tags=run.tags, runCount=len(inst.get_runs()),
    byTag=ids(RunsFilter(tags={"dagster/backfill": "bf1"})), byOtherTag=ids(RunsFilter(tags={"dagster/backfill": "bf2"})),
    byStatus=ids(RunsFilter(statuses=[DagsterRunStatus.SUCCESS])), byFailure=ids(RunsFilter(statuses=[DagsterRunStatus.FAILURE])),
    byId=ids(RunsFilter(run_ids=["run-a"])), statuses=[s.name for s in DagsterRunStatus],
    secondStored=os.path.exists(os.path.join(os.environ["DAGSTER_HOME"], "storage", "lonely", "2024-01-06")))
`);
  const res = result(r);
  assert.deepEqual(res.again, { cls: 'dagster._core.errors.DagsterRunAlreadyExists', message: '' });
  assert.equal(res.success, true);
  assert.deepEqual(res.has, [true, false]);
  assert.equal(res.missing, null);
  assert.equal(res.status, 'SUCCESS');
  assert.equal(res.jobName, '__ASSET_JOB');
  assert.deepEqual(res.tags, { 'dagster/backfill': 'bf1', 'dagster/partition': '2024-01-05' });
  assert.equal(res.runCount, 1);
  assert.equal(res.secondStored, false, 'the refused run executed nothing');
  assert.deepEqual([res.byTag, res.byOtherTag, res.byStatus, res.byFailure, res.byId], [['run-a'], [], ['run-a'], [], ['run-a']]);
  for (const s of ['QUEUED', 'NOT_STARTED', 'STARTING', 'STARTED', 'SUCCESS', 'FAILURE', 'CANCELING', 'CANCELED']) assert.ok(res.statuses.includes(s), s);
});

test('report_run_canceled writes a run-canceled event (value PIPELINE_CANCELED) to the event log and marks the run CANCELED', { timeout: 60_000 }, async () => {
  const res = result(await runPython(workspace(), `
inst = DagsterInstance.get()
job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id="run-c", raise_on_error=False, asset_selection=keys("lonely"))
event = inst.report_run_canceled(inst.get_run_by_id("run-c"))
last = inst.all_logs("run-c")[-1]
try:
    inst.report_run_canceled("run-c")
    refused = None
except Exception as exc:
    refused = type(exc).__name__
out(status=inst.get_run_by_id("run-c").status.name, event=event.event_type_value, member=DagsterEventType.RUN_CANCELED.value,
    last=[last.dagster_event.event_type_value, last.user_message, last.level], refused=refused)
`));
  assert.equal(res.status, 'CANCELED');
  assert.equal(res.event, 'PIPELINE_CANCELED');
  assert.equal(res.member, 'PIPELINE_CANCELED');
  assert.deepEqual(res.last, ['PIPELINE_CANCELED', 'This run has been marked as canceled from outside the execution context.', 40]);
  assert.equal(res.refused, 'CheckError', 'a run id is not a DagsterRun');
});

test('a successful run\'s events come in Dagster\'s order, run events as PIPELINE_*, each with its message; a materialization is stored before its STEP_SUCCESS is delivered', { timeout: 60_000 }, async () => {
  const res = result(await runPython(workspace(), `
inst = DagsterInstance.get()
seen, stored_before_success = [], {}
def listener(entry):
    event = entry.dagster_event
    if event is None:
        return
    seen.append([event.event_type_value, event.step_key, entry.user_message])
    if event.event_type_value == "STEP_SUCCESS":
        records = inst.get_event_records(EventRecordsFilter(DagsterEventType.ASSET_MATERIALIZATION, asset_key=AssetKey(event.step_key), asset_partitions=["2024-01-05"]))
        stored_before_success[event.step_key] = [r.event_log_entry.run_id for r in records]
inst.add_event_listener("run-o", listener)
res = job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id="run-o", raise_on_error=False, asset_selection=keys("events", "raw_events"))
out(seen=seen, allEvents=[e.event_type_value for e in res.all_events], stored=stored_before_success, success=res.success,
    values=[DagsterEventType.RUN_START.value, DagsterEventType.RUN_SUCCESS.value, DagsterEventType.RUN_FAILURE.value, DagsterEventType.STEP_SKIPPED.value])
`));
  assert.equal(res.success, true);
  const seen = res.seen as [string, string | null, string][];
  assert.deepEqual(seen.map(([kind, step]) => (step ? `${kind} ${step}` : kind)), [
    // Logged by create_run, before the run starts: one planned materialization per asset of the plan.
    'ASSET_MATERIALIZATION_PLANNED raw_events', 'ASSET_MATERIALIZATION_PLANNED events',
    'PIPELINE_START', 'ENGINE_EVENT', 'RESOURCE_INIT_STARTED', 'RESOURCE_INIT_SUCCESS', 'LOGS_CAPTURED',
    'STEP_START raw_events', 'STEP_OUTPUT raw_events', 'ASSET_MATERIALIZATION raw_events', 'HANDLED_OUTPUT raw_events', 'STEP_SUCCESS raw_events',
    'STEP_START events', 'LOADED_INPUT events', 'STEP_INPUT events', 'STEP_OUTPUT events', 'ASSET_MATERIALIZATION events', 'HANDLED_OUTPUT events', 'STEP_SUCCESS events',
    'ENGINE_EVENT', 'PIPELINE_SUCCESS',
  ]);
  // The result's events are the execution's: the planned materializations were logged when the run was created.
  assert.deepEqual(res.allEvents, seen.map(([kind]) => kind).filter((kind) => kind !== 'ASSET_MATERIALIZATION_PLANNED'));
  assert.deepEqual(seen.filter(([kind]) => kind === 'ASSET_MATERIALIZATION_PLANNED').map(([, , message]) => message), ['', ''], 'report_dagster_event logs them with an empty user_message');
  const message = (kind: string, step: string | null): string => seen.find(([k, s]) => k === kind && s === step)![2];
  assert.equal(message('PIPELINE_START', null), 'Started execution of run for "__ASSET_JOB".');
  assert.equal(message('STEP_START', 'raw_events'), 'Started execution of step "raw_events".');
  assert.equal(message('LOADED_INPUT', 'events'), 'Loaded input "raw_events" using input manager "io_manager", from output "result" of step "raw_events"');
  assert.equal(message('HANDLED_OUTPUT', 'events'), 'Handled output "result" using IO manager "io_manager"');
  assert.equal(message('PIPELINE_SUCCESS', null), 'Finished execution of run for "__ASSET_JOB".');
  assert.deepEqual(res.stored, { raw_events: ['run-o'], events: ['run-o'] });
  assert.deepEqual(res.values, ['PIPELINE_START', 'PIPELINE_SUCCESS', 'PIPELINE_FAILURE', 'STEP_SKIPPED']);
});

test('after a failed step the steps depending on it are not executed (an error log, no step event), independent steps run; step stats say so', { timeout: 60_000 }, async () => {
  const res = result(await runPython(workspace(), `
import dagster
from dagster._core.execution.stats import StepEventStatus
inst = DagsterInstance.get()
res = job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id="run-f", raise_on_error=False, asset_selection=keys("rolling", "events", "lonely", "raw_events"))
logs = inst.all_logs("run-f")
out(success=res.success, status=inst.get_run_by_id("run-f").status.name,
    steps=["%s %s" % (e.event_type_value, e.step_key) for e in res.all_events if e.step_key],
    errors=[[l.step_key, l.user_message] for l in logs if l.dagster_event is None and l.level == 40],
    runFailure=[e.message for e in res.all_events if e.event_type_value == "PIPELINE_FAILURE"],
    stats=[[s.step_key, s.status.name] for s in inst.get_run_step_stats("run-f")],
    statusType=type(inst.get_run_step_stats("run-f")[0].status) is StepEventStatus,
    members=[m.name for m in StepEventStatus], topLevel=hasattr(dagster, "StepEventStatus"))
`, { DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw_events' }));
  assert.equal(res.success, false);
  assert.equal(res.status, 'FAILURE');
  assert.deepEqual(res.steps, [
    'STEP_START raw_events', 'STEP_FAILURE raw_events',
    'STEP_START lonely', 'STEP_OUTPUT lonely', 'ASSET_MATERIALIZATION lonely', 'HANDLED_OUTPUT lonely', 'STEP_SUCCESS lonely',
  ]);
  assert.deepEqual(res.errors, [
    ['events', "Dependencies for step events failed: ['raw_events']. Not executing."],
    ['rolling', "Dependencies for step rolling were not executed: ['events']. Not executing."],
  ]);
  assert.deepEqual(res.runFailure, ['Execution of run for "__ASSET_JOB" failed. Steps failed: [\'raw_events\'].']);
  assert.deepEqual(res.stats, [['raw_events', 'FAILURE'], ['lonely', 'SUCCESS']]);
  assert.equal(res.statusType, true);
  assert.deepEqual(res.members, ['SKIPPED', 'SUCCESS', 'FAILURE', 'IN_PROGRESS']);
  assert.equal(res.topLevel, false, 'Dagster keeps StepEventStatus in dagster._core.execution.stats');
});

const FAILURES = `
inst = DagsterInstance.get()
def failures(run_id, selection, partition_key="2024-01-05", tags=None):
    res = job().execute_in_process(instance=inst, partition_key=partition_key, run_id=run_id, tags=tags, raise_on_error=False, asset_selection=keys(*selection))
    wanted = ("STEP_FAILURE", "PIPELINE_FAILURE", "RESOURCE_INIT_FAILURE")
    return {"success": res.success, "kinds": [e.event_type_value for e in res.all_events],
            "errors": [[e.event_type_value, info(e.event_specific_data.error)] for e in res.all_events if e.event_type_value in wanted]}
range_tags = {"dagster/asset_partition_range_start": "2024-01-05", "dagster/asset_partition_range_end": "2024-01-07"}
out(compute=failures("r1", ["broken"]), context=failures("r2", ["broken_context"]), load=failures("r3", ["rolling"]),
    handle=failures("r4", ["lonely"], None, range_tags), none=failures("r5", ["quiet"], None, range_tags), resource=failures("r6", ["uses_db"], None),
    logs=[l.user_message for l in inst.all_logs("r5") if l.dagster_event is None])
`;

test('failures are SerializableErrorInfo as Dagster shapes them: the wrapper (compute, load input, handle output, resource init), then the user\'s own cause and context chain', { timeout: 60_000 }, async () => {
  for (const version of ['1.11.0', '1.2.0']) {
    const ws = workspace();
    const res = result(await runPython(ws, FAILURES, { DAGSTER_TEST_DOUBLE_VERSION: version }));
    const stepError = (name: string) => res[name].errors.find((e: [string, unknown]) => e[0] === 'STEP_FAILURE')[1];
    const modern = version === '1.11.0';
    // Compute: the wrapper's message is format_exception_only text; the user's KeyError keeps its own cause.
    const compute = stepError('compute');
    assert.equal(compute.cls, 'DagsterExecutionStepExecutionError');
    assert.equal(compute.message, 'dagster._core.errors.DagsterExecutionStepExecutionError: Error occurred while executing op "broken":\n');
    assert.deepEqual([compute.cause.cls, compute.cause.message, compute.cause.cause.cls, compute.cause.cause.message], ['KeyError', "KeyError: 'no row'\n", 'OSError', 'OSError: disk full\n']);
    assert.equal(compute.hasContext, modern, 'SerializableErrorInfo.context exists from 1.3');
    // An exception raised while handling another: its context (1.3+), suppressed by "from" above.
    const context = stepError('context');
    assert.equal(context.cause.cls, 'ValueError');
    assert.equal(context.cause.context?.cls ?? null, modern ? 'KeyError' : null);
    assert.equal(compute.cause.context ?? null, null);
    // Loading an input: the upstream's stored file is missing.
    const load = stepError('load');
    assert.equal(load.message, 'dagster._core.errors.DagsterExecutionLoadInputError: Error occurred while loading input "prev" of step "rolling":\n');
    assert.equal(load.cause.cls, 'FileNotFoundError');
    assert.ok(load.cause.message.includes(path.join(ws.home, 'storage', 'events', '2024-01-04')), load.cause.message);
    // Storing a range output with the filesystem IO manager; returning None stores nothing and succeeds.
    const handle = stepError('handle');
    assert.equal(handle.message, 'dagster._core.errors.DagsterExecutionHandleOutputError: Error occurred while handling output "result" of step "lonely":\n');
    if (modern) assert.match(handle.cause.message, /^dagster\._check\.CheckError: Invariant failed\. .*does not support persisting an output associated with multiple partitions/);
    else assert.equal(handle.cause.message, 'AssertionError\n');
    assert.equal(res.none.success, true);
    assert.ok(res.logs.includes('range 2024-01-05..2024-01-07 window 2024-01-05..2024-01-08 old 2024-01-07'), res.logs.join(' | '));
    assert.ok(res.logs.includes('partition_key raised DagsterInvalidInvocationError'), res.logs.join(' | '));
    // A resource whose init raises: no step starts; the run fails with DagsterResourceFunctionError caused by the user's error.
    const resource = res.resource;
    assert.equal(resource.success, false);
    assert.ok(!resource.kinds.includes('STEP_START'));
    assert.deepEqual(resource.errors.map((e: [string, { cls: string }]) => [e[0], e[1].cls]), [['RESOURCE_INIT_FAILURE', 'RuntimeError'], ['PIPELINE_FAILURE', 'DagsterResourceFunctionError']]);
    const runError = resource.errors[1][1];
    assert.equal(runError.message, 'dagster._core.errors.DagsterResourceFunctionError: Error executing resource_fn on ResourceDefinition db\n');
    assert.equal(runError.cause.message, 'RuntimeError: cannot connect\n');
    // A step failure's run event carries no error of its own, as Dagster's.
    assert.deepEqual(res.compute.errors.map((e: [string, unknown]) => [e[0], e[1] === null]), [['STEP_FAILURE', false], ['PIPELINE_FAILURE', true]]);
  }
});

test('the filesystem IO manager pickles asset outputs under storage/<asset>/<partition> and loads an upstream asset parameter from there', { timeout: 60_000 }, async () => {
  const ws = workspace();
  const res = result(await runPython(ws, `
import pickle
inst = DagsterInstance.get()
ok = job().execute_in_process(instance=inst, partition_key="2024-01-05", raise_on_error=False, asset_selection=keys("raw_events", "events"))
stored = lambda *p: pickle.load(open(os.path.join(os.environ["DAGSTER_HOME"], "storage", *p), "rb"))
alone = job().execute_in_process(instance=inst, partition_key="2024-01-09", raise_on_error=False, asset_selection=keys("events"))
failure = [info(e.event_specific_data.error) for e in alone.all_events if e.event_type_value == "STEP_FAILURE"][0]
out(ok=ok.success, raw=stored("raw_events", "2024-01-05"), events=stored("events", "2024-01-05"), alone=alone.success, failure=failure)
`));
  assert.equal(res.ok, true);
  assert.deepEqual(res.raw, ['2024-01-05']);
  assert.deepEqual(res.events, ['2024-01-05', 'events'], 'events got raw_events\' stored value as its parameter');
  assert.equal(res.alone, false);
  assert.equal(res.failure.cls, 'DagsterExecutionLoadInputError');
  assert.equal(res.failure.cause.message, `FileNotFoundError: [Errno 2] No such file or directory: '${path.join(ws.home, 'storage', 'raw_events', '2024-01-09')}'\n`);
});

test('listeners run inside event handling: a raise fails the step after its output was stored; a raise on a run event escapes execute_in_process', { timeout: 60_000 }, async () => {
  const res = result(await runPython(workspace(), `
inst = DagsterInstance.get()
def raising(when, once):
    state = {"raised": False}
    def listener(entry):
        kind = entry.dagster_event.event_type_value if entry.dagster_event else None
        if (kind == when or state["raised"]) and not (once and state["raised"]):
            state["raised"] = True
            raise BrokenPipeError(32, "Broken pipe")
    return listener
def attempt(run_id, listener):
    inst.add_event_listener(run_id, listener)
    try:
        res = job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id=run_id, raise_on_error=False, asset_selection=keys("raw_events"))
        outcome = {"success": res.success, "failure": [info(e.event_specific_data.error) for e in res.all_events if e.event_type_value == "STEP_FAILURE"]}
    except BaseException as exc:
        outcome = {"raised": type(exc).__name__}
    records = inst.get_event_records(EventRecordsFilter(DagsterEventType.ASSET_MATERIALIZATION, asset_key=AssetKey("raw_events")))
    outcome.update(status=inst.get_run_by_id(run_id).status.name, materialized=[r.event_log_entry.run_id for r in records].count(run_id),
                   stored=[l.dagster_event.event_type_value for l in inst.all_logs(run_id) if l.dagster_event and l.step_key])
    return outcome
out(once=attempt("l1", raising("ASSET_MATERIALIZATION", True)), always=attempt("l2", raising("ASSET_MATERIALIZATION", False)),
    start=attempt("l3", raising("PIPELINE_START", True)))
`));
  // Raising once, on the materialization: the user's code ran and its output was handled; the step then fails.
  assert.equal(res.once.success, false);
  assert.equal(res.once.status, 'FAILURE');
  assert.equal(res.once.failure[0].cls, 'BrokenPipeError');
  assert.equal(res.once.failure[0].message, 'BrokenPipeError: [Errno 32] Broken pipe\n');
  assert.equal(res.once.materialized, 1, 'the materialization was stored before the listener raised');
  assert.deepEqual(res.once.stored, ['ASSET_MATERIALIZATION_PLANNED', 'STEP_START', 'STEP_OUTPUT', 'ASSET_MATERIALIZATION', 'STEP_FAILURE']);
  // Raising on every event from then on (a dead pipe): the failure events are stored, then the error escapes.
  assert.deepEqual([res.always.raised, res.always.status, res.always.materialized], ['BrokenPipeError', 'FAILURE', 1]);
  assert.ok(res.always.stored.includes('STEP_FAILURE'));
  // Raising on the run's start: nothing runs and the run stays STARTED.
  assert.deepEqual([res.start.raised, res.start.status, res.start.stored], ['BrokenPipeError', 'STARTED', ['ASSET_MATERIALIZATION_PLANNED']]);
});

const INTERRUPTIBLE = `
import signal
def own_int(signo, frame):
    print("OWN SIGINT", flush=True)
def own_term(signo, frame):
    print("OWN SIGTERM", flush=True)
signal.signal(signal.SIGINT, own_int)
signal.signal(signal.SIGTERM, own_term)
inst = DagsterInstance.get()
def listener(entry):
    if entry.dagster_event and entry.dagster_event.event_type_value == "STEP_START":
        if os.environ.get("MARK_CANCELING"):
            inst.report_run_canceling(inst.get_run_by_id("run-i"))
        print("STEP STARTED", flush=True)
inst.add_event_listener("run-i", listener)
res = job().execute_in_process(instance=inst, partition_key="2024-01-05", run_id="run-i", raise_on_error=False, asset_selection=keys("raw_events", "events"))
handler = lambda s: {own_int: "own SIGINT handler", own_term: "own SIGTERM handler"}.get(signal.getsignal(s), repr(signal.getsignal(s)))
out(success=res.success, status=inst.get_run_by_id("run-i").status.name,
    steps=["%s %s" % (e.event_type_value, e.step_key) for e in res.all_events if e.step_key],
    failures=[[e.event_type_value, info(e.event_specific_data.error)] for e in res.all_events if e.event_type_value in ("STEP_FAILURE", "PIPELINE_FAILURE", "PIPELINE_CANCELED")],
    sigint=handler(signal.SIGINT), sigterm=handler(signal.SIGTERM))
`;

test('SIGTERM or SIGINT during a step becomes DagsterExecutionInterruptedError: the step and the run fail, later steps do not run, SIGINT\'s handler is restored and SIGTERM follows it', { timeout: 120_000 }, async () => {
  const interrupt = async (signal: NodeJS.Signals, env: NodeJS.ProcessEnv = {}) => {
    const running = startPython(workspace(), INTERRUPTIBLE, { DAGSTER_TEST_DOUBLE_SLEEP: '120@2024-01-05', ...env });
    running.child.stdin.end();
    await running.waitFor('STEP STARTED');
    running.child.kill(signal);
    const r = await running.done;
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!r.stdout.includes('OWN SIG'), 'the capture does not chain to the handler it replaced');
    return result(r);
  };
  const [term, int, canceling] = await Promise.all([interrupt('SIGTERM'), interrupt('SIGINT'), interrupt('SIGTERM', { MARK_CANCELING: '1' })]);
  for (const res of [term, int]) {
    assert.equal(res.success, false);
    assert.equal(res.status, 'FAILURE');
    assert.deepEqual(res.steps, ['STEP_START raw_events', 'STEP_FAILURE raw_events']);
    const [step, run] = res.failures;
    assert.equal(step[0], 'STEP_FAILURE');
    assert.deepEqual([step[1].cls, step[1].message], ['DagsterExecutionInterruptedError', 'dagster._core.errors.DagsterExecutionInterruptedError\n']);
    assert.deepEqual([run[0], run[1].cls], ['PIPELINE_FAILURE', 'DagsterExecutionInterruptedError']);
    assert.equal(res.sigint, 'own SIGINT handler');
    assert.equal(res.sigterm, 'own SIGINT handler', 'Dagster maps SIGTERM to SIGINT\'s handler when it restores it');
  }
  // A run marked CANCELING before the interrupt ends CANCELED, as Dagster's terminated runs do.
  assert.equal(canceling.status, 'CANCELED');
  assert.deepEqual(canceling.failures.map((f: [string, { cls: string }]) => [f[0], f[1].cls]), [['STEP_FAILURE', 'DagsterExecutionInterruptedError'], ['PIPELINE_CANCELED', 'DagsterExecutionInterruptedError']]);
});

test('per version: deps= and backfill_policy= are TypeErrors before 1.4 and 1.6, non_argument_deps creates the dependency in every version, unknown keywords are TypeErrors', { timeout: 60_000 }, async () => {
  const ws = workspace();
  const script = `
from dagster import AssetKey, DailyPartitionsDefinition, Definitions, asset, job, op
def error_of(fn):
    try:
        fn()
        return None
    except TypeError as exc:
        return str(exc)
daily = DailyPartitionsDefinition(start_date="2024-01-01")
@asset(partitions_def=daily, non_argument_deps={"raw_events"})
def by_name(context):
    return 1
@asset(partitions_def=daily, non_argument_deps={AssetKey("raw_events")})
def by_key(context):
    return 1
@asset(partitions_def=daily)
def raw_events(context):
    return 1
inst = DagsterInstance.get()
defs = Definitions(assets=[by_name, by_key, raw_events])
res = defs.get_implicit_global_asset_job_def().execute_in_process(instance=inst, partition_key="2024-01-05", raise_on_error=False)
out(deps=error_of(lambda: asset(deps=[AssetKey("raw_events")])(lambda: None)), policy=error_of(lambda: asset(backfill_policy=None)(lambda: None)),
    unknown=[error_of(lambda: asset(bogus=1)), error_of(lambda: op(bogus=1)), error_of(lambda: job(bogus=1)), error_of(lambda: Definitions(bogus=1))],
    started=[e.step_key for e in res.all_events if e.event_type_value == "STEP_START"],
    abandoned=sorted(l.step_key for l in inst.all_logs(res.run_id) if l.dagster_event is None and l.level == 40))
`;
  const unknown = ["asset() got an unexpected keyword argument 'bogus'", "op() got an unexpected keyword argument 'bogus'", "job() got an unexpected keyword argument 'bogus'", "Definitions.__init__() got an unexpected keyword argument 'bogus'"];
  const expectations = [
    ['1.2.0', "asset() got an unexpected keyword argument 'deps'", "asset() got an unexpected keyword argument 'backfill_policy'"],
    ['1.5.0', null, "asset() got an unexpected keyword argument 'backfill_policy'"],
    ['1.6.0', null, null],
  ] as const;
  for (const [version, deps, policy] of expectations) {
    const res = result(await runPython(ws, script, { DAGSTER_TEST_DOUBLE_VERSION: version, DAGSTER_TEST_DOUBLE_FAIL_STEP: 'raw_events' }));
    assert.equal(res.deps, deps, version);
    assert.equal(res.policy, policy, version);
    assert.deepEqual(res.unknown, unknown, version);
    // Listed first, the dependents still wait for raw_events; when it fails they are not executed.
    assert.deepEqual(res.started, ['raw_events'], version);
    assert.deepEqual(res.abandoned, ['by_key', 'by_name'], version);
  }
  // The quickstart's deps=[AssetKey(...)] form fails at import under 1.2, as the spec observed.
  const quickstart = fs.readFileSync(path.join(repoRoot(), 'examples', 'quickstart', 'definitions.py'), 'utf8');
  if (quickstart.includes('deps=[')) {
    fs.writeFileSync(path.join(ws.cwd, 'quickstart_defs.py'), quickstart);
    const r = await runPython(ws, 'import quickstart_defs', { DAGSTER_TEST_DOUBLE_VERSION: '1.2.0' });
    assert.match(r.stderr, /TypeError: asset\(\) got an unexpected keyword argument 'deps'/);
  }
});
