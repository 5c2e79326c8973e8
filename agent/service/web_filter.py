"""Run the DNS filter inside the agent: rules from the policy in force, blocks turned into events and kind notices."""

from __future__ import annotations

import logging
import time
from typing import Any

from agent.dns.classifier import CategoryLookup, Classifier
from agent.dns.filter_setup import FilterSetupError, FilterSources, build_filter, open_category_index
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool, parse_hostport
from agent.errors import CliError
from agent.fileio import atomic_write
from agent.service.core import AgentCore

log = logging.getLogger(__name__)
NOTICE_MERGE_S = 10.0  # a page load asks A, AAAA and HTTPS at once: one notice per site, not three


def classifier_for(policy_doc: dict[str, Any], index: CategoryLookup) -> Classifier:
    return build_filter(policy_doc["web"], index)


def start_web_filter(core: AgentCore, opts: Any) -> Any:
    from agent.dns.cli_cmd import system_upstreams

    try:
        listen = parse_hostport(opts.dns_listen, 53, "--dns", any_port=True)
        upstreams = [Upstream(*parse_hostport(u, 53, "--upstream")) for u in opts.dns_upstreams]
    except ValueError as exc:
        raise CliError(str(exc)) from None
    upstreams = upstreams or system_upstreams(listen)
    index = _index(opts)
    last_notice: dict[str, float] = {}

    def on_event(event: dict[str, Any]) -> None:
        if event.get("verdict") not in ("block", "nxdomain"):
            return
        domain, category = event.get("domain"), event.get("category")
        now = time.monotonic()
        if now - last_notice.get(domain or "", -1e9) < NOTICE_MERGE_S:
            return
        last_notice[domain or ""] = now
        core.web_blocked(domain or "", category, event.get("reason", ""))

    server = DnsFilterServer(classifier_for(core.policy_doc, index), UpstreamPool(upstreams), listen,
                             on_event=on_event)
    server.start()
    core.on_policy_change.append(lambda doc: server.set_classifier(classifier_for(doc, index)))
    log.info("DNS filter on %s:%s, upstream %s", *server.address, ", ".join(map(str, upstreams)) or "none")
    # Where it really listens (port 0 in tests picks a free one), for tests, scripts and the firewall rules.
    atomic_write(opts.state_dir / "dns.address", "{}:{}\n".format(*server.address).encode())
    return server.stop


def _index(opts: Any) -> CategoryLookup:
    """The category index (agent/dns/filter_setup.py): shipped lists + a verified signed update + imported lists.
    If the combined index cannot be built the shipped lists still apply: never keywords alone."""
    sources = FilterSources.for_state(opts.state_dir)
    try:
        return open_category_index(sources)
    except FilterSetupError:
        log.exception("category index unusable; using the shipped lists and the signed update alone")
        return open_category_index(FilterSources(update_root=sources.update_root))
