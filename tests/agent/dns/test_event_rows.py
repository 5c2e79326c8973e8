"""Block events as rows (`on_events`, what `sprout-agent dns` logs from): the same events as the `on_event` dicts
on every path a block takes (the fast UDP path, the dnslib path, TCP), handed over one list per UDP batch, and
a listener's bug never costs an answer."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable, Iterator

import dns.message
import dns.query
import pytest

from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool
from agent.os.udp_batch import UdpBatch

WEB = {"blocked_categories": ["gambling"], "deny": ["blocked.test"]}
INDEX = SeedIndex({"casino.test": "gambling"})
BATCH_MODES = [True, False] if UdpBatch.available() else [False]
Served = tuple[DnsFilterServer, list[dict], list[list[tuple]]]


def _query(name: str, qid: int, qtype: int = 1) -> bytes:
    wire = b"".join(bytes([len(label)]) + label.encode() for label in name.split(".")) + b"\x00"
    return struct.pack("!HHHHHH", qid, 0x0100, 1, 0, 0, 0) + wire + struct.pack("!HH", qtype, 1)


def _row(event: dict) -> tuple:
    return (event["time"], event["verdict"], event["domain"], event["category"], event["reason"], event["qtype"])


@pytest.fixture(params=BATCH_MODES, ids=lambda b: "batched" if b else "one-by-one")
def server(request: pytest.FixtureRequest) -> Iterator[Served]:
    dicts: list[dict] = []
    batches: list[list[tuple]] = []
    clf = Classifier(WebRules.from_web(WEB), index=INDEX)
    srv = DnsFilterServer(clf, UpstreamPool([Upstream("127.0.0.1", 9)], timeout=0.2), ("127.0.0.1", 0),
                          on_event=dicts.append, on_events=lambda rows: batches.append(list(rows)),
                          batch_io=request.param).start()
    try:
        yield srv, dicts, batches
    finally:
        srv.stop()


def _wait(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 10
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def test_rows_are_the_dicts_on_the_fast_path_the_dnslib_path_and_tcp(server: Served) -> None:
    srv, dicts, batches = server
    host, port = srv.address
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(5)
    try:
        client.sendto(_query("www.casino.test", 1), (host, port))  # fast path: A, listed
        client.recv(600)
        client.sendto(_query("blocked.test", 2, qtype=15), (host, port))  # MX: the dnslib path's NODATA
        client.recv(600)
    finally:
        client.close()
    dns.query.tcp(dns.message.make_query("sub.blocked.test", "AAAA"), host, port=port, timeout=5)
    _wait(lambda: sum(map(len, batches)) == 3 and len(dicts) == 3, "three events")
    assert [row for batch in batches for row in batch] == [_row(e) for e in dicts]
    assert [(r[2], r[3], r[4], r[5]) for batch in batches for r in batch] == [
        ("www.casino.test", "gambling", "list", "A"), ("blocked.test", None, "denylist", "MX"),
        ("sub.blocked.test", None, "denylist", "AAAA")]


def test_a_batch_of_blocks_is_one_list_and_every_query_is_answered() -> None:
    """Drive the loop's drain by hand (its thread stopped, sockets open) so the 64 queries are one batch."""
    batches: list[list[tuple]] = []
    clf = Classifier(WebRules.from_web(WEB), index=INDEX)
    srv = DnsFilterServer(clf, UpstreamPool([Upstream("127.0.0.1", 9)]), ("127.0.0.1", 0),
                          on_events=lambda rows: batches.append(list(rows)), batch_io=UdpBatch.available()).start()
    srv._stopping.set()
    srv._wake_w.send(b"x")
    assert srv._thread is not None
    srv._thread.join(10)
    client = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    client.settimeout(5)
    try:
        for i in range(64):
            client.sendto(_query(f"n{i}.casino.test", i), srv.address)
        srv._drain_udp()
        answers = [client.recv(600) for _ in range(64)]
        assert sorted(struct.unpack_from("!H", a)[0] for a in answers) == list(range(64))
        assert [r[2] for batch in batches for r in batch] == [f"n{i}.casino.test" for i in range(64)]
        if UdpBatch.available():
            assert len(batches) == 1  # one hand-over for the whole batch, not one call per block
    finally:
        client.close()
        srv._stopping.clear()
        srv.stop()


def test_a_block_found_in_a_forwarded_answer_is_handed_over_without_another_query() -> None:
    """A forwarded name whose upstream answer is a CNAME to a listed name is blocked when the answer comes back,
    outside any UDP drain: its row must not wait for the next query to be handed over."""
    from tests.support.dns_stub import StubUpstream

    stub = StubUpstream().start()
    stub.cnames["tracker.fine.test"] = "x.casino.test"
    batches: list[list[tuple]] = []
    clf = Classifier(WebRules.from_web(WEB), index=INDEX)
    host, port = stub.address.rsplit(":", 1)
    try:
        with DnsFilterServer(clf, UpstreamPool([Upstream(host, int(port))]), ("127.0.0.1", 0),
                             on_events=lambda rows: batches.append(list(rows))) as srv:
            reply = dns.query.udp(dns.message.make_query("tracker.fine.test", "A"), srv.address[0],
                                  port=srv.address[1], timeout=5)
            assert [r.to_text() for rrset in reply.answer for r in rrset] == ["127.0.0.1"]
            _wait(lambda: bool(batches), "the cloaked block's row")
            assert [(r[2], r[3], r[4]) for batch in batches for r in batch] == [
                ("tracker.fine.test", "gambling", "cname:list")]
    finally:
        stub.stop()


def test_a_failing_rows_listener_never_costs_an_answer() -> None:
    def broken(rows: list[tuple]) -> None:
        raise RuntimeError("listener bug")

    clf = Classifier(WebRules.from_web(WEB), index=INDEX)
    with DnsFilterServer(clf, UpstreamPool([Upstream("127.0.0.1", 9)]), ("127.0.0.1", 0),
                         on_events=broken) as srv:
        host, port = srv.address
        for name in ("casino.test", "x.blocked.test"):
            reply = dns.query.udp(dns.message.make_query(name, "A"), host, port=port, timeout=5)
            assert [r.to_text() for rrset in reply.answer for r in rrset] == ["127.0.0.1"]
        reply = dns.query.tcp(dns.message.make_query("casino.test", "A"), host, port=port, timeout=5)
        assert [r.to_text() for rrset in reply.answer for r in rrset] == ["127.0.0.1"]
