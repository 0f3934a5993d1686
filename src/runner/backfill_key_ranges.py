"""A partitions definition's keys in Dagster's order with each key's index, and sorted key indexes as [firstKey, lastKey] ranges."""


class KeyOrder:
    """A partitions definition's keys in Dagster's order and each key's index."""

    def __init__(self, keys):
        self.keys = keys
        self.index = {k: i for i, k in enumerate(keys)}


def ranges(order, indexes):
    """[[firstKey, lastKey], ...] of sorted key indexes, consecutive indexes joined."""
    if indexes and indexes[-1] - indexes[0] == len(indexes) - 1:
        return [[order.keys[indexes[0]], order.keys[indexes[-1]]]]  # one run of consecutive keys
    found, start, previous = [], None, None
    for i in indexes:
        if start is None:
            start = previous = i
        elif i == previous + 1:
            previous = i
        else:
            found.append([order.keys[start], order.keys[previous]])
            start = previous = i
    if start is not None:
        found.append([order.keys[start], order.keys[previous]])
    return found
