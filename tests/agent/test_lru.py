"""agent.lru.LRU: the one bounded cache (the DNS answer cache and the classifier's memo use it)."""

from __future__ import annotations

import pytest

from agent.dns.cache import AnswerCache
from agent.lru import LRU


def test_the_least_recently_used_goes_first():
    lru: LRU[str, int] = LRU(2)
    lru.put("a", 1)
    lru.put("b", 2)
    assert lru.touch("a") == 1  # a is now the most recent
    lru.put("c", 3)
    assert list(lru) == ["a", "c"] and lru.touch("b") is None
    lru.put("a", 10)
    assert lru.touch("a") == 10 and len(lru) == 2


def test_a_bound_below_one_is_refused():
    with pytest.raises(ValueError, match="max_entries"):
        LRU(0)


def test_the_dns_answer_cache_is_bounded_by_it():
    cache = AnswerCache(max_entries=3)
    assert isinstance(cache._entries, LRU) and cache._entries.max_entries == 3
    assert isinstance(cache._raw, LRU) and cache._raw.max_entries == 3
