"""The policy model — part of the contract shared by the agent and the parent console.

Typical use:
    doc = load_policy_doc(json_text, source="policy.json")   # migrated, defaults filled, validated
    policy = Policy.from_doc(doc)                           # typed view for the ledger
    blob = canonical_bytes(doc)                             # what the console signs
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from agent.policy.canonical import canonical_json
from agent.policy.migrate import migrate, normalize
from agent.policy.model import Policy, Window
from agent.policy.presets import (
    AGE_BANDS,
    PresetError,
    age_band,
    age_from_birth_year,
    build_preset_policy,
    compose,
    list_presets,
    load_preset,
)
from agent.policy.schema import CURRENT_SCHEMA, WEEKDAYS, default_policy
from agent.policy.validate import PolicyError, Problem
from agent.policy.validate import validate as _validate_complete
from agent.resources import resource_path

__all__ = [
    "AGE_BANDS", "CURRENT_SCHEMA", "WEEKDAYS", "Policy", "PolicyError", "PresetError", "Problem", "Window",
    "age_band", "age_from_birth_year", "build_preset_policy", "canonical_bytes", "compose", "default_policy",
    "known_categories", "list_presets", "load_policy", "load_policy_doc", "load_preset", "migrate", "normalize",
    "preset", "validate",
]


def known_categories() -> frozenset[str] | None:
    """Category names shipped in resources/categories/catalog.json, or None when that catalog is absent.

    Read again only when the file changes (its size or modification time): every policy check asks, and reading
    and parsing the catalog each time was a quarter of a check's cost."""
    path = resource_path("categories", "catalog.json")
    try:
        st = os.stat(path)
    except OSError:
        return None
    global _last_catalog
    key = (str(path), st.st_mtime_ns, st.st_size)
    last = _last_catalog  # one read of the global: another thread may replace it meanwhile, never half-way
    if last is not None and last[0] == key:
        return last[1]
    categories = _read_categories(path)
    _last_catalog = (key, categories)
    return categories


_last_catalog: tuple[tuple[str, int, int], frozenset[str] | None] | None = None


def _read_categories(path: Path) -> frozenset[str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    cats = data.get("categories", data) if isinstance(data, dict) else data
    if isinstance(cats, dict):
        return frozenset(cats)
    if isinstance(cats, list):
        return frozenset(c["name"] for c in cats if isinstance(c, dict) and "name" in c)
    return None


def validate(doc: Any) -> list[Problem]:
    """Every problem of a policy document of any accepted schema, each with its field path and reason."""
    try:
        complete = normalize(doc)
    except PolicyError as exc:
        return exc.problems
    return _validate_complete(complete, known_categories=known_categories())


def load_policy_doc(data: Any, *, source: str | None = None) -> dict[str, Any]:
    """Parse (if text/bytes), migrate, fill defaults and validate; raises PolicyError listing every problem."""
    if isinstance(data, bytes | str):
        try:
            data = json.loads(data)
        except json.JSONDecodeError as exc:
            raise PolicyError([Problem(f"<json line {exc.lineno} column {exc.colno}>", exc.msg)], source) from None
    try:
        doc = normalize(data)
    except PolicyError as exc:
        raise PolicyError(exc.problems, source) from None
    problems = _validate_complete(doc, known_categories=known_categories())
    if problems:
        raise PolicyError(problems, source)
    return doc


def load_policy(data: Any, *, source: str | None = None) -> Policy:
    return Policy.from_doc(load_policy_doc(data, source=source))


def load_policy_file(path: Path) -> Policy:
    try:
        text = path.read_bytes()
    except OSError as exc:
        raise PolicyError([Problem("<file>", f"cannot read: {exc.strerror}")], str(path)) from None
    return load_policy(text, source=str(path))


def canonical_bytes(doc: Any) -> bytes:
    """The stable bytes that are signed: the normalised, validated policy in canonical JSON."""
    return canonical_json(load_policy_doc(doc))


def preset(age: int, extra: list[str] | tuple[str, ...] = (), **kwargs: Any) -> dict[str, Any]:
    """A complete, validated policy from the age band preset plus rule presets (e.g. ["vn-decree-147"])."""
    return load_policy_doc(build_preset_policy(age, extra, **kwargs))
