"""The Dagster calls the runner makes, chosen by what the installed Dagster offers (1.2 through current).

Every choice is reported with an `api` event, so a run's log says which path was taken.
"""
import inspect

RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
PARTITION_TAG = "dagster/partition"


def first_method(obj, names):
    for name in names:
        method = getattr(obj, name, None)
        if callable(method):
            return name, method
    return None, None


def job_for_targets(dagster, loaded, request, channel):
    """The JobDefinition a request executes: the named job, or the implicit asset job covering the asset keys."""
    cache_key = (request["kind"], tuple(request["targets"]))
    if cache_key in loaded.jobs:
        return loaded.jobs[cache_key]
    defs = loaded.definitions
    if request["kind"] == "job":
        name, method = first_method(defs, ["resolve_job_def", "get_job_def", "get_job"])
        if method is None:
            raise LookupError("%s offers no way to look up job %r" % (loaded.source, request["targets"][0]))
        job = method(request["targets"][0])
        channel.emit("api", path="%s(%r)" % (name, request["targets"][0]))
    else:
        keys = asset_keys(dagster, request["targets"])
        name, method = first_method(defs, ["resolve_implicit_job_def_def_for_assets", "get_implicit_job_def_for_assets"])
        job = method(keys) if method is not None else None
        if job is None:
            name, method = first_method(defs, ["resolve_implicit_global_asset_job_def", "get_implicit_global_asset_job_def"])
            if method is None:
                raise LookupError("%s offers no implicit asset job for %s" % (loaded.source, ", ".join(request["targets"])))
            job = method()
            channel.emit("api", path="%s()" % name)
        else:
            channel.emit("api", path="%s([%s])" % (name, ", ".join(request["targets"])))
    loaded.jobs[cache_key] = job
    return job


def asset_keys(dagster, targets):
    return [dagster.AssetKey(t.split("/")) for t in targets]


def run_tags(request, extra_tags):
    """Dagster's tags for the run: a range run carries the range tags and never dagster/partition; a multi key adds one tag per dimension."""
    tags = dict(request.get("tags") or {})
    partition = request["partition"]
    if "first" in partition:
        tags.pop(PARTITION_TAG, None)
        tags[RANGE_START_TAG] = partition["first"]
        tags[RANGE_END_TAG] = partition["last"]
    else:
        tags[PARTITION_TAG] = partition["key"]
    tags.update(extra_tags)
    return tags


def execute(dagster, job, instance, request, run_partition, run_id, channel):
    """job.execute_in_process for one partition key (or a range, by its tags), on the instance, with the run's id and tags.

    partition_key is a parameter of execute_in_process in every supported version (1.2+): Dagster resolves an op
    job's partitioned config for the key itself, so no run_config is passed.
    """
    params = inspect.signature(job.execute_in_process).parameters
    kwargs = {"instance": instance, "raise_on_error": False}
    if run_partition.key is not None:
        kwargs["partition_key"] = run_partition.key
    if request["kind"] == "asset":
        kwargs["asset_selection"] = asset_keys(dagster, request["targets"])
    if "tags" in params:
        kwargs["tags"] = run_tags(request, run_partition.tags)
    elif "first" in request["partition"]:
        raise NotImplementedError("this dagster's execute_in_process takes no tags, so a partition range run cannot be expressed")
    if "run_id" in params and run_id:
        kwargs["run_id"] = run_id
    channel.emit("api", path="JobDefinition.execute_in_process(%s)" % ", ".join(sorted(kwargs)))
    return job.execute_in_process(**kwargs)
