"""North: one asset whose partition keys read as Markdown links and images (a hover must show them as text)."""
from dagster import Definitions, StaticPartitionsDefinition, asset

tricky = StaticPartitionsDefinition(["[x](command:foo)", "![i](http://e/x.png)"])


@asset(partitions_def=tricky)
def north_events(context):
    return context.partition_key


defs = Definitions(assets=[north_events])
