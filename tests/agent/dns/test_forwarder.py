"""Forwarding from inside the filter's loop (agent/dns/forwarder.py) against real upstream sockets on loopback:
what upstream.py promised still holds — a fresh ID and source port per question, spoofed and stale replies ignored,
failover with penalties, SERVFAIL in bounded time, TCP when the upstream truncates — and nothing leaks."""

from __future__ import annotations

import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Iterator

import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdata
import dns.rdataclass
import dns.rdatatype
import pytest

from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool

WEB = {"blocked_categories": ["gambling"], "allow": [], "deny": [], "safesearch": {}, "youtube": "off"}


class Upstream1:
    """One UDP (+ TCP) resolver whose behaviour each test sets: `answer(query_wire, peer) -> list of replies`
    (sent in order, from this socket), and it records every query's source address and ID."""

    def __init__(self, answer: Callable[[bytes, tuple], list[bytes]] | None = None) -> None:
        self.udp, self.tcp = self._bind_pair()
        self.port = self.udp.getsockname()[1]
        self.tcp.listen(8)
        self.answer = answer or (lambda wire, peer: [reply_for(wire, "192.0.2.1")])
        self.seen: list[tuple[tuple, int]] = []  # (source address, DNS ID)
        self.tcp_seen = 0
        self.delay = 0.0
        self._stop = threading.Event()
        self.udp.settimeout(0.1)
        self.tcp.settimeout(0.1)
        self._threads = [threading.Thread(target=self._serve_udp, daemon=True),
                         threading.Thread(target=self._serve_tcp, daemon=True)]
        for t in self._threads:
            t.start()

    @staticmethod
    def _bind_pair() -> tuple[socket.socket, socket.socket]:
        """UDP and TCP on one free port number: the UDP port the kernel picks may be taken for TCP by another
        program on this machine, so try again until both are ours."""
        for _ in range(50):
            udp = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            # A real resolver drains its socket at once; this one is a thread a loaded machine may hold for a
            # while, so it gets the buffer the filter itself has (a burst must not be lost in the stub).
            udp.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4 << 20)
            udp.bind(("127.0.0.1", 0))
            tcp = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            tcp.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                tcp.bind(("127.0.0.1", udp.getsockname()[1]))
            except OSError:
                udp.close()
                tcp.close()
                continue
            return udp, tcp
        raise RuntimeError("no port free for both UDP and TCP on 127.0.0.1")

    def _serve_udp(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self.udp.recvfrom(65535)
            except TimeoutError:
                continue
            except OSError:
                return
            self.seen.append((peer, struct.unpack("!H", wire[:2])[0]))
            if self.delay:
                time.sleep(self.delay)
            for reply in self.answer(wire, peer):
                self.udp.sendto(reply, peer)

    def _serve_tcp(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.tcp.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(2)
                size = struct.unpack("!H", conn.recv(2))[0]
                wire = conn.recv(size)
                self.tcp_seen += 1
                reply = reply_for(wire, "192.0.2.77", count=100)
                conn.sendall(struct.pack("!H", len(reply)) + reply)

    def close(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(2)
        self.udp.close()
        self.tcp.close()


def reply_for(wire: bytes, address: str, *, count: int = 1, tc: bool = False, qid: int | None = None) -> bytes:
    query = dns.message.from_wire(wire)
    reply = dns.message.make_response(query)
    if qid is not None:
        reply.id = qid
    if tc:
        reply.flags |= dns.flags.TC
    else:
        name = query.question[0].name
        rrset = reply.find_rrset(reply.answer, name, dns.rdataclass.IN, dns.rdatatype.A, create=True)
        for i in range(count):
            rrset.add(dns.rdata.from_text("IN", "A", address if count == 1 else f"192.0.2.{i % 250 + 1}"), 300)
    return reply.to_wire(max_size=65535)


def make(upstreams: list[Upstream], timeout: float = 0.4, clock: Callable[[], float] = time.monotonic,
         **kw) -> DnsFilterServer:
    classifier = Classifier(WebRules.from_web(WEB), index=SeedIndex({"casino.test": "gambling"}))
    pool = UpstreamPool(upstreams, timeout=timeout, total_timeout=2 * timeout, clock=clock)
    return DnsFilterServer(classifier, pool, ("127.0.0.1", 0), **kw).start()


@pytest.fixture
def up() -> Iterator[Upstream1]:
    u = Upstream1()
    yield u
    u.close()


def ask(server: DnsFilterServer, name: str, qid: int = 7, timeout: float = 3) -> dns.message.Message:
    return dns.query.udp(dns.message.make_query(name, "A", id=qid), *server.address[:1], port=server.address[1],
                         timeout=timeout)


def test_each_question_gets_a_fresh_id_and_source_port(up: Upstream1) -> None:
    server = make([Upstream("127.0.0.1", up.port)])
    try:
        for i in range(40):
            reply = ask(server, f"n{i}.fine.test", qid=4242)
            assert reply.id == 4242 and reply.answer[0][0].to_text() == "192.0.2.1"
        ports = {peer[1] for peer, _qid in up.seen}
        ids = [qid for _peer, qid in up.seen]
        assert len(up.seen) == 40
        assert len(ports) >= 35  # the kernel picks a random ephemeral port per socket; a repeat now and then is fine
        assert ids.count(4242) <= 1 and len(set(ids)) >= 38  # the client's ID never travels upstream
        assert server._forwarder is not None and server._forwarder.in_flight == 0
    finally:
        server.stop()


def test_stale_and_spoofed_replies_are_ignored(up: Upstream1) -> None:
    def answer(wire: bytes, peer: tuple) -> list[bytes]:
        qid = struct.unpack("!H", wire[:2])[0]
        # from a stranger's socket: the connected socket never even sees it
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as stranger:
            stranger.sendto(reply_for(wire, "203.0.113.66"), peer)
        wrong_name = dns.message.make_response(dns.message.make_query("other.test", "A", id=qid)).to_wire()
        return [reply_for(wire, "203.0.113.1", qid=qid ^ 0x5555),  # wrong ID
                wrong_name,  # right ID, another question
                b"\x00junk",
                reply_for(wire, "192.0.2.9")]  # the real one, last

    up.answer = answer
    server = make([Upstream("127.0.0.1", up.port)])
    try:
        reply = ask(server, "fine.test")
        assert [r.to_text() for rrset in reply.answer for r in rrset] == ["192.0.2.9"]
    finally:
        server.stop()


def test_refused_upstream_fails_over_and_is_penalised(up: Upstream1) -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        dead_port = s.getsockname()[1]  # closed when the block ends: ICMP port unreachable from now on
    dead = Upstream("127.0.0.1", dead_port)
    # The loop's clock stands still, so no attempt can ever time out: an answer at all means the refusal itself
    # moved the question on to the next upstream (waiting out the timeout would leave the client unanswered).
    server = make([dead, Upstream("127.0.0.1", up.port)], timeout=20.0, clock=lambda: 1000.0)
    try:
        reply = ask(server, "one.fine.test", timeout=30)
        assert reply.answer[0][0].to_text() == "192.0.2.1"
        assert [peer for peer, _qid in up.seen] and server.stats["servfail"] == 0
        assert server.upstreams.order()[0] == Upstream("127.0.0.1", up.port)  # the dead one went to the back
    finally:
        server.stop()


def test_silent_upstreams_get_servfail_within_the_total_bound(up: Upstream1) -> None:
    up.answer = lambda wire, peer: []
    server = make([Upstream("127.0.0.1", up.port), Upstream("127.0.0.1", up.port)], timeout=0.3)
    try:
        started = time.monotonic()
        reply = ask(server, "quiet.test")
        took = time.monotonic() - started
        assert reply.rcode() == dns.rcode.SERVFAIL
        assert took > 0.25  # it waited out the silent upstreams (a floor a loaded machine cannot break; ask's timeout bounds it)
        assert len(up.seen) == 2 and server.stats["servfail"] == 1
        assert server._forwarder is not None and server._forwarder.in_flight == 0
    finally:
        server.stop()


def test_truncated_upstream_reply_is_asked_again_over_tcp(up: Upstream1) -> None:
    up.answer = lambda wire, peer: [reply_for(wire, "", tc=True)]
    server = make([Upstream("127.0.0.1", up.port)])
    try:
        reply = dns.query.tcp(dns.message.make_query("big.fine.test", "A"), server.address[0],
                              port=server.address[1], timeout=3)
        assert len(reply.answer[0]) == 100 and up.tcp_seen >= 1
        udp = ask(server, "big2.fine.test")  # over UDP the client then gets TC and comes back over TCP
        assert udp.flags & dns.flags.TC
    finally:
        server.stop()


def test_a_burst_of_forwards_is_answered_and_no_socket_is_left_open(up: Upstream1) -> None:
    # A loaded machine may hold the test's own upstream thread for a while: the timeouts here are roomy, what is
    # tested is that every query is answered and nothing is left open.
    server = make([Upstream("127.0.0.1", up.port)], timeout=10.0)
    fds_before = len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else None
    clients = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(4)]
    try:
        for i in range(300):
            clients[i % 4].sendto(dns.message.make_query(f"b{i}.fine.test", "A", id=i).to_wire(), server.address)
        got = set()
        deadline = time.monotonic() + 60
        while len(got) < 300 and time.monotonic() < deadline:
            for c in clients:
                c.settimeout(0.05)
                try:
                    msg = dns.message.from_wire(c.recv(65535))
                except TimeoutError:
                    continue
                assert msg.answer[0][0].to_text() == "192.0.2.1"
                got.add(msg.id)
        assert got == set(range(300))
        assert server._forwarder is not None and server._forwarder.in_flight == 0
        if fds_before is not None:
            assert len(os.listdir("/proc/self/fd")) <= fds_before + 4 + 2  # the clients (and slack), no leftovers
    finally:
        for c in clients:
            c.close()
        server.stop()


def test_too_many_in_flight_are_dropped_not_queued(up: Upstream1) -> None:
    up.answer = lambda wire, peer: []
    server = make([Upstream("127.0.0.1", up.port)], timeout=3.0, max_pending=20)
    try:
        assert server._forwarder is not None
        server._forwarder.max_in_flight = 5
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as c:
            for i in range(12):
                c.sendto(dns.message.make_query(f"d{i}.fine.test", "A", id=i).to_wire(), server.address)
            deadline = time.monotonic() + 30
            while server.stats["dropped_busy"] < 7 and time.monotonic() < deadline:
                time.sleep(0.02)
        assert server.stats["dropped_busy"] == 7 and server._forwarder.in_flight == 5
    finally:
        server.stop()


def test_answered_questions_do_not_stay_held_until_their_timers_run_out(up: Upstream1) -> None:
    """Taking a timer out of the heap is O(n), so an answered question's timer stays until its deadline — and with
    it the question. At 8,000 forwarded names a second that was 13 MB held for nothing; now such timers are swept
    out once they are half the heap. The clock is stopped, so no timer ever runs out on its own here."""
    server = make([Upstream("127.0.0.1", up.port)], timeout=5.0, clock=lambda: 1000.0)
    try:
        for i in range(400):
            assert ask(server, f"held{i}.fine.test").answer[0][0].to_text() == "192.0.2.1"
        forwarder = server._forwarder
        assert forwarder is not None and forwarder.in_flight == 0
        assert len(forwarder._timers) <= 2 * 64 + 1  # was 400: one per question ever forwarded
        assert len(up.seen) == 400
    finally:
        server.stop()
