"""The runner's use of the Dagster instance: opening it, run ids, cancel reports, step stats and materialization checks.

Every call goes through what the installed Dagster offers (1.2 through current), reported with an `api` event.
"""
import os
import time
import uuid

OLDEST_SUPPORTED = (1, 2)
# What a first open of fresh storage, or a new job's first run, raises when a sibling process did the same a moment
# earlier: Dagster creates storage and stores job snapshots by checking, then creating, with no lock.
STORAGE_RACE_MARKERS = ("UNIQUE constraint failed", "already exists", "duplicate key value violates unique constraint")
MAX_STORAGE_RACE_WAIT = 10.0
STORAGE_RACE_CLASSES = ("IntegrityError", "OperationalError", "UniqueViolation", "DuplicateTable", "ProgrammingError")


def version_tuple(version):
    """(major, minor) of a release; None for a source build ("1!0+dev") or anything else unparseable."""
    parts = str(version).split(".")
    try:
        return int(parts[0]), int(parts[1])
    except (ValueError, IndexError):
        return None


def unsupported_version_message(version, python):
    found = version_tuple(version)
    if found is None or found >= OLDEST_SUPPORTED:
        return None
    return (
        "The Python interpreter %s has dagster %s; Backfill Studio's runner supports Dagster %d.%d and later. "
        "Upgrade dagster in it, or choose another interpreter: in VS Code run \"Backfill Studio: Select Python Interpreter\" "
        "or set backfillStudio.pythonPath; from the backfill CLI pass --python PATH or set BACKFILL_PYTHON."
        % ((python, version) + OLDEST_SUPPORTED)
    )


def is_storage_race(exc):
    """An error of Dagster's unlocked check-then-create, anywhere in the exception's cause chain."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if type(exc).__name__ in STORAGE_RACE_CLASSES and any(m in str(exc) for m in STORAGE_RACE_MARKERS):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def open_instance(dagster, workspace_root, channel):
    """The user's DAGSTER_HOME instance when set, else one under <workspace>/.backfills/dagster_home.

    A fresh home's storage is created on the first open; a sibling process creating it at the same moment makes
    this open fail with an integrity error, and the storage is then there: one more open succeeds.
    """
    home = os.environ.get("DAGSTER_HOME")
    if home:
        origin = "DAGSTER_HOME"
    else:
        home = os.path.join(workspace_root, ".backfills", "dagster_home")
        os.makedirs(home, exist_ok=True)
        # Our own home: an empty dagster.yaml is Dagster's defaults without its "no dagster.yaml found" notice in every log.
        config = os.path.join(home, "dagster.yaml")
        if not os.path.exists(config):
            open(config, "a").close()
        # User code calling DagsterInstance.get() must see the same instance as the run.
        os.environ["DAGSTER_HOME"] = home
        origin = "workspace"
    instance = open_racing_siblings(dagster, home, channel)
    channel.emit("api", path="DagsterInstance.get()", detail="%s instance at %s" % (origin, home))
    return instance


def open_racing_siblings(dagster, home, channel):
    """DagsterInstance.get(), opened again while a sibling process is still creating the fresh storage (at most ~10 s)."""
    delay, waited = 0.05, 0.0
    while True:
        try:
            return dagster.DagsterInstance.get()
        except Exception as exc:
            if not is_storage_race(exc) or waited >= MAX_STORAGE_RACE_WAIT:
                raise
            channel.emit("api", path="DagsterInstance.get()", detail="another process was creating the storage of %s (%s: %s); opening again in %.2f s" % (home, type(exc).__name__, exc, delay))
            time.sleep(delay)
            waited += delay
            delay = min(delay * 2, 1.0)


def unused_run_id(instance, run_id, channel):
    """The requested Dagster run id, unless the instance already has a run with it (Dagster refuses a second one)."""
    if not run_id or not callable(getattr(instance, "has_run", None)) or not instance.has_run(run_id):
        return run_id
    fresh = str(uuid.uuid4())
    channel.emit("api", path="DagsterInstance.has_run(%r)" % run_id, detail="the instance has a run with this id already (an earlier attempt); this attempt is Dagster run %s" % fresh)
    return fresh


def report_canceled(instance, run_id, channel):
    """Marks the run CANCELED on the instance, as Dagster does for the runs it terminates."""
    get_run, report = getattr(instance, "get_run_by_id", None), getattr(instance, "report_run_canceled", None)
    run = get_run(run_id) if callable(get_run) and run_id else None
    if run is None or not callable(report):
        channel.emit("api", path="DagsterInstance.report_run_canceled", detail="not reported: the instance has no run %r or no such method" % run_id)
        return
    report(run, message="Canceled by Backfill Studio (the user canceled the backfill)")
    channel.emit("api", path="DagsterInstance.report_run_canceled(%s)" % run_id)


def step_stats(instance, run_id):
    """Each step's status as Dagster recorded it (get_run_step_stats): SUCCESS, FAILURE, SKIPPED or IN_PROGRESS."""
    method = getattr(instance, "get_run_step_stats", None)
    if not callable(method) or not run_id:
        return None
    steps = []
    for stat in method(run_id):
        status = getattr(stat, "status", None)
        steps.append({"step": stat.step_key, "status": getattr(status, "value", None) or (str(status) if status else "IN_PROGRESS")})
    return steps


def run_status(instance, run_id):
    """The status name of a Dagster run on the instance, or None when it has no such run."""
    run = instance.get_run_by_id(run_id) if callable(getattr(instance, "get_run_by_id", None)) else None
    status = getattr(run, "status", None)
    return None if status is None else getattr(status, "value", str(status))


def materialized_since(dagster, instance, asset, partition, after_timestamp, channel):
    """Whether the asset partition was materialized after the timestamp (crash recovery)."""
    key = dagster.AssetKey(asset.split("/"))
    partitions = [partition] if partition else None
    records_filter_cls = getattr(dagster, "AssetRecordsFilter", None)
    if records_filter_cls is not None and hasattr(instance, "fetch_materializations"):
        channel.emit("api", path="DagsterInstance.fetch_materializations(AssetRecordsFilter)")
        result = instance.fetch_materializations(
            records_filter_cls(asset_key=key, asset_partitions=partitions, after_timestamp=after_timestamp), limit=1
        )
        records = result.records
    else:
        channel.emit("api", path="DagsterInstance.get_event_records(EventRecordsFilter)")
        records = instance.get_event_records(
            dagster.EventRecordsFilter(
                event_type=dagster.DagsterEventType.ASSET_MATERIALIZATION,
                asset_key=key,
                asset_partitions=partitions,
                after_timestamp=after_timestamp,
            ),
            limit=1,
        )
    if not records:
        return None
    entry = records[0].event_log_entry
    return {"runId": entry.run_id, "timestamp": entry.timestamp}
