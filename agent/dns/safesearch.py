"""SafeSearch and YouTube Restricted Mode as DNS rewrites, one data table per engine (resources/safesearch/*.json).

Each engine answers its own "safe" host name (forcesafesearch.google.com, strict.bing.com ...) with the same
site in a locked safe mode, so pointing the engine's names at that host by CNAME forces it for every browser and
app. The tables are data so that a new country domain or engine needs no code change.

A table is either
    {"schema": 1, "engine": "google", "policy": "safesearch.google", "target": "...", "domains": [...]}
or, for an engine with levels (YouTube),
    {"schema": 1, "engine": "youtube", "policy": "youtube", "targets": {"moderate": "...", "strict": "..."}, ...}
where "policy" names the field of the policy's web section that switches it on.
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


class SafeSearchError(ValueError):
    """A SafeSearch table is unusable; the message says file: field: reason."""


@dataclass(frozen=True)
class EngineTable:
    engine: str
    policy: str  # "safesearch.<engine>" (a bool switch) or "youtube" (a level)
    targets: dict[str, str]  # level ("on", "moderate", "strict") -> safe host name
    domains: frozenset[str]
    source: Path

    def target_for(self, web: dict[str, Any]) -> str | None:
        """The safe host this engine's names go to under the web section, or None when it is off."""
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
    if policy == f"safesearch.{engine}":
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
        raise SafeSearchError(f"{path}: policy: must be 'safesearch.{engine}' or 'youtube', got {policy!r}")
    domains = data.get("domains")
    if not isinstance(domains, list) or not domains:
        raise SafeSearchError(f"{path}: domains: must be a non-empty list of host names")
    for i, name in enumerate(domains):
        if not isinstance(name, str) or not _NAME.match(name):
            raise SafeSearchError(f"{path}: domains[{i}]: must be a lower-case host name, got {name!r}")
    # A target inside its own domain list would rewrite to itself forever.
    for host in targets.values():
        if host in domains:
            raise SafeSearchError(f"{path}: domains: contains its own target {host!r}")
    return EngineTable(engine, policy, targets, frozenset(domains), path)


class SafeSearch:
    """Exact-name lookups over every engine table: only the listed names are rewritten, not their subdomains
    (mail.google.com must keep working)."""

    def __init__(self, tables: list[EngineTable]) -> None:
        self.tables = tables
        self._by_name: dict[str, EngineTable] = {}
        for table in tables:
            for name in table.domains:
                other = self._by_name.setdefault(name, table)
                if other is not table:
                    raise SafeSearchError(f"{table.source}: domains: {name!r} is also in {other.source}")

    @classmethod
    def from_folder(cls, folder: Path | None = None) -> SafeSearch:
        base = folder or resource_path("safesearch")
        files = sorted(base.glob("*.json"))
        if not files:
            raise SafeSearchError(f"{base}: no SafeSearch tables (*.json) found")
        return cls([_load_table(p) for p in files])

    def rewrite(self, name: str, web: dict[str, Any]) -> tuple[str, str] | None:
        """(engine, safe host) when the web section forces safe mode for this exact name, else None."""
        table = self._by_name.get(name)
        if table is None:
            return None
        target = table.target_for(web)
        return (table.engine, target) if target else None

    def engines(self) -> list[str]:
        return [t.engine for t in self.tables]


@lru_cache(maxsize=1)
def default_safesearch() -> SafeSearch:
    return SafeSearch.from_folder()
