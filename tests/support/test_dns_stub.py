"""The DNS filter tests' upstream stub (tests/support/dns_stub.py) itself, so a broken helper shows up here and not
as a mysterious filter failure."""

from __future__ import annotations

import socket

from dnslib import EDNS0, DNSRecord

from tests.support.dns_stub import StubUpstream


def test_stub_answers_like_a_resolver() -> None:
    """The stub itself, so a broken helper shows up here and not as a mysterious filter failure."""
    stub = StubUpstream().start()
    try:
        query = DNSRecord.question("big.test", "A")
        query.add_ar(EDNS0(udp_len=512))
        sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        sock.settimeout(2)
        sock.sendto(query.pack(), ("127.0.0.1", stub.port))
        reply = DNSRecord.parse(sock.recv(65535))
        sock.close()
        assert reply.header.tc == 1 and not reply.rr
        assert stub.count("big.test") == 1
    finally:
        stub.stop()
