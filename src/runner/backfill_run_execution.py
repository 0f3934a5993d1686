"""Executes one run request and translates Dagster's event log entries into protocol events."""
import sys

from backfill_dagster_api import execute, job_for_targets
from backfill_event_channel import error_info
from backfill_run_partition import resolve_partition

STEP_EVENTS = {"STEP_START": "step_started", "STEP_SUCCESS": "step_succeeded", "STEP_FAILURE": "step_failed"}


def serializable_error(error):
    """Dagster's SerializableErrorInfo as protocol error; a step's wrapper error gives way to the user's cause."""
    if error is None:
        return None
    while getattr(error, "cls_name", None) == "DagsterExecutionStepExecutionError" and getattr(error, "cause", None) is not None:
        error = error.cause
    stack = getattr(error, "stack", None) or []
    return {
        "class": getattr(error, "cls_name", None) or "Error",
        "message": (getattr(error, "message", "") or "").strip(),
        "stack": "".join(stack) if isinstance(stack, (list, tuple)) else str(stack),
    }


class EventTranslator:
    """Turns event log entries into protocol events; remembers the first step failure for the run's outcome."""

    def __init__(self, channel):
        self.channel = channel
        self.first_failure = None
        self.run_failure = None
        self.dagster_run_id = None
        self.seen = set()

    def __call__(self, entry):
        # A listener and the result's event list can both deliver an entry: each is reported once.
        marker = id(entry)
        if marker in self.seen:
            return
        self.seen.add(marker)
        try:
            self.translate(entry)
        except Exception as exc:  # a surprising entry must never break the run
            self.channel.emit("log", level="WARNING", message="could not translate a Dagster event: %s" % exc)

    def translate(self, entry):
        event = getattr(entry, "dagster_event", None)
        step = getattr(entry, "step_key", None)
        if event is None:
            self.channel.emit("log", level=level_name(entry), message=getattr(entry, "user_message", "") or "", step=step)
            return
        kind = getattr(event, "event_type_value", None)
        if kind == "RUN_START":
            self.dagster_run_id = entry.run_id
            self.channel.emit("run_started", dagsterRunId=entry.run_id)
        elif kind in STEP_EVENTS:
            fields = {"step": event.step_key}
            if kind == "STEP_FAILURE":
                fields["error"] = serializable_error(getattr(event.event_specific_data, "error", None))
                if self.first_failure is None:
                    self.first_failure = fields["error"]
            self.channel.emit(STEP_EVENTS[kind], **fields)
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            partition = materialization.partition
            # A multi key arrives as a MultiPartitionKey: the protocol carries its string form.
            self.channel.emit("asset_materialized", asset="/".join(materialization.asset_key.path), partition=None if partition is None else str(partition), step=event.step_key)
        elif kind == "RUN_FAILURE":
            self.run_failure = serializable_error(getattr(event.event_specific_data, "error", None))
        elif getattr(entry, "user_message", None):
            self.channel.emit("log", level=level_name(entry), message=entry.user_message, step=step, dagsterEvent=kind)


def level_name(entry):
    import logging

    level = getattr(entry, "level", 20)
    return logging.getLevelName(level) if isinstance(level, int) else str(level)


def execute_request(dagster, loaded, instance, request, channel):
    """Runs one request; returns True on success. Every outcome ends with exactly one run_finished event."""
    translator = EventTranslator(channel)
    try:
        job = job_for_targets(dagster, loaded, request, channel)
        run_partition = resolve_partition(dagster, loaded, job, instance, request, channel)
        run_id = request.get("runId")
        streaming = bool(run_id) and hasattr(instance, "add_event_listener")
        if streaming:
            instance.add_event_listener(run_id, translator)
        else:
            channel.emit("api", path="ExecuteInProcessResult.all_events (events reported when the run ends)")
        result = execute(dagster, job, instance, request, run_partition, channel)
        for entry in getattr(result, "all_events", []) if not streaming else []:
            translator(entry_for(entry, result))
        success = bool(result.success)
        error = None if success else (translator.first_failure or translator.run_failure or {"class": "DagsterRunFailure", "message": "the run failed", "stack": ""})
        flush_output()
        channel.emit("run_finished", status="SUCCESS" if success else "FAILURE", dagsterRunId=getattr(result, "run_id", translator.dagster_run_id), error=error)
        return success
    except Exception as exc:
        flush_output()
        channel.emit("run_finished", status="FAILURE", dagsterRunId=translator.dagster_run_id, error=error_info(exc))
        return False
    finally:
        subscribers = getattr(instance, "_subscribers", None)
        if isinstance(subscribers, dict) and request.get("runId") in subscribers:
            # A warm worker serves many runs: drop this run's listener so it is not kept alive.
            subscribers.pop(request.get("runId"), None)


def entry_for(event, result):
    """ExecuteInProcessResult.all_events holds DagsterEvents; wrap them like the log entries listeners receive."""
    if hasattr(event, "dagster_event"):
        return event

    class Entry:
        dagster_event = event
        run_id = getattr(result, "run_id", None)
        step_key = getattr(event, "step_key", None)
        user_message = getattr(event, "message", None)
        level = 20

    return Entry()


def flush_output():
    # The run's prints belong before its end: push them into the pipes first.
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass
