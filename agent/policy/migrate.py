"""Schema migration and default filling: any accepted file becomes a complete current-schema policy.

Schema 1 was the first, compact format (still handy to write by hand):
  screen.daily_minutes   a number for every day, or {"weekdays": N, "weekend": M}
  screen.windows         one list for every day, or {"weekdays": [...], "weekend": [...]}
  bedtime                {"start": "21:00", "end": "07:00"}: no use between start and end, every day
Schema 2 (current) names every weekday and has no separate bedtime: bedtime is the gap between windows.
"""

from __future__ import annotations

import copy
from typing import Any

from agent.policy.errors import PolicyError, Problem
from agent.policy.schema import CURRENT_SCHEMA, WEEKDAYS, default_policy

_WEEKEND = ("sat", "sun")


def _per_day(value: Any, path: str, problems: list[Problem]) -> dict | None:
    if isinstance(value, dict) and set(value) & {"weekdays", "weekend"}:
        if set(value) != {"weekdays", "weekend"}:
            problems.append(Problem(path, "give both \"weekdays\" and \"weekend\" (and nothing else)"))
            return None
        return {d: value.get("weekend" if d in _WEEKEND else "weekdays") for d in WEEKDAYS}
    if isinstance(value, dict):
        return value  # already per weekday: validation checks the keys
    if value is None or isinstance(value, int | list):
        return {d: copy.deepcopy(value) for d in WEEKDAYS}
    problems.append(Problem(path, "must be a number, a list, or {\"weekdays\": …, \"weekend\": …}"))
    return None


def _migrate_1_to_2(doc: dict) -> dict:
    problems: list[Problem] = []
    doc = copy.deepcopy(doc)
    screen = doc.setdefault("screen", {})
    if not isinstance(screen, dict):
        raise PolicyError([Problem("screen", "must be an object")])
    if "daily_minutes" in screen:
        screen["daily_minutes"] = _per_day(screen["daily_minutes"], "screen.daily_minutes", problems)
    if "windows" in screen:
        screen["windows"] = _per_day(screen["windows"], "screen.windows", problems)
    bedtime = doc.pop("bedtime", None)
    if bedtime is not None:
        if not isinstance(bedtime, dict) or not {"start", "end"} <= set(bedtime):
            problems.append(Problem("bedtime", "must be {\"start\": \"HH:MM\", \"end\": \"HH:MM\"}"))
        elif "windows" in screen:
            problems.append(Problem("bedtime", "give either bedtime or screen.windows, not both"))
        else:
            # Allowed time is the complement of bedtime: from bedtime's end to its start.
            allowed = {"start": bedtime["end"], "end": bedtime["start"]}
            screen["windows"] = {d: [dict(allowed)] for d in WEEKDAYS}
    if problems:
        raise PolicyError(problems)
    doc["schema"] = 2
    return doc


MIGRATIONS = {1: _migrate_1_to_2}


def migrate(doc: Any) -> dict:
    """Bring a parsed policy document up to the current schema (raises PolicyError with paths)."""
    if not isinstance(doc, dict):
        raise PolicyError([Problem("<root>", "a policy must be a JSON object")])
    schema = doc.get("schema", CURRENT_SCHEMA)
    if isinstance(schema, bool) or not isinstance(schema, int):
        raise PolicyError([Problem("schema", f"must be a whole number, got {schema!r}")])
    if schema > CURRENT_SCHEMA:
        reason = f"{schema} is newer than this agent understands ({CURRENT_SCHEMA}); update Sprout"
        raise PolicyError([Problem("schema", reason)])
    if schema < 1:
        raise PolicyError([Problem("schema", f"{schema} is not a known schema")])
    while schema < CURRENT_SCHEMA:
        doc = MIGRATIONS[schema](doc)
        schema = doc["schema"]
    return doc


def fill_defaults(doc: dict) -> dict:
    """Fill fields missing from fixed-shape sections with the permissive defaults; keep unknown fields for
    validation to report (a typo must never silently become a default)."""

    def merge(default: Any, given: Any) -> Any:
        # Maps whose keys are the user's (app ids, weekdays with windows) default to {} and are taken as given.
        if type(default) is dict and default and isinstance(given, dict):
            # default_policy() is made fresh for this call: its values are used as they are, never copied.
            out = {k: merge(v, given[k]) if k in given else v for k, v in default.items()}
            for k, v in given.items():
                if k not in default:
                    out[k] = copy_json(v)
            return out
        return copy_json(given)

    return merge(default_policy(), doc)


_ATOMS = frozenset({str, int, float, bool, type(None)})


def copy_json(value: Any) -> Any:
    """A deep copy of a parsed JSON value, so the caller's document is never shared with the policy made from it.
    Dicts, lists and scalars are copied directly (a policy check's largest cost was copy.deepcopy, which is
    general); anything else (a tuple from Python code, say) goes to copy.deepcopy."""
    t = type(value)
    if t in _ATOMS:
        return value
    if t is dict:
        return {k: v if type(v) in _ATOMS else copy_json(v) for k, v in value.items()}
    if t is list:
        return [v if type(v) in _ATOMS else copy_json(v) for v in value]
    return copy.deepcopy(value)


def normalize(doc: Any) -> dict:
    return fill_defaults(migrate(doc))
