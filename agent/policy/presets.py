"""Presets: partial policies in resources/presets/ that compose into a complete policy.

Composition is "stricter wins" so that adding a rule preset can only tighten: limits take the smaller value
(null = no limit), lists of blocked things are united, ranked choices (YouTube level, SafeSearch, the action at a
limit) take the stricter one, the grace period the shorter. Windows, the holiday calendar, the warning marks and
the time zone are taken from the later preset: the shipped rule presets do not set them.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agent.policy.schema import LIMIT_PATHS, MIN_PATHS, RANKED_PATHS, UNION_PATHS, default_policy
from agent.resources import resource_path

AGE_BANDS: tuple[tuple[int, int], ...] = ((0, 6), (7, 10), (11, 13), (14, 15), (16, 17))


class PresetError(ValueError):
    pass


@dataclass(frozen=True)
class Preset:
    name: str
    kind: str  # "age" or "rule"
    ages: tuple[int, int]
    title: dict[str, str]
    why: dict[str, str]
    policy: dict[str, Any]


def presets_dir() -> Path:
    return resource_path("presets")


def load_preset(name: str) -> Preset:
    path = presets_dir() / f"{name}.json"
    if not name.replace("-", "").isalnum() or not path.is_file():
        known = ", ".join(p.name for p in list_presets())
        raise PresetError(f"unknown preset {name!r}; known presets: {known}")
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return Preset(raw["name"], raw["kind"], tuple(raw["ages"]), raw["title"], raw["why"], raw["policy"])
    except (ValueError, KeyError, TypeError) as exc:
        raise PresetError(f"{path}: not a valid preset file: {exc}") from exc


def list_presets() -> list[Preset]:
    return [load_preset(p.stem) for p in sorted(presets_dir().glob("*.json"))]


def age_band(age: int) -> str:
    """The band name ("7-10"…) for an age in whole years; adults get the oldest band's wording."""
    if age < 0:
        raise PresetError(f"age must be 0 or more, got {age}")
    for lo, hi in AGE_BANDS:
        if lo <= age <= hi:
            return f"{lo}-{hi}"
    return "16-17"


def age_from_birth_year(birth_year: int, today: dt.date) -> int:
    # Only the year is kept (data minimisation), so this is the age the child reaches this year.
    return today.year - birth_year


def compose(base: dict[str, Any], overlay: dict[str, Any], _path: str = "", *, stricter: bool = True) -> dict[str, Any]:
    """Lay `overlay` over `base`. With stricter=False (an age preset over the defaults) the overlay simply wins."""
    out = copy.deepcopy(base)
    for key, value in overlay.items():
        path = f"{_path}.{key}" if _path else key
        current = out.get(key)
        if not stricter:
            if isinstance(value, dict) and isinstance(current, dict) and path != "screen.windows":
                out[key] = compose(current, value, path, stricter=False)
            else:
                out[key] = copy.deepcopy(value)
        elif path in LIMIT_PATHS:
            out[key] = value if current is None else current if value is None else min(current, value)
        elif path in RANKED_PATHS and current in RANKED_PATHS[path] and value in RANKED_PATHS[path]:
            rank = RANKED_PATHS[path]
            out[key] = max(current, value, key=rank.index)
        elif path in MIN_PATHS and isinstance(current, int) and isinstance(value, int):
            out[key] = min(current, value)
        elif path in UNION_PATHS:
            merged = list(current or [])
            merged += [v for v in value if v not in merged]
            out[key] = sorted(merged)
        elif path in ("games.per_game", "apps.limits") and isinstance(current, dict):
            merged_map = dict(current)
            for app, minutes in value.items():
                merged_map[app] = minutes if app not in merged_map else min(merged_map[app], minutes)
            out[key] = merged_map
        elif isinstance(value, dict) and isinstance(current, dict) and path not in ("screen.windows",):
            out[key] = compose(current, value, path)
        else:
            out[key] = copy.deepcopy(value)
    return out


def build_preset_policy(age: int, extra: list[str] | tuple[str, ...] = (), *, child_name: str = "",
                        birth_year: int | None = None, timezone: str = "Asia/Ho_Chi_Minh") -> dict[str, Any]:
    band = age_band(age)
    doc = default_policy()
    names = [f"age-{band}", *extra]
    for name in names:
        p = load_preset(name)
        if name != names[0] and p.kind == "age":
            raise PresetError(f"{name} is an age preset; give only rule presets after the age (e.g. vn-decree-147)")
        if age > 17 and p.name == "vn-decree-147":
            raise PresetError("vn-decree-147 applies to players under 18")
        doc = compose(doc, p.policy, stricter=name != names[0])
    doc["presets"] = names
    doc["child"] = {"name": child_name, "birth_year": birth_year}
    doc["timezone"] = timezone
    return doc
