"""The runner's event channel: one JSON object per line on file descriptor 3, apart from the run's stdout/stderr.

Events are written from inside Dagster's event handling (an instance event listener), so a write must never raise:
when the process reading them has died, an exception here would fail a step whose work is already done (real
Dagster lets a listener's exception propagate into the step). The channel then goes quiet, and the run's stdout
and stderr go to /dev/null for the same reason, so the run finishes and Dagster records its true result.
"""
import errno
import json
import os
import sys
import threading

EVENTS_FD = 3
GONE = (errno.EPIPE, errno.ECONNRESET, errno.EBADF)


def reader_gone(exc):
    return isinstance(exc, BrokenPipeError) or (isinstance(exc, OSError) and exc.errno in GONE)


class EventChannel:
    """Writes events to fd 3; user code printing to stdout/stderr can never interleave with them."""

    def __init__(self, fd=EVENTS_FD):
        try:
            self._out = os.fdopen(os.dup(fd), "w", encoding="utf-8", buffering=1)
            # The pipe Node handed over is inheritable: a process the run starts (a shell command, a subprocess with
            # close_fds=False) would hold it open and could write into the event stream, or keep it from ending.
            os.set_inheritable(fd, False)
        except OSError:
            # Started by hand without fd 3 (debugging): events go to stderr, marked so they stand out.
            self._out = sys.stderr
        self._lock = threading.Lock()
        self.run = None
        self.broken = False

    def emit(self, event, **fields):
        record = {"event": event}
        if self.run is not None:
            record["run"] = self.run
        record.update(fields)
        line = json.dumps(record, default=str)
        with self._lock:
            if self.broken:
                return
            try:
                self._out.write(line + "\n")
                self._out.flush()
            except (OSError, ValueError) as exc:
                if not (reader_gone(exc) or isinstance(exc, ValueError)):
                    raise
                self.broken = True
                silence_output()


def silence_output():
    """Nobody reads the run's output any more: later writes go to /dev/null instead of raising BrokenPipeError."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    for fd in (1, 2):
        try:
            os.dup2(devnull, fd)
        except OSError:
            pass
    os.close(devnull)


class TolerantStream:
    """sys.stdout/sys.stderr for user code: a write to a pipe whose reader died silences output instead of raising."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text):
        try:
            return self._stream.write(text)
        except OSError as exc:
            if not reader_gone(exc):
                raise
            silence_output()
            return len(text)

    def flush(self):
        try:
            self._stream.flush()
        except OSError as exc:
            if not reader_gone(exc):
                raise
            silence_output()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def guard_output():
    sys.stdout = TolerantStream(sys.stdout)
    sys.stderr = TolerantStream(sys.stderr)
