"""The words of the reminders about private information (resources/privacy-reminders/reminders.json), checked against
their JSON Schema (schema.json beside it) and for their placeholders: a site's reminder may say {site}, a camera's or
microphone's {app}, nothing else. Data, not code: a device maker rewords them in the resources folder it ships
(SPROUT_RESOURCES); `load_reminders(path)` checks such a file.

A bad file is never fatal for the child: `load_reminders` falls back to Sprout's own words and names every
'path: reason' in `Reminders.problems`.
"""

from __future__ import annotations

import json
import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.resources import resource_path
from agent.skills.kit import BANDS, LANGS, band_for_age
from agent.skills.schema import check_schema, validate

KINDS = ("site", "camera", "microphone")
PLACEHOLDERS = {"site": {"site"}, "camera": {"app"}, "microphone": {"app"}}

__all__ = ["BANDS", "KINDS", "Reminders", "band_for_age", "check_reminders", "load_reminders"]


def default_path() -> Path:
    return Path(resource_path("privacy-reminders", "reminders.json"))


def load_schema() -> dict[str, Any]:
    schema = json.loads(Path(resource_path("privacy-reminders", "schema.json")).read_text("utf-8"))
    check_schema(schema)
    return schema


def _fields(text: str) -> set[str] | None:
    try:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}
    except ValueError:
        return None  # an unpaired brace


def check_reminders(doc: Any, schema: dict[str, Any] | None = None) -> list[str]:
    """Every problem as 'path: reason'; [] when the words fit."""
    problems = validate(doc, schema or load_schema())
    if problems:
        return problems
    for band in BANDS:
        for kind in KINDS:
            for part in ("title", "body"):
                for lang in LANGS:
                    text = doc["bands"][band][kind][part][lang]
                    names = _fields(text)
                    where = f"bands.{band}.{kind}.{part}.{lang}"
                    if names is None:
                        problems.append(f"{where}: a brace without its pair (write {{{{ for a brace)")
                    elif names - PLACEHOLDERS[kind]:
                        allowed = ", ".join("{" + p + "}" for p in sorted(PLACEHOLDERS[kind]))
                        problems.append(f"{where}: unknown placeholder {sorted(names - PLACEHOLDERS[kind])[0]!r} "
                                        f"(allowed here: {allowed})")
        note = doc["bands"][band]["note"]
        for lang in LANGS:
            if _fields(note[lang]):
                problems.append(f"bands.{band}.note.{lang}: a note has no placeholders")
    return problems


@dataclass
class Reminders:
    doc: dict[str, Any]
    problems: list[str] = field(default_factory=list)  # "file: path: reason", one a line

    @property
    def site_categories(self) -> frozenset[str]:
        return frozenset(self.doc["site_categories"])

    def words(self, kind: str, band: str, lang: str, target: str) -> tuple[str, str, str]:
        """(title, body, note) for a reminder, with the site's or the app's name put in."""
        entry = self.doc["bands"][band if band in BANDS else "9-11"]
        lang = lang if lang in LANGS else "vi"
        part = entry[kind if kind in KINDS else "site"]
        values = {"site": target, "app": target}
        return (part["title"][lang].format(**values), part["body"][lang].format(**values), entry["note"][lang])


def load_reminders(path: Path | None = None) -> Reminders:
    own = default_path()
    path = path or own
    try:
        doc = json.loads(path.read_text("utf-8"))
        problems = check_reminders(doc)
    except (OSError, ValueError) as exc:
        doc, problems = None, [f"(file): {exc}"]
    if not problems:
        return Reminders(doc)
    found = [f"{path}: {p}" for p in problems]
    if path == own:
        raise ValueError("\n".join(found))  # Sprout's own words are checked by the suite: never shipped broken
    return Reminders(json.loads(own.read_text("utf-8")), found)
