"""The filter's faster paths against the ones they replace: a policy change reaching repeated queries at once,
forwarding as raw bytes (the same replies as the dnslib path), the raw answer cache's TTL ageing, the buffered
block log, and `sprout-agent dns --workers`."""

from __future__ import annotations

import io
import os
import signal
import socket
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest
from dnslib import CNAME, QTYPE, RR, A, DNSRecord

from agent.dns.cache import AnswerCache
from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.cli_cmd import LineSink
from agent.dns.fastpath import read_reply
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool
from tests.support.dns_stub import StubUpstream, stub_address

ROOT = Path(__file__).resolve().parents[3]
WEB = {"blocked_categories": ["gambling"], "allow": [], "deny": ["blocked.test"],
       "safesearch": {"google": True, "bing": False, "duckduckgo": False}, "youtube": "off"}
INDEX = SeedIndex({"casino.test": "gambling"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def stub() -> Iterator[StubUpstream]:
    s = StubUpstream().start()
    s.cnames["promo.fine.test"] = "www.casino.test"
    yield s
    s.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(stub: StubUpstream, clock: Clock) -> Iterator[DnsFilterServer]:
    classifier = Classifier(WebRules.from_web(WEB), index=INDEX)
    pool = UpstreamPool([Upstream("127.0.0.1", stub.port)], timeout=0.5, total_timeout=1.0)
    srv = DnsFilterServer(classifier, pool, ("127.0.0.1", 0), block_ipv4="127.0.0.1", block_ipv6="::1",
                          cache=AnswerCache(clock=clock)).start()
    yield srv
    srv.stop()


def ask(server: DnsFilterServer, wire: bytes) -> bytes:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.settimeout(3)
        sock.sendto(wire, server.address)
        return sock.recv(65535)


def same_message(raw: bytes, old: bytes) -> None:
    a, b = dns.message.from_wire(raw), dns.message.from_wire(old)
    assert a.id == b.id and a.flags == b.flags and a.rcode() == b.rcode()
    assert a.question == b.question
    assert a.answer == b.answer and a.authority == b.authority
    assert [rrset.ttl for rrset in a.answer + a.authority] == [rrset.ttl for rrset in b.answer + b.authority]
    assert a.edns == b.edns and a.payload == b.payload and a.additional == b.additional


def test_a_policy_change_applies_to_the_next_repeated_query(server: DnsFilterServer) -> None:
    wire = dns.message.make_query("casino.test", "A").to_wire()
    for _ in range(3):
        assert dns.message.from_wire(ask(server, wire)).answer[0][0].to_text() == "127.0.0.1"
    server.set_classifier(Classifier(WebRules.from_web({**WEB, "allow": ["casino.test"]}), index=INDEX))
    reply = dns.message.from_wire(ask(server, wire))
    assert reply.answer[0][0].to_text() == stub_address("casino.test")


@pytest.mark.parametrize("name,rdtype,kw", [
    ("plain.test", "A", {}), ("Mixed.Case.TEST", "AAAA", {"use_edns": 0}), ("gone.nx", "A", {}),
    ("cdn.fine.test", "A", {"use_edns": 0, "payload": 4096}), ("plain.test", "HTTPS", {}),
    ("big.test", "A", {"use_edns": False}), ("big.test", "A", {"use_edns": 0, "payload": 4096}),
    ("promo.fine.test", "A", {}),
])
def test_forwarded_raw_answers_equal_the_dnslib_path(server: DnsFilterServer, name: str, rdtype: str,
                                                      kw: dict) -> None:
    query = dns.message.make_query(name, rdtype, **kw)
    query.flags |= dns.flags.CD
    wire = query.to_wire()
    for _ in range(2):  # the first goes upstream, the second comes from the raw cache
        raw = ask(server, wire)
        old = server.handle(wire)  # the dnslib path (its own cache)
        assert old is not None
        same_message(raw, bytes(old))


def test_raw_cache_ages_ttls_and_servfail_is_not_cached(server: DnsFilterServer, stub: StubUpstream,
                                                        clock: Clock) -> None:
    wire = dns.message.make_query("aged.test", "A").to_wire()
    ask(server, wire)
    clock.now += 120
    reply = dns.message.from_wire(ask(server, wire))
    assert reply.answer[0].ttl == 180 and stub.count("aged.test") == 1
    stub.silent = True
    reply = dns.message.from_wire(ask(server, dns.message.make_query("dead.test", "A").to_wire()))
    assert reply.rcode() == dns.rcode.SERVFAIL
    stub.silent = False
    assert dns.message.from_wire(ask(server, dns.message.make_query("dead.test", "A").to_wire())).rcode() == 0


def test_read_reply_follows_compression_and_rejects_cut_records() -> None:
    reply = DNSRecord.question("www.example.test", "A").reply()
    reply.add_answer(RR("www.example.test", QTYPE.CNAME, ttl=50, rdata=CNAME("edge.example.test")))
    reply.add_answer(RR("edge.example.test", QTYPE.A, ttl=70, rdata=A("192.0.2.9")))
    data = reply.pack()
    qlen = len(DNSRecord.question("www.example.test", "A").pack()) - 12
    walked = read_reply(bytes(data), qlen, 86_400, 900)
    assert walked is not None and walked.cnames == ("edge.example.test",) and walked.cache_ttl == 50
    assert (walked.ancount, walked.nscount) == (2, 0) and [t for _o, t in walked.ttls] == [50, 70]
    assert read_reply(bytes(data[:-2]), qlen, 86_400, 900) is None
    loop = bytes(data[:12 + qlen]) + b"\xc0" + bytes([12 + qlen]) + struct.pack("!HHIH", 5, 1, 5, 2) + b"\xc0" + \
        bytes([12 + qlen])
    assert read_reply(loop[:6] + b"\x00\x01" + loop[8:], qlen, 86_400, 900) is None  # a pointer loop


def test_log_lines_are_buffered_and_all_written_at_close() -> None:
    out = io.StringIO()
    sink = LineSink(interval=60, stream=out).start()  # the timer never fires within the test
    for i in range(LineSink.BACKLOG - 1):  # below the backlog that wakes the writer early
        sink.add(f"line {i}\n")
    time.sleep(0.2)
    assert out.getvalue() == ""
    for i in range(LineSink.BACKLOG - 1, 10_000):  # a flood: written early, in order, none lost
        sink.add(f"line {i}\n")
    sink.close()
    assert out.getvalue().splitlines() == [f"line {i}" for i in range(10_000)]


def test_log_lines_are_flushed_by_the_background_thread() -> None:
    out = io.StringIO()
    sink = LineSink(interval=0.05, stream=out).start()
    sink.add("early\n")
    deadline = time.monotonic() + 30
    while "early" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert out.getvalue() == "early\n"
    sink.close()


def test_a_flood_of_block_events_wakes_the_writer_before_its_interval() -> None:
    """The answering loop hands over the event itself; the sink's thread makes the line, and a backlog of
    LineSink.BACKLOG events is written at once rather than piling up until the timer."""
    out = io.StringIO()
    sink = LineSink(interval=3600, stream=out).start()  # the timer alone would never fire within the test
    try:
        event = {"time": "2026-12-06T14:00:00+00:00", "verdict": "block", "domain": "casino.test",
                 "category": "gambling", "reason": "list", "qtype": "A"}
        for _ in range(LineSink.BACKLOG):
            sink.add(event)
        deadline = time.monotonic() + 30
        while out.getvalue().count("\n") < LineSink.BACKLOG and time.monotonic() < deadline:
            time.sleep(0.02)
        lines = out.getvalue().splitlines()
        assert len(lines) == LineSink.BACKLOG
        assert lines[0] == "2026-12-06T14:00:00+00:00\tblock\tcasino.test\tgambling\tlist\tA"
    finally:
        sink.close()


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_workers_answer_and_every_block_is_logged_after_sigterm(tmp_path: Path) -> None:
    stub = StubUpstream().start()
    policy = tmp_path / "policy.json"
    policy.write_text('{"schema": 2, "version": 1, "web": {"deny": ["denied.test"]}}')
    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "-m", "agent.cli", "dns", "--listen", f"127.0.0.1:{port}", "--upstream", stub.address,
         "--policy", str(policy), "--no-blockpage", "--workers", "2"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                dns.query.udp(dns.message.make_query("ready.test", "A"), "127.0.0.1", port=port, timeout=0.3)
                break
            except (dns.exception.Timeout, OSError):
                assert time.monotonic() < deadline, "the filter did not start answering"
                time.sleep(0.1)
        time.sleep(1.0)  # the second worker binds
        blocks = 0
        for i in range(60):  # many source ports: the kernel spreads them over both workers
            reply = dns.query.udp(dns.message.make_query(f"n{i}.denied.test", "A"), "127.0.0.1", port=port,
                                  timeout=3)
            assert reply.answer[0][0].to_text() == "0.0.0.0"
            blocks += 1
            ok = dns.query.udp(dns.message.make_query(f"ok{i}.test", "A"), "127.0.0.1", port=port, timeout=3)
            assert ok.answer[0][0].to_text() == stub_address(f"ok{i}.test")
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
        stub.stop()
    assert proc.returncode == 0, err
    logged = sorted(line.split("\t")[2] for line in out.splitlines() if "\tblock\t" in line)
    assert logged == sorted(f"n{i}.denied.test" for i in range(blocks))
