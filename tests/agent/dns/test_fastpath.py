"""The hand-built replies for blocked names and canaries (agent/dns/fastpath.py) against the dnslib path they
shortcut: the same message, record for record, as dnspython reads them, and the same events; everything the fast
path does not fully understand falls back to the dnslib path."""

from __future__ import annotations

import random
import struct
from collections.abc import Iterator

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode
import pytest

from agent.dns.fastpath import parse_query
from agent.dns.server import DnsFilterServer
from tests.support.dns_fastpath import BLOCKED, CANARIES, EDNS_VARIANTS, assert_same, make_server, query


@pytest.fixture(params=[{"block_ipv4": "127.0.0.1", "block_ipv6": "::1"}, {"block_ipv4": "0.0.0.0", "block_ipv6": "::"},
                        {"block_ipv4": "", "block_ipv6": ""}, {"block_ipv4": "192.0.2.7", "block_ipv6": "2001:db8::7"}],
                ids=["loopback", "unspecified", "no-address", "page-elsewhere"])
def server(request: pytest.FixtureRequest) -> Iterator[DnsFilterServer]:
    srv = make_server(**request.param)
    yield srv
    srv.stop()


def both(server: DnsFilterServer, wire: bytes) -> tuple[bytes, bytes]:
    fast = server._fast_reply(wire)
    assert fast is not None, "the fast path did not take a query it is meant for"
    slow = server.handle(wire, fast=False)
    assert slow is not None
    return fast, bytes(slow)  # dnslib packs into a bytearray


@pytest.mark.parametrize("edns", list(EDNS_VARIANTS))
@pytest.mark.parametrize("rdtype", ["A", "AAAA", "HTTPS"])
@pytest.mark.parametrize("name", BLOCKED + CANARIES)
def test_fast_reply_is_the_dnslib_reply(server: DnsFilterServer, name: str, rdtype: str, edns: str) -> None:
    wire = query(name, rdtype, edns)
    fast, slow = both(server, wire)
    assert_same(fast, slow)
    reply = dns.message.from_wire(fast)
    qend = parse_query(wire)[2]
    assert fast[12:qend] == wire[12:qend]  # the question exactly as asked, case included
    if name in CANARIES:
        assert reply.rcode() == dns.rcode.NXDOMAIN and not reply.answer and reply.authority
    else:
        assert reply.rcode() == dns.rcode.NOERROR
        expected = {"A": server.block_ipv4, "AAAA": server.block_ipv6}.get(rdtype)
        assert [r.to_text() for rrset in reply.answer for r in rrset] == ([expected] if expected else [])
        assert bool(reply.authority) == (not expected)  # NODATA carries the SOA
    assert (reply.edns == 0) == (edns != "no-edns")


@pytest.mark.parametrize("flags", [0, dns.flags.RD, dns.flags.RD | dns.flags.CD, dns.flags.AD | dns.flags.TC,
                                   dns.flags.CD | dns.flags.AA | dns.flags.RA, 0x0040 | dns.flags.RD | 0x000F])
def test_header_bits_are_copied_like_the_dnslib_path(server: DnsFilterServer, flags: int) -> None:
    for qid in (0, 1, 0xBEEF, 0xFFFF):
        fast, slow = both(server, query("www.casino.test", "A", "edns", qid=qid, flags=flags))
        assert fast[:4] == slow[:4]  # ID and flags, byte for byte
        assert_same(fast, slow)


def test_events_and_stats_match_the_dnslib_path() -> None:
    fast_events: list[dict] = []
    slow_events: list[dict] = []
    fast_srv, slow_srv = make_server(fast_events), make_server(slow_events)
    try:
        for name in BLOCKED + CANARIES:
            for rdtype in ("A", "AAAA", "HTTPS"):
                wire = query(name, rdtype, "edns")
                assert fast_srv._fast_reply(wire) is not None
                slow_srv.handle(wire, fast=False)
        assert fast_srv.stats == slow_srv.stats
        assert fast_srv.stats["blocked"] == len(BLOCKED + CANARIES) * 3
        strip = [{k: v for k, v in e.items() if k != "time"} for e in fast_events]
        assert strip == [{k: v for k, v in e.items() if k != "time"} for e in slow_events]
        assert {e["domain"] for e in fast_events} >= {"www.casino.test", "blocked.test", "mask.icloud.com"}
        assert all(e["time"].endswith("+00:00") for e in fast_events)
    finally:
        fast_srv.stop()
        slow_srv.stop()


def _with_counts(wire: bytes, qd: int, an: int, ns: int, ar: int) -> bytes:
    return wire[:4] + struct.pack("!HHHH", qd, an, ns, ar) + wire[12:]


@pytest.mark.parametrize("case", [
    "allowed", "allowlisted", "unblocked-category", "rewrite", "mx", "txt", "class-ch", "edns-version-1",
    "two-questions", "pointer", "trailing-byte", "not-opt-additional", "escaped-byte", "response", "notify",
    "root", "answer-section", "bad-option-length", "opt-not-root",
])
def test_everything_else_takes_the_dnslib_path(case: str) -> None:
    srv = make_server()
    try:
        plain = query("casino.test", "A", "no-edns")
        wire = {
            "allowed": query("example.test", "A", "edns"),
            "allowlisted": query("ok.casino.test", "A", "edns"),
            "unblocked-category": query("videos.test", "AAAA", "no-edns"),
            "rewrite": query("www.google.com", "A", "edns"),
            "mx": query("casino.test", "MX", "edns"),
            "txt": query("casino.test", "TXT", "no-edns"),
            "class-ch": plain[:-2] + b"\x00\x03",
            "edns-version-1": dns.message.make_query("casino.test", "A", use_edns=1).to_wire(),
            "two-questions": _with_counts(plain + plain[12:], 2, 0, 0, 0),
            "pointer": plain[:12] + b"\x03www\xc0\x0c" + plain[-4:],
            "trailing-byte": plain + b"\x00",
            "not-opt-additional": _with_counts(plain + b"\x00\x00\x01\x00\x01\x00\x00\x00\x0a\x00\x04\x7f\x00\x00\x01",
                                               1, 0, 0, 1),
            "escaped-byte": plain[:12] + b"\x07cas.ino\x04test\x00" + plain[-4:],
            "response": plain[:2] + bytes([plain[2] | 0x80]) + plain[3:],
            "notify": plain[:2] + bytes([plain[2] | 0x20]) + plain[3:],
            "root": plain[:12] + b"\x00" + plain[-4:],
            "answer-section": _with_counts(plain, 1, 1, 0, 0),
            "bad-option-length": (lambda w: w[:-10] + b"\x00\x09" + w[-8:])(query("casino.test", "A", "edns-cookie")),
            "opt-not-root": _with_counts(plain + b"\x01x\x00\x00\x29\x04\xd0\x00\x00\x00\x00\x00\x00", 1, 0, 0, 1),
        }[case]
        assert srv._fast_reply(wire) is None
        assert srv.stats["blocked"] == 0
    finally:
        srv.stop()


def test_random_queries_agree_with_the_dnslib_path() -> None:
    """Seeded differential fuzz: mutated queries (header bits, case, counts, lengths, junk). Whatever the fast path
    answers must equal the dnslib path's answer; everything it refuses must not crash it."""
    rng = random.Random(20261129)
    srv = make_server()
    bases = [query(n, t, e, qid=rng.randrange(65536)) for n in BLOCKED + CANARIES + ["example.test"]
             for t in ("A", "AAAA", "HTTPS", "MX") for e in EDNS_VARIANTS]
    taken = 0
    try:
        for i in range(30_000):
            data = bytearray(rng.choice(bases))
            kind = i % 5
            if kind == 0:  # any flag word
                data[2], data[3] = rng.randrange(256), rng.randrange(256)
            elif kind == 1:  # case flips in the name
                for j in range(12, len(data)):
                    if chr(data[j]).isalpha() and rng.random() < 0.3:
                        data[j] ^= 0x20
            elif kind == 2:  # a few random bytes anywhere
                for _ in range(rng.randint(1, 3)):
                    data[rng.randrange(len(data))] = rng.randrange(256)
            elif kind == 3:  # cut short or lengthened
                data = data[:rng.randrange(len(data))] if rng.random() < 0.5 else data + rng.randbytes(rng.randint(1, 9))
            else:  # lying counts
                struct.pack_into("!HHHH", data, 4, *(rng.choice((0, 1, 2, 65535)) for _ in range(4)))
            wire = bytes(data)
            fast = srv._fast_reply(wire)
            if fast is None:
                continue
            taken += 1
            slow = bytes(srv.handle(wire, fast=False) or b"")
            assert slow, wire.hex()
            assert fast[:4] == slow[:4], wire.hex()
            assert_same(fast, slow)
    finally:
        srv.stop()
    assert taken > 3_000  # the fuzz really exercised the fast path, not only its refusals


def test_fast_path_over_udp_and_tcp() -> None:
    events: list[dict] = []
    srv = make_server(events, block_ipv4="127.0.0.1", block_ipv6="::1").start()
    try:
        host, port = srv.address
        ask = dns.message.make_query("WWW.Casino.Test", "AAAA", use_edns=0, payload=1400)
        reply = dns.query.udp(ask, host, port=port, timeout=3)
        assert [r.to_text() for rrset in reply.answer for r in rrset] == ["::1"]
        assert reply.answer[0].name.to_text() == "WWW.Casino.Test."  # the client's spelling, via 0xC00C
        assert reply.edns == 0 and reply.payload == 1232
        canary = dns.query.tcp(dns.message.make_query("use-application-dns.net", "HTTPS"), host, port=port,
                               timeout=3)
        assert canary.rcode() == dns.rcode.NXDOMAIN and canary.edns == -1
        assert [(e["domain"], e["qtype"], e["verdict"]) for e in events] == [
            ("www.casino.test", "AAAA", "block"), ("use-application-dns.net", "HTTPS", "nxdomain")]
        assert srv.stats["blocked"] == 2 and srv.stats["malformed"] == 0
    finally:
        srv.stop()
