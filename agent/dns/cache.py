"""Answers from upstream kept for as long as their TTL says (RFC 1035 §3.2.1, RFC 2308 for negative answers).

Entries are keyed by (name, type, class); a hit hands back copies of the records with the TTL reduced by the
time spent in the cache, so clients never hold an answer longer than its owner allowed. Time is injected for
tests. Bounded: the least recently used entry goes first.
"""

from __future__ import annotations

import copy
import struct
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from dnslib import QTYPE, RR

from agent.lru import LRU

MAX_TTL = 86_400  # a day, as most resolvers cap
NEGATIVE_TTL_CAP = 900  # RFC 2308 suggests 1–3 h; shorter so a newly registered site appears soon
SERVFAIL_TTL = 0  # never cache failures: the next query should try upstream again


@dataclass
class CachedAnswer:
    rcode: int
    answer: list[RR]
    authority: list[RR]
    expires: float
    stored: float


def answer_ttl(rcode: int, answer: list[RR], authority: list[RR]) -> int:
    """How long an upstream response may be reused: the smallest TTL of its answers, or for NXDOMAIN/NODATA
    the SOA's minimum capped by the SOA record's own TTL."""
    if answer:
        return min(MAX_TTL, min(rr.ttl for rr in answer))
    if rcode in (0, 3):
        for rr in authority:
            if rr.rtype == QTYPE.SOA:
                return min(NEGATIVE_TTL_CAP, rr.ttl, rr.rdata.times[-1])
        return 0  # no SOA: RFC 2308 says do not cache
    return SERVFAIL_TTL


class AnswerCache:
    def __init__(self, max_entries: int = 4096, clock: Callable[[], float] = time.monotonic) -> None:
        self.max_entries = max_entries
        self.clock = clock
        self._entries: LRU[tuple[str, int, int], CachedAnswer] = LRU(max_entries)
        self._raw: LRU[tuple[str, int], tuple] = LRU(max_entries)
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(name: str, qtype: int, qclass: int = 1) -> tuple[str, int, int]:
        return (name.rstrip(".").lower(), qtype, qclass)

    def put(self, key: tuple[str, int, int], rcode: int, answer: list[RR], authority: list[RR]) -> None:
        ttl = answer_ttl(rcode, answer, authority)
        if ttl <= 0:
            return
        now = self.clock()
        entry = CachedAnswer(rcode, copy.deepcopy(answer), copy.deepcopy(authority), now + ttl, now)
        with self._lock:
            self._entries.put(key, entry)

    def get(self, key: tuple[str, int, int]) -> tuple[int, list[RR], list[RR]] | None:
        """(rcode, answer, authority) with TTLs aged, or None on a miss or an expired entry."""
        now = self.clock()
        with self._lock:
            entry = self._entries.get(key)
            if entry is None or entry.expires <= now:
                if entry is not None:
                    del self._entries[key]
                self.misses += 1
                return None
            self._entries.move_to_end(key)
            self.hits += 1
        aged = int(now - entry.stored)
        life = int(entry.expires - entry.stored)
        return entry.rcode, _aged(entry.answer, aged, life), _aged(entry.authority, aged, life)

    def put_raw(self, key: tuple[str, int], rcode: int, ancount: int, nscount: int, body: bytes,
                ttls: tuple[tuple[int, int], ...], cnames: tuple[str, ...], ttl: int) -> None:
        """An upstream answer kept as the bytes of its records (the raw forwarding path): no copies of records,
        the TTL fields are patched on the way out instead. Same lifetime rules as put()."""
        if ttl <= 0:
            return
        now = self.clock()
        entry = (now + ttl, now, rcode, ancount, nscount, body, ttls, cnames)
        with self._lock:
            self._raw.put(key, entry)

    def get_raw(self, key: tuple[str, int]) -> tuple[int, int, int, bytes, tuple[str, ...]] | None:
        """(rcode, ancount, nscount, record bytes with TTLs aged, CNAME targets), or None."""
        now = self.clock()
        with self._lock:
            entry = self._raw.get(key)
            if entry is None or entry[0] <= now:
                if entry is not None:
                    del self._raw[key]
                self.misses += 1
                return None
            self._raw.move_to_end(key)
            self.hits += 1
        expires, stored, rcode, ancount, nscount, body, ttls, cnames = entry
        aged = int(now - stored)
        life = int(expires - stored)
        patched = None
        for offset, ttl in ttls:
            fresh = max(0, min(ttl, life) - aged)
            if fresh != ttl:
                if patched is None:
                    patched = bytearray(body)
                struct.pack_into("!I", patched, offset, fresh)
        return rcode, ancount, nscount, body if patched is None else bytes(patched), cnames

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._raw.clear()

    def __len__(self) -> int:
        return len(self._entries) + len(self._raw)


def _aged(records: list[RR], seconds: int, life: int) -> list[RR]:
    """Copies whose TTLs never promise more than the cache allowed (life) minus the time already spent."""
    out = []
    for rr in records:
        fresh = copy.copy(rr)  # rdata is never mutated, so a shallow copy is enough for a new TTL
        fresh.ttl = max(0, min(rr.ttl, life) - seconds)
        out.append(fresh)
    return out
