"""The runner's status mode: long-lived JSON-line requests (op status, op dynamic_partitions) answered one event each, per workspace instance and code location.

Contract: docs/instance-statuses.md. Every answer carries `run: <requestId>`. A request that fails as a whole answers
with `error`, the `instance` path and the `phase` (instance, location or status: a malformed request is a status
failure, with `instance` null); the process keeps serving.
"""
import json
import os

from backfill_code_location import load_location
from backfill_dagster_instance import open_instance
from backfill_dynamic_partitions import dynamic_partitions
from backfill_errors import error_from_exception
from backfill_partition_statuses import StatusTracker
from backfill_status_reads import StatusReads


class RequestFailed(Exception):
    def __init__(self, phase, cause):
        super().__init__(str(cause))
        self.phase, self.cause = phase, cause


class Session:
    """One workspace's instance (opened on first use, as runs open it) and its trackers, one per code location."""

    def __init__(self, dagster, channel, workspace_root):
        self.dagster, self.channel, self.workspace_root = dagster, channel, workspace_root
        self._instance = None
        self.locations = {}
        self.trackers = {}

    @property
    def home(self):
        # open_instance's choice: DAGSTER_HOME when set (it sets it to the workspace's own home once that is used).
        return os.environ.get("DAGSTER_HOME") or os.path.join(self.workspace_root, ".backfills", "dagster_home")

    def instance(self):
        if self._instance is None:
            self._instance = open_instance(self.dagster, self.workspace_root, self.channel)
        return self._instance

    def location(self, location):
        key = json.dumps(location, sort_keys=True)
        if key not in self.locations:
            loaded = load_location(self.dagster, self.workspace_root, location)
            self.channel.emit("location_loaded", name=loaded.name, source=loaded.source, seconds=round(loaded.seconds, 4))
            self.locations[key] = loaded
        return self.locations[key]

    def tracker(self, location):
        key = json.dumps(location, sort_keys=True)
        if key not in self.trackers:
            self.trackers[key] = StatusTracker(StatusReads(self.dagster, self.instance(), self.channel))
        return self.trackers[key]


class StatusServer:
    def __init__(self, dagster, channel):
        self.dagster, self.channel = dagster, channel
        self.sessions = {}

    def session(self, workspace_root):
        if workspace_root not in self.sessions:
            self.sessions[workspace_root] = Session(self.dagster, self.channel, workspace_root)
        return self.sessions[workspace_root]

    def handle(self, line):
        try:
            request = json.loads(line)
            if not isinstance(request, dict):
                raise ValueError("a request is a JSON object")
        except ValueError as exc:
            self.channel.emit("status_result", error=error_from_exception(exc), instance=None, phase="status")
            return
        self.channel.run = request.get("requestId")
        try:
            op = request.get("op")
            if not isinstance(request.get("workspaceRoot"), str):
                self.channel.emit(_answer_event(op), error=error_from_exception(ValueError("request is missing workspaceRoot")), instance=None, phase="status")
            elif op == "dynamic_partitions":
                dynamic_partitions(self.session(request["workspaceRoot"]), request, self.channel)
            elif op == "status":
                self.status(request)
            else:
                self.channel.emit("status_result", error=error_from_exception(ValueError("op must be status or dynamic_partitions, not %r" % op)), instance=None, phase="status")
        finally:
            self.channel.run = None

    def status(self, request):
        session = self.session(request["workspaceRoot"])
        try:
            answer = self.read(session, request)
        except RequestFailed as failed:
            self.channel.emit("status_result", error=error_from_exception(failed.cause), instance=session.home, phase=failed.phase)
            return
        self.channel.emit("status_result", instance=session.home, **answer)

    def read(self, session, request):
        location = request.get("location") or {}
        try:
            instance = session.instance()
        except (Exception, SystemExit) as exc:
            raise RequestFailed("instance", exc) from None
        try:
            loaded = session.location(location)
        except (Exception, SystemExit) as exc:  # user code may raise anything, SystemExit included
            raise RequestFailed("location", exc) from None
        try:
            tracker = session.tracker(location)
            full, cursor, entries = tracker.answer(loaded, list(request.get("assets") or []), request.get("cursor"))
            dynamic = {name: list(instance.get_dynamic_partitions(name)) for name in request.get("dynamicPartitions") or []}
        except Exception as exc:
            # A half-applied refresh must not be answered as a delta next time: the next request reads in full.
            session.trackers.pop(json.dumps(location, sort_keys=True), None)
            raise RequestFailed("status", exc) from None
        return {"full": full, "cursor": cursor, "assets": entries, "dynamicPartitions": dynamic}


def _answer_event(op):
    return "dynamic_partitions_result" if op == "dynamic_partitions" else "status_result"


def serve(dagster, channel, requests):
    """Answers request lines until stdin ends."""
    server = StatusServer(dagster, channel)
    channel.emit("worker_ready", pid=os.getpid())
    for line in requests:
        if line.strip():
            server.handle(line)
    return 0
