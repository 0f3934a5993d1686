"""Executes one run request and reports how it ended, as Dagster recorded it: SUCCESS, FAILURE or CANCELED."""
import sys

from backfill_dagster_api import execute, job_for_targets
from backfill_dagster_instance import is_storage_race, report_canceled, step_stats, unused_run_id
from backfill_errors import class_names, error_from_exception
from backfill_event_translator import EventTranslator
from backfill_interrupts import RunnerInterrupted, was_interrupted
from backfill_run_partition import resolve_partition


def execute_request(dagster, loaded, instance, request, channel, interrupts):
    """Runs one request; returns its status. Every outcome ends with exactly one run_finished event."""
    translator = EventTranslator(channel)
    run_id = request.get("runId")
    try:
        job = job_for_targets(dagster, loaded, request, channel)
        run_partition = resolve_partition(dagster, loaded, job, instance, request, channel)
        run_id = unused_run_id(instance, run_id, channel)
        try:
            result = execute_listening(dagster, job, instance, request, run_partition, run_id, translator, channel)
        except Exception as exc:
            # A sibling's first run stored the job's snapshot (or created storage) at the same moment: Dagster's
            # check-then-insert lost the race before this run started. The snapshot is there now: once more.
            if translator.dagster_run_id is not None or not is_storage_race(exc):
                raise
            channel.emit("api", path="JobDefinition.execute_in_process", detail="a concurrent run stored the same job snapshot (%s: %s); ran again" % (type(exc).__name__, exc))
            run_id = unused_run_id(instance, run_id, channel)
            result = execute_listening(dagster, job, instance, request, run_partition, run_id, translator, channel)
        run_id = getattr(result, "run_id", None) or translator.dagster_run_id or run_id
        if result.success:
            return finish(channel, instance, run_id, "SUCCESS", None)
        if interrupts.cancel_requested:
            return canceled(channel, instance, run_id)
        error = translator.first_failure or translator.run_failure or {"class": "DagsterRunFailure", "message": "the run failed", "stack": ""}
        if was_interrupted([error["class"], error.get("context", "").split(":")[0]]):
            # Dagster's handlers caught a SIGTERM (a timeout, or adoption stopping an orphan): this process is to end.
            interrupts.interrupted = True
        return finish(channel, instance, run_id, "FAILURE", error)
    except RunnerInterrupted as exc:
        # SIGTERM outside Dagster's handlers: before the run started, or while its end was being reported.
        if interrupts.cancel_requested:
            return canceled(channel, instance, translator.dagster_run_id)
        return finish(channel, instance, translator.dagster_run_id, "FAILURE", error_from_exception(exc))
    except Exception as exc:
        if interrupts.cancel_requested and was_interrupted(class_names(exc)):
            return canceled(channel, instance, translator.dagster_run_id)
        return finish(channel, instance, translator.dagster_run_id, "FAILURE", error_from_exception(exc))
    finally:
        drop_listener(instance, run_id)


def execute_listening(dagster, job, instance, request, run_partition, run_id, translator, channel):
    """Events stream through an instance listener when the run has an id; otherwise they come with the result."""
    streaming = bool(run_id) and hasattr(instance, "add_event_listener")
    if streaming:
        instance.add_event_listener(run_id, translator)
    else:
        channel.emit("api", path="ExecuteInProcessResult.all_events (events reported when the run ends)")
    result = execute(dagster, job, instance, request, run_partition, run_id, channel)
    if not streaming:
        for entry in getattr(result, "all_events", []):
            translator(entry_for(entry, result))
    return result


def canceled(channel, instance, run_id):
    """The user canceled: Dagster recorded the interrupted run as a failure, so it is reported canceled on the instance."""
    if run_id:
        try:
            report_canceled(instance, run_id, channel)
        except Exception as exc:  # the run still ended canceled for the user; say why Dagster's record may differ
            channel.emit("log", level="WARNING", message="could not report run %s canceled on the Dagster instance: %s: %s" % (run_id, type(exc).__name__, exc))
    return finish(channel, instance, run_id, "CANCELED", None)


def finish(channel, instance, run_id, status, error):
    flush_output()
    if run_id:
        try:
            steps = step_stats(instance, run_id)
        except Exception as exc:
            steps = None
            channel.emit("log", level="WARNING", message="could not read the run's step stats from Dagster: %s: %s" % (type(exc).__name__, exc))
        if steps is not None:
            channel.emit("step_stats", steps=steps)
    channel.emit("run_finished", status=status, dagsterRunId=run_id, error=error)
    return status


def drop_listener(instance, run_id):
    subscribers = getattr(instance, "_subscribers", None)
    if isinstance(subscribers, dict) and run_id in subscribers:
        # A warm worker serves many runs: drop this run's listener so it is not kept alive.
        subscribers.pop(run_id, None)


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
