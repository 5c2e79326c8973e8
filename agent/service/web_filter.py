"""Run the DNS filter inside the agent: rules from the policy in force, blocks turned into events and kind notices.

Blocks reach the agent's store off the answering path (`BlockEvents`): the DNS loop only appends to a bounded
queue; a background thread, every few seconds, writes at most `named_per_minute` itemised block events (each one a
notice for the child) and, per period, one "web_block_summary" event with every try counted: "N blocked tries,
top names". A flood of unique blocked names therefore neither slows answers nor grows the database faster than
a fixed number of rows a minute.
"""

from __future__ import annotations

import collections
import logging
import threading
import time
from collections.abc import Callable
from typing import Any

from agent.dns.classifier import INVALID_NAME, CategoryLookup, Classifier
from agent.dns.filter_setup import FilterSetupError, FilterSources, build_filter, filter_server, open_category_index
from agent.dns.pause import PAUSED, PausedFilter
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, parse_hostport
from agent.errors import CliError
from agent.fileio import atomic_write
from agent.service.core import AgentCore

log = logging.getLogger(__name__)
NOTICE_MERGE_S = 10.0  # a page load asks A, AAAA and HTTPS at once: one notice per site, not three
SUMMARY_KIND = "web_block_summary"
# Firefox asks its canary all day; junk names are no site to show; during the parent's pause every name is blocked
# and the child already read why once (counted in the summary all the same)
_NOT_ITEMISED = ("canary", INVALID_NAME, PAUSED)


def classifier_for(policy_doc: dict[str, Any], index: CategoryLookup) -> Classifier:
    return build_filter(policy_doc["web"], index)


def rules_in_force(core: AgentCore, policy_doc: dict[str, Any], index: CategoryLookup) -> Any:
    """The policy's rules, or while the parent paused the internet, those rules behind the pause."""
    base = classifier_for(policy_doc, index)
    return PausedFilter(base) if core.internet_paused() is not None else base


class BlockEvents:
    """Blocked-name events from the DNS loop, batched and rate-limited on their way to the agent's store.

    `add` runs on the answering path: one length check and one deque append (and, for the first block after a
    quiet spell, one Event.set to wake the writer). `flush` (the background thread, at most every `min_gap_s`
    while blocks come, or a test with its own clock) does the rest."""

    def __init__(self, core: AgentCore, *, named_per_minute: int = 20, summary_period_s: float = 300.0,
                 max_pending: int = 10_000, top: int = 10, interval_s: float = 2.0, min_gap_s: float = 0.25,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.core = core
        self.named_per_minute = named_per_minute
        self.summary_period_s = summary_period_s
        self.max_pending = max_pending
        self.top = top
        self.interval_s = interval_s
        self.min_gap_s = min_gap_s
        self.clock = clock
        self._pending: collections.deque[tuple[str, str | None, str]] = collections.deque()
        self._overflow = 0  # tries past max_pending between two flushes: counted, not itemised
        self._last_notice: dict[str, float] = {}
        self._named: collections.deque[float] = collections.deque()  # times of itemised events in the last minute
        self._period_start = clock()
        self._tries: collections.Counter[str] = collections.Counter()
        self._categories: collections.Counter[str] = collections.Counter()
        self._itemised = 0  # tries of this period written as their own web_block event
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread: threading.Thread | None = None

    def add(self, event: dict[str, Any]) -> None:
        if event.get("verdict") not in ("block", "nxdomain"):
            return
        pending = self._pending
        if len(pending) >= self.max_pending:
            self._overflow += 1
            return
        if not pending:
            self._wake.set()  # the first block after a quiet spell reaches the parent's report at once
        pending.append((event.get("domain") or "", event.get("category"), event.get("reason") or ""))

    def start(self) -> BlockEvents:
        self._thread = threading.Thread(target=self._run, name="web-block-events", daemon=True)
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.interval_s)
            if self._stop.is_set():
                break
            self._wake.clear()
            try:
                self.flush()
            except Exception:  # the filter goes on answering whatever the store does
                log.exception("writing web block events failed")
            self._stop.wait(self.min_gap_s)  # a burst arriving meanwhile is written as one batch

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(5)
        self.flush(final=True)

    def flush(self, *, final: bool = False) -> None:
        with self._lock:
            now = self.clock()
            pending, popleft = self._pending, self._pending.popleft
            taken = [popleft() for _ in range(len(pending))]
            overflow, self._overflow = self._overflow, 0
            while self._named and now - self._named[0] >= 60.0:
                self._named.popleft()
            for domain, category, reason in taken:
                self._tries[domain] += 1
                self._categories[category or "other"] += 1
                if reason in _NOT_ITEMISED or now - self._last_notice.get(domain, -1e18) < NOTICE_MERGE_S:
                    continue
                if len(self._named) >= self.named_per_minute:
                    continue
                self._last_notice[domain] = now
                self._named.append(now)
                self._itemised += 1
                self.core.web_blocked(domain, category, reason)
            if overflow:
                self._tries["(more)"] += overflow
                self._categories["other"] += overflow
            if len(self._last_notice) > 4 * self.named_per_minute * 60:
                self._last_notice = {d: t for d, t in self._last_notice.items() if now - t < NOTICE_MERGE_S}
            if self._tries and (final or now - self._period_start >= self.summary_period_s):
                self._write_summary(now)

    def _write_summary(self, now: float) -> None:
        tries = sum(self._tries.values())
        core = self.core
        report_names = bool(core.policy_doc["privacy"]["report_web_categories"])
        payload: dict[str, Any] = {"period_s": round(now - self._period_start), "tries": tries,
                                   "names": len(self._tries), "itemised": self._itemised}
        if report_names:
            payload["top"] = [[name, count] for name, count in self._tries.most_common(self.top)]
            payload["categories"] = dict(self._categories.most_common())
        at = core.clock.now()
        core.store.add_event(SUMMARY_KIND, payload, day=core.ledger.local_day(at), at=core.ledger.trusted_time(at))
        self._tries.clear()
        self._categories.clear()
        self._itemised = 0
        self._period_start = now


class SiteRequests:
    """The block page's "ask my parents to open it": sent through the agent to the paired consoles (an alert of
    kind site_request with the site and its category), at most once per site per `per_site_s` and `per_hour`
    an hour, so a page cannot become a way to flood the parents' phones."""

    def __init__(self, core: AgentCore, *, per_site_s: float = 600.0, per_hour: int = 10,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.core = core
        self.per_site_s = per_site_s
        self.per_hour = per_hour
        self.clock = clock
        self._last: dict[str, float] = {}
        self._sent: collections.deque[float] = collections.deque()
        self._lock = threading.Lock()

    def __call__(self, host: str, decision: Any) -> str:
        with self._lock:
            now = self.clock()
            if now - self._last.get(host, -1e18) < self.per_site_s:
                return "already"
            while self._sent and now - self._sent[0] >= 3600:
                self._sent.popleft()
            if len(self._sent) >= self.per_hour:
                return "busy"
            self._last[host] = now
            self._sent.append(now)
        category = getattr(decision, "category", None)
        self.core.report_tamper("site_request", {"domain": host, "category": category})
        return "sent"


def _start_block_page(core: AgentCore, opts: Any, server: DnsFilterServer) -> Any:
    """The kind block page on the address blocked names resolve to: port 80 as a service (browsers ask it for
    http://site/), an ephemeral loopback port in user mode (tests; nothing else may be taken)."""
    from agent.dns.blockpage import BlockPageServer

    default = "127.0.0.1:0" if getattr(opts, "user_mode", True) else "127.0.0.1:80"
    text = getattr(opts, "blockpage_listen", None) or default
    host, port = parse_hostport(text, 80, "block page", any_port=True)
    try:
        page = BlockPageServer(host, port, describe=server.classify, ask=SiteRequests(core),
                               paused=core.internet_paused).start()
    except OSError as exc:
        log.error("block page on %s: cannot listen (%s); blocked sites show the browser's own error", text, exc)
        return None
    atomic_write(opts.state_dir / "blockpage.address", "{}:{}\n".format(*page.address).encode())
    log.info("block page on %s:%s", *page.address)
    return page


def _lock_dns(core: AgentCore, opts: Any, server: DnsFilterServer) -> Any:
    """As a service with a child account: firewall rules by the child's uid so that no other resolver, DoT or
    IPv6 DNS gets around the filter (agent/os/firewall.py). A failure is the parent's to know, not a crash."""
    child = getattr(opts, "child_uid", None)
    if getattr(opts, "user_mode", True) or child is None or child <= 0:
        return None
    from agent.os.firewall import FirewallError, dns_lock

    host, port = server.address
    host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    if ":" in host:
        log.error("DNS lock: the filter listens on %s; the rules need an IPv4 address, not installed", host)
        return None
    try:
        lock = dns_lock()
        lock.apply(child, host, port)
    except FirewallError as exc:
        log.error("DNS lock not installed: %s", exc)
        core.report_tamper("dns_lock_failed", {"reason": str(exc)[:300]})
        return None
    log.info("DNS lock installed for uid %s: port 53 to %s:%s, 853 and IPv6 DNS refused", child, host, port)
    return lock


def start_web_filter(core: AgentCore, opts: Any) -> Any:
    from agent.dns.cli_cmd import system_upstreams

    try:
        listen = parse_hostport(opts.dns_listen, 53, "--dns", any_port=True)
        upstreams = [Upstream(*parse_hostport(u, 53, "--upstream")) for u in opts.dns_upstreams]
    except ValueError as exc:
        raise CliError(str(exc)) from None
    upstreams = upstreams or system_upstreams(listen)
    index = _index(opts)
    events = BlockEvents(core)
    # First visits to social and chat sites: a reminder about private information (agent/service/privacy_reminders)
    from agent.service.privacy_reminders import SiteWatch, reminders_for
    from agent.skills.reminders import load_reminders

    (opts.state_dir / "dns.address").unlink(missing_ok=True)  # the last run's, if it ended without stopping
    sites = SiteWatch(reminders_for(core))
    server = filter_server(rules_in_force(core, core.policy_doc, index), upstreams, listen, on_event=events.add,
                           on_watched=sites, watch_categories=load_reminders().site_categories)
    server.start()  # an OSError here (port in use) leaves nothing running; the runner reports it
    events.start()
    sites.start()
    core.on_policy_change.append(lambda doc: server.set_classifier(rules_in_force(core, doc, index)))
    core.on_controls_change.append(lambda: server.set_classifier(rules_in_force(core, core.policy_doc, index)))
    log.info("DNS filter on %s:%s, upstream %s", *server.address, ", ".join(map(str, upstreams)) or "none")
    # Where it really listens (port 0 in tests picks a free one), for tests, scripts and the firewall rules; only
    # while it does (start_parent_link keeps link.address the same way)
    address_file = opts.state_dir / "dns.address"
    atomic_write(address_file, "{}:{}\n".format(*server.address).encode())
    page = _start_block_page(core, opts, server)
    lock = _lock_dns(core, opts, server)

    def stop() -> None:
        address_file.unlink(missing_ok=True)
        if lock is not None:
            try:
                lock.remove()
                log.info("DNS lock removed")
            except Exception:
                log.exception("removing the DNS lock failed")
        if page is not None:
            page.stop()
        server.stop()
        events.stop()
        sites.stop()

    return stop


def _index(opts: Any) -> CategoryLookup:
    """The category index (agent/dns/filter_setup.py): shipped lists + a verified signed update + imported lists.
    If the combined index cannot be built the shipped lists still apply: never keywords alone."""
    sources = FilterSources.for_state(opts.state_dir)
    try:
        return open_category_index(sources)
    except FilterSetupError:
        log.exception("category index unusable; using the shipped lists and the signed update alone")
        return open_category_index(FilterSources(update_root=sources.update_root))
