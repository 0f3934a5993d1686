"""Quickstart Dagster project: a daily-partitioned asset graph and a partitioned job."""
from datetime import datetime

from dagster import (
    AssetKey,
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


@asset(partitions_def=daily, deps=[AssetKey("raw_events")])
def events(context):
    """Events cleaned from raw_events for the same day."""
    start, end = context.partition_time_window
    context.log.info(f"processing events from {start} to {end}")


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
