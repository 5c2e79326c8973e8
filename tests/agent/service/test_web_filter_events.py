"""Blocked-name events without a flood: a real agent core (real encrypted SQLite store) behind the real DNS filter
on loopback. A flood of unique blocked names is answered in full, is never written to the store on the answering
thread, and leaves a bounded number of rows: a few itemised blocks plus "N blocked tries, top names"."""

from __future__ import annotations

import threading
from pathlib import Path
from types import SimpleNamespace

import dns.message
import dns.query

from agent.service.web_filter import SUMMARY_KIND, BlockEvents, start_web_filter
from tests.support.agent_core import Tick, core  # noqa: F401  (core is a fixture)
from tests.support.dns_stub import StubUpstream


def kinds(core) -> dict[str, int]:
    out: dict[str, int] = {}
    for event in core.store.events():
        out[event.kind] = out.get(event.kind, 0) + 1
    return out


def test_a_flood_of_unique_blocked_names_is_answered_and_stays_bounded(core, tmp_path: Path) -> None:
    stub = StubUpstream().start()
    writers: set[str] = set()
    real = core.web_blocked

    def watched(*args, **kw):
        writers.add(threading.current_thread().name)
        return real(*args, **kw)

    core.web_blocked = watched
    opts = SimpleNamespace(state_dir=core.opts.state_dir, dns_listen="127.0.0.1:0", dns_upstreams=[stub.address])
    stop = start_web_filter(core, opts)
    host, port = (core.opts.state_dir / "dns.address").read_text().strip().rsplit(":", 1)
    try:
        flood = 3000
        for i in range(flood):
            reply = dns.query.udp(dns.message.make_query(f"u{i}.pornhub.com", "A"), host, port=int(port), timeout=5)
            assert [rr.to_text() for rrset in reply.answer for rr in rrset] == ["127.0.0.1"]
    finally:
        stop()
        stub.stop()
    # written by the events thread, or by the final flush at stop: never on the DNS loop or its workers
    assert writers and not any(name.startswith("dns") for name in writers), writers
    counts = kinds(core)
    assert counts.get("web_block", 0) <= 20 * 2  # the per-minute cap (the flood may straddle a minute)
    summaries = [e for e in core.store.events() if e.kind == SUMMARY_KIND]
    assert sum(e.payload["tries"] for e in summaries) == flood  # every try is counted
    assert summaries[-1].payload["top"]
    assert summaries[-1].payload["categories"] == {"adult": summaries[-1].payload["tries"]}


def test_itemised_events_are_rate_limited_and_summaries_come_per_period(core) -> None:
    tick = Tick()
    events = BlockEvents(core, named_per_minute=5, summary_period_s=300, clock=tick)
    for i in range(50):
        events.add({"verdict": "block", "domain": f"n{i}.casino.test", "category": "gambling", "reason": "list"})
    for _ in range(30):
        events.add({"verdict": "block", "domain": "n0.casino.test", "category": "gambling", "reason": "list"})
    events.add({"verdict": "nxdomain", "domain": "use-application-dns.net", "category": "bypass",
                "reason": "canary"})
    events.add({"verdict": "allow", "domain": "wikipedia.org", "category": None, "reason": "default"})
    events.flush()
    assert kinds(core) == {"web_block": 5}  # the summary waits for the period's end
    tick.now += 61  # a new minute: five more itemised
    events.add({"verdict": "block", "domain": "late.casino.test", "category": "gambling", "reason": "list"})
    events.flush()
    assert kinds(core)["web_block"] == 6
    tick.now += 300
    events.flush()
    summary = [e for e in core.store.events() if e.kind == SUMMARY_KIND]
    assert len(summary) == 1
    p = summary[0].payload
    assert p["tries"] == 82 and p["names"] == 52 and p["itemised"] == 6
    assert p["top"][0] == ["n0.casino.test", 31]
    assert p["categories"] == {"gambling": 81, "bypass": 1}
    # the canary never became a notice for the child
    assert all(n.get("target") != "use-application-dns.net" for n in core.notices_since(0))


def test_the_answering_path_never_waits_for_the_store(core) -> None:
    events = BlockEvents(core, max_pending=100)
    for i in range(1000):  # the flusher is not running: the queue fills, then tries are only counted
        events.add({"verdict": "block", "domain": f"n{i}.casino.test", "category": "gambling", "reason": "list"})
    assert len(events._pending) == 100
    assert kinds(core) == {}
    events.flush(final=True)
    summary = [e for e in core.store.events() if e.kind == SUMMARY_KIND][-1].payload
    assert summary["tries"] == 1000
