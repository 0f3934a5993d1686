"""Reload-pass fixture: runs the quickstart's daily_counts.py for one partition, recording what happened.

Appends to reload-fixture/runs.log "start <date> <pid>" when it starts, "waiting <date> <pid>" while the partition
is held, "done <date> <pid>" once daily_counts.py has written the partition's output. A partition is held until
reload-fixture/released/<date> or reload-fixture/released/all exists, so a test can keep runs in progress across a
window reload without guessing how long the reload takes. A run held longer than HOLD_LIMIT_S gives up, so a test
that died leaves no process behind for long.
"""
import argparse
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
FIXTURE = os.path.join(os.path.dirname(HERE), "reload-fixture")
HOLD_LIMIT_S = 240


def record(event: str, day: str) -> None:
    with open(os.path.join(FIXTURE, "runs.log"), "a") as f:
        f.write(f"{event} {day} {os.getpid()}\n")


def released(day: str) -> bool:
    return any(os.path.exists(os.path.join(FIXTURE, "released", name)) for name in (day, "all"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--date", required=True, help="partition key, YYYY-MM-DD")
    args = parser.parse_args()
    os.makedirs(FIXTURE, exist_ok=True)
    record("start", args.date)
    deadline = time.monotonic() + HOLD_LIMIT_S
    if not released(args.date):
        record("waiting", args.date)
        while not released(args.date):
            if time.monotonic() > deadline:
                print(f"recorded_daily_counts: {args.date} was never released within {HOLD_LIMIT_S} s", file=sys.stderr)
                return 3
            time.sleep(0.1)
    code = subprocess.call([sys.executable, os.path.join(HERE, "daily_counts.py"), "--date", args.date, "--delay", "0.5"])
    if code == 0:
        record("done", args.date)
    return code


if __name__ == "__main__":
    sys.exit(main())
