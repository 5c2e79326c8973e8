"""The catalog in memory: indexes by executable name, install folder and product name, and the rules that turn
one process (name, path, ancestors, version info) into an AppInfo."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from agent.catalog.loader import read_catalog
from agent.catalog.model import PARENT_KINDS, AppInfo, Entry, normalize_name, normalize_path, path_fragment
from agent.resources import resource_path

# Windows version-info keys: the first two name the product, the last two the file as its maker built it
# (they survive the child renaming the .exe).
PRODUCT_KEYS = ("ProductName", "FileDescription")
FILENAME_KEYS = ("OriginalFilename", "InternalName")
# Ancestors of these kinds end the search for a launcher: an unknown program started from a browser or Zoom is
# not a game just because Steam started that browser.
STOP_KINDS = frozenset({"app", "browser", "school"})


class Catalog:
    def __init__(self, entries: Sequence[Entry], game_folders: Sequence[Mapping[str, str]] = (),
                 *, marked_games: Iterable[str] = (), marked_school: Iterable[str] = ()) -> None:
        self._entries = tuple(entries)
        self._by_id = {e.id: e for e in self._entries}
        self._by_name: dict[str, Entry] = {}
        for e in self._entries:
            for n in e.names():
                self._by_name[n] = e
        self._by_product = {p.lower(): e for e in self._entries for p in e.product_names}
        # (fragment, entry): longest fragment wins so that a game's own folder beats its launcher's folder.
        self._paths = sorted(
            ((path_fragment(p), e) for e in self._entries for ps in e.paths.values() for p in ps),
            key=lambda fe: -len(fe[0]),
        )
        self._trusted = {e.id: tuple(path_fragment(d) for ds in e.trusted_dirs.values() for d in ds)
                         for e in self._entries if e.trusted_dirs}
        self._folders = tuple(game_folders)
        # A known game inside a library folder is found wherever the library lives (D:\\SteamLibrary\\…):
        # key '/steamapps/common/dota 2 beta/' → dota2.
        self._library_games: dict[str, Entry] = {}
        for fragment, entry in self._paths:
            for folder in self._folders:
                at = fragment.find(folder["folder"])
                sub = fragment[at + len(folder["folder"]):].split("/")[0] if at >= 0 else ""
                if sub:
                    self._library_games.setdefault(folder["folder"] + sub + "/", entry)
        self._marked_games = frozenset(m.strip().lower() for m in marked_games)
        self._marked_school = frozenset(m.strip().lower() for m in marked_school)

    # -- construction -------------------------------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path | None = None) -> Catalog:
        """Load and validate the catalog (default resources/catalog/apps.json). Raises AppCatalogError."""
        entries, folders = read_catalog(path or resource_path("catalog", "apps.json"))
        return cls(entries, folders)

    def with_marks(self, *, games: Iterable[str] = (), school: Iterable[str] = ()) -> Catalog:
        """The same catalog with the parent's policy marks (apps.mark_as_game / mark_as_school: catalog ids or
        lower-case executable names) applied on top. School wins over game if both name the same app."""
        return Catalog(self._entries, self._folders, marked_games=games, marked_school=school)

    # -- lookups ------------------------------------------------------------------------------------------------
    def entries(self) -> list[Entry]:
        return list(self._entries)

    def get(self, app_id: str) -> Entry | None:
        return self._by_id.get(app_id)

    def __len__(self) -> int:
        return len(self._entries)

    # -- classification -----------------------------------------------------------------------------------------
    def classify(self, name: str, *, path: str | None = None, parent_names: Sequence[str] = (),
                 metadata: Mapping[str, str] | None = None) -> AppInfo | None:
        """What is this process? `parent_names` are its ancestors' executable names, nearest first. Returns None
        for a program the catalog does not know (the caller then uses the bare executable name)."""
        exe = normalize_name(name)
        if not exe:
            return None
        npath = normalize_path(path) if path else None
        info = (self._by_exe(exe, npath) or self._by_metadata(metadata, npath) or self._by_path(npath, path or "")
                or self._by_launcher(exe, name, parent_names))
        return self._apply_marks(info, exe, name)

    def _by_exe(self, exe: str, npath: str | None) -> AppInfo | None:
        entry = self._by_name.get(exe)
        if entry is None or not self._trusted_location(entry, npath):
            return None
        return entry.info("name")

    def _trusted_location(self, entry: Entry, npath: str | None) -> bool:
        dirs = self._trusted.get(entry.id)
        if not dirs or npath is None:
            return True  # without a path (another user's process) the name is all there is
        return any(npath.startswith(d) for d in dirs)

    def _by_metadata(self, metadata: Mapping[str, str] | None, npath: str | None) -> AppInfo | None:
        if not metadata:
            return None
        for key in PRODUCT_KEYS:
            value = (metadata.get(key) or "").strip().lower()
            entry = self._by_product.get(value) if value else None
            if entry is not None and self._trusted_location(entry, npath):
                return entry.info("metadata")
        for key in FILENAME_KEYS:
            value = normalize_name(metadata.get(key) or "")
            entry = self._by_name.get(value) if value else None
            if entry is not None and self._trusted_location(entry, npath):
                return entry.info("metadata")
        return None

    def _by_path(self, npath: str | None, original: str) -> AppInfo | None:
        if not npath:
            return None
        best: tuple[int, AppInfo] | None = None
        for fragment, entry in self._paths:  # longest first: the first hit is the most specific folder
            if fragment in npath and entry.kind != "system":
                best = (len(fragment), entry.info("path"))
                break
        for folder in self._folders:
            game = self._game_under(folder["folder"], npath, original)
            if game is not None and (best is None or game[0] > best[0]):
                best = game
        return best[1] if best else None

    def _game_under(self, folder: str, npath: str, original: str) -> tuple[int, AppInfo] | None:
        """'.../steamapps/common/Hollow Knight/hollow_knight.exe' → game 'hollow-knight' titled 'Hollow Knight'."""
        at = npath.find(folder)
        if at < 0:
            return None
        rest = npath[at + len(folder):]
        sub, sep, _ = rest.partition("/")
        if not sep or not sub:
            return None  # a file directly in the library folder is not inside any game
        known = self._library_games.get(folder + sub + "/")
        if known is not None:
            return len(folder) + len(sub) + 1, known.info("path")
        slug = re.sub(r"[^a-z0-9]+", "-", sub).strip("-")
        if not slug:
            return None
        title = next((part for part in re.split(r"[\\/]", original) if part.lower() == sub), sub)
        return len(folder) + len(sub) + 1, AppInfo(slug, title, "game", "path")

    def _by_launcher(self, exe: str, name: str, parent_names: Sequence[str]) -> AppInfo | None:
        for parent in parent_names:
            entry = self._by_name.get(normalize_name(parent))
            if entry is None or entry.kind == "system":
                continue  # a shell or runtime between the launcher and the game: look further up
            if entry.kind in STOP_KINDS:
                return None
            if entry.kind == "emulator":
                return entry.info("launcher")  # the emulator's own workers: the emulator is the game
            if entry.kind in PARENT_KINDS:
                target = self._by_id.get(entry.children_are or "")
                if target is not None:
                    return target.info("launcher")
                return AppInfo(exe, _title_of(name), "game", "launcher")
            return entry.info("launcher")  # a helper process the game itself started is the game
        return None

    def _apply_marks(self, info: AppInfo | None, exe: str, name: str) -> AppInfo | None:
        if not (self._marked_games or self._marked_school):
            return info
        keys = {exe} if info is None else {exe, info.id}
        for marks, kind in ((self._marked_school, "school"), (self._marked_games, "game")):
            if keys & marks:
                if info is None:
                    return AppInfo(exe, _title_of(name), kind, "name")
                return AppInfo(info.id, info.title, kind, info.via)
        return info


def _title_of(name: str) -> str:
    base = re.split(r"[\\/]", name.rstrip("\\/"))[-1]
    stem = normalize_name(base)
    return base[: len(stem)] if base.lower().startswith(stem) else base
