"""Loading the skills kit: Sprout's own lessons (resources/skills/kit/<band>.json) plus any a school or device
maker adds in a folder of its own, each file checked against resources/skills/schema.json.

A bad file never stops the others: it is named, with every 'path: reason', in `Kit.problems`, and its lessons are
left out. Beyond the schema: lesson ids are unique, every question has exactly one right answer, every source id is
named in resources/skills/sources.json.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.resources import resource_path
from agent.skills.schema import check_schema, validate

BANDS = ("6-8", "9-11", "12-14", "15-17")
TOPICS = ("internet", "security", "personal_info", "abuse", "report")
LANGS = ("vi", "en")


def band_for_age(age: int | None) -> str:
    """The kit's band for a child's age (under 6 get the 6–8 lessons, read with a parent; 18+ the oldest)."""
    if age is None:
        return "9-11"
    if age <= 8:
        return "6-8"
    if age <= 11:
        return "9-11"
    if age <= 14:
        return "12-14"
    return "15-17"


def load_schema() -> dict[str, Any]:
    schema = json.loads(Path(resource_path("skills", "schema.json")).read_text("utf-8"))
    check_schema(schema)
    return schema


def source_ids() -> dict[str, dict[str, Any]]:
    data = json.loads(Path(resource_path("skills", "sources.json")).read_text("utf-8"))
    return {s["id"]: s for s in data["sources"]}


def check_kit_doc(doc: Any, schema: dict[str, Any], sources: dict[str, Any]) -> list[str]:
    problems = validate(doc, schema)
    if problems:
        return problems
    for i, lesson in enumerate(doc["lessons"]):
        for j, q in enumerate(lesson["questions"]):
            right = sum(1 for c in q["choices"] if c["right"])
            if right != 1:
                problems.append(f"lessons[{i}].questions[{j}].choices: exactly one must be right, {right} are")
        for k, src in enumerate(lesson["sources"]):
            if src not in sources:
                problems.append(f"lessons[{i}].sources[{k}]: {src!r} is not in resources/skills/sources.json")
    return problems


@dataclass
class Kit:
    lessons: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "file: path: reason", one a line

    def for_band(self, band: str) -> list[dict[str, Any]]:
        order = {t: i for i, t in enumerate(TOPICS)}
        return sorted((lesson for lesson in self.lessons if lesson["band"] == band),
                      key=lambda lesson: (order[lesson["topic"]], lesson["id"]))

    def lesson(self, lesson_id: str) -> dict[str, Any] | None:
        return next((lesson for lesson in self.lessons if lesson["id"] == lesson_id), None)


def load_kit(extra_dirs: list[Path] | None = None) -> Kit:
    schema, sources = load_schema(), source_ids()
    files = sorted(Path(resource_path("skills", "kit")).glob("*.json"))
    for d in extra_dirs or []:
        files += sorted(Path(d).glob("*.json"))
    kit = Kit()
    seen: set[str] = set()
    for f in files:
        try:
            doc = json.loads(f.read_text("utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            kit.problems.append(f"{f}: not readable JSON: {exc}")
            continue
        problems = check_kit_doc(doc, schema, sources)
        dup = [lesson["id"] for lesson in doc.get("lessons", []) if lesson["id"] in seen] if not problems else []
        problems += [f"lessons: id {d!r} is already used by another kit" for d in dup]
        if problems:
            kit.problems += [f"{f}: {p}" for p in problems]
            continue
        for lesson in doc["lessons"]:
            seen.add(lesson["id"])
            kit.lessons.append({**lesson, "band": doc["band"], "kit": doc["kit"]})
    return kit


def score(lesson: dict[str, Any], answers: list[int]) -> tuple[int, int]:
    """(right, total) for the child's chosen choice index per question."""
    right = sum(1 for q, a in zip(lesson["questions"], answers, strict=False)
                if 0 <= a < len(q["choices"]) and q["choices"][a]["right"])
    return right, len(lesson["questions"])
