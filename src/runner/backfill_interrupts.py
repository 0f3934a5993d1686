"""How the runner tells a user's cancel from other interrupts.

The coordinator cancels a run by sending SIGUSR1 to the runner and then SIGTERM to its process group. Inside
`execute_in_process` Dagster's own handlers turn SIGTERM into DagsterExecutionInterruptedError, so the step and
the run fail in Dagster's records; SIGUSR1 (which Dagster leaves alone, and which the kernel and Python deliver
before the lower-priority SIGTERM) is how the runner knows that failure was a cancel, to report the run CANCELED.
Outside Dagster's handlers, SIGTERM and SIGINT raise RunnerInterrupted, so the runner can still say how the run
ended before it exits.
"""
import signal


class RunnerInterrupted(BaseException):
    """SIGTERM or SIGINT arrived while Dagster's interrupt handlers were not installed."""


class Interrupts:
    def __init__(self):
        self.cancel_requested = False
        self.interrupted = False

    def install(self):
        if hasattr(signal, "SIGUSR1"):
            signal.signal(signal.SIGUSR1, self._on_cancel)
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._on_interrupt)

    def start_run(self):
        self.cancel_requested = False
        self.interrupted = False

    @property
    def exit_after_run(self):
        """A cancel or an interrupt came: the coordinator has asked this process to end."""
        return self.cancel_requested or self.interrupted

    def _on_cancel(self, _signum, _frame):
        self.cancel_requested = True

    def _on_interrupt(self, signum, _frame):
        self.interrupted = True
        raise RunnerInterrupted(signal.Signals(signum).name)


def was_interrupted(class_names):
    """Whether a failure's chain is Dagster's interrupt (SIGTERM/SIGINT during a step)."""
    return any(name in ("DagsterExecutionInterruptedError", "KeyboardInterrupt", "RunnerInterrupted") for name in class_names)
