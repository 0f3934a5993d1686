"""Counts one day's events from the bundled sample data and writes output/daily_counts/<date>.json."""
import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from datetime import date

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--date", required=True, help="partition key, YYYY-MM-DD")
    parser.add_argument("--delay", type=float, default=0.0, help="seconds of simulated work, to watch a backfill progress")
    args = parser.parse_args()
    try:
        day = date.fromisoformat(args.date)
    except ValueError:
        print(f"daily_counts: --date {args.date!r} is not a YYYY-MM-DD date", file=sys.stderr)
        return 2
    counts: Counter[str] = Counter()
    with open(os.path.join(ROOT, "data", "events.csv"), newline="") as f:
        reader = csv.DictReader(f)
        missing = {"day", "event"} - set(reader.fieldnames or [])
        if missing:
            print(f"daily_counts: data/events.csv lacks the column(s) {', '.join(sorted(missing))}", file=sys.stderr)
            return 1
        for row in reader:
            if row["day"] == day.isoformat():
                counts[row["event"]] += 1
    time.sleep(max(args.delay, 0.0))
    out_dir = os.path.join(ROOT, "output", "daily_counts")
    os.makedirs(out_dir, exist_ok=True)
    out = os.path.join(out_dir, f"{day.isoformat()}.json")
    tmp = out + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"date": day.isoformat(), "events": sum(counts.values()), "by_type": dict(sorted(counts.items()))}, f)
    os.replace(tmp, out)
    print(f"daily_counts {day.isoformat()}: {sum(counts.values())} events -> {os.path.relpath(out, ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
