"""The status mode's dynamic_partitions request: add keys (Dagster validates them), delete keys, answer the keys after, in insertion order."""
from backfill_errors import error_from_exception


def dynamic_partitions(session, request, channel):
    """One dynamic_partitions_result: the keys after the change, or the error of the first failing call."""
    name = request.get("name")
    answer = {"name": name, "instance": session.home}
    try:
        if not isinstance(name, str) or not name:
            raise ValueError("a dynamic_partitions request names its definition: name must be a non-empty string")
        instance = session.instance()
        add, delete = request.get("add"), request.get("delete")
        if add:
            # Idempotent, and Dagster's checks apply: a bare string is refused, keys with "..." or control characters too.
            instance.add_dynamic_partitions(name, add if isinstance(add, str) else list(add))
            channel.emit("api", path="DagsterInstance.add_dynamic_partitions(%r, %d keys)" % (name, len(add)))
        for key in delete or []:
            instance.delete_dynamic_partition(name, key)
        if delete:
            channel.emit("api", path="DagsterInstance.delete_dynamic_partition(%r, key) x %d" % (name, len(delete)))
        answer["keys"] = list(instance.get_dynamic_partitions(name))
    except Exception as exc:
        answer["error"] = error_from_exception(exc)
    channel.emit("dynamic_partitions_result", **answer)
