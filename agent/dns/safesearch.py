"""SafeSearch and YouTube Restricted Mode as DNS rewrites, one data table per engine (resources/safesearch/*.json).

Each engine answers its own "safe" host name (forcesafesearch.google.com, strict.bing.com ...) with the same
site in a locked safe mode, so pointing the engine's names at that host by CNAME forces it for every browser and
app. The tables are data so that a new country domain or engine needs no code change.

A table is either
    {"schema": 1, "engine": "google", "policy": "safesearch.google", "target": "...", "domains": [...]}
or, for an engine with levels (YouTube),
    {"schema": 1, "engine": "youtube", "policy": "youtube", "targets": {"moderate": "...", "strict": "..."}, ...}
or, for an engine whose safe mode cannot be forced by DNS (Yahoo, Brave, Ecosia, Cốc Cốc search),
    {"schema": 1, "engine": "yahoo", "policy": "safesearch.any", "block": true, "domains": [...],
     "suffixes": [...]}
whose names are blocked while SafeSearch is on. "policy" names the field of the policy's web section that switches
it on; "safesearch.any" follows the parent's SafeSearch switch (on when any engine's is on: the console shows
one "SafeSearch" box), so engines the policy does not name one by one are never a way around it.

"domains" are exact names (mail.google.com must keep working); "suffixes" (block tables only) also match every
subdomain (vn.search.yahoo.com).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from agent.resources import resource_path

_NAME = re.compile(r"^(?=.{1,253}$)(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))+$")
YOUTUBE_LEVELS = ("off", "moderate", "strict")
BLOCKED = ""  # the "target" of a block table: no safe host exists, the names are blocked


class SafeSearchError(ValueError):
    """A SafeSearch table is unusable; the message says file: field: reason."""


@dataclass(frozen=True)
class EngineTable:
    engine: str
    policy: str  # "safesearch.<engine>" (a bool switch), "safesearch.any", or "youtube" (a level)
    targets: dict[str, str]  # level ("on", "moderate", "strict") -> safe host name; {"on": BLOCKED} to block
    domains: frozenset[str]
    source: Path
    suffixes: frozenset[str] = frozenset()
    name: str = ""  # as people know the engine ("Cốc Cốc"): the console's SafeSearch box names it

    def target_for(self, web: dict[str, Any]) -> str | None:
        """The safe host this engine's names go to under the web section (BLOCKED for a block table), or None
        when it is off."""
        if self.policy == "safesearch.any":
            switches = web.get("safesearch") or {}
            return self.targets["on"] if any(v is True for v in switches.values()) else None
        if self.policy.startswith("safesearch."):
            switches = web.get("safesearch") or {}
            return self.targets["on"] if switches.get(self.policy.split(".", 1)[1]) is True else None
        level = web.get(self.policy, "off")
        return self.targets.get(level) if level != "off" else None


def _load_table(path: Path) -> EngineTable:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SafeSearchError(f"{path}: cannot read: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise SafeSearchError(f"{path}: not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(data, dict) or data.get("schema") != 1:
        raise SafeSearchError(f"{path}: schema: must be an object with schema 1")
    engine = data.get("engine")
    if not isinstance(engine, str) or not engine.isalpha():
        raise SafeSearchError(f"{path}: engine: must be a word, got {engine!r}")
    policy = data.get("policy")
    block = data.get("block", False)
    if not isinstance(block, bool):
        raise SafeSearchError(f"{path}: block: must be true or false, got {block!r}")
    if block:
        if policy not in (f"safesearch.{engine}", "safesearch.any"):
            raise SafeSearchError(f"{path}: policy: a block table must be 'safesearch.{engine}' or "
                                  f"'safesearch.any', got {policy!r}")
        targets = {"on": BLOCKED}
    elif policy in (f"safesearch.{engine}", "safesearch.any"):
        target = data.get("target")
        if not isinstance(target, str) or not _NAME.match(target):
            raise SafeSearchError(f"{path}: target: must be a host name, got {target!r}")
        targets = {"on": target}
    elif policy == "youtube":
        raw = data.get("targets")
        if not isinstance(raw, dict) or set(raw) != {"moderate", "strict"}:
            raise SafeSearchError(f"{path}: targets: must map exactly 'moderate' and 'strict' to host names")
        for level, host in raw.items():
            if not isinstance(host, str) or not _NAME.match(host):
                raise SafeSearchError(f"{path}: targets.{level}: must be a host name, got {host!r}")
        targets = dict(raw)
    else:
        raise SafeSearchError(f"{path}: policy: must be 'safesearch.{engine}', 'safesearch.any' or 'youtube', "
                              f"got {policy!r}")
    domains = _names(path, "domains", data.get("domains", []))
    suffixes = _names(path, "suffixes", data.get("suffixes", []))
    if suffixes and not block:
        raise SafeSearchError(f"{path}: suffixes: only a block table may match subdomains")
    if not domains and not suffixes:
        raise SafeSearchError(f"{path}: domains: must be a non-empty list of host names")
    # A target inside its own domain list would rewrite to itself forever.
    for host in targets.values():
        if host and (host in domains or any(host == s or host.endswith("." + s) for s in suffixes)):
            raise SafeSearchError(f"{path}: domains: contains its own target {host!r}")
    name = data.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SafeSearchError(f"{path}: name: must be the engine's name as people know it, got {name!r}")
    return EngineTable(engine, policy, targets, frozenset(domains), path, frozenset(suffixes), name.strip())


def _names(path: Path, field: str, value: Any) -> list[str]:
    if not isinstance(value, list):
        raise SafeSearchError(f"{path}: {field}: must be a list of host names")
    for i, name in enumerate(value):
        if not isinstance(name, str) or not _NAME.match(name):
            raise SafeSearchError(f"{path}: {field}[{i}]: must be a lower-case host name, got {name!r}")
    return value


class SafeSearch:
    """Exact-name lookups over every engine table: only the listed names are rewritten, not their subdomains
    (mail.google.com must keep working)."""

    def __init__(self, tables: list[EngineTable]) -> None:
        self.tables = tables
        self._by_name: dict[str, EngineTable] = {}
        self._by_suffix: dict[str, EngineTable] = {}
        for table in tables:
            for name in table.domains:
                other = self._by_name.setdefault(name, table)
                if other is not table:
                    raise SafeSearchError(f"{table.source}: domains: {name!r} is also in {other.source}")
            for name in table.suffixes:
                other = self._by_suffix.setdefault(name, table)
                if other is not table:
                    raise SafeSearchError(f"{table.source}: suffixes: {name!r} is also in {other.source}")

    @classmethod
    def from_folder(cls, folder: Path | None = None) -> SafeSearch:
        base = folder or resource_path("safesearch")
        files = sorted(base.glob("*.json"))
        if not files:
            raise SafeSearchError(f"{base}: no SafeSearch tables (*.json) found")
        return cls([_load_table(p) for p in files])

    def rewrite(self, name: str, web: dict[str, Any],
                suffixes: list[str] | None = None) -> tuple[str, str] | None:
        """(engine, safe host) when the web section forces safe mode for this exact name, (engine, BLOCKED) when
        the engine has no safe mode to force and SafeSearch is on, else None. `suffixes`: the name and its
        parents when the caller has them already (the classifier does, for every query)."""
        table = self._by_name.get(name)
        by_suffix = self._by_suffix
        if table is None and by_suffix:
            if suffixes is None:
                suffixes = [name[i + 1:] for i, c in enumerate(name) if c == "."]
                suffixes.insert(0, name)
            if not by_suffix.keys().isdisjoint(suffixes):  # one C-level test for the usual "no"
                for suffix in suffixes[:-1]:  # a bare top-level domain is nobody's suffix entry
                    table = by_suffix.get(suffix)
                    if table is not None:
                        break
        if table is None:
            return None
        target = table.target_for(web)
        return (table.engine, target) if target is not None else None

    def names(self) -> frozenset[str]:
        """Every exact name and suffix entry of every table: what a name must end with to be rewritten."""
        return frozenset(self._by_name) | frozenset(self._by_suffix)

    def engines(self) -> list[str]:
        return [t.engine for t in self.tables]


@lru_cache(maxsize=1)
def default_safesearch() -> SafeSearch:
    return SafeSearch.from_folder()
