"""The parent's "pause internet until …": every name answered as blocked, except the ones a child must always
reach (docs/web-filtering.md, "When the internet is paused").

Always reachable during a pause:
- the parent's own allow list (web.allow in the policy: the school's sites, a grandparent's video-call service —
  the parent put them there and can take them out);
- help: the 111 child helpline's site and the report address the block page links to (resources/blockpage/
  links.json), so "worried or unsafe? call 111 / report it" still works while everything else waits.
Everything else gets the block answer (the block page says "the internet is paused until 18:00"); the filter's
own rules still apply to the names let through (a denylisted name stays blocked).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from agent.dns.classifier import BLOCK, Classifier, Decision, _suffixes, normalize_qname

PAUSED = "paused"  # the Decision reason the block page and the block events recognise
HELP_SITES = ("tongdai111.vn",)  # Vietnam's national child helpline 111 (free, 24/7)


def help_sites() -> frozenset[str]:
    """The helpline's site and the block page's report address: open while the internet is paused."""
    names = set(HELP_SITES)
    try:
        from agent.dns.blockpage import _links

        host = urlsplit(_links()["report_url"]).hostname
        if host:
            names.add(host.lower())
    except (OSError, ValueError, KeyError):
        pass  # the helpline stays open; the block page itself fails loudly at start when its links are broken
    return frozenset(names)


class PausedFilter:
    """The policy's classifier, with everything outside the always-open names blocked. Same interface as
    Classifier (classify, classify_wire) so the DNS server swaps it in and out without a restart."""

    def __init__(self, base: Classifier, open_names: frozenset[str] | None = None) -> None:
        self.base = base
        self.open_names = frozenset(base.rules.allow) | (help_sites() if open_names is None else open_names)
        self._paused = Decision(BLOCK, None, None, PAUSED)

    def __getattr__(self, name: str):  # rules, friendly … of the policy's classifier, for whoever reads them
        return getattr(self.base, name)

    def _open(self, name: str) -> bool:
        return not self.open_names.isdisjoint(_suffixes(name))

    def classify(self, name: str) -> Decision:
        qname = normalize_qname(name)
        if qname is None or self._open(qname):
            return self.base.classify(name)  # junk stays NXDOMAIN; open names keep the policy's own verdict
        return self._paused

    def classify_wire(self, name: str) -> Decision:
        return self.base.classify_wire(name) if self._open(name) else self._paused
