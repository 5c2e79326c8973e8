"""The web filter's decision for one name: allowlist → denylist → SafeSearch → canaries → category index →
keyword heuristics → upstream.

The order matters: a parent's allow entry beats everything (a school site that a list wrongly flags), a deny entry
beats SafeSearch and lists, SafeSearch comes before the lists so that google.com is rewritten rather than judged,
and canaries come before the lists so that Firefox and iCloud Private Relay learn "no DoH here" even when the
bypass category is not blocked. Only the policy's blocked categories ever block; a name found in an unblocked
category is allowed with its category kept for reports.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from agent.dns.mirrors import canonical_alias
from agent.dns.safesearch import BLOCKED, YOUTUBE_LEVELS, SafeSearch, default_safesearch

BLOCK, ALLOW, REWRITE, NXDOMAIN = "block", "allow", "rewrite", "nxdomain"

# Answering these NXDOMAIN tells Firefox to keep DoH off (use-application-dns.net) and makes Safari / iCloud
# Private Relay fall back to the system resolver (mask*.icloud.com). Exact names, not subdomains.
CANARIES: frozenset[str] = frozenset({"use-application-dns.net", "mask.icloud.com", "mask-h2.icloud.com"})
CANARY_CATEGORY = "bypass"
INVALID_NAME = "invalid-name"  # the reason of an unparseable name's NXDOMAIN

_LABEL = re.compile(r"^(?!-)[a-z0-9_-]{1,63}(?<!-)$")  # "_" appears in SRV/DMARC names that clients do look up
_NAME = re.compile(r"(?:(?!-)[a-z0-9_-]{1,63}(?<!-)\.)*(?!-)[a-z0-9_-]{1,63}(?<!-)")  # labels as above, one match
_ENTRY = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")
_SAFESEARCH_ENGINES = ("google", "bing", "duckduckgo")
_NOT_LOOKED_UP = object()


class WebRulesError(ValueError):
    """The policy's web section cannot be used; the message says field path: reason."""


class CategoryLookup(Protocol):
    """What the chain needs from a category index: the category of a name or of any of its parents."""

    def lookup(self, name: str) -> str | None: ...


@dataclass(frozen=True, slots=True)  # slots: the memos hold up to 100 k of these
class Decision:
    verdict: str  # block | allow | rewrite | nxdomain
    category: str | None
    target: str | None  # the safe host for a rewrite
    reason: str  # allowlist | denylist | safesearch:<engine> | canary | list | keyword | default | invalid-name | root
    # | child-friendly


@dataclass(frozen=True)
class WebRules:
    blocked_categories: frozenset[str]
    allow: frozenset[str]
    deny: frozenset[str]
    safesearch: dict[str, bool]
    youtube: str

    @classmethod
    def from_web(cls, web: Any, where: str = "web") -> WebRules:
        """Validate a policy's "web" section (as stored, or as a parent might hand-write it)."""
        if not isinstance(web, dict):
            raise WebRulesError(f"{where}: must be an object")
        known = {"blocked_categories", "allow", "deny", "safesearch", "youtube"}
        extra = sorted(set(web) - known)
        if extra:
            raise WebRulesError(f"{where}.{extra[0]}: unknown field; known: {', '.join(sorted(known))}")
        cats = _str_list(web.get("blocked_categories", []), f"{where}.blocked_categories", _CATEGORY,
                         "a category name such as adult")
        allow = _str_list(web.get("allow", []), f"{where}.allow", _ENTRY, "a lower-case domain such as wikipedia.org")
        deny = _str_list(web.get("deny", []), f"{where}.deny", _ENTRY, "a lower-case domain such as example.com")
        ss = web.get("safesearch", {})
        if not isinstance(ss, dict):
            raise WebRulesError(f"{where}.safesearch: must be an object of engine: true/false")
        for engine, on in ss.items():
            if engine not in _SAFESEARCH_ENGINES:
                raise WebRulesError(f"{where}.safesearch.{engine}: unknown engine; known: "
                                    f"{', '.join(_SAFESEARCH_ENGINES)}")
            if not isinstance(on, bool):
                raise WebRulesError(f"{where}.safesearch.{engine}: must be true or false, got {on!r}")
        youtube = web.get("youtube", "off")
        if youtube not in YOUTUBE_LEVELS:
            raise WebRulesError(f"{where}.youtube: must be one of {', '.join(YOUTUBE_LEVELS)}, got {youtube!r}")
        return cls(frozenset(cats), frozenset(allow), frozenset(deny),
                   {e: bool(ss.get(e, False)) for e in _SAFESEARCH_ENGINES}, youtube)

    def as_web(self) -> dict[str, Any]:
        return {"blocked_categories": sorted(self.blocked_categories), "allow": sorted(self.allow),
                "deny": sorted(self.deny), "safesearch": dict(self.safesearch), "youtube": self.youtube}


def _str_list(value: Any, where: str, pattern: re.Pattern[str], what: str) -> list[str]:
    if not isinstance(value, list):
        raise WebRulesError(f"{where}: must be a list")
    for i, item in enumerate(value):
        if not isinstance(item, str) or not pattern.match(item):
            raise WebRulesError(f"{where}[{i}]: must be {what}, got {item!r}")
    return value


def normalize_qname(name: str) -> str | None:
    """A query name in lower case without the trailing dot, or None when it is not a usable host name."""
    text = name.rstrip(".").lower()
    if not text or len(text) > 253:
        return None
    return text if _NAME.fullmatch(text) else None


def _suffixes(name: str) -> list[str]:
    """The name and each parent domain: a.b.example.com, b.example.com, example.com, com."""
    out = [name]
    start = name.find(".")
    while start != -1:
        name = name[start + 1:]
        out.append(name)
        start = name.find(".")
    return out


def _tail(name: str) -> str:
    """The last two labels of a name ("www.example.com" → "example.com"), or the name when it has fewer."""
    last = name.rfind(".")
    return name[name.rfind(".", 0, last) + 1:] if last > 0 else name


def _matches(name: str, entries: frozenset[str]) -> bool:
    """Whether the name or any parent domain is one of the entries."""
    return bool(entries) and not entries.isdisjoint(_suffixes(name))


class Classifier:
    """Decides one name at a time. Thread-safe; decisions are memoised (bounded) because the keyword heuristics
    cost tens of microseconds and browsers ask the same names over and over. Build a new Classifier when the
    policy changes."""

    def __init__(self, rules: WebRules, index: CategoryLookup | None = None,
                 keywords: Callable[[str], str | None] | None = None,
                 safesearch: SafeSearch | None = None, memo_size: int = 8192,
                 friendly: frozenset[str] = frozenset()) -> None:
        self.rules = rules
        self.friendly = friendly  # child-friendly names: never blocked by keywords or the large lists
        self.index = index
        self.keywords = keywords
        self.safesearch = safesearch if safesearch is not None else default_safesearch()
        self._web = rules.as_web()
        # name → decision. Emptied when full rather than kept in LRU order: no lock and no bookkeeping per query
        # (single dict operations are atomic under the GIL), and a flood of unique names costs the least.
        self._memo: dict[str, Decision] = {}
        self._memo_size = memo_size
        # Equal decisions shared: a million names on one list make one Decision, not a million (a few dozen
        # exist); keyed by a plain tuple, whose hash is C code (the dataclass's is not)
        self._shared: dict[tuple[str, str | None, str | None, str], Decision] = {}
        # The last two labels of every entry the chain checks before the lists (allow, deny, SafeSearch, canaries,
        # child-friendly): a name whose own last two labels are none of these can match none of them, so the
        # chain goes straight to the lists without building the name's suffixes. One set test for nearly every
        # never-seen name instead of five.
        names = getattr(self.safesearch, "names", None)
        special = rules.allow | rules.deny | (names() if names is not None else frozenset()) | CANARIES | friendly
        # A one-label entry (a whole top-level domain) would hide behind any tail; such a table turns this off.
        single = names is None or any("." not in entry for entry in special)
        self._special_tails: frozenset[str] | None = None if single else frozenset(map(_tail, special))
        # Google's country domains put co.uk, com.br … among those tails: under such a tail, the last three labels
        # decide (an entry of two labels matches on its own; a longer one only where its last three labels do).
        self._special_pairs = frozenset(entry for entry in special if entry.count(".") == 1)
        self._special_triples = frozenset(entry[entry.rfind(".", 0, entry.rfind(".", 0, entry.rfind("."))) + 1:]
                                          for entry in special if entry.count(".") >= 2)
        # What the lists decide for a name with no special tail: its category → the shared block decision (blocked
        # categories only). A never-seen listed name is then one lookup and one dict probe.
        self._list_blocks = {category: self._decision(BLOCK, category, None, "list")
                             for category in rules.blocked_categories}
        # classify_wire's names are already lower-case ASCII: an index that offers it skips normalising them
        self._lookup = getattr(index, "lookup_wire", index.lookup) if index is not None else None

    def classify(self, name: str) -> Decision:
        qname = normalize_qname(name)
        if qname is None:
            return self._unparseable(name)
        memo = self._memo
        hit = memo.get(qname)
        if hit is not None:
            return hit
        decision = self._decide(qname)
        if len(memo) >= self._memo_size:
            memo.clear()
        memo[qname] = decision
        return decision

    def classify_wire(self, name: str) -> Decision:
        """`classify` for a name the fast path parsed off the wire (fastpath.parse_query: lower case, labels of
        1–63 letters, digits, '-' or '_', at most 253 characters). Only a label that starts or ends with '-' can
        still fail normalize_qname, and a plain test finds those; every other name skips the regular expression.
        The same decisions as `classify`, a little cheaper for each never-seen name."""
        memo = self._memo
        hit = memo.get(name)
        if hit is not None:
            return hit
        if "-" in name and (name[0] == "-" or name[-1] == "-" or "-." in name or ".-" in name):
            return self.classify(name)  # the unparseable path
        lookup = self._lookup
        decision = None
        if lookup is not None and self._plain(name):
            # _decide's shortcut and _listed's first step, inline: the commonest never-seen name (on a list of a
            # blocked category, under no allow/deny/SafeSearch/canary/child-friendly entry) costs one lookup
            listed = lookup(name)
            decision = self._list_blocks.get(listed) if listed is not None else None
            if decision is None:
                decision = self._listed(name, False, listed)
        if decision is None:
            decision = self._decide(name)
        if len(memo) >= self._memo_size:
            memo.clear()
        memo[name] = decision
        return decision

    def _decision(self, verdict: str, category: str | None, target: str | None, reason: str) -> Decision:
        key = (verdict, category, target, reason)
        shared = self._shared.get(key)
        if shared is None:
            shared = self._shared[key] = Decision(verdict, category, target, reason)
        return shared

    def _unparseable(self, name: str) -> Decision:
        """A name the chain cannot judge (`-x.pornhub.com`, a NUL byte, a space, 300 characters) is never
        forwarded: an upstream would happily resolve `-x.pornhub.com`. NXDOMAIN, with the category of the longest
        valid parent domain when there is one, so the parent's report says what was tried. Not memoised: a flood
        of unique junk names must not fill the memo."""
        text = name.rstrip(".").lower()
        if not text:
            return Decision(ALLOW, None, None, "root")  # "." (priming queries): nothing to filter
        labels = text.split(".")[-127:]
        keep: list[str] = []
        for label in reversed(labels):
            if not _LABEL.fullmatch(label):
                break
            keep.append(label)
        parent = ".".join(reversed(keep))
        category = None
        if len(keep) >= 2 and len(parent) <= 253:
            category = self.index.lookup(parent) if self.index is not None else None
            if category is None and self.keywords is not None:
                category = self.keywords(parent)
        return Decision(NXDOMAIN, category, None, INVALID_NAME)

    def _plain(self, name: str) -> bool:
        """True when no allow, deny, SafeSearch, canary or child-friendly entry can match `name` (False: maybe),
        from its last two or three labels: one or two set tests instead of building its suffixes."""
        tails = self._special_tails
        if tails is None:
            return False
        last = name.rfind(".")
        if last <= 0:
            return name not in tails
        second = name.rfind(".", 0, last)
        tail = name[second + 1:]
        if tail not in tails:
            return True
        if tail in self._special_pairs or second <= 0:
            return tail not in self._special_pairs  # a name of two labels matches no longer entry
        return name[name.rfind(".", 0, second) + 1:] not in self._special_triples

    def _decide(self, name: str) -> Decision:
        if self._plain(name):
            return self._listed(name, False)
        rules = self.rules
        suffixes = _suffixes(name)
        if rules.allow and not rules.allow.isdisjoint(suffixes):
            return self._decision(ALLOW, self._category(name), None, "allowlist")
        if rules.deny and not rules.deny.isdisjoint(suffixes):
            return self._decision(BLOCK, self._category(name), None, "denylist")
        rewrite = self.safesearch.rewrite(name, self._web, suffixes)
        if rewrite is not None:
            engine, target = rewrite
            if target == BLOCKED:  # an engine whose safe mode DNS cannot force: blocked while SafeSearch is on
                return self._decision(BLOCK, None, None, f"safesearch:{engine}")
            return self._decision(REWRITE, None, target, f"safesearch:{engine}")
        if name in CANARIES:
            return self._decision(NXDOMAIN, CANARY_CATEGORY, None, "canary")
        friendly = bool(self.friendly) and not self.friendly.isdisjoint(suffixes)
        return self._listed(name, friendly)

    def _listed(self, name: str, friendly: bool, found: str | object | None = _NOT_LOOKED_UP) -> Decision:
        """The chain from the category index on: lists (with Blogger mirrors), child-friendly, keywords.
        `found`: what index.lookup(name) gave, when the caller has asked already (not friendly names)."""
        rules = self.rules
        index = self.index
        if index is None:
            listed = None
        elif friendly and hasattr(index, "curated_lookup"):
            listed = index.curated_lookup(name)  # the large lists' false alarms never reach these names
        else:
            listed = index.lookup(name) if found is _NOT_LOOKED_UP else found  # type: ignore[assignment]
            if listed is None:
                alias = canonical_alias(name)  # x.blogspot.de is x.blogspot.com
                if alias is not None:
                    listed = index.lookup(alias)
        if listed is not None and listed in rules.blocked_categories:
            return self._decision(BLOCK, listed, None, "list")
        if friendly:
            return self._decision(ALLOW, listed, None, "child-friendly")
        if listed is None and self.keywords is not None:
            guessed = self.keywords(name)
            if guessed is not None and guessed in rules.blocked_categories:
                return self._decision(BLOCK, guessed, None, "keyword")
        return self._decision(ALLOW, listed, None, "default")

    def _category(self, name: str) -> str | None:
        return self.index.lookup(name) if self.index is not None else None


class SeedIndex:
    """The shipped seed lists (resources/categories/*/domains, a few hundred names) held in a dict: what the
    chain uses when no compact index has been built. A name matches itself or any parent domain."""

    def __init__(self, names: dict[str, str]) -> None:
        self._names = names

    @classmethod
    def from_shipped(cls) -> SeedIndex:
        from agent.resources import resource_path

        return cls.from_roots((resource_path("categories"),))

    @classmethod
    def from_roots(cls, roots: Iterable[Any]) -> SeedIndex:
        """Every `<root>/<category>/domains` file; the first root listing a name decides its category."""
        from pathlib import Path

        from agent.dns.categories import normalize_domain

        names: dict[str, str] = {}
        for root in roots:
            root = Path(root)
            if not root.is_dir():
                continue
            for folder in sorted(root.iterdir()):
                file = folder / "domains"
                if not (folder.is_dir() and file.is_file()) or not _CATEGORY.match(folder.name):
                    continue
                with file.open(encoding="utf-8") as fh:
                    for line in fh:
                        text = line.split("#", 1)[0].strip()
                        name = normalize_domain(text) if text else None
                        if name is not None:
                            names.setdefault(name, folder.name)
        return cls(names)

    def lookup(self, name: str) -> str | None:
        found = self.match(name)
        return found[1] if found else None

    def match(self, name: str) -> tuple[str, str] | None:
        """(listed suffix, category), or None."""
        for suffix in _suffixes(name):
            hit = self._names.get(suffix)
            if hit is not None:
                return suffix, hit
        return None

    def __len__(self) -> int:
        return len(self._names)
