"""The web categories shipped in resources/categories/: the catalog (titles, descriptions, ages, licences)
and each category's domain list (UT1 layout: `<category>/domains`, one name a line, `#` comments)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agent.resources import resource_path

LANGS = ("vi", "en")
_NAME = re.compile(r"^[a-z][a-z0-9-]{0,39}$")  # same rule as the policy's web.blocked_categories
_LABEL = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)$")
_REQUIRED = ("title", "description", "default_block_from_age", "domains", "source", "licence")


class CatalogError(ValueError):
    """catalog.json or a domains file is unusable; the message says file: field: reason."""


@dataclass(frozen=True)
class Category:
    name: str
    title: dict[str, str]
    description: dict[str, str]
    default_block_from_age: int
    domains_file: Path
    source: str
    licence: str
    # Youngest and oldest age the presets block it for; through 17 means "every child".
    default_block_through_age: int = 17
    larger_lists: tuple[str, ...] = field(default_factory=tuple)

    def blocked_by_default_at(self, age: int) -> bool:
        return self.default_block_from_age <= age <= self.default_block_through_age


def catalog_path() -> Path:
    return resource_path("categories", "catalog.json")


def load_categories(catalog: Path | None = None) -> dict[str, Category]:
    """Every category in the catalog, validated; raises CatalogError naming the file, the field and the reason."""
    path = catalog or catalog_path()
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CatalogError(f"{path}: missing file") from exc
    except OSError as exc:
        raise CatalogError(f"{path}: cannot read: {exc.strerror}") from exc
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CatalogError(f"{path}: not valid UTF-8 JSON: {exc}") from exc
    if not isinstance(raw, dict) or not isinstance(raw.get("categories"), dict):
        raise CatalogError(f"{path}: categories: must be an object keyed by category name")
    if raw.get("schema") != 1:
        raise CatalogError(f"{path}: schema: must be 1, got {raw.get('schema')!r}")
    if not raw["categories"]:
        raise CatalogError(f"{path}: categories: is empty")
    base = path.parent
    return {name: _category(path, base, name, entry) for name, entry in raw["categories"].items()}


def _category(path: Path, base: Path, name: str, entry: Any) -> Category:
    where = f"{path}: categories.{name}"
    if not _NAME.match(name):
        raise CatalogError(f"{where}: name must be lower-case letters, digits and '-', starting with a letter")
    if not isinstance(entry, dict):
        raise CatalogError(f"{where}: must be an object")
    for key in _REQUIRED:
        if key not in entry:
            raise CatalogError(f"{where}.{key}: missing")
    texts = {key: _texts(f"{where}.{key}", entry[key]) for key in ("title", "description")}
    ages = {}
    for key in ("default_block_from_age", "default_block_through_age"):
        value = entry.get(key, 17)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 17:
            raise CatalogError(f"{where}.{key}: must be a whole age from 0 to 17, got {value!r}")
        ages[key] = value
    if ages["default_block_from_age"] > ages["default_block_through_age"]:
        raise CatalogError(f"{where}.default_block_through_age: is below default_block_from_age")
    for key in ("source", "licence"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise CatalogError(f"{where}.{key}: must be a non-empty text")
    rel = entry["domains"]
    if not isinstance(rel, str) or not rel or Path(rel).is_absolute() or ".." in Path(rel).parts:
        raise CatalogError(f"{where}.domains: must be a relative path inside {base}, got {rel!r}")
    domains_file = base / rel
    if not domains_file.is_file():
        raise CatalogError(f"{where}.domains: file {domains_file} does not exist")
    larger = entry.get("larger_lists", [])
    if not isinstance(larger, list) or not all(isinstance(s, str) for s in larger):
        raise CatalogError(f"{where}.larger_lists: must be a list of texts")
    return Category(
        name=name,
        title=texts["title"],
        description=texts["description"],
        default_block_from_age=ages["default_block_from_age"],
        default_block_through_age=ages["default_block_through_age"],
        domains_file=domains_file,
        source=entry["source"],
        licence=entry["licence"],
        larger_lists=tuple(larger),
    )


def _texts(where: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise CatalogError(f"{where}: must be an object with {' and '.join(LANGS)} texts")
    for lang in LANGS:
        text = value.get(lang)
        if not isinstance(text, str) or not text.strip():
            raise CatalogError(f"{where}.{lang}: missing or empty")
    return {lang: str(text) for lang, text in value.items()}


def normalize_domain(text: str) -> str | None:
    """A list line's domain in lower case without the trailing dot, or None if it is not a valid name."""
    name = text.strip().lower().rstrip(".")
    if name.startswith("*."):
        name = name[2:]
    try:
        name = name.encode("idna").decode("ascii") if not name.isascii() else name
    except UnicodeError:
        return None
    labels = name.split(".")
    if len(name) > 253 or len(labels) < 2 or not all(_LABEL.match(label) for label in labels):
        return None
    return name


def iter_domains(category: Category, *, strict: bool = False) -> Iterator[str]:
    """The category's domains in file order, comments and blank lines skipped.

    A malformed line is skipped (a list imported from elsewhere should not stop the filter), unless strict,
    which raises CatalogError with the file and line number; the shipped lists are tested strictly."""
    with category.domains_file.open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            text = line.split("#", 1)[0].strip()
            if not text:
                continue
            name = normalize_domain(text)
            if name is None:
                if strict:
                    raise CatalogError(f"{category.domains_file}: line {number}: {text!r} is not a domain name")
                continue
            yield name


def category_of(domain: str, categories: dict[str, Category] | None = None) -> str | None:
    """The first shipped category listing the name or one of its parents (small seed lists only; the DNS
    server uses the compact index for real lookups)."""
    name = normalize_domain(domain)
    if name is None:
        return None
    cats = categories if categories is not None else load_categories()
    sets = {cat.name: set(iter_domains(cat)) for cat in cats.values()}
    parts = name.split(".")
    for i in range(len(parts) - 1):
        candidate = ".".join(parts[i:])
        for cat_name, names in sets.items():
            if candidate in names:
                return cat_name
    return None
