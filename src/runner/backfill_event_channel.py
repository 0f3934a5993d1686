"""The runner's event channel: one JSON object per line on file descriptor 3, apart from the run's stdout/stderr."""
import json
import os
import sys
import threading
import traceback

EVENTS_FD = 3


class EventChannel:
    """Writes events to fd 3; user code printing to stdout/stderr can never interleave with them."""

    def __init__(self, fd=EVENTS_FD):
        try:
            self._out = os.fdopen(os.dup(fd), "w", encoding="utf-8", buffering=1)
        except OSError:
            # Started by hand without fd 3 (debugging): events go to stderr, marked so they stand out.
            self._out = sys.stderr
        self._lock = threading.Lock()
        self.run = None

    def emit(self, event, **fields):
        record = {"event": event}
        if self.run is not None:
            record["run"] = self.run
        record.update(fields)
        line = json.dumps(record, default=str)
        with self._lock:
            self._out.write(line + "\n")
            self._out.flush()


def error_info(exc):
    """class, message and stack of an exception, as the protocol carries them."""
    return {
        "class": type(exc).__name__,
        "message": str(exc),
        "stack": "".join(traceback.format_exception(type(exc), exc, exc.__traceback__)),
    }
