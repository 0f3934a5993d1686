"""Backfill Studio's Dagster runner: executes assets or jobs of a code location through Dagster's Python API.

Usage (run by the workspace's Python interpreter):
  backfill_runner.py run      one JSON request on stdin, one run (or preflight), then exit
  backfill_runner.py worker   JSON-line requests on stdin, one run each, the code location imported once; exits on EOF
  backfill_runner.py check    one JSON query on stdin: was an asset partition materialized since a time, and/or
                              what status does Dagster record for a run id?
  backfill_runner.py status   JSON-line requests on stdin: partition statuses of assets on the Dagster instance
                              (op status) and dynamic partition keys (op dynamic_partitions); see docs/instance-statuses.md

A request with "preflight": true opens the instance and loads the code location without running anything.
Events go to file descriptor 3, one JSON object per line; stdout and stderr are the run's log.
SIGUSR1 then SIGTERM cancels the current run (reported CANCELED on the instance); the process then exits.
Exit codes: 0 success, 1 run failed, 2 bad request, 3 `dagster` cannot be imported by this interpreter or is older
than the oldest supported release.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
from backfill_code_location import load_location  # noqa: E402
from backfill_dagster_instance import materialized_since, open_instance, report_canceled, run_status, unsupported_version_message  # noqa: E402
from backfill_errors import error_from_exception  # noqa: E402
from backfill_event_channel import EventChannel, guard_output  # noqa: E402
from backfill_interrupts import Interrupts, RunnerInterrupted  # noqa: E402
from backfill_preflight import preflight  # noqa: E402
from backfill_run_execution import execute_request  # noqa: E402
from backfill_status_mode import serve  # noqa: E402

# The runner's folder must not shadow the user's modules.
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != HERE]

EXIT_RUN_FAILED = 1
EXIT_BAD_REQUEST = 2
EXIT_MISSING_DAGSTER = 3
CHOOSE_ANOTHER = (
    'choose another interpreter: in VS Code run "Backfill Studio: Select Python Interpreter" or set '
    "backfillStudio.pythonPath; from the backfill CLI pass --python PATH or set BACKFILL_PYTHON."
)


def import_dagster(channel):
    python, version = sys.executable, sys.version.split()[0]
    try:
        import dagster
    except Exception as exc:  # missing, or an installation that fails to import
        message = "The Python interpreter %s (Python %s) cannot import dagster (%s: %s). Install dagster into it, or %s" % (python, version, type(exc).__name__, exc, CHOOSE_ANOTHER)
        missing(channel, python, version, message)
    dagster_version = getattr(dagster, "__version__", "unknown")
    too_old = unsupported_version_message(dagster_version, python)
    if too_old:
        missing(channel, python, version, too_old)
    channel.emit("dagster_loaded", version=dagster_version, python=python)
    return dagster


def missing(channel, python, version, message):
    channel.emit("dagster_missing", python=python, pythonVersion=version, message=message)
    sys.stderr.write(message + "\n")
    sys.exit(EXIT_MISSING_DAGSTER)


def parse_request(line):
    request = json.loads(line)
    required = ("workspaceRoot", "location") if request.get("preflight") else ("workspaceRoot", "location", "kind", "targets", "partition")
    absent = [k for k in required if k not in request]
    if absent:
        raise ValueError("request is missing " + ", ".join(absent))
    if request.get("preflight"):
        return request
    if request["kind"] not in ("asset", "job"):
        raise ValueError("kind must be asset or job, not %r" % request["kind"])
    if not request["targets"] or (request["kind"] == "job" and len(request["targets"]) != 1):
        raise ValueError("an asset run names one or more asset keys, a job run exactly one job")
    partition = request["partition"]
    if not ("key" in partition or ("first" in partition and "last" in partition)):
        raise ValueError('partition must be {"key": K} or {"first": A, "last": B}')
    return request


class Worker:
    """Holds what survives between runs: the dagster module, the instance, the imported code locations."""

    def __init__(self, dagster, channel, interrupts):
        self.dagster = dagster
        self.channel = channel
        self.interrupts = interrupts
        self.locations = {}
        self.instances = {}

    def location(self, request):
        key = json.dumps([request["workspaceRoot"], request["location"]], sort_keys=True)
        if key not in self.locations:
            loaded = load_location(self.dagster, request["workspaceRoot"], request["location"])
            self.channel.emit("location_loaded", name=loaded.name, source=loaded.source, seconds=round(loaded.seconds, 4))
            self.locations[key] = loaded
        return self.locations[key]

    def instance(self, workspace_root):
        if workspace_root not in self.instances:
            self.instances[workspace_root] = open_instance(self.dagster, workspace_root, self.channel)
        return self.instances[workspace_root]

    def run(self, line):
        try:
            request = parse_request(line)
        except ValueError as exc:
            self.channel.emit("run_finished", status="FAILURE", error=error_from_exception(exc))
            return EXIT_BAD_REQUEST
        self.channel.run = request.get("requestId") or request.get("runId")
        self.interrupts.start_run()
        try:
            if request.get("preflight"):
                return 0 if preflight(self, request) else EXIT_RUN_FAILED
            try:
                instance = self.instance(request["workspaceRoot"])
                loaded = self.location(request)
            except (Exception, SystemExit) as exc:  # user code may raise anything, SystemExit included
                self.channel.emit("run_finished", status="FAILURE", error=error_from_exception(exc), phase="import")
                return EXIT_RUN_FAILED
            return 0 if execute_request(self.dagster, loaded, instance, request, self.channel, self.interrupts) == "SUCCESS" else EXIT_RUN_FAILED
        finally:
            self.channel.run = None


def check(dagster, channel, line):
    query = json.loads(line)
    instance = open_instance(dagster, query["workspaceRoot"], channel)
    answer = {"materialized": False}
    if query.get("asset"):
        found = materialized_since(dagster, instance, query["asset"], query.get("partition"), float(query.get("since", 0)), channel)
        answer.update(found or {}, materialized=found is not None)
    if query.get("canceledDagsterRunId"):
        # The coordinator canceled a run whose runner was killed before it reported the cancel: Dagster still says
        # STARTED (or FAILURE, from the interrupt), so the run is marked CANCELED as a terminated run is in Dagster.
        run_id = query["canceledDagsterRunId"]
        if run_status(instance, run_id) not in (None, "SUCCESS", "CANCELED"):
            report_canceled(instance, run_id, channel)
        answer["runStatus"] = run_status(instance, run_id)
    if query.get("dagsterRunId"):
        answer["runStatus"] = run_status(instance, query["dagsterRunId"])
    channel.emit("check_result", **answer)
    return 0


def main(argv):
    mode = argv[1] if len(argv) > 1 else ""
    if mode not in ("run", "worker", "check", "status"):
        sys.stderr.write(__doc__)
        return EXIT_BAD_REQUEST
    interrupts = Interrupts()
    interrupts.install()
    channel = EventChannel()
    guard_output()
    requests = sys.stdin
    # User code reading stdin must not consume the next request.
    sys.stdin = open(os.devnull)
    try:
        dagster = import_dagster(channel)
        if mode == "check":
            return check(dagster, channel, requests.readline())
        if mode == "status":
            return serve(dagster, channel, requests)
        worker = Worker(dagster, channel, interrupts)
        if mode == "run":
            return worker.run(requests.readline())
        channel.emit("worker_ready", pid=os.getpid())
        for line in requests:
            if line.strip():
                worker.run(line)
            if interrupts.exit_after_run:
                # Canceled or interrupted: the coordinator is ending this process (and its group).
                return 0
        return 0
    except RunnerInterrupted:
        return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
