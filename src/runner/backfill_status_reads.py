"""The Dagster reads of the status mode (event-log cursor, materializations, planned attempts, runs, partitions definitions), chosen by what the installed Dagster offers.

Every path taken is reported once per process with an `api` event. Dagster's own status cache
(`_core/storage/partition_status_cache.py`) is the model: materialized keys from materialization counts (multi-partitioned
assets from their events' dimension tags before the 1.5 rework), failed and in-progress keys from the latest planned
materialization of each key that no materialization followed, and the status of that attempt's run.
"""
import inspect
import warnings

from backfill_dagster_api import first_method

FINISHED = ("SUCCESS", "FAILURE", "CANCELED")
RUN_FETCH_BATCH = 100
MULTI_DIMENSION_TAG_PREFIX = "dagster/partition/"


class StatusReads:
    def __init__(self, dagster, instance, channel):
        self.dagster, self.instance, self.channel = dagster, instance, channel
        self.storage = getattr(instance, "event_log_storage", None)
        self.reported = set()
        self.types = dagster.DagsterEventType
        attempts = getattr(self.storage, "get_latest_asset_partition_materialization_attempts_without_materializations", None)
        self.attempts_method = attempts if callable(attempts) else None
        # The cursor parameter and the multi-partition rework landed together (PRs #17296/#17297): older Dagster read
        # a multi-partitioned asset's materialized keys from its events' dimension tags.
        self.legacy_multi = self.attempts_method is None or "after_storage_id" not in _parameters(self.attempts_method)

    def api(self, path, detail=None):
        if path not in self.reported:
            self.reported.add(path)
            self.channel.emit("api", path=path, **({"detail": detail} if detail else {}))

    def max_storage_id(self):
        """The event log's greatest storage id: one cheap query, the cursor of the answers."""
        method = getattr(self.storage, "get_maximum_record_id", None)
        if callable(method):
            try:
                value = method()
                self.api("EventLogStorage.get_maximum_record_id()")
                return int(value or 0)
            except NotImplementedError:
                pass
        self.api("DagsterInstance.get_event_records(limit=1)", "this event log storage has no get_maximum_record_id")
        latest = [r.storage_id for t in (self.types.ASSET_MATERIALIZATION, self.types.ASSET_MATERIALIZATION_PLANNED) for r in self._records(t, limit=1)]
        return max(latest or [0])

    def events_between(self, after, upto):
        """(storage id, kind, asset key path, partition, run id) of every materialization and planned materialization with
        after < id <= upto, all assets, in storage order (two queries, no asset key)."""
        self.api("DagsterInstance.get_event_records(EventRecordsFilter(event_type, after_cursor, before_cursor))")
        found = []
        for kind in (self.types.ASSET_MATERIALIZATION, self.types.ASSET_MATERIALIZATION_PLANNED):
            for r in self._records(kind, after=after, before=upto + 1, ascending=True):
                found.append(_event_tuple(r))
        return sorted((e for e in found if e is not None), key=lambda e: e[0])

    def _records(self, event_type, asset_key=None, after=None, before=None, limit=None, ascending=False):
        records_filter = self.dagster.EventRecordsFilter(event_type=event_type, asset_key=asset_key, after_cursor=after, before_cursor=before)
        with warnings.catch_warnings():
            # Later releases warn that get_event_records is deprecated for materializations (fetch_materializations
            # needs an asset key; the cross-asset read after a cursor is get_event_records).
            warnings.simplefilter("ignore")
            return self.instance.get_event_records(records_filter, limit=limit, ascending=ascending)

    def materialized_keys(self, assets):
        """{asset key path tuple: set of materialized partition keys} for [(AssetKey, partitions_def, is_multi)], counted
        in one query for every asset Dagster counts (multi-partitioned assets of older Dagster: from their tags)."""
        found = {}
        counted = [key for key, _d, multi in assets if not (multi and self.legacy_multi)]
        if counted:
            owner, method = "DagsterInstance", getattr(self.instance, "get_materialization_count_by_partition", None)
            if not callable(method):
                owner, method = "EventLogStorage", self.storage.get_materialization_count_by_partition
            self.api("%s.get_materialization_count_by_partition([asset keys])" % owner)
            for key, counts in method(list(counted)).items():
                found[tuple(key.path)] = {p for p, n in counts.items() if n > 0}
        for key, partitions_def, multi in assets:
            if multi and self.legacy_multi:
                self.api("DagsterInstance.get_event_tags_for_asset", "multi-partitioned materializations from their dagster/partition/<dimension> tags")
                found[tuple(key.path)] = self._multi_keys_from_tags(key, partitions_def)
        return found

    def _multi_keys_from_tags(self, key, partitions_def):
        names = list(partitions_def.partition_dimension_names)
        keys = set()
        for tags in self.instance.get_event_tags_for_asset(key):
            by_dimension = {k[len(MULTI_DIMENSION_TAG_PREFIX):]: v for k, v in tags.items() if k.startswith(MULTI_DIMENSION_TAG_PREFIX)}
            if all(n in by_dimension for n in names):
                keys.add(str(self.dagster.MultiPartitionKey({n: by_dimension[n] for n in names})))
        return keys

    def attempts(self, key):
        """{partition: (run id, storage id)}: the latest planned materialization of each key with no materialization after it."""
        if self.attempts_method is not None:
            self.api("EventLogStorage.get_latest_asset_partition_materialization_attempts_without_materializations")
            return {str(p): (run_id, int(i)) for p, (run_id, i) in self.attempts_method(key).items()}
        self.api("DagsterInstance.get_event_records(asset_key)", "planned and done materializations of each asset, replayed")
        events = [_event_tuple(r) for t in (self.types.ASSET_MATERIALIZATION, self.types.ASSET_MATERIALIZATION_PLANNED) for r in self._records(t, asset_key=key, ascending=True)]
        attempts = {}
        for storage_id, kind, _path, partition, run_id in sorted((e for e in events if e is not None), key=lambda e: e[0]):
            if kind == "planned":
                attempts[partition] = (run_id, storage_id)
            else:
                attempts.pop(partition, None)
        return attempts

    def run_statuses(self, run_ids):
        """{run id: status name} of the runs the instance has (a deleted run is absent), 100 ids a query."""
        self.api("DagsterInstance.get_runs(RunsFilter(run_ids))")
        ids, found = sorted(run_ids), {}
        for start in range(0, len(ids), RUN_FETCH_BATCH):
            for run in self.instance.get_runs(filters=self.dagster.RunsFilter(run_ids=ids[start : start + RUN_FETCH_BATCH])):
                found[run.run_id] = getattr(run.status, "value", str(run.status))
        return found

    def partitions_def(self, loaded, asset):
        """The asset's PartitionsDefinition (None: unpartitioned) as the code location defines it; LookupError if absent."""
        key = self.dagster.AssetKey(asset.split("/"))
        name, method = first_method(loaded.definitions, ["resolve_assets_def", "get_assets_def"])
        try:
            if method is not None:
                self.api("Definitions.%s(asset key)" % name)
                return method(key).partitions_def
            repository = loaded.definitions.get_repository_def()
            self.api("RepositoryDefinition.assets_defs_by_key")
            return repository.assets_defs_by_key[key].partitions_def
        except Exception as exc:
            raise LookupError("asset %s is not in code location %s (%s: %s)" % (asset, loaded.source, type(exc).__name__, exc)) from None

    def partition_keys(self, partitions_def):
        """The definition's keys in Dagster's order, dynamic keys read from the instance."""
        method = partitions_def.get_partition_keys
        if "dynamic_partitions_store" in _parameters(method):
            return [str(k) for k in method(dynamic_partitions_store=self.instance)]
        return [str(k) for k in method()]

    def dynamic_partitions(self, name):
        return list(self.instance.get_dynamic_partitions(name))


def _event_tuple(record):
    entry = record.event_log_entry
    event = entry.dagster_event
    partition = getattr(event, "partition", None)
    asset_key = getattr(event, "asset_key", None)
    if partition is None or asset_key is None:
        return None  # an unpartitioned asset, or a range run's single planned event (Dagster ignores both here)
    kind = "planned" if event.event_type_value == "ASSET_MATERIALIZATION_PLANNED" else "materialized"
    return int(record.storage_id), kind, tuple(asset_key.path), str(partition), entry.run_id


def _parameters(method):
    try:
        return inspect.signature(method).parameters
    except (TypeError, ValueError):
        return {}
