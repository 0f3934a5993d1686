"""A run's partition as Dagster takes it: the target's PartitionsDefinition, multi keys, dynamic keys on the instance, op job ranges.

Backfill Studio plans dynamic partitions from the keys in its own state store (the planner never asks the Dagster
instance), so a planned key may be missing from the instance. Dagster's execute_in_process refuses a key its instance
lacks, and a Dagster backfill requires every targeted key to exist: the runner adds missing keys before the run.
"""
from backfill_dagster_api import asset_keys, first_method

MULTI_DIMENSION_TAG_PREFIX = "dagster/partition/"
MULTI_KEY_DELIMITER = "|"


class OpJobPartitionRangeError(Exception):
    """A key range asked of an op job: Dagster runs an op job for one partition key at a time."""


class RunPartition:
    """What execute_in_process gets: the key (a MultiPartitionKey for multi targets, None for a range) and extra run tags."""

    def __init__(self, key, tags):
        self.key = key
        self.tags = tags


def resolve_partition(dagster, loaded, job, instance, request, channel):
    partition = request["partition"]
    partitions_def = target_partitions_def(dagster, loaded, job, request, channel)
    if "first" in partition:
        if request["kind"] == "job" and not job_has_assets(job):
            raise OpJobPartitionRangeError(
                "job %r is an op job: Dagster runs an op job for one partition key at a time (its partitioned config "
                "gives the run config of one key; single-run backfills of a key range are for assets), so the range "
                "%s...%s is refused rather than run as one partition; launch one run per partition"
                % (request["targets"][0], partition["first"], partition["last"])
            )
        # A dynamic range lists its keys (in Backfill Studio's order, the order they are added in); others need only the bounds.
        for key in partition.get("keys") or (partition["first"], partition["last"]):
            ensure_dynamic_partitions(instance, dynamic_keys(dagster, partitions_def, key), channel)
        return RunPartition(None, {})
    key = partition["key"]
    if partitions_def is None:
        return RunPartition(key, {})
    ensure_dynamic_partitions(instance, dynamic_keys(dagster, partitions_def, key), channel)
    if not is_multi(dagster, partitions_def):
        return RunPartition(key, {})
    by_dimension = keys_by_dimension(partitions_def, key)
    tags = {MULTI_DIMENSION_TAG_PREFIX + name: value for name, value in by_dimension.items()}
    key_cls = getattr(dagster, "MultiPartitionKey", None)
    if key_cls is None:
        return RunPartition(key, tags)
    # A MultiPartitionKey is a str, so every version's execute_in_process takes it, and it carries keys_by_dimension
    # for the code paths (and user code) that expect one rather than the joined string.
    channel.emit("api", path="MultiPartitionKey(%s)" % ", ".join("%s=%r" % kv for kv in by_dimension.items()), detail="multi-partition key %r" % key)
    return RunPartition(key_cls(by_dimension), tags)


def target_partitions_def(dagster, loaded, job, request, channel):
    """The job's PartitionsDefinition; for assets whose implicit job has none (1.8+'s single asset job), their own."""
    partitions_def = getattr(job, "partitions_def", None)
    if partitions_def is not None or request["kind"] == "job":
        return partitions_def
    cache_key = tuple(request["targets"])
    if cache_key in loaded.partitions_defs:
        return loaded.partitions_defs[cache_key]
    name, method = first_method(loaded.definitions, ["resolve_assets_def", "get_assets_def"])
    found = []
    if method is not None:
        for key in asset_keys(dagster, request["targets"]):
            own = getattr(method(key), "partitions_def", None)
            if own is not None and own not in found:
                found.append(own)
        channel.emit("api", path="%s(AssetKey) for the partitions definition of %s" % (name, ", ".join(request["targets"])))
    # Several definitions in one run: Dagster refuses that itself, with its own message.
    loaded.partitions_defs[cache_key] = found[0] if len(found) == 1 else None
    return loaded.partitions_defs[cache_key]


def job_has_assets(job):
    """Whether the job materializes assets: AssetLayer.executable_asset_keys from 1.7, assets_defs_by_key before."""
    layer = getattr(job, "asset_layer", None)
    for attribute in ("executable_asset_keys", "assets_defs_by_key"):
        keys = getattr(layer, attribute, None)
        if keys is not None:
            return len(list(keys)) > 0
    return False


def is_multi(dagster, partitions_def):
    cls = getattr(dagster, "MultiPartitionsDefinition", None)
    return cls is not None and isinstance(partitions_def, cls)


def is_dynamic(dagster, partitions_def):
    cls = getattr(dagster, "DynamicPartitionsDefinition", None)
    return cls is not None and isinstance(partitions_def, cls)


def keys_by_dimension(partitions_def, key):
    """Our multi keys are Dagster's string form: the dimension values joined by '|' in dimension-name order."""
    names = [d.name for d in partitions_def.partitions_defs]
    values = key.split(MULTI_KEY_DELIMITER)
    if len(values) != len(names):
        raise ValueError(
            "partition key %r is not a key of the multi-partitions definition: it needs %d values joined by %r, for dimensions %s"
            % (key, len(names), MULTI_KEY_DELIMITER, ", ".join(names))
        )
    return dict(zip(names, values))


def dynamic_keys(dagster, partitions_def, key):
    """(dynamic partitions name, key) pairs the instance must hold for the key: the key itself, or a multi key's dynamic dimensions."""
    if partitions_def is None:
        return []
    if is_dynamic(dagster, partitions_def):
        return [(partitions_def.name, key)]
    if is_multi(dagster, partitions_def):
        by_dimension = keys_by_dimension(partitions_def, key)
        return [(d.partitions_def.name, by_dimension[d.name]) for d in partitions_def.partitions_defs if is_dynamic(dagster, d.partitions_def)]
    return []


def ensure_dynamic_partitions(instance, needed, channel):
    for name, key in needed:
        if name is None:
            # The deprecated partition_fn form: its keys come from a function, there is nothing to add.
            channel.emit("api", path="DynamicPartitionsDefinition(partition_fn)", detail="keys come from partition_fn; %r is not added to the instance" % key)
            continue
        has, add = getattr(instance, "has_dynamic_partition", None), getattr(instance, "add_dynamic_partitions", None)
        if not callable(has) or not callable(add):
            raise RuntimeError(
                "this dagster's DagsterInstance has no has_dynamic_partition/add_dynamic_partitions (Dagster 1.2 or later has them), "
                "so key %r cannot be added to the dynamic partitions %r" % (key, name)
            )
        if has(name, key):
            channel.emit("api", path="DagsterInstance.has_dynamic_partition(%r, %r)" % (name, key), detail="the key is on the instance already")
            continue
        add(name, [key])
        channel.emit(
            "api",
            path="DagsterInstance.add_dynamic_partitions(%r, [%r])" % (name, key),
            detail="the key was planned from Backfill Studio's dynamic partitions and was missing on the instance; added before the run, as a Dagster backfill requires its keys to exist",
        )
