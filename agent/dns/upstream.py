"""Forwarding to the real resolvers: several upstreams in order, failover, a hard time bound, TCP when truncated.

Each query gets a fresh random ID and a fresh socket (so a fresh source port), and a reply is accepted only if
it comes from the upstream asked, with that ID and the same question: a spoofed or stale packet is ignored, not
trusted. An upstream that fails is moved to the back for a while so that one dead resolver costs one timeout,
not one per query.
"""

from __future__ import annotations

import secrets
import socket
import struct
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from dnslib import EDNS0, DNSError, DNSHeader, DNSRecord

from agent.dns.fastpath import RawReply, read_reply

T = TypeVar("T")

UPSTREAM_EDNS_SIZE = 1232  # the DNS flag day 2020 size: no IP fragmentation
PENALTY_SECONDS = 30.0
RAW_MAX_TTL, RAW_NEGATIVE_CAP = 86_400, 900  # cache.MAX_TTL and cache.NEGATIVE_TTL_CAP (no import cycle)
# What EDNS0(udp_len=UPSTREAM_EDNS_SIZE) packs to: root owner, OPT, size, no extended rcode/flags, no options.
_RAW_OPT = b"\x00" + struct.pack("!HHIH", 41, UPSTREAM_EDNS_SIZE, 0, 0)


class UpstreamError(Exception):
    """No upstream gave a usable answer in time; the server answers SERVFAIL."""


@dataclass(frozen=True)
class Upstream:
    host: str
    port: int = 53

    @property
    def family(self) -> int:
        return socket.AF_INET6 if ":" in self.host else socket.AF_INET

    def __str__(self) -> str:
        return f"[{self.host}]:{self.port}" if ":" in self.host else f"{self.host}:{self.port}"


def parse_hostport(text: str, default_port: int, what: str, *, any_port: bool = False) -> tuple[str, int]:
    """'1.2.3.4:53', '[::1]:53' or a bare address → (host, port); ValueError with what was wrong.
    any_port: a listening address may say port 0 (the system picks a free one)."""
    text = text.strip()
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        if not sep:
            raise ValueError(f"{what} {text!r}: missing ']' after an IPv6 address")
        port_text = rest[1:] if rest.startswith(":") else ""
        if rest and not rest.startswith(":"):
            raise ValueError(f"{what} {text!r}: expected ':PORT' after ']'")
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in host else socket.AF_INET, host)
    except OSError:
        raise ValueError(f"{what} {text!r}: {host!r} is not an IPv4 or IPv6 address") from None
    if not port_text:
        return host, default_port
    lowest = 0 if any_port else 1
    if not port_text.isdigit() or not lowest <= int(port_text) < 65536:
        raise ValueError(f"{what} {text!r}: port must be a number from {lowest} to 65535")
    return host, int(port_text)


class UpstreamPool:
    def __init__(self, upstreams: Sequence[Upstream], timeout: float = 1.5, total_timeout: float = 3.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if not upstreams:
            raise ValueError("at least one upstream resolver is needed")
        self.upstreams = list(upstreams)
        self.timeout = timeout
        self.total_timeout = total_timeout  # the longest a client ever waits for SERVFAIL
        self.clock = clock
        self._penalised_until: dict[Upstream, float] = {}
        self._lock = threading.Lock()

    def order(self) -> list[Upstream]:
        """Healthy upstreams first in configured order, then the penalised ones (they may have recovered)."""
        now = self.clock()
        with self._lock:
            healthy = [u for u in self.upstreams if self._penalised_until.get(u, 0.0) <= now]
        return healthy + [u for u in self.upstreams if u not in healthy]

    def penalise(self, upstream: Upstream) -> None:
        """Move a failed upstream to the back of order() for PENALTY_SECONDS."""
        with self._lock:
            self._penalised_until[upstream] = self.clock() + PENALTY_SECONDS

    def recovered(self, upstream: Upstream) -> None:
        if self._penalised_until:
            with self._lock:
                self._penalised_until.pop(upstream, None)

    def raw_query(self, question: bytes) -> bytes:
        """The datagram resolve_raw sends for a question in wire form: a fresh random ID, RD, our EDNS record."""
        return struct.pack("!HHHHHH", secrets.randbelow(65536), 0x0100, 1, 0, 0, 1) + question + _RAW_OPT

    def resolve(self, question: DNSRecord) -> DNSRecord:
        """The first good reply for this question (its ID set to the question's), or UpstreamError."""
        reply = self._first_reply(lambda upstream, timeout: self._ask(upstream, question, timeout),
                                  (OSError, UpstreamError, DNSError))
        reply.header.id = question.header.id
        return reply

    def resolve_raw(self, question: bytes) -> RawReply:
        """resolve() for a question in wire form (name, type, class as the client sent them), exchanging bytes:
        the same failover, time bound, penalties, ID and question checks and TCP retry, without dnslib."""
        return self._first_reply(lambda upstream, timeout: self._ask_raw(upstream, question, timeout),
                                 (OSError, UpstreamError))

    def _first_reply(self, ask: Callable[[Upstream, float], T], failures: tuple[type[Exception], ...]) -> T:
        """The failover both resolves share: each upstream in order() until one answers, all within
        total_timeout; one that fails is penalised, and if none answers the UpstreamError names every failure."""
        deadline = self.clock() + self.total_timeout
        errors = []
        for upstream in self.order():
            left = deadline - self.clock()
            if left <= 0.01:
                break
            try:
                reply = ask(upstream, min(self.timeout, left))
            except failures as exc:
                errors.append(f"{upstream}: {exc or type(exc).__name__}")
                self.penalise(upstream)
                continue
            self.recovered(upstream)
            return reply
        raise UpstreamError("; ".join(errors) or "no time left to ask an upstream")

    def _ask_raw(self, upstream: Upstream, question: bytes, timeout: float) -> RawReply:
        packet = self.raw_query(question)
        started = self.clock()
        reply = _udp_exchange_raw(upstream, packet, question, timeout)
        if reply.tc:
            reply = _tcp_exchange_raw(upstream, packet, question, max(0.05, timeout - (self.clock() - started)))
        return reply

    def _ask(self, upstream: Upstream, question: DNSRecord, timeout: float) -> DNSRecord:
        # A header of our own: the caller's ID must not leak upstream, and the caller's object stays untouched.
        query = DNSRecord(DNSHeader(id=secrets.randbelow(65536), rd=1), q=question.q)
        query.add_ar(EDNS0(udp_len=UPSTREAM_EDNS_SIZE))
        packet = query.pack()
        started = self.clock()
        reply = _udp_exchange(upstream, packet, query, timeout)
        if reply.header.tc:
            reply = _tcp_exchange(upstream, packet, query, max(0.05, timeout - (self.clock() - started)))
        return reply


def _matches(reply: DNSRecord, query: DNSRecord) -> bool:
    return (reply.header.qr == 1 and reply.header.id == query.header.id and len(reply.questions) == 1
            and reply.q.qtype == query.q.qtype and str(reply.q.qname).lower() == str(query.q.qname).lower())


def _udp_exchange(upstream: Upstream, packet: bytes, query: DNSRecord, timeout: float) -> DNSRecord:
    def accept(data: bytes) -> DNSRecord | None:
        try:
            reply = DNSRecord.parse(data)
        except (DNSError, ValueError, IndexError, struct.error):
            return None
        return reply if _matches(reply, query) else None

    return _udp_ask(upstream, packet, timeout, accept)


def _udp_ask(upstream: Upstream, packet: bytes, timeout: float, accept: Callable[[bytes], T | None]) -> T:
    """Send one datagram and wait for the reply that `accept` recognises; anything else on our port is junk."""
    deadline = time.monotonic() + timeout
    with socket.socket(upstream.family, socket.SOCK_DGRAM) as sock:
        sock.connect((upstream.host, upstream.port))  # the kernel then drops datagrams from anyone else
        sock.send(packet)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise UpstreamError("timed out")
            sock.settimeout(left)
            try:
                data = sock.recv(65535)
            except TimeoutError:
                raise UpstreamError("timed out") from None
            except ConnectionRefusedError:
                raise UpstreamError("refused (nothing listening)") from None
            reply = accept(data)
            if reply is not None:
                return reply


def _tcp_exchange(upstream: Upstream, packet: bytes, query: DNSRecord, timeout: float) -> DNSRecord:
    deadline = time.monotonic() + timeout
    with socket.create_connection((upstream.host, upstream.port), timeout=timeout) as sock:
        sock.sendall(struct.pack("!H", len(packet)) + packet)
        size = struct.unpack("!H", _recv_exact(sock, 2, deadline))[0]
        reply = DNSRecord.parse(_recv_exact(sock, size, deadline))
    if not _matches(reply, query):
        raise UpstreamError("TCP reply does not match the question")
    return reply


def raw_matches(data: bytes, packet: bytes, question: bytes) -> RawReply | None:
    """The walked reply if `data` answers `packet` (same ID, a response, the same question in any case)."""
    end = 12 + len(question)
    if (len(data) < end or data[:2] != packet[:2] or not data[2] & 0x80 or data[4:6] != b"\x00\x01"
            or data[12:end].lower() != question.lower()):
        return None
    return read_reply(data, len(question), RAW_MAX_TTL, RAW_NEGATIVE_CAP)


def _udp_exchange_raw(upstream: Upstream, packet: bytes, question: bytes, timeout: float) -> RawReply:
    return _udp_ask(upstream, packet, timeout, lambda data: raw_matches(data, packet, question))


def _tcp_exchange_raw(upstream: Upstream, packet: bytes, question: bytes, timeout: float) -> RawReply:
    deadline = time.monotonic() + timeout
    with socket.create_connection((upstream.host, upstream.port), timeout=timeout) as sock:
        sock.sendall(struct.pack("!H", len(packet)) + packet)
        size = struct.unpack("!H", _recv_exact(sock, 2, deadline))[0]
        data = _recv_exact(sock, size, deadline)
    reply = raw_matches(data, packet, question)
    if reply is None:
        raise UpstreamError("TCP reply does not match the question")
    return reply


def _recv_exact(sock: socket.socket, size: int, deadline: float) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        left = deadline - time.monotonic()
        if left <= 0:
            raise UpstreamError("timed out over TCP")
        sock.settimeout(left)
        try:
            chunk = sock.recv(size - len(chunks))
        except TimeoutError:
            raise UpstreamError("timed out over TCP") from None
        if not chunk:
            raise UpstreamError("closed the TCP connection early")
        chunks += chunk
    return bytes(chunks)
