"""What the policy's SafeSearch switch covers, read from the very tables the web filter enforces
(resources/safesearch/*.json, agent/dns/safesearch.py), so the parent's console never names fewer or other engines
than the filter acts on. Part of the contract: the console reads it, the agent's filter loads the same files.

The policy names three engines one by one (SAFESEARCH_ENGINES); the console shows one box for all of them, and
tables with `"policy": "safesearch.any"` follow it. An engine is either *forced* into its safe mode (a table with
a safe target) or *blocked* while the switch is on (`"block": true`: no safe mode DNS can force). YouTube has its
own control (`"policy": "youtube"`) and is not part of the switch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from agent.policy.schema import SAFESEARCH_ENGINES
from agent.resources import resource_path


@dataclass(frozen=True)
class SafeSearchScope:
    forced: tuple[str, ...]  # engine names whose safe mode is forced ("Google", "Yandex" ...)
    blocked: tuple[str, ...]  # engine names blocked while SafeSearch is on ("Yahoo", "Cốc Cốc" ...)


class SafeSearchScopeError(ValueError):
    """A SafeSearch table cannot be read; the message names the file and the field."""


def safesearch_scope(folder: Path | None = None) -> SafeSearchScope:
    """The engines under the SafeSearch switch: those the policy names first (in its order), then the others
    by name."""
    base = folder or resource_path("safesearch")
    forced: list[tuple[int, str]] = []
    blocked: list[tuple[int, str]] = []
    for path in sorted(base.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SafeSearchScopeError(f"{path}: cannot read: {exc}") from None
        if not isinstance(data, dict):
            raise SafeSearchScopeError(f"{path}: must be an object")
        policy, engine, name = data.get("policy"), data.get("engine"), data.get("name")
        if not isinstance(policy, str) or not policy.startswith("safesearch."):
            continue  # YouTube: its own control
        if not isinstance(name, str) or not name.strip():
            raise SafeSearchScopeError(f"{path}: name: must be the engine's name as people know it")
        rank = SAFESEARCH_ENGINES.index(engine) if engine in SAFESEARCH_ENGINES else len(SAFESEARCH_ENGINES)
        (blocked if data.get("block") is True else forced).append((rank, name.strip()))
    return SafeSearchScope(tuple(n for _r, n in sorted(forced, key=lambda x: (x[0], x[1].casefold()))),
                           tuple(n for _r, n in sorted(blocked, key=lambda x: (x[0], x[1].casefold()))))
