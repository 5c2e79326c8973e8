"""Forwarding plain UDP questions from inside the filter's loop: no thread per question.

A thread per upstream exchange made every forwarded name wait for the GIL behind the loop that answers blocks (the
interpreter hands it over every few milliseconds), so a busy filter forwarded slowly. Here the loop itself sends
the question and watches the reply socket with the same selector it uses for clients.

Each question still gets what upstream.py promises: a fresh random ID, a fresh socket (so a fresh random source
port) connected to the upstream (so the kernel drops datagrams from anyone else), and a reply accepted only with that
ID and the same question; failover in pool order with penalties; a time bound per upstream and in total, after which
the caller answers SERVFAIL. A truncated reply is handed back to the caller, which retries over TCP off the loop.
Everything here runs on the loop's thread only.
"""

from __future__ import annotations

import contextlib
import heapq
import itertools
import selectors
import socket
from collections.abc import Callable
from typing import Any

from agent.dns.fastpath import RawReply
from agent.dns.upstream import Upstream, UpstreamPool, raw_matches

# What the caller hears: (the reply, "") or (None, why every upstream failed); `truncated` replies carry tc=True.
Done = Callable[[RawReply | None, str], None]


class _Question:
    __slots__ = ("deadline", "done", "errors", "order", "packet", "question", "sock", "turn", "upstream")

    def __init__(self, packet: bytes, question: bytes, order: list[Upstream], deadline: float, done: Done) -> None:
        self.packet = packet
        self.question = question
        self.order = order
        self.deadline = deadline
        self.done = done
        self.errors: list[str] = []
        self.sock: socket.socket | None = None
        self.upstream: Upstream | None = None
        self.turn = 0  # which attempt a timer belongs to; a timer of an earlier attempt is ignored


class LoopForwarder:
    def __init__(self, pool: UpstreamPool, selector: selectors.BaseSelector, max_in_flight: int = 512) -> None:
        self.pool = pool
        self.selector = selector
        self.max_in_flight = max_in_flight
        self.in_flight = 0
        self._timers: list[tuple[float, int, int, _Question]] = []  # (attempt deadline, tie-break, turn, question)
        # Timers of attempts already answered stay in the heap (taking one out is O(n)) and are counted; once they
        # are half of it they are swept out. Left to expire, every forwarded name of the last `timeout` seconds
        # was held with its packets: at 8,000 names a second, 13 MB of a filter that otherwise needs 30.
        self._stale = 0
        self._seq = itertools.count()
        # One receive buffer for every reply: recv(65535) allocated 64 KiB and shrank it for each answer, which
        # left the allocator's heap fragmented (several MB of resident memory that never came back).
        self._buffer = bytearray(65535)
        self._view = memoryview(self._buffer)

    def ask(self, question: bytes, done: Done) -> bool:
        """Start forwarding `question` (name, type, class in wire form); False when too many are in flight (the
        caller drops the query, and the client retries)."""
        if self.in_flight >= self.max_in_flight:
            return False
        self.in_flight += 1
        now = self.pool.clock()
        q = _Question(self.pool.raw_query(question), question, self.pool.order(), now + self.pool.total_timeout, done)
        self._next_upstream(q, now)
        return True

    def next_timeout(self, now: float) -> float | None:
        """Seconds until the earliest attempt times out (the loop's select timeout), None when nothing waits."""
        return max(0.0, self._timers[0][0] - now) if self._timers else None

    def readable(self, q: _Question) -> None:
        """The selector saw data on a question's socket: read what is there, finish on the matching reply."""
        sock = q.sock
        if sock is None:
            return
        while True:
            try:
                size = sock.recv_into(self._buffer)
            except (BlockingIOError, InterruptedError):
                return  # only junk so far; keep waiting until the attempt's deadline
            except ConnectionRefusedError:
                self._failed(q, "refused (nothing listening)", timer_left=True)
                return
            except OSError as exc:
                self._failed(q, str(exc) or type(exc).__name__, timer_left=True)
                return
            data = self._view[:size].tobytes()
            reply = raw_matches(data, q.packet, q.question)
            if reply is not None:
                self._close(q, timer_left=True)
                assert q.upstream is not None
                self.pool.recovered(q.upstream)
                self._finish(q, reply, "")
                return

    def expire(self, now: float) -> None:
        """Time out the attempts whose deadline has passed (each then fails over to the next upstream)."""
        timers = self._timers
        while timers and timers[0][0] <= now:
            _deadline, _seq, turn, q = heapq.heappop(timers)
            if q.sock is not None and q.turn == turn:
                self._failed(q, "timed out", timer_left=False)
            else:
                self._stale -= 1

    def close(self) -> None:
        """Stop: close every socket; the clients waiting get nothing (the filter is going away)."""
        for _deadline, _seq, turn, q in self._timers:
            if q.sock is not None and q.turn == turn:
                self._close(q, timer_left=False)
        self._timers.clear()
        self._stale = 0
        self.in_flight = 0

    # ---- inside --------------------------------------------------------------------------------------------
    def _next_upstream(self, q: _Question, now: float) -> None:
        while q.order:
            upstream = q.order.pop(0)
            left = q.deadline - now
            if left <= 0.01:
                break
            try:
                sock = socket.socket(upstream.family, socket.SOCK_DGRAM)
            except OSError as exc:  # out of descriptors: our trouble, not the upstream's, so no penalty
                q.errors.append(f"{upstream}: {exc.strerror or exc}")
                break
            try:
                sock.setblocking(False)
                sock.connect((upstream.host, upstream.port))
                sock.send(q.packet)
            except OSError as exc:
                sock.close()
                q.errors.append(f"{upstream}: {exc.strerror or exc}")
                self.pool.penalise(upstream)
                continue
            q.sock, q.upstream = sock, upstream
            q.turn += 1
            self.selector.register(sock, selectors.EVENT_READ, q)
            heapq.heappush(self._timers, (now + min(self.pool.timeout, left), next(self._seq), q.turn, q))
            return
        self._finish(q, None, "; ".join(q.errors) or "no time left to ask an upstream")

    def _failed(self, q: _Question, why: str, *, timer_left: bool) -> None:
        assert q.upstream is not None
        q.errors.append(f"{q.upstream}: {why}")
        self.pool.penalise(q.upstream)
        self._close(q, timer_left=timer_left)
        self._next_upstream(q, self.pool.clock())

    def _close(self, q: _Question, *, timer_left: bool) -> None:
        """End the attempt: its socket closed. `timer_left`: its timer is still in the heap (not the one expire
        just took out), and is stale from now on."""
        sock, q.sock = q.sock, None
        if sock is not None:
            with contextlib.suppress(KeyError, ValueError):  # already gone from a closing selector
                self.selector.unregister(sock)
            sock.close()
            if timer_left:
                self._stale += 1
                if self._stale > 64 and 2 * self._stale > len(self._timers):
                    self._sweep()

    def _sweep(self) -> None:
        """Keep only the timers of attempts still waiting (in place: expire may hold the list)."""
        timers = self._timers
        timers[:] = [t for t in timers if t[3].sock is not None and t[3].turn == t[2]]
        heapq.heapify(timers)
        self._stale = 0

    def _finish(self, q: _Question, reply: RawReply | None, why: str) -> None:
        self.in_flight -= 1
        done: Any = q.done
        q.done = None  # type: ignore[assignment]  # a question is answered once
        if done is not None:
            done(reply, why)
