"""Partition statuses of assets as Dagster's status cache computes them, kept incrementally by event-log storage id, answered as key ranges.

Per asset: the materialized keys and, per key, the latest planned materialization no materialization followed (its run
and storage id). A key is IN_PROGRESS while that run is unfinished, FAILED when it ended in FAILURE, else MATERIALIZED
when it has any materialization, else MISSING (a deleted or canceled attempt counts for nothing, as in Dagster).
A refresh applies the events after the cursor in storage order and asks for the status of the runs not known finished.
"""
from collections import defaultdict

from backfill_key_ranges import KeyOrder, ranges
from backfill_status_reads import FINISHED

MATERIALIZED, FAILED, IN_PROGRESS, MISSING = "MATERIALIZED", "FAILED", "IN_PROGRESS", "MISSING"
STATUSES = (MATERIALIZED, FAILED, IN_PROGRESS, MISSING)
DELETED = "DELETED"
FINAL = FINISHED + (DELETED,)  # a deleted run counts for nothing, and never comes back


class AssetState:
    def __init__(self, name, partitions_def, materialized, attempts):
        self.name, self.partitions_def = name, partitions_def
        self.materialized, self.attempts = materialized, attempts
        self.answered = {}  # key -> the non-MISSING status last answered
        self.dirty = set()  # keys whose status may have changed since the last answer


class StatusTracker:
    """One instance + code location: the tracked assets, the runs their attempts belong to, the last answered cursor."""

    def __init__(self, reads):
        self.reads = reads
        self.assets = {}
        self.cursor = None
        self.storage_id = 0
        self.run_status = {}
        self.run_keys = defaultdict(set)  # run id -> {(asset name, key)} whose latest attempt is that run's
        self.orders = {}  # id(partitions_def) -> KeyOrder

    def answer(self, loaded, names, cursor):
        """(full, cursor, entries) for the requested asset names, in their order."""
        top = self.reads.max_storage_id()
        full = cursor is None or cursor != self.cursor or top < self.storage_id
        if full:
            self.assets, self.run_keys, self.orders = {}, defaultdict(set), {}
            self.run_status = {r: s for r, s in self.run_status.items() if s in FINAL}
        elif top != self.storage_id:
            self._apply(self.reads.events_between(self.storage_id, top))
        ended = self._refresh_runs()
        new = [n for n in dict.fromkeys(names) if n not in self.assets]
        if new:
            ended = self._read_full(loaded, new) or ended
        top = self._settle(top, ended)
        entries, fresh_orders = [], set()
        for name in dict.fromkeys(names):
            state = self.assets[name]
            if name in new:
                entry = {"asset": name, "statuses": self._full_statuses(state)} if isinstance(state, AssetState) else dict(state, asset=name)
                entries.append(entry if full else dict(entry, full=True))
            elif isinstance(state, AssetState) and state.dirty:
                entry = self._delta(state, fresh_orders)
                if entry is not None:
                    entries.append(entry)
        self.cursor, self.storage_id = str(top), top
        return full, self.cursor, entries

    def _settle(self, top, ended):
        """A run seen ended stored all its events before its status changed: apply those after `top` too, so an ended
        run's materialization is not missed (a key would flicker to MISSING until the next refresh)."""
        for _ in range(3):
            latest = self.reads.max_storage_id() if ended else top
            if latest <= top:
                break
            self._apply(self.reads.events_between(top, latest))
            top, ended = latest, self._refresh_runs()
        return top

    def _read_full(self, loaded, names):
        """The first read of assets: their definitions, materialized keys (one query), attempts; True if a run was seen ended."""
        partitioned = []
        for name in names:
            try:
                partitions_def = self.reads.partitions_def(loaded, name)
            except LookupError as exc:
                self.assets[name] = {"error": str(exc)}
                continue
            if partitions_def is None:
                self.assets[name] = {"partitioned": False}
            else:
                partitioned.append((name, partitions_def))
        keys = [(self.reads.dagster.AssetKey(n.split("/")), d, hasattr(d, "partition_dimension_names")) for n, d in partitioned]
        materialized = self.reads.materialized_keys(keys) if keys else {}
        for (name, partitions_def), (key, _d, _m) in zip(partitioned, keys):
            state = self.assets[name] = AssetState(name, partitions_def, materialized.get(tuple(key.path), set()), self.reads.attempts(key))
            for partition, (run_id, _i) in state.attempts.items():
                self.run_keys[run_id].add((name, partition))
        return self._fetch_runs([r for r in self.run_keys if r not in self.run_status])

    def _apply(self, events):
        by_path = {tuple(n.split("/")): s for n, s in self.assets.items() if isinstance(s, AssetState)}
        for storage_id, kind, path, partition, run_id in events:
            state = by_path.get(path)
            if state is None:
                continue
            previous = state.attempts.get(partition)
            if previous is not None:
                self.run_keys[previous[0]].discard((state.name, partition))
            if kind == "planned":
                state.attempts[partition] = (run_id, storage_id)
                self.run_keys[run_id].add((state.name, partition))
            else:
                state.materialized.add(partition)
                state.attempts.pop(partition, None)
            state.dirty.add(partition)

    def _refresh_runs(self):
        """The runs of tracked attempts not known ended: one query (none when there are none); True if one ended."""
        return self._fetch_runs([r for r, keys in self.run_keys.items() if keys and self.run_status.get(r) not in FINAL])

    def _fetch_runs(self, run_ids):
        run_ids = [r for r in run_ids if self.run_keys.get(r)]
        if not run_ids:
            return False
        found, ended = self.reads.run_statuses(run_ids), False
        for run_id in run_ids:
            status = found.get(run_id, DELETED)
            if self.run_status.get(run_id) != status:
                self.run_status[run_id] = status
                ended = ended or status in FINAL
                for name, partition in self.run_keys[run_id]:
                    self.assets[name].dirty.add(partition)
        return ended

    def status(self, state, key):
        attempt = state.attempts.get(key)
        if attempt is not None:
            run = self.run_status.get(attempt[0], DELETED)
            if run == "FAILURE":
                return FAILED
            if run not in FINISHED and run != DELETED:
                return IN_PROGRESS
        return MATERIALIZED if key in state.materialized else MISSING

    def order(self, partitions_def, fresh=None):
        """The definition's key order, cached; read again (once a request) when `fresh` is given and a key was missing."""
        found = self.orders.get(id(partitions_def))
        if found is None or (fresh is not None and id(partitions_def) not in fresh):
            found = self.orders[id(partitions_def)] = KeyOrder(self.reads.partition_keys(partitions_def))
            if fresh is not None:
                fresh.add(id(partitions_def))
        return found

    def _full_statuses(self, state):
        index = self.order(state.partitions_def).index
        # Most keys are plainly materialized; only the keys with an attempt need their run's status.
        answered = {k: MATERIALIZED for k in state.materialized if k in index}
        for key in state.attempts:
            status = self.status(state, key)
            if key not in index:
                continue
            if status == MISSING:
                answered.pop(key, None)
            else:
                answered[key] = status
        state.answered, state.dirty = answered, set()
        order = self.orders[id(state.partitions_def)]
        if len(answered) == len(state.materialized) and not state.attempts:
            by_status = {MATERIALIZED: sorted(map(index.__getitem__, answered))}
        else:
            by_status = defaultdict(list)
            for key, status in answered.items():
                by_status[status].append(index[key])
        return {s: ranges(order, sorted(by_status.get(s, ()))) for s in STATUSES}

    def _delta(self, state, fresh):
        order = self.order(state.partitions_def)
        if any(k not in order.index for k in state.dirty):
            order = self.order(state.partitions_def, fresh)  # a new time window or dynamic key
        by_status = {s: [] for s in STATUSES}
        for key in state.dirty:
            index = order.index.get(key)
            if index is None:
                state.answered.pop(key, None)  # not (any more) a key of the definition: left out, as Dagster does
                continue
            status = self.status(state, key)
            if status != state.answered.get(key, MISSING):
                by_status[status].append(index)
                if status == MISSING:
                    state.answered.pop(key, None)
                else:
                    state.answered[key] = status
        state.dirty = set()
        if not any(by_status.values()):
            return None
        return {"asset": state.name, "statuses": {s: ranges(order, sorted(by_status[s])) for s in STATUSES}}
