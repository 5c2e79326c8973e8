"""Run the DNS filter inside the agent: rules from the policy in force, blocks turned into events and kind notices."""

from __future__ import annotations

import logging
import time
from typing import Any

from agent.dns.classifier import Classifier, WebRules
from agent.dns.keywords import keyword_category
from agent.dns.safesearch import default_safesearch
from agent.dns.server import DnsFilterServer
from agent.dns.upstream import Upstream, UpstreamPool, parse_hostport
from agent.service.core import AgentCore

log = logging.getLogger(__name__)
NOTICE_MERGE_S = 10.0  # a page load asks A, AAAA and HTTPS at once: one notice per site, not three


def classifier_for(policy_doc: dict[str, Any], index: Any = None) -> Classifier:
    return Classifier(WebRules.from_web(policy_doc["web"]), index=index, keywords=keyword_category,
                      safesearch=default_safesearch())


def start_web_filter(core: AgentCore, opts: Any) -> Any:
    from agent.dns.cli_cmd import system_upstreams

    listen = parse_hostport(opts.dns_listen, 53, "--dns")
    upstreams = [Upstream(*parse_hostport(u, 53, "--upstream")) for u in opts.dns_upstreams]
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
    return server.stop


def _index(opts: Any) -> Any:
    """The category index: imported lists (`sprout-agent lists import`) and the category set in force — a signed
    update (`sprout-agent list-update`) when one is installed and verifies, else the seed lists shipped with Sprout."""
    lists = opts.state_dir / "lists"
    updated = _updated_lists(opts.state_dir)
    if updated is None and not lists.is_dir():
        return None  # the classifier falls back to the shipped seed lists
    try:
        from agent.dns.liststore import ListStore

        return ListStore(lists, shipped_root=updated).index()
    except Exception:
        log.exception("category lists unreadable; using the shipped seed lists")
        return None


def _updated_lists(state_dir: Any) -> Any:
    from agent.listupdate import ListUpdater
    from agent.oem import OemError, load_oem

    try:
        config = load_oem()
    except OemError as exc:
        log.error("oem.toml: %s; list updates are not used", exc)
        return None
    if config is None or not config.list_public_key:
        return None
    updater = ListUpdater(state_dir, config.list_public_key)
    log.info("category list updates: %s", updater.check_and_repair())
    return updater.active_root()
