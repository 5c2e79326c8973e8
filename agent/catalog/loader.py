"""Read and validate resources/catalog/apps.json: every problem reported as `file: entry[i].field: reason`."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from agent.catalog.model import KINDS, OSES, Entry, normalize_name, path_fragment

ID_RE = re.compile(r"^[a-z0-9][a-z0-9.+-]*$")
MAX_PROBLEMS_SHOWN = 5


class AppCatalogError(ValueError):
    """The catalog file is unreadable or invalid. `problems` lists every `file: where: why` found."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:MAX_PROBLEMS_SHOWN])
        more = len(problems) - MAX_PROBLEMS_SHOWN
        super().__init__(shown + (f" (and {more} more)" if more > 0 else ""))


def read_catalog(path: Path) -> tuple[list[Entry], list[dict[str, str]]]:
    """Returns (entries, game_folders). Raises AppCatalogError listing all problems; never half-loads."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AppCatalogError([f"{path}: file not found"]) from None
    except OSError as exc:
        raise AppCatalogError([f"{path}: cannot read: {exc.strerror or exc}"]) from None
    except UnicodeDecodeError as exc:
        raise AppCatalogError([f"{path}: not UTF-8 text: byte {exc.start}"]) from None
    except json.JSONDecodeError as exc:
        raise AppCatalogError([f"{path}: line {exc.lineno} column {exc.colno}: invalid JSON: {exc.msg}"]) from None
    problems: list[str] = []
    where = str(path)
    if not isinstance(raw, dict):
        raise AppCatalogError([f"{where}: top level: must be an object with 'schema' and 'entries'"])
    if raw.get("schema") != 1:
        problems.append(f"{where}: schema: must be 1, got {raw.get('schema')!r}")
    folders = _game_folders(raw.get("game_folders", []), where, problems)
    items = raw.get("entries")
    if not isinstance(items, list) or not items:
        problems.append(f"{where}: entries: must be a non-empty list")
        raise AppCatalogError(problems)
    entries: list[Entry] = []
    seen_ids: dict[str, int] = {}
    seen_names: dict[str, str] = {}
    for i, item in enumerate(items):
        entry = _entry(item, f"{where}: entry[{i}]", problems)
        if entry is None:
            continue
        if entry.id in seen_ids:
            problems.append(f"{where}: entry[{i}].id: {entry.id!r} already used by entry[{seen_ids[entry.id]}]")
            continue
        seen_ids[entry.id] = i
        for name in sorted(entry.names()):
            other = seen_names.get(name)
            if other is not None and other != entry.id:
                problems.append(f"{where}: entry[{i}].exe: {name!r} already belongs to {other!r}")
            seen_names[name] = entry.id
        entries.append(entry)
    for entry in entries:
        if entry.children_are is not None and entry.children_are not in seen_ids:
            i = seen_ids[entry.id]
            problems.append(f"{where}: entry[{i}].children_are: no entry has id {entry.children_are!r}")
    for i, folder in enumerate(folders):
        if folder["launcher"] and folder["launcher"] not in seen_ids:
            problems.append(f"{where}: game_folders[{i}].launcher: no entry has id {folder['launcher']!r}")
    if problems:
        raise AppCatalogError(problems)
    return entries, folders


def _entry(item: Any, where: str, problems: list[str]) -> Entry | None:
    if not isinstance(item, dict):
        problems.append(f"{where}: must be an object")
        return None
    before = len(problems)
    unknown = set(item) - {"id", "title", "kind", "exe", "paths", "helpers", "product_names", "trusted_dirs",
                          "children_are", "java_main", "wm_class", "media"}
    for key in sorted(unknown):
        problems.append(f"{where}.{key}: unknown field")
    ident = item.get("id")
    if not isinstance(ident, str) or not ID_RE.match(ident):
        problems.append(f"{where}.id: must be lower-case letters, digits, '.', '+' or '-', got {ident!r}")
    title = item.get("title")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}.title: must be a non-empty string")
    kind = item.get("kind")
    if kind not in KINDS:
        problems.append(f"{where}.kind: must be one of {', '.join(KINDS)}, got {kind!r}")
    exe = _per_os(item.get("exe"), f"{where}.exe", problems, required=True)
    paths = _per_os(item.get("paths", {}), f"{where}.paths", problems, required=False)
    trusted = _per_os(item.get("trusted_dirs", {}), f"{where}.trusted_dirs", problems, required=False)
    helpers = _strings(item.get("helpers", []), f"{where}.helpers", problems)
    products = _strings(item.get("product_names", []), f"{where}.product_names", problems)
    if helpers and kind not in ("launcher", "emulator"):
        problems.append(f"{where}.helpers: only launchers and emulators have helpers")
    if trusted and kind != "system":
        problems.append(f"{where}.trusted_dirs: only system entries have trusted folders")
    for os_name, names in exe.items():
        for j, name in enumerate(names):
            if not normalize_name(name):
                problems.append(f"{where}.exe.{os_name}[{j}]: empty executable name")
    children_are = item.get("children_are")
    if children_are is not None and (kind != "launcher" or not isinstance(children_are, str)):
        problems.append(f"{where}.children_are: only a launcher has it, as a catalog id string")
    java_main = _strings(item.get("java_main", []), f"{where}.java_main", problems)
    wm_class = tuple(w.lower() for w in _strings(item.get("wm_class", []), f"{where}.wm_class", problems))
    # Only ever a reason to count more: a window class or main class the child can set never earns school time.
    if (java_main or wm_class) and kind not in ("game", "emulator"):
        problems.append(f"{where}.java_main/wm_class: only games and emulators are recognised by them")
    media = item.get("media", False)
    if not isinstance(media, bool):
        problems.append(f"{where}.media: must be true or false")
    if len(problems) > before:
        return None
    return Entry(ident, title.strip(), kind, exe, paths, helpers, products, trusted, children_are, java_main,
                 wm_class, media)


def _per_os(value: Any, where: str, problems: list[str], *, required: bool) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, dict):
        problems.append(f"{where}: must be an object keyed by {', '.join(OSES)}")
        return {}
    out: dict[str, tuple[str, ...]] = {}
    for key, names in value.items():
        if key not in OSES:
            problems.append(f"{where}.{key}: unknown OS (use {', '.join(OSES)})")
            continue
        out[key] = _strings(names, f"{where}.{key}", problems)
    if required and not any(out.values()):
        problems.append(f"{where}: at least one executable name is needed")
    return out


def _strings(value: Any, where: str, problems: list[str]) -> tuple[str, ...]:
    if not isinstance(value, list):
        problems.append(f"{where}: must be a list of strings")
        return ()
    out = []
    for j, v in enumerate(value):
        if not isinstance(v, str) or not v.strip():
            problems.append(f"{where}[{j}]: must be a non-empty string")
        else:
            out.append(v.strip())
    return tuple(out)


def _game_folders(value: Any, where: str, problems: list[str]) -> list[dict[str, str]]:
    """Folders whose sub-folders are each one installed game, e.g. '.../steamapps/common/'."""
    if not isinstance(value, list):
        problems.append(f"{where}: game_folders: must be a list")
        return []
    out = []
    for i, item in enumerate(value):
        w = f"{where}: game_folders[{i}]"
        if not isinstance(item, dict) or not isinstance(item.get("folder"), str) or not item["folder"].strip():
            problems.append(f"{w}.folder: must be a non-empty string")
            continue
        launcher = item.get("launcher", "")
        if not isinstance(launcher, str):
            problems.append(f"{w}.launcher: must be a catalog id string")
            continue
        out.append({"folder": path_fragment(item["folder"]), "launcher": launcher})
    return out
