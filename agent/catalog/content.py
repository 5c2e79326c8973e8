"""A program is what its executable contains, not what it is called or where it lies.

- **Learning.** The first time a catalogued game runs under its catalogued identity (its own executable name, or
  inside its catalogued install folder), the fingerprint of that executable is remembered as that game. A generic
  runtime (java, python, a browser, a shell) is never learned: the same file runs everything; those are recognised
  by their launcher instead (agent/catalog/classifier.py). A file identical to one in the OS's own program folders
  is a copy of a system program, never a game.
- **Recognising.** A process the catalog does not see as a game (renamed, copied to ~/homework, named like a school
  app) whose executable has a learned fingerprint is that game.
- **School only when real.** A "school" match by name or folder counts only when the executable lies where the child
  cannot write (the OS's program folders, root-owned folders) or its fingerprint was learned from such a place.
  Otherwise it is an ordinary app: a game renamed to MathSolver.exe earns no free time.

Cost: nothing is read until a game has been learned; then each distinct file (dev, inode, size, mtime) is read once
(the first and last MiB plus its size: a renamed or copied file keeps all three), and each process is looked at once
(pid, create time). The service's budget is 1 % of a core with 300 processes (bench/agent_overhead.py).
"""

from __future__ import annotations

import hashlib
import logging
import os
import stat
import sys
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any

from agent.catalog.model import Entry, normalize_name, normalize_path, path_fragment
from agent.ledger.apps import app_id_for
from agent.ledger.sample import AppRef

log = logging.getLogger(__name__)

CHUNK = 1 << 20
MAX_LEARNED = 2000
MAX_PROCS = 8192
# The same file runs many programs: never learned as a game by content.
GENERIC_RUNTIMES = frozenset({
    "java", "javaw", "python", "python3", "pythonw", "py", "node", "nodejs", "electron", "wine", "wine64",
    "wine-preloader", "wine64-preloader", "mono", "dotnet", "ruby", "perl", "lua", "love", "sh", "bash", "dash",
    "zsh", "cmd", "powershell", "pwsh", "conhost", "rundll32", "explorer", "steam", "flatpak", "bwrap", "env",
})
GENERIC_KINDS = frozenset({"browser", "system", "launcher"})
# The OS's own program folders (normalised): a file there is the system's, never a game by content, and a school
# app there is the real one.
SYSTEM_ROOTS = ("/usr/bin/", "/usr/sbin/", "/bin/", "/sbin/", "/usr/lib/", "/usr/libexec/", "/lib/", "/lib64/",
                "/system/", "/windows/", "/usr/local/bin/")
TRUSTED_ROOTS_WINDOWS = ("/program files/", "/program files (x86)/", "/windows/")


def fingerprint(path: str) -> str | None:
    """sha256 over the size, the first MiB and the last MiB; None when the file cannot be read."""
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            h = hashlib.sha256(size.to_bytes(8, "little"))
            h.update(f.read(CHUNK))
            if size > 2 * CHUNK:
                f.seek(size - CHUNK)
                h.update(f.read(CHUNK))
            elif size > CHUNK:
                h.update(f.read())
    except OSError:
        return None
    return h.hexdigest()


class ContentIndex:
    def __init__(self, entries: Iterable[Entry], *, child_uid: int | None,
                 service_uids: Iterable[int] = (0,), platform: str | None = None,
                 hasher: Callable[[str], str | None] = fingerprint) -> None:
        self._entries = {e.id: e for e in entries}
        self._paths = {e.id: tuple(path_fragment(p) for ps in e.paths.values() for p in ps) for e in entries}
        self.child_uid = child_uid
        self._service_uids = frozenset(service_uids) | ({os.geteuid()} if hasattr(os, "geteuid") else set())
        self._windows = (platform or sys.platform) == "win32"
        self._hasher = hasher
        self.learned: dict[str, tuple[str, str]] = {}  # fingerprint → (app id, kind)
        self._system_prints: set[str] = set()  # fingerprints of system programs: never a game
        self._files: dict[tuple[int, int, int, int], str | None] = {}
        self._procs: dict[tuple[int, float | None, str, str], AppRef] = {}
        self._trusted_dirs: dict[str, bool] = {}
        self.changed = False  # learned something since the last save
        self.hashed = 0  # files read (for the benchmark and tests)

    # ---- persistence -----------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        self.changed = False
        return {"learned": {k: list(v) for k, v in self.learned.items()}, "system": sorted(self._system_prints)}

    def load_state(self, state: dict[str, Any]) -> None:
        try:
            self.learned = {str(k): (str(v[0]), str(v[1])) for k, v in dict(state.get("learned", {})).items()}
            self._system_prints = {str(s) for s in state.get("system", [])}
        except (TypeError, ValueError, IndexError, AttributeError) as exc:
            log.error("learned program fingerprints unreadable (%s); learning afresh", exc)
            self.learned, self._system_prints = {}, set()

    # ---- the per-process step --------------------------------------------------------------------------
    def refine(self, pid: int, create_time: float | None, exe: str | None, ref: AppRef) -> AppRef:
        key = (pid, create_time, ref.id, ref.kind)
        known = self._procs.get(key)
        if known is not None:
            return known
        out = self._refine(exe, ref)
        if len(self._procs) >= MAX_PROCS:
            self._procs.clear()
        self._procs[key] = out
        return out

    def _refine(self, exe: str | None, ref: AppRef) -> AppRef:
        if ref.kind == "system":
            return ref
        npath = normalize_path(exe) if exe else None
        in_system = npath is not None and npath.startswith(SYSTEM_ROOTS)
        if ref.is_game or ref.kind == "emulator":
            if exe and self._catalogued_identity(ref, exe, npath) and not in_system:
                self._learn(exe, ref)
            return ref
        if exe and in_system:
            if self.learned:
                self._note_system(exe)
            return ref if ref.kind != "school" or self._trusted_location(exe) else self._demote(ref, exe)
        if exe and (self.learned or ref.kind == "school"):
            digest = self._digest(exe)
            hit = self.learned.get(digest) if digest else None
            if hit is not None:  # a learned game (or a real school app) under another name or folder
                return AppRef(hit[0], hit[1], ref.name, ref.pid)
        if ref.kind == "school":
            if exe and self._trusted_location(exe):
                digest = self._digest(exe)
                if digest:
                    self._remember(digest, ref.id, "school")
                return ref
            return self._demote(ref, exe)
        return ref

    def _demote(self, ref: AppRef, exe: str | None) -> AppRef:
        """A school app's name on a program the child could have put there: an ordinary app, counted."""
        name = app_id_for(exe or ref.name)
        return replace(ref, id=name, kind="app")

    def _catalogued_identity(self, ref: AppRef, exe: str, npath: str | None) -> bool:
        entry = self._entries.get(ref.id)
        if entry is None or entry.kind in GENERIC_KINDS or entry.children_are:
            return False
        own = normalize_name(exe)
        if own in GENERIC_RUNTIMES or ref.name in GENERIC_RUNTIMES:
            return False
        if own in {normalize_name(n) for names in entry.exe.values() for n in names}:
            return True
        return npath is not None and any(f in npath for f in self._paths.get(entry.id, ()))

    def _learn(self, exe: str, ref: AppRef) -> None:
        digest = self._digest(exe)
        if digest and digest not in self.learned and digest not in self._system_prints:
            self._remember(digest, ref.id, ref.kind)
            log.info("learned the program %s from %s", ref.id, exe)

    def _remember(self, digest: str, app_id: str, kind: str) -> None:
        if self.learned.get(digest) == (app_id, kind):
            return
        if len(self.learned) >= MAX_LEARNED:
            self.learned.pop(next(iter(self.learned)))
        self.learned[digest] = (app_id, kind)
        self.changed = True

    def _note_system(self, exe: str) -> None:
        """The same bytes as a system program: that fingerprint says nothing about a game."""
        digest = self._digest(exe)
        if digest and digest not in self._system_prints:
            self._system_prints.add(digest)
            if self.learned.pop(digest, None) is not None:
                log.info("forgot a learned fingerprint: it is a copy of the system program %s", exe)
            self.changed = True

    def _digest(self, exe: str) -> str | None:
        try:
            st = os.stat(exe)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if key in self._files:
            return self._files[key]
        digest = self._hasher(exe)
        self.hashed += 1
        if len(self._files) >= MAX_PROCS:
            self._files.clear()
        self._files[key] = digest
        return digest

    # ---- where the child cannot write --------------------------------------------------------------------
    def _trusted_location(self, exe: str) -> bool:
        if self._windows:
            return normalize_path(exe).startswith(TRUSTED_ROOTS_WINDOWS)
        path = os.path.realpath(exe)
        if not self._owned_safely(path, sticky_parent=False):
            return False
        parent = os.path.dirname(path)
        child = path
        while True:
            cached = self._trusted_dirs.get(child)
            if cached is None:
                try:
                    sticky = bool(os.stat(parent).st_mode & stat.S_ISVTX)
                except OSError:
                    return False
                cached = self._owned_safely(parent, sticky_parent=False) or (
                    sticky and self._owned_safely(child, sticky_parent=True))
                if child != path:
                    self._trusted_dirs[child] = cached
            if not cached:
                return False
            if parent == os.path.dirname(parent):
                return True
            child, parent = parent, os.path.dirname(parent)

    def _owned_safely(self, path: str, *, sticky_parent: bool) -> bool:
        """Owned by root or the service and writable by no one else (for an entry in a sticky folder such as /tmp,
        being owned by root is enough: nobody else may rename it)."""
        try:
            st = os.lstat(path)
        except OSError:
            return False
        if st.st_uid not in self._service_uids:
            return False
        return sticky_parent or not st.st_mode & 0o022
