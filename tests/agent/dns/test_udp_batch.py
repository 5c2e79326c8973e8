"""The batched UDP path (agent/os/udp_batch.py: recvmmsg/sendmmsg) in front of the fast path: real sockets, real
datagrams. The batched loop must answer byte for byte as the one-datagram-per-call loop does, each reply must reach
the client that asked, and a repeated query (answered from the classifier's memo) exactly as the first."""

from __future__ import annotations

import random
import socket
import struct
import time
from collections.abc import Iterator

import dns.flags
import dns.message
import dns.rcode
import pytest

from agent.dns.cache import AnswerCache
from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool
from agent.os.udp_batch import UdpBatch
from tests.support.dns_fastpath import BLOCKED, CANARIES, EDNS_VARIANTS, assert_same, make_server, query
from tests.support.dns_stub import StubUpstream

pytestmark = pytest.mark.skipif(not UdpBatch.available(), reason="recvmmsg/sendmmsg are Linux system calls")

WEB = {"blocked_categories": ["gambling"], "allow": ["ok.casino.test"], "deny": ["blocked.test"],
       "safesearch": {"google": True, "bing": False, "duckduckgo": False}, "youtube": "off"}


def bound(family: int = socket.AF_INET) -> socket.socket:
    sock = socket.socket(family, socket.SOCK_DGRAM)
    sock.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
    return sock


def receive_all(batch: UdpBatch, expected: int, timeout: float = 3.0) -> list[bytes]:
    got: list[bytes] = []
    deadline = time.monotonic() + timeout
    while len(got) < expected and time.monotonic() < deadline:
        got += batch.receive() or []
        if len(got) < expected:
            time.sleep(0.005)
    return got


# ----- the adapter on its own

def test_batch_reads_many_datagrams_and_replies_to_each_sender() -> None:
    with bound() as server_sock, bound() as a, bound() as b:
        server_sock.setblocking(False)
        batch = UdpBatch(server_sock, slots=8)
        assert batch.receive() == []  # nothing waiting: EAGAIN is an empty batch, not an error
        for i in range(5):
            (a if i % 2 == 0 else b).sendto(f"q{i}".encode() * (i + 1), server_sock.getsockname())
        datagrams = receive_all(batch, 5)
        assert datagrams == [f"q{i}".encode() * (i + 1) for i in range(5)]
        assert [batch.address(i) for i in range(5)] == [a.getsockname(), b.getsockname()] * 2 + [a.getsockname()]
        # reply to slots 4, 1 and 2 only (slots 0 and 3 "went the slow way"): the out records are compacted
        batch.send([(4, b"r4"), (1, b"r1"), (2, b"r2-longer")])
        a.settimeout(2)
        b.settimeout(2)
        assert sorted([a.recv(100), a.recv(100)]) == [b"r2-longer", b"r4"]
        assert b.recv(100) == b"r1"
        assert batch.sent == 3 and batch.send_errors == 0


def test_more_datagrams_than_slots_come_in_order_over_several_batches() -> None:
    with bound() as server_sock, bound() as client:
        server_sock.setblocking(False)
        batch = UdpBatch(server_sock, slots=4)
        for i in range(10):
            client.sendto(struct.pack("!H", i), server_sock.getsockname())
        time.sleep(0.05)
        sizes = []
        seen: list[bytes] = []
        while True:
            datagrams = batch.receive()
            if not datagrams:
                break
            sizes.append(len(datagrams))
            seen += datagrams
        assert sizes == [4, 4, 2]
        assert [struct.unpack("!H", d)[0] for d in seen] == list(range(10))


def test_a_64_kib_datagram_arrives_whole_and_a_refused_reply_does_not_stop_the_others() -> None:
    with bound() as server_sock, bound() as client:
        server_sock.setblocking(False)
        batch = UdpBatch(server_sock, slots=4)
        big = bytes(range(256)) * 255  # 65,280 bytes: recvfrom(65535) saw it whole, so must we
        client.sendto(big, server_sock.getsockname())
        client.sendto(b"small", server_sock.getsockname())
        assert receive_all(batch, 2) == [big, b"small"]
        # a reply over the UDP maximum is refused by the kernel (EMSGSIZE); the next one still goes
        batch.send([(0, b"x" * 65_600), (1, b"fine")])
        client.settimeout(2)
        assert client.recv(100) == b"fine"
        assert batch.sent == 1 and batch.send_errors == 1


def test_ipv6_senders_get_their_own_address_back() -> None:
    with bound(socket.AF_INET6) as server_sock, bound(socket.AF_INET6) as client:
        server_sock.setblocking(False)
        batch = UdpBatch(server_sock, slots=2)
        client.sendto(b"v6?", server_sock.getsockname())
        assert receive_all(batch, 1) == [b"v6?"]
        host, port, _flow, _scope = batch.address(0)
        assert (host, port) == client.getsockname()[:2]
        batch.send([(0, b"v6!")])
        client.settimeout(2)
        assert client.recv(10) == b"v6!"


def test_only_udp_sockets_are_batched() -> None:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp, pytest.raises(ValueError, match="UDP"):
        UdpBatch(tcp)


# ----- the filter with and without batches

@pytest.fixture
def stub() -> Iterator[StubUpstream]:
    s = StubUpstream().start()
    yield s
    s.stop()


def serve(stub: StubUpstream, batch_io: bool, events: list[dict]) -> DnsFilterServer:
    classifier = Classifier(WebRules.from_web(WEB), index=SeedIndex({"casino.test": "gambling"}))
    # The caches' clock stands still: both servers then give cached answers the same TTLs, whatever second
    # boundary falls between their rounds.
    return DnsFilterServer(classifier, UpstreamPool([Upstream("127.0.0.1", stub.port)], timeout=0.5),
                           ("127.0.0.1", 0), block_ipv4="127.0.0.1", block_ipv6="::1", on_event=events.append,
                           cache=AnswerCache(clock=lambda: 1000.0), batch_io=batch_io).start()


def mixed_queries() -> list[bytes]:
    """Blocks, canaries, forwarded names, a rewrite, an MX, junk and a FORMERR case, with and without EDNS."""
    wires = [query(n, t, e, qid=i) for i, (n, t, e) in enumerate(
        [(n, t, e) for n in BLOCKED[:3] + CANARIES[:1] + ["fine.test", "www.google.com"]
         for t in ("A", "AAAA", "HTTPS") for e in ("no-edns", "edns")])]
    wires.append(dns.message.make_query("casino.test", "MX", id=999).to_wire())
    wires.append(b"\x12\x34\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x05short")  # a question cut short
    return wires


def exchange(server: DnsFilterServer, clients: list[socket.socket], wires: list[bytes]) -> list[bytes | None]:
    """Send every query at once, round robin over the clients, then collect each client's replies by ID."""
    for i, wire in enumerate(wires):
        clients[i % len(clients)].sendto(wire, server.address)
    replies: dict[tuple[int, int], bytes] = {}
    deadline = time.monotonic() + 60
    while len(replies) < len(wires) and time.monotonic() < deadline:
        for c, client in enumerate(clients):
            client.settimeout(0.05)
            try:
                data = client.recv(65535)
            except TimeoutError:
                continue
            replies[c, struct.unpack("!H", data[:2])[0]] = data
    return [replies.get((i % len(clients), struct.unpack("!H", w[:2])[0])) for i, w in enumerate(wires)]


def test_batched_and_one_by_one_loops_answer_the_same_bytes_to_the_right_clients(stub: StubUpstream) -> None:
    events_batched: list[dict] = []
    events_single: list[dict] = []
    batched, single = serve(stub, True, events_batched), serve(stub, False, events_single)
    clients = [bound() for _ in range(3)]
    try:
        assert batched._batch is not None and single._batch is None
        wires = mixed_queries()
        for _round in range(2):  # the second round is answered from memos and caches
            got_batched = exchange(batched, clients, wires)
            got_single = exchange(single, clients, wires)
            for wire, a, b in zip(wires, got_batched, got_single, strict=True):
                assert a is not None and b is not None, wire.hex()
                assert a[:2] == wire[:2]
                if wire[12:14] == b"\x05s":  # the junk question: both FORMERR, header only
                    assert a == b and a[3] & 0x0F == dns.rcode.FORMERR
                    continue
                assert_same(a, b)
        def strip(events: list[dict]) -> list[str]:
            return sorted(repr(sorted((k, str(v)) for k, v in e.items() if k != "time")) for e in events)

        assert strip(events_batched) == strip(events_single)
        assert batched.stats["blocked"] == single.stats["blocked"] == 2 * (4 * 3 * 2 + 1)  # + the MX of a block
        assert batched.stats["udp"] == single.stats["udp"] == 2 * len(wires)
    finally:
        for c in clients:
            c.close()
        batched.stop()
        single.stop()


def test_a_burst_from_many_clients_gets_every_answer(stub: StubUpstream) -> None:
    events: list[dict] = []
    server = serve(stub, True, events)
    clients = [bound() for _ in range(20)]
    try:
        wires = [query(f"n{i}.casino.test" if i % 3 else f"n{i}.fine.test", "A", "no-edns", qid=i)
                 for i in range(200)]
        got = exchange(server, clients, wires)
        assert all(g is not None for g in got)
        for i, reply in enumerate(got):
            msg = dns.message.from_wire(reply)  # type: ignore[arg-type]
            assert msg.question[0].name.to_text() == ("n%d.casino.test." if i % 3 else "n%d.fine.test.") % i
            answer = msg.answer[0][0].to_text()
            assert (answer == "127.0.0.1") == bool(i % 3)
    finally:
        for c in clients:
            c.close()
        server.stop()


# ----- repeated queries (the classifier's memo) against the dnslib path

def test_memoised_queries_agree_with_a_fresh_parse_under_mutation() -> None:
    """Seeded differential fuzz through the UDP fast path twice (the second call comes from the classifier's memo) against the
    dnslib path: header bits, case, counts, cuts and junk. Every block answered must equal dnslib's answer."""
    rng = random.Random(20261130)
    events: list[dict] = []
    srv = make_server(events)
    bases = [query(n, t, e, qid=rng.randrange(65536)) for n in BLOCKED + CANARIES + ["example.test"]
             for t in ("A", "AAAA", "HTTPS", "MX") for e in EDNS_VARIANTS]
    answered = 0
    try:
        for i in range(20_000):
            data = bytearray(rng.choice(bases))
            kind = i % 4
            if kind == 0:
                data[2], data[3] = rng.randrange(256), rng.randrange(256)
            elif kind == 1:
                data[0], data[1] = rng.randrange(256), rng.randrange(256)
            elif kind == 2:
                data[rng.randrange(len(data))] = rng.randrange(256)
            else:
                struct.pack_into("!HHHH", data, 4, *(rng.choice((0, 1, 2)) for _ in range(4)))
            wire = bytes(data)
            first, second = srv._fast_udp(wire), srv._fast_udp(wire)
            assert type(first) is type(second) and first == second, wire.hex()
            if not isinstance(first, bytes):
                continue
            answered += 1
            slow = bytes(srv.handle(wire, fast=False) or b"")
            assert first[:4] == slow[:4], wire.hex()
            assert_same(first, slow)
    finally:
        srv.stop()
    assert answered > 3_000  # the fuzz really reached the fast path's block answers


def test_a_response_with_a_blocked_querys_bytes_is_not_answered_as_a_query() -> None:
    srv = make_server()
    try:
        wire = query("casino.test", "A", "no-edns")
        assert isinstance(srv._fast_udp(wire), bytes)
        for flags in (0x80, 0x28, 0x10):  # QR (a response), opcode UPDATE, opcode STATUS
            forged = wire[:2] + bytes([wire[2] | flags]) + wire[3:]
            assert srv._fast_udp(forged) is None  # the dnslib path decides, as for a query never seen
    finally:
        srv.stop()


def test_events_carry_fresh_copies() -> None:
    events: list[dict] = []
    srv = make_server(events)
    try:
        wire = query("casino.test", "AAAA", "edns")
        srv._fast_udp(wire)
        events[-1]["domain"] = "changed by a listener"
        srv._fast_udp(wire)
        assert events[-1]["domain"] == "casino.test"  # each block's event is its own: a listener cannot change the next
        assert events[-1]["qtype"] == "AAAA" and events[-1]["time"]
    finally:
        srv.stop()


def test_changing_the_block_address_rebuilds_the_replies() -> None:
    srv = make_server()
    try:
        wire = query("casino.test", "A", "no-edns")
        first = dns.message.from_wire(srv._fast_udp(wire))  # type: ignore[arg-type]
        srv.block_ipv4 = "192.0.2.9"
        second = dns.message.from_wire(srv._fast_udp(wire))  # type: ignore[arg-type]
        assert first.answer[0][0].to_text() == "127.0.0.1"  # the server's default block address
        assert second.answer[0][0].to_text() == "192.0.2.9"
        assert second.flags & dns.flags.QR
    finally:
        srv.stop()
