"""South: one daily asset."""
from dagster import DailyPartitionsDefinition, Definitions, asset


@asset(partitions_def=DailyPartitionsDefinition(start_date="2024-01-01"))
def south_events(context):
    return context.partition_key


defs = Definitions(assets=[south_events])
