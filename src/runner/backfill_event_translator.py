"""Turns Dagster's event log entries into protocol events, and remembers a run's first failure for its outcome."""
import logging

from backfill_errors import error_from_info

# DagsterEventType.RUN_START's value is still "PIPELINE_START" (and so on) in Dagster 1.x: the old names are the wire values.
RUN_START = ("PIPELINE_START", "RUN_START")
RUN_FAILURE = ("PIPELINE_FAILURE", "RUN_FAILURE")
STEP_EVENTS = {"STEP_START": "step_started", "STEP_SUCCESS": "step_succeeded", "STEP_FAILURE": "step_failed", "STEP_SKIPPED": "step_skipped"}


class EventTranslator:
    """Called by Dagster for each event of the run (an instance event listener): it must never raise into Dagster."""

    def __init__(self, channel):
        self.channel = channel
        self.first_failure = None
        self.run_failure = None
        self.dagster_run_id = None

    def __call__(self, entry):
        try:
            self.translate(entry)
        except Exception as exc:  # a surprising entry must never break the run
            try:
                self.channel.emit("log", level="WARNING", message="could not translate a Dagster event: %s" % exc)
            except Exception:
                pass

    def translate(self, entry):
        event = getattr(entry, "dagster_event", None)
        step = getattr(entry, "step_key", None)
        if event is None:
            self.channel.emit("log", level=level_name(entry), message=getattr(entry, "user_message", "") or "", step=step)
            return
        kind = getattr(event, "event_type_value", None)
        if kind in RUN_START:
            self.dagster_run_id = entry.run_id
            self.channel.emit("run_started", dagsterRunId=entry.run_id)
        elif kind in STEP_EVENTS:
            fields = {"step": event.step_key}
            if kind == "STEP_FAILURE":
                fields["error"] = error_from_info(getattr(event.event_specific_data, "error", None))
                if self.first_failure is None:
                    self.first_failure = fields["error"]
            self.channel.emit(STEP_EVENTS[kind], **fields)
        elif kind == "ASSET_MATERIALIZATION":
            materialization = event.event_specific_data.materialization
            partition = materialization.partition
            # A multi key arrives as a MultiPartitionKey: the protocol carries its string form.
            self.channel.emit("asset_materialized", asset="/".join(materialization.asset_key.path), partition=None if partition is None else str(partition), step=event.step_key)
        elif kind in RUN_FAILURE:
            self.run_failure = error_from_info(getattr(event.event_specific_data, "error", None))
        elif getattr(entry, "user_message", None):
            self.channel.emit("log", level=level_name(entry), message=entry.user_message, step=step, dagsterEvent=kind)


def level_name(entry):
    level = getattr(entry, "level", 20)
    return logging.getLevelName(level) if isinstance(level, int) else str(level)
