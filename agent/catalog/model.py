"""What the catalog knows about one program, and what a classification answers."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

KINDS = ("game", "launcher", "emulator", "app", "school", "browser", "system")
OSES = ("windows", "macos", "linux")
# Kinds whose unknown child processes are games (an emulator's child is the Android game it runs).
PARENT_KINDS = frozenset({"launcher", "emulator"})
# Suffixes an executable name may carry on one OS but not another; matching ignores them.
EXE_SUFFIXES = (".exe", ".app", ".appimage", ".x86_64", ".x86", ".bin")


@dataclass(frozen=True)
class AppInfo:
    """A classified process. `id` is the stable catalog id, `via` says which clue matched."""

    id: str
    title: str
    kind: str
    via: str  # name | path | launcher | metadata


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    kind: str
    exe: dict[str, tuple[str, ...]]  # os -> executable names as installed
    paths: dict[str, tuple[str, ...]]  # os -> typical install folders
    helpers: tuple[str, ...] = ()  # a launcher's own processes that are never games
    product_names: tuple[str, ...] = ()  # Windows version-info ProductName / FileDescription values
    # For "system" entries: the name only counts when the exe lies under one of these folders, so a game renamed
    # to explorer.exe is not waved through as the shell.
    trusted_dirs: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # For launchers of one game (TLauncher, Prism…): the id their unknown children count as ("minecraft", whose
    # Java process is just "javaw").
    children_are: str | None = None
    # A game run by an interpreter (java, python): the main classes it starts (exact, e.g.
    # "net.minecraft.client.main.Main"), and the X11 window classes (WM_CLASS) its windows carry, lower case, matched
    # whole or as the start of the class followed by a space or '*' ("minecraft" matches "Minecraft* 1.20.1").
    java_main: tuple[str, ...] = ()
    wm_class: tuple[str, ...] = ()
    media: bool = False  # a media player: sound playing while it runs is someone watching or listening

    def names(self) -> set[str]:
        out = {normalize_name(n) for names in self.exe.values() for n in names}
        out.update(normalize_name(h) for h in self.helpers)
        return out

    def info(self, via: str) -> AppInfo:
        return AppInfo(self.id, self.title, self.kind, via)


def normalize_name(name: str) -> str:
    """'C:\\Games\\Minecraft.EXE' -> 'minecraft'; matching is case-insensitive and ignores OS suffixes."""
    base = os.path.basename(name.replace("\\", "/").rstrip("/")).strip().lower()
    for suffix in EXE_SUFFIXES:
        if base.endswith(suffix) and len(base) > len(suffix):
            return base[: -len(suffix)]
    return base


def normalize_path(path: str) -> str:
    """A path as a lower-case, forward-slash string starting with '/', drive letter dropped, so that Windows,
    macOS and Linux paths compare the same way."""
    p = path.replace("\\", "/").strip().lower()
    if len(p) >= 2 and p[1] == ":":
        p = p[2:]
    if not p.startswith("/"):
        p = "/" + p
    while "//" in p:
        p = p.replace("//", "/")
    return p


def path_fragment(folder: str) -> str:
    """Turn a catalog install folder ('%ProgramFiles%\\Riot Games\\VALORANT', '~/.minecraft') into the fragment
    matched inside a process path ('/riot games/valorant/'). The variable part (drive, env var, home) is dropped
    because it differs between PCs."""
    p = folder.replace("\\", "/").strip()
    if p.startswith("~"):
        p = p[1:]
    elif p.startswith("%"):
        end = p.find("%", 1)
        p = p[end + 1 :] if end > 0 else p
    elif p.startswith("$"):
        p = p.partition("/")[2]  # $HOME/…
    p = normalize_path(p)
    return p if p.endswith("/") else p + "/"
