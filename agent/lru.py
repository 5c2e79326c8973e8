"""The project's one small bounded cache: least recently used goes first.

An OrderedDict underneath (its C methods keep the DNS hot path fast); not locked — its users already hold a lock
around every use (agent/dns/cache.py, agent/dns/classifier.py)."""

from __future__ import annotations

from collections import OrderedDict
from typing import TypeVar

K = TypeVar("K")
V = TypeVar("V")


class LRU(OrderedDict[K, V]):
    def __init__(self, max_entries: int) -> None:
        if max_entries < 1:
            raise ValueError(f"LRU: max_entries must be at least 1, not {max_entries}")
        super().__init__()
        self.max_entries = max_entries

    def touch(self, key: K) -> V | None:
        """The value for `key` (now the most recently used), or None."""
        value = self.get(key)
        if value is not None:
            self.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Keep `value` as the most recently used; the least recently used go beyond max_entries."""
        self[key] = value
        self.move_to_end(key)
        while len(self) > self.max_entries:
            self.popitem(last=False)
