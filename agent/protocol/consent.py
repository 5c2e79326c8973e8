"""Contract: the kinds of information consent is about, shared by the agent, the companion and the console.

The rules (who must agree, what flows meanwhile) live in agent.service.consent; the words for each kind, for the
parent and for the child by age, in resources/consent/words.json.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from agent.resources import resource_path

FIELDS = ("time_totals", "games_by_name", "apps_by_name", "web_categories_blocked", "lessons_finished")
MINIMUM = ("limits_reached", "time_requests", "tamper_alerts", "harmful_reports")
NEVER = ("keystrokes", "screenshots", "full_web_addresses", "window_titles", "messages", "passwords", "camera",
         "microphone")
STATES = ("none", "child_agreed", "parent_agreed", "both")
CHILD_CONSENT_AGE = 7  # from this age the child's own agreement is needed (Law on Children 2016, art. 21)
NAMES_UNTIL_AGE = 14  # from this age the defaults show categories rather than names


def default_fields(age: int | None) -> list[str]:
    """The starting proposal: the older the child, the less detail (groups, not names, at 14+)."""
    if age is not None and age >= NAMES_UNTIL_AGE:
        return ["time_totals", "web_categories_blocked", "lessons_finished"]
    return list(FIELDS)


@cache
def words() -> dict[str, Any]:
    return json.loads(resource_path("consent", "words.json").read_text("utf-8"))


def word_group(age: int | None) -> str:
    if age is None:
        return "11-13"
    return "0-6" if age <= 6 else "7-10" if age <= 10 else "11-13" if age <= 13 else "14-17"


def field_text(field: str, lang: str, *, age: int | None = None, for_child: bool = False) -> str:
    entry = words()["fields"].get(field)
    if entry is None:
        return field
    return entry["child"][word_group(age)][lang] if for_child else entry["parent"][lang]


def plain_text(section: str, key: str, lang: str) -> str:
    """A 'minimum', 'never' or 'states' entry in the language, or the key itself for an unknown one."""
    return words()[section].get(key, {}).get(lang, key)
