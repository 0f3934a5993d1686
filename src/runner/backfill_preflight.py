"""Preflight: before a backfill launches its runs, open the instance and load the code location once.

A fresh DAGSTER_HOME gets its storage created here, by one process, before any worker runs a partition. An import
or definition error (an API the installed Dagster lacks, a typo) then fails the backfill once, naming the installed
Dagster version and the user's line, instead of failing every partition alike.
"""
import os
import traceback

from backfill_dagster_api import asset_keys, first_method, job_for_targets
from backfill_errors import chain_of_exception, error_from_exception

SKIPPED_PATH_PARTS = (os.sep + "site-packages" + os.sep, os.sep + "dist-packages" + os.sep)


def user_frame(exc, workspace_root):
    """"file.py:12" of the innermost traceback frame in the workspace's own code (not an installed package)."""
    root = os.path.abspath(workspace_root) + os.sep
    found = None
    for link in chain_of_exception(exc):
        for frame in traceback.extract_tb(link.__traceback__):
            path = os.path.abspath(frame.filename)
            if path.startswith(root) and not any(p in path for p in SKIPPED_PATH_PARTS):
                found = "%s:%d" % (os.path.relpath(path, root), frame.lineno)
    if found is None and isinstance(exc, SyntaxError) and exc.filename:
        path = os.path.abspath(exc.filename)
        if path.startswith(root):
            found = "%s:%s" % (os.path.relpath(path, root), exc.lineno)
    return found


def preflight(worker, request):
    """Emits preflight_finished: ok, or the error with the user's line, the phase and the Dagster version."""
    dagster, channel = worker.dagster, worker.channel
    version = getattr(dagster, "__version__", "unknown")
    phase = "instance"
    try:
        worker.instance(request["workspaceRoot"])
        phase = "import"
        loaded = worker.location(request)
        phase = "definitions"
        for job in request.get("jobs") or []:
            check_targets(dagster, loaded, job, channel)
    except (Exception, SystemExit) as exc:  # user code may raise anything, SystemExit included
        error = error_from_exception(exc)
        line = user_frame(exc, request["workspaceRoot"])
        if line:
            error["location"] = line
        channel.emit("preflight_finished", ok=False, phase=phase, dagsterVersion=version, error=error)
        return False
    channel.emit("preflight_finished", ok=True, dagsterVersion=version)
    return True


def check_targets(dagster, loaded, job, channel):
    """The job exists, or every asset key is one Dagster loads, and their job resolves."""
    if job["kind"] == "asset":
        name, method = first_method(loaded.definitions, ["resolve_assets_def", "get_assets_def"])
        if method is not None:
            for key, target in zip(asset_keys(dagster, job["targets"]), job["targets"]):
                try:
                    method(key)
                except Exception as exc:
                    raise LookupError("asset %s is not in %s as Dagster loads it (%s: %s)" % (target, loaded.source, type(exc).__name__, exc)) from None
    job_for_targets(dagster, loaded, {"kind": job["kind"], "targets": job["targets"]}, channel)
