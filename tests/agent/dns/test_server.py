"""The DNS filter answering real dnspython queries over UDP and TCP on loopback, forwarding to a real stub
resolver (tests/support/dns_stub.py) also on loopback."""

from __future__ import annotations

import socket
import struct
import time
from collections.abc import Callable, Iterator

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype
import pytest

from agent.dns.cache import AnswerCache
from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.server import BLOCK_TTL, DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool
from tests.support.dns_stub import BIG_COUNT, StubUpstream, stub_address

WEB = {
    "blocked_categories": ["gambling", "adult"],
    "allow": ["ok.casino.test"],
    "deny": ["blocked.test"],
    "safesearch": {"google": True, "bing": True, "duckduckgo": False},
    "youtube": "moderate",
}
INDEX = SeedIndex({"casino.test": "gambling", "videos.test": "video", "adult.test": "adult"})


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def make_server(upstreams: list[Upstream], events: list[dict] | None = None, clock: Clock | None = None,
                timeout: float = 0.4, web: dict | None = None,
                upstream_clock: Callable[[], float] = time.monotonic) -> DnsFilterServer:
    classifier = Classifier(WebRules.from_web(web or WEB), index=INDEX)
    pool = UpstreamPool(upstreams, timeout=timeout, total_timeout=2 * timeout, clock=upstream_clock)
    cache = AnswerCache(clock=clock) if clock else AnswerCache()
    return DnsFilterServer(classifier, pool, ("127.0.0.1", 0), block_ipv4="127.0.0.1", block_ipv6="::1",
                           on_event=(events.append if events is not None else None), cache=cache).start()


@pytest.fixture
def stub() -> Iterator[StubUpstream]:
    s = StubUpstream().start()
    yield s
    s.stop()


@pytest.fixture
def events() -> list[dict]:
    return []


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def server(stub: StubUpstream, events: list[dict], clock: Clock) -> Iterator[DnsFilterServer]:
    srv = make_server([Upstream("127.0.0.1", stub.port)], events, clock)
    yield srv
    srv.stop()


def udp(server: DnsFilterServer, name: str, rdtype: str = "A", **kw) -> dns.message.Message:
    host, port = server.address
    return dns.query.udp(dns.message.make_query(name, rdtype, **kw), host, port=port, timeout=30)  # a busy machine


def tcp(server: DnsFilterServer, name: str, rdtype: str = "A") -> dns.message.Message:
    host, port = server.address
    return dns.query.tcp(dns.message.make_query(name, rdtype), host, port=port, timeout=30)


def addresses(msg: dns.message.Message) -> list[str]:
    return [r.to_text() for rrset in msg.answer if rrset.rdtype in (dns.rdatatype.A, dns.rdatatype.AAAA)
            for r in rrset]


def test_blocked_name_gets_block_answers_for_each_type(server: DnsFilterServer, stub: StubUpstream,
                                                       events: list[dict]) -> None:
    a = udp(server, "casino.test", "A")
    assert a.rcode() == dns.rcode.NOERROR and addresses(a) == ["127.0.0.1"]
    assert a.answer[0].ttl == BLOCK_TTL
    aaaa = udp(server, "casino.test", "AAAA")
    assert addresses(aaaa) == ["::1"]
    https = udp(server, "casino.test", "HTTPS")
    assert https.rcode() == dns.rcode.NOERROR and not https.answer  # NODATA: no ECH, no address hints
    assert https.authority and https.authority[0].rdtype == dns.rdatatype.SOA
    assert stub.count("casino.test") == 0  # never asked upstream
    assert [(e["domain"], e["category"], e["reason"], e["qtype"]) for e in events] == [
        ("casino.test", "gambling", "list", "A"), ("casino.test", "gambling", "list", "AAAA"),
        ("casino.test", "gambling", "list", "HTTPS")]
    assert set(events[0]) == {"time", "domain", "category", "reason", "verdict", "qtype"}


def test_subdomains_of_listed_and_denied_names_are_blocked(server: DnsFilterServer, events: list[dict]) -> None:
    assert addresses(udp(server, "www.Casino.test")) == ["127.0.0.1"]
    assert addresses(udp(server, "a.b.blocked.test")) == ["127.0.0.1"]
    assert events[-1]["reason"] == "denylist" and events[-1]["domain"] == "a.b.blocked.test"
    assert addresses(udp(server, "notcasino.test")) == [stub_address("notcasino.test")]


def test_allowed_name_is_forwarded_and_allowlist_beats_list(server: DnsFilterServer, stub: StubUpstream) -> None:
    assert addresses(udp(server, "example.test")) == [stub_address("example.test")]
    assert addresses(udp(server, "ok.casino.test")) == [stub_address("ok.casino.test")]
    assert addresses(udp(server, "videos.test")) == [stub_address("videos.test")]  # category not blocked
    assert stub.count("example.test") == 1


def test_tcp_answers_several_queries_on_one_connection(server: DnsFilterServer) -> None:
    host, port = server.address
    names = ["casino.test", "example.test", "use-application-dns.net"]
    with socket.create_connection((host, port), timeout=3) as sock:
        for i, name in enumerate(names):  # pipelined: all sent before any answer is read
            wire = dns.message.make_query(name, "A", id=100 + i).to_wire()
            sock.sendall(struct.pack("!H", len(wire)) + wire)
        replies = []
        for _ in names:
            size = struct.unpack("!H", _recv(sock, 2))[0]
            replies.append(dns.message.from_wire(_recv(sock, size)))
    assert [r.id for r in replies] == [100, 101, 102]
    assert addresses(replies[0]) == ["127.0.0.1"]
    assert addresses(replies[1]) == [stub_address("example.test")]
    assert replies[2].rcode() == dns.rcode.NXDOMAIN
    assert addresses(tcp(server, "www.casino.test")) == ["127.0.0.1"]


def _recv(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        assert chunk, "server closed the connection"
        data += chunk
    return data


def test_safesearch_rewrite_is_a_cname_plus_the_targets_addresses(server: DnsFilterServer) -> None:
    reply = udp(server, "www.google.com.vn", "A")
    cname = [rr for rr in reply.answer if rr.rdtype == dns.rdatatype.CNAME]
    assert cname and cname[0][0].target.to_text() == "forcesafesearch.google.com."
    assert addresses(reply) == [stub_address("forcesafesearch.google.com")]
    https = udp(server, "google.com", "HTTPS")
    assert [rr.rdtype for rr in https.answer] == [dns.rdatatype.CNAME]  # browser must fall back to A/AAAA
    yt = udp(server, "m.youtube.com", "AAAA")
    assert yt.answer[0][0].target.to_text() == "restrictmoderate.youtube.com."
    assert addresses(udp(server, "www.bing.com")) == [stub_address("strict.bing.com")]
    # DuckDuckGo is off in this policy: forwarded unchanged
    assert addresses(udp(server, "duckduckgo.com")) == [stub_address("duckduckgo.com")]


def test_canaries_get_nxdomain(server: DnsFilterServer, stub: StubUpstream, events: list[dict]) -> None:
    for name in ("use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com"):
        for rdtype in ("A", "AAAA", "HTTPS"):
            assert udp(server, name, rdtype).rcode() == dns.rcode.NXDOMAIN
    assert stub.count("use-application-dns.net") == 0
    assert {e["verdict"] for e in events} == {"nxdomain"} and {e["category"] for e in events} == {"bypass"}


def test_upstream_answers_are_cached_for_their_ttl(server: DnsFilterServer, stub: StubUpstream,
                                                   clock: Clock) -> None:
    first = udp(server, "cached.test")
    clock.now += 100
    second = udp(server, "cached.test")
    assert addresses(first) == addresses(second) == [stub_address("cached.test")]
    assert stub.count("cached.test") == 1
    assert second.answer[0].ttl == 200  # aged by the time spent in the cache
    clock.now += 201
    udp(server, "cached.test")
    assert stub.count("cached.test") == 2  # expired, asked again
    nx = udp(server, "gone.nx")
    assert nx.rcode() == dns.rcode.NXDOMAIN
    udp(server, "gone.nx")
    assert stub.count("gone.nx") == 1  # negative answers are cached too (RFC 2308)


def test_dead_upstream_gives_servfail_quickly(events: list[dict]) -> None:
    silent = StubUpstream(silent=True).start()
    srv = make_server([Upstream("127.0.0.1", silent.port)], events, timeout=0.3)
    try:
        # A SERVFAIL at all is the filter's own bound firing: a client still waiting at its 30 s hears nothing.
        reply = udp(srv, "example.test")
        assert reply.rcode() == dns.rcode.SERVFAIL
        assert tcp(srv, "other.test").rcode() == dns.rcode.SERVFAIL
        assert silent.count("example.test") >= 1 and silent.count("other.test") >= 1  # asked, never answered
        assert addresses(udp(srv, "casino.test")) == ["127.0.0.1"]  # blocks still work without upstream
    finally:
        srv.stop()
        silent.stop()


def test_failover_to_the_second_upstream(stub: StubUpstream) -> None:
    silent = StubUpstream(silent=True).start()
    srv = make_server([Upstream("127.0.0.1", silent.port), Upstream("127.0.0.1", stub.port)], timeout=2.0)
    try:
        assert addresses(udp(srv, "one.test")) == [stub_address("one.test")]
        assert addresses(udp(srv, "two.test")) == [stub_address("two.test")]
        assert silent.count("one.test") == 1 and silent.count("two.test") == 0  # the dead one is now tried last
    finally:
        srv.stop()
        silent.stop()


def test_big_answer_sets_tc_over_udp_and_comes_whole_over_tcp(server: DnsFilterServer) -> None:
    host, port = server.address
    truncated = udp(server, "big.test", use_edns=False)
    assert truncated.flags & dns.flags.TC and not truncated.answer
    whole = tcp(server, "big.test")
    assert len(addresses(whole)) == BIG_COUNT
    # dnspython's own fallback does what a stub resolver does: UDP, see TC, retry over TCP
    reply, used_tcp = dns.query.udp_with_fallback(dns.message.make_query("big.test", "A", use_edns=False),
                                                  host, port=port, timeout=3)
    assert used_tcp and len(addresses(reply)) == BIG_COUNT
    # a client that says it takes 4096 bytes gets it all over UDP, with our OPT in the reply
    edns = udp(server, "big.test", use_edns=0, payload=4096)
    assert not edns.flags & dns.flags.TC and len(addresses(edns)) == BIG_COUNT and edns.edns == 0


def test_edns_is_answered_only_when_asked_and_bad_versions_get_badvers(server: DnsFilterServer) -> None:
    assert udp(server, "example.test", use_edns=False).edns == -1
    assert udp(server, "example.test", use_edns=0).edns == 0
    host, port = server.address
    query = dns.message.make_query("example.test", "A", use_edns=1)
    reply = dns.query.udp(query, host, port=port, timeout=3, ignore_unexpected=True)
    assert reply.rcode() == dns.rcode.BADVERS


def test_cname_to_a_blocked_name_is_blocked(server: DnsFilterServer, stub: StubUpstream,
                                           events: list[dict]) -> None:
    stub.cnames["promo.fine.test"] = "www.casino.test"  # a harmless-looking name hiding a listed one
    assert addresses(udp(server, "promo.fine.test")) == ["127.0.0.1"]
    assert events[-1]["reason"] == "cname:list" and events[-1]["domain"] == "promo.fine.test"
    assert events[-1]["category"] == "gambling"
    plain = udp(server, "cdn.fine.test")
    assert addresses(plain) == [stub_address("edge.fine.test")]


def test_junk_is_dropped_or_formerr_and_the_server_keeps_answering(server: DnsFilterServer) -> None:
    host, port = server.address
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.settimeout(0.5)
    sock.sendto(b"\x01\x02\x03", (host, port))  # too short for a header: dropped
    with pytest.raises(TimeoutError):
        sock.recv(512)
    sock.sendto(b"\xab\xcd\x01\x00\x00\x01\x00\x00\x00\x00\x00\x00\x07exa", (host, port))  # cut-off name
    reply = dns.message.from_wire(sock.recv(512), question_only=True)
    assert reply.id == 0xABCD and reply.rcode() == dns.rcode.FORMERR
    response = dns.message.make_response(dns.message.make_query("example.test", "A")).to_wire()
    sock.sendto(response, (host, port))  # a response, not a query: never answered (no reflection loops)
    with pytest.raises(TimeoutError):
        sock.recv(512)
    sock.close()
    assert addresses(udp(server, "casino.test")) == ["127.0.0.1"]
    assert server.stats["malformed"] >= 3


def test_stop_is_prompt_even_with_a_query_waiting_on_a_dead_upstream() -> None:
    silent = StubUpstream(silent=True).start()
    # The upstreams' clock stands still: the waiting question can never time out, so a stop that waited for it
    # would never end, and its loop would still be running when stop() gives up joining it.
    srv = make_server([Upstream("127.0.0.1", silent.port)], timeout=30.0, upstream_clock=lambda: 1000.0)
    host, port = srv.address
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.sendto(dns.message.make_query("slow.test", "A").to_wire(), (host, port))
    conn = socket.create_connection((host, port), timeout=2)  # an idle TCP client must not hold shutdown
    deadline = time.monotonic() + 30
    while silent.count("slow.test") == 0 and time.monotonic() < deadline:  # the question is out, waiting
        time.sleep(0.02)
    assert silent.count("slow.test") == 1
    srv.stop(timeout=60)
    assert srv._thread is not None and not srv._thread.is_alive()
    conn.close()
    sock.close()
    silent.stop()
    # the port is free again: a new server can take it
    again = DnsFilterServer(srv.classifier, srv.upstreams, (host, port)).start()
    again.stop()


def test_repeated_blocks_still_fire_events_and_new_rules_apply_at_once(server: DnsFilterServer,
                                                                      events: list[dict]) -> None:
    for _ in range(3):  # identical queries are served from the packed-reply cache
        assert addresses(udp(server, "casino.test")) == ["127.0.0.1"]
    assert len(events) == 3
    server.set_classifier(Classifier(WebRules.from_web({**WEB, "allow": ["casino.test"]}), index=INDEX))
    assert addresses(udp(server, "casino.test")) == [stub_address("casino.test")]
    assert len(events) == 3


def test_ipv6_loopback_listen(stub: StubUpstream) -> None:
    probe = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    try:
        probe.bind(("::1", 0))
    except OSError:
        pytest.skip("no IPv6 loopback on this machine")
    finally:
        probe.close()
    classifier = Classifier(WebRules.from_web(WEB), index=INDEX)
    srv = DnsFilterServer(classifier, UpstreamPool([Upstream("127.0.0.1", stub.port)]), ("::1", 0),
                          block_ipv6="::1").start()
    try:
        host, port = srv.address
        reply = dns.query.udp(dns.message.make_query("casino.test", "AAAA"), host, port=port, timeout=3)
        assert addresses(reply) == ["::1"]
        reply = dns.query.tcp(dns.message.make_query("ok.test", "A"), host, port=port, timeout=3)
        assert addresses(reply) == [stub_address("ok.test")]
    finally:
        srv.stop()


@pytest.mark.parametrize(("text", "expected"), [
    ("1.2.3.4", ("1.2.3.4", 53)), ("1.2.3.4:5353", ("1.2.3.4", 5353)), ("[::1]:5300", ("::1", 5300)),
    ("::1", ("::1", 53)), ("[2001:db8::1]", ("2001:db8::1", 53)),
])
def test_parse_hostport(text: str, expected: tuple[str, int]) -> None:
    from agent.dns.upstream import parse_hostport

    assert parse_hostport(text, 53, "--upstream") == expected


@pytest.mark.parametrize(("text", "message"), [
    ("dns.google", "not an IPv4 or IPv6 address"), ("1.2.3.4:0", "port must be"), ("[::1", "missing ']'"),
    ("1.2.3.4:x", "port must be"), ("[::1]x", "expected ':PORT'"),
])
def test_parse_hostport_mistakes(text: str, message: str) -> None:
    from agent.dns.upstream import parse_hostport

    with pytest.raises(ValueError, match=message.replace("[", r"\[")):
        parse_hostport(text, 53, "--upstream")


def test_cache_ttls_negative_answers_and_bounds() -> None:
    from dnslib import QTYPE, RR, SOA, A

    clock = Clock()
    cache = AnswerCache(max_entries=2, clock=clock)
    soa = RR("test.", QTYPE.SOA, ttl=3600, rdata=SOA("ns.test", "root.test", (1, 2, 3, 4, 120)))
    cache.put(cache.key("gone.test.", 1), 3, [], [soa])
    cache.put(cache.key("a.test", 1), 0, [RR("a.test", QTYPE.A, ttl=999_999, rdata=A("192.0.2.1"))], [])
    clock.now += 119
    assert cache.get(cache.key("GONE.test", 1))[0] == 3  # NXDOMAIN kept for the SOA minimum (120 s)
    clock.now += 2
    assert cache.get(cache.key("gone.test", 1)) is None
    assert cache.get(cache.key("a.test", 1))[1][0].ttl == 86_400 - 121  # capped at a day, then aged
    cache.put(cache.key("no-soa.test", 1), 3, [], [])  # RFC 2308: no SOA, not cached
    assert cache.get(cache.key("no-soa.test", 1)) is None
    cache.put(cache.key("b.test", 1), 0, [RR("b.test", QTYPE.A, ttl=60, rdata=A("192.0.2.2"))], [])
    cache.put(cache.key("c.test", 1), 0, [RR("c.test", QTYPE.A, ttl=60, rdata=A("192.0.2.3"))], [])
    assert len(cache) == 2 and cache.get(cache.key("a.test", 1)) is None  # least recently used went first
