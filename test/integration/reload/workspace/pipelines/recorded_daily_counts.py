"""Reload-pass fixture: runs the quickstart's daily_counts.py for one partition, recording what happened.

Appends to reload-fixture/runs.log "start <date> <pid>" when it starts, "waiting <date> <pid>" while the partition
is held, "done <date> <pid>" once daily_counts.py has written the partition's output, and "terminated <date> <pid>
<sender pid>" when SIGTERM ends it while held (the sender is known from the signal itself, so a test can tell which
process stopped the run). A partition is held until
reload-fixture/released/<date> or reload-fixture/released/all exists, so a test can keep runs in progress across a
window reload without guessing how long the reload takes. A run held longer than HOLD_LIMIT_S gives up, so a test
that died leaves no process behind for long.
"""
import argparse
import os
import signal
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "reload-fixture")
HOLD_LIMIT_S = 240


def record(event: str, day: str, extra: str = "") -> None:
    with open(os.path.join(FIXTURE, "runs.log"), "a") as f:
        f.write(f"{event} {day} {os.getpid()}{extra}\n")


def released(day: str) -> bool:
    return any(os.path.exists(os.path.join(FIXTURE, "released", name)) for name in (day, "all"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--date", required=True, help="partition key, YYYY-MM-DD")
    args = parser.parse_args()
    os.makedirs(FIXTURE, exist_ok=True)
    record("start", args.date)
    deadline = time.monotonic() + HOLD_LIMIT_S
    # Blocked, SIGTERM waits to be taken by sigtimedwait below, which says who sent it.
    signal.pthread_sigmask(signal.SIG_BLOCK, [signal.SIGTERM])
    if not released(args.date):
        record("waiting", args.date)
        while not released(args.date):
            if time.monotonic() > deadline:
                print(f"recorded_daily_counts: {args.date} was never released within {HOLD_LIMIT_S} s", file=sys.stderr)
                return 3
            info = signal.sigtimedwait([signal.SIGTERM], 0.1)
            if info is not None:
                record("terminated", args.date, f" {info.si_pid}")
                return 128 + signal.SIGTERM
    signal.pthread_sigmask(signal.SIG_UNBLOCK, [signal.SIGTERM])
    code = subprocess.call([sys.executable, os.path.join(HERE, "daily_counts.py"), "--date", args.date, "--delay", "0.5"])
    if code == 0:
        record("done", args.date)
    return code


if __name__ == "__main__":
    sys.exit(main())
