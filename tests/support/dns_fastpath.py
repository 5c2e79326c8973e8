"""The DNS fast path's test parts: the blocked names and canaries, EDNS variants, a filter to ask (`make_server`, `query`), and `assert_same` for two replies."""

from __future__ import annotations

import dns.edns
import dns.flags
import dns.message
import dns.query
import dns.rcode

from agent.dns.classifier import Classifier, SeedIndex, WebRules
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool

WEB = {"blocked_categories": ["gambling"], "allow": ["ok.casino.test"], "deny": ["blocked.test"],
       "safesearch": {"google": True, "bing": False, "duckduckgo": False}, "youtube": "off"}
INDEX = SeedIndex({"casino.test": "gambling", "videos.test": "video"})
BLOCKED = ["casino.test", "WWW.CaSiNo.TEST", "a.b.blocked.test", "x_y.casino.test", "Blocked.Test."]
CANARIES = ["use-application-dns.net", "MASK.icloud.com", "mask-h2.icloud.com"]
EDNS_VARIANTS = {
    "no-edns": {"use_edns": False},
    "edns": {"use_edns": 0},
    "edns-4096-do": {"use_edns": 0, "payload": 4096, "ednsflags": dns.flags.DO},
    "edns-cookie": {"use_edns": 0, "options": [dns.edns.GenericOption(10, b"\x01\x02\x03\x04\x05\x06\x07\x08")]},
}


def make_server(events: list[dict] | None = None, **kw) -> DnsFilterServer:
    classifier = Classifier(WebRules.from_web(WEB), index=INDEX)
    # Never started and never forwarding: an upstream that is not there is fine.
    return DnsFilterServer(classifier, UpstreamPool([Upstream("127.0.0.1", 9)], timeout=0.2), ("127.0.0.1", 0),
                           on_event=events.append if events is not None else None, **kw)


def assert_same(fast: bytes, slow: bytes) -> None:
    a, b = dns.message.from_wire(fast), dns.message.from_wire(slow)
    assert a == b
    assert a.to_text() == b.to_text()  # TTLs, EDNS version/payload/flags/options, rcode, header flags
    assert (a.edns, a.payload, a.ednsflags, a.options) == (b.edns, b.payload, b.ednsflags, b.options)
    assert [len(s) for s in a.sections] == [len(s) for s in b.sections]


def query(name: str, rdtype: str, edns: str, qid: int = 0x1234, flags: int | None = None) -> bytes:
    msg = dns.message.make_query(name, rdtype, id=qid, **EDNS_VARIANTS[edns])
    if flags is not None:
        msg.flags = flags
    return msg.to_wire()
