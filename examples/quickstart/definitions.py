"""Quickstart Dagster project: a daily-partitioned asset graph and a partitioned job.

Written for every Dagster Backfill Studio supports (1.2 and later): `events` takes `raw_events` as an input (loaded
by the default IO manager) rather than through `deps=`, which Dagster added in 1.4.
"""
from datetime import datetime

from dagster import (
    DailyPartitionsDefinition,
    Definitions,
    asset,
    daily_partitioned_config,
    job,
    op,
)

daily = DailyPartitionsDefinition(start_date="2024-01-01")


@asset(partitions_def=daily)
def raw_events(context):
    """One day of raw click events."""
    day = context.partition_key
    return [{"day": day, "user": n % 7} for n in range(24)]


@asset(partitions_def=daily)
def events(context, raw_events):
    """Events cleaned from raw_events for the same day."""
    context.log.info(f"processing {len(raw_events)} raw events of {context.partition_key}")
    return [e for e in raw_events if e["user"] != 0]


@daily_partitioned_config(start_date=datetime(2021, 4, 1))
def do_stuff_partitioned_config(start: datetime, _end: datetime):
    return {"ops": {"do_stuff": {"config": {"date": start.strftime("%Y-%m-%d")}}}}


@op(config_schema={"date": str})
def do_stuff(context):
    context.log.info(f"doing stuff for {context.op_config['date']}")


@job(config=do_stuff_partitioned_config)
def do_stuff_partitioned():
    do_stuff()


defs = Definitions(assets=[raw_events, events], jobs=[do_stuff_partitioned])
