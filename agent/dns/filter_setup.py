"""The one place the web filter is built: the agent's filter (`sprout-agent run`), `sprout-agent dns` and
`sprout-agent classify` all come through `build_filter` (the classifier) and `filter_server` (the DNS server around
it), so a test of one is a test of all. agent/assembly.py puts the filter into the agent.

Inputs, always the same four:
- the policy's web section (blocked categories, allow/deny, SafeSearch, YouTube);
- the lists shipped with Sprout (resources/categories/<category>/domains);
- a signed list update, when the device maker configured one and it verifies (it adds to the shipped lists);
- the lists a parent imported (`sprout-agent lists import`, kept in STATE/lists).

plus the large lists shipped as compact indexes (resources/categories/bulk/, agent/dns/bulk.py), consulted after
the curated lists, and the child-friendly allowlist (resources/categories/child-friendly.txt), whose names are
never blocked by keyword guesses or by the large lists.

An explicit compact index file (`--index`, used by benchmarks) replaces the lists (not the allowlist).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.dns.classifier import CategoryLookup, Classifier, SeedIndex, WebRules
from agent.resources import resource_path

log = logging.getLogger(__name__)

LISTS_DIR = "lists"  # STATE/lists: the ListStore of imported lists and the combined index


class FilterSetupError(ValueError):
    """The lists or tables the filter needs cannot be used; the message says which file and why."""


@dataclass(frozen=True)
class FilterSources:
    lists_dir: Path | None = None  # a ListStore folder (imported lists + the combined index); None: none
    update_root: Path | None = None  # the verified signed list set in force, or None
    index_file: Path | None = None  # a prebuilt compact index that replaces every list above

    @classmethod
    def for_state(cls, state_dir: Path, *, check_updates: bool = True) -> FilterSources:
        """What the agent with this state folder uses: its imported lists and its signed update, if any."""
        state_dir = Path(state_dir)
        return cls(lists_dir=state_dir / LISTS_DIR,
                   update_root=signed_update_root(state_dir) if check_updates else None)


def shipped_root() -> Path:
    return resource_path("categories")


def signed_update_root(state_dir: Path) -> Path | None:
    """The verified signed list set under STATE/list-updates (rolled back if damaged), or None when the device
    maker configured no update key or none was installed."""
    from agent.dns.listupdate import ListUpdater
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


class LayeredIndex:
    """The curated index (shipped seed lists + signed update + imported lists) first, then the large shipped
    lists. `curated_lookup` lets the classifier keep child-friendly names out of the large lists' reach."""

    def __init__(self, curated: CategoryLookup, bulk: list[CategoryLookup]) -> None:
        self.curated = curated
        self.bulk = bulk

    def lookup(self, name: str) -> str | None:
        """The category of the most specific listed suffix over every layer; on a tie the curated one wins
        (an adult blog under tumblr.com is adult, not social)."""
        best = _match(self.curated, name)
        for index in self.bulk:
            found = _match(index, name)
            if found is not None and (best is None or len(found[0]) > len(best[0])):
                best = found
        return best[1] if best else None

    def curated_lookup(self, name: str) -> str | None:
        return self.curated.lookup(name)


def _match(index: Any, name: str) -> tuple[str, str] | None:
    match = getattr(index, "match", None)
    if match is not None:
        return match(name)
    category = index.lookup(name)
    return (name, category) if category is not None else None  # an index that cannot say which suffix


def open_bulk_indexes() -> list[CategoryLookup]:
    from agent.dns.bulk import bulk_indexes
    from agent.dns.index import CategoryIndex

    found: list[CategoryLookup] = []
    for path in bulk_indexes():
        try:
            found.append(CategoryIndex.open(path))
        except (OSError, ValueError) as exc:
            raise FilterSetupError(f"{path}: cannot open the shipped large list: {exc}") from None
    return found


def open_category_index(sources: FilterSources) -> CategoryLookup:
    """The category index from the sources; raises FilterSetupError naming what is unusable."""
    curated = _curated_index(sources)
    if sources.index_file is not None:
        return curated
    bulk = open_bulk_indexes()
    return LayeredIndex(curated, bulk) if bulk else curated


def _curated_index(sources: FilterSources) -> CategoryLookup:
    if sources.index_file is not None:
        from agent.dns.index import CategoryIndex

        if not sources.index_file.exists():
            raise FilterSetupError(f"{sources.index_file}: no such index file "
                                   "(build one with `sprout-agent lists import`)")
        try:
            return CategoryIndex.open(sources.index_file)
        except (OSError, ValueError) as exc:
            raise FilterSetupError(f"{sources.index_file}: cannot open: {exc}") from None
    extra = (sources.update_root,) if sources.update_root is not None else ()
    if sources.lists_dir is not None:
        from agent.dns.liststore import ListStore

        try:
            return ListStore(sources.lists_dir, shipped_root=shipped_root(), extra_roots=extra).index()
        except (OSError, ValueError) as exc:
            raise FilterSetupError(f"{sources.lists_dir}: cannot build or open the category index: {exc}") from None
    try:
        return SeedIndex.from_roots((shipped_root(), *extra))
    except (OSError, ValueError) as exc:
        raise FilterSetupError(f"shipped category lists: {exc}") from None


def build_filter(web: dict[str, Any] | WebRules, index: CategoryLookup) -> Classifier:
    """The classifier for a policy's web section over a category index, with the shipped keyword model,
    allowlist and SafeSearch tables (raises FilterSetupError for an unusable table, WebRulesError for rules)."""
    from agent.dns.keywords import KeywordError, keyword_category
    from agent.dns.safesearch import SafeSearchError, default_safesearch

    rules = web if isinstance(web, WebRules) else WebRules.from_web(web)
    try:
        safesearch = default_safesearch()
        keyword_category("example.com")  # load the keyword model now so a broken file is reported here
        friendly = child_friendly()
    except (SafeSearchError, KeywordError, OSError, ValueError) as exc:
        raise FilterSetupError(str(exc)) from None
    return Classifier(rules, index=index, keywords=keyword_category, safesearch=safesearch, friendly=friendly)


_FRIENDLY: frozenset[str] | None = None


def filter_server(classifier: Classifier, upstreams: list[Any], listen: tuple[str, int], *,
                  on_event: Any = None, block_ipv4: str = "127.0.0.1", block_ipv6: str = "::",
                  timeout_s: float | None = None, reuse_port: bool = False, **more: Any) -> Any:
    """The one construction of the DNS filter server (not started): the agent's (`sprout-agent run --dns`) and
    `sprout-agent dns` (and each of its --workers) differ only in these arguments. `timeout_s` is per upstream
    try (the whole query gets twice that); None keeps the pool's defaults. `more` goes to the server as it is
    (the service's watch on first visits to social and chat sites)."""
    from agent.dns.server import DnsFilterServer
    from agent.dns.upstream import UpstreamPool

    pool = UpstreamPool(upstreams) if timeout_s is None else UpstreamPool(upstreams, timeout=timeout_s,
                                                                          total_timeout=2 * timeout_s)
    return DnsFilterServer(classifier, pool, listen, block_ipv4=block_ipv4, block_ipv6=block_ipv6,
                           on_event=on_event, reuse_port=reuse_port, **more)


def child_friendly() -> frozenset[str]:
    global _FRIENDLY
    if _FRIENDLY is None:
        from agent.dns.bulk import read_friendly

        _FRIENDLY = read_friendly()
    return _FRIENDLY
