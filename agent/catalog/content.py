"""A program is what its executable contains, not what it is called or where it lies.

- **Learning.** The first time a catalogued game runs under its catalogued identity (its own executable name, or
  inside its catalogued install folder), the fingerprint of that executable is remembered as that game. A generic
  runtime (java, python, a browser, a shell) is never learned: the same file runs everything; those are recognised
  by their launcher instead (agent/catalog/lookup.py). A file identical to one in the OS's own program folders
  is a copy of a system program, never a game.
- **Recognising.** A process the catalog does not see as a game (renamed, copied to ~/homework, named like a school
  app) whose executable has a learned fingerprint is that game.
- **Interpreters by what they run.** A java, python or wine process is the program in its arguments (the jar or
  main class, the script or module, the .exe: agent/catalog/launch_args.py), never the interpreter. A renamed or
  copied interpreter is found by its content (same size as a system interpreter, then the same fingerprint), so a
  copy of python called `calc` still runs what its arguments say, and a copied or renamed jar or script is the game
  its fingerprint was learned as.
- **School only when real.** A "school" match by name or folder counts only when the executable lies where the child
  cannot write (the OS's program folders, root-owned folders) or its fingerprint was learned from such a place.
  Otherwise it is an ordinary app: a game renamed to MathSolver.exe earns no free time.

Cost: nothing is read until a game has been learned; then each distinct file (dev, inode, size, mtime) is read once
(the first and last MiB plus its size: a renamed or copied file keeps all three), and each process is looked at once
(pid, create time). The service's budget is 1 % of a core with 300 processes (bench/agent_overhead.py).

An interpreter caught inside exec has its new name and executable but not yet its arguments (the kernel sets the
name before it maps the program and places argv: /proc/PID/cmdline reads empty meanwhile, for microseconds on an idle
machine, tens of milliseconds on a loaded one). What it runs is then not known yet: that answer is not remembered,
and the process is looked at again on the next tick.
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

from agent.catalog.binmeta import identity_key, pe_version_info
from agent.catalog.launch_args import Launched, family_of_name, launched_by
from agent.catalog.model import Entry, normalize_name, normalize_path, path_fragment
from agent.ledger.apps import app_id_for
from agent.ledger.sample import AppRef
from agent.os.account import ACCOUNT
from agent.os.programs import program_conventions

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
# Interpreters whose copies are looked for by content (their real files, found on PATH once).
RUNTIME_PROBES = ("python3", "python", "java", "wine", "wine64", "wine64-preloader", "wine-preloader")
RUNTIME_DIRS = ("/usr/bin", "/usr/local/bin", "/bin")  # PATH may start with a shim (pyenv) in front of these
SCRIPT_SUFFIXES = (".jar", ".pyw", ".pyz", ".py")
GAME_KINDS = frozenset({"game", "emulator"})


def read_cmdline(pid: int) -> tuple[list[str], str | None] | None:
    """(argv, cwd) of a process, or None when it is gone or closed to us."""
    import psutil

    try:
        proc = psutil.Process(pid)
        argv = proc.cmdline()
        try:
            cwd: str | None = proc.cwd()
        except (psutil.AccessDenied, OSError):
            cwd = None
    except (psutil.Error, OSError):
        return None
    return argv, cwd


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
                 hasher: Callable[[str], str | None] = fingerprint,
                 cmdline: Callable[[int], tuple[list[str], str | None] | None] = read_cmdline,
                 runtime_paths: Iterable[str] | None = None) -> None:
        self._entries = {e.id: e for e in entries}
        self._by_main = {m: e for e in self._entries.values() for m in e.java_main}
        self._by_stem = {n: e for e in self._entries.values() if e.kind in GAME_KINDS for n in e.names()}
        self._wm_classes = tuple((w, e) for e in self._entries.values() for w in e.wm_class)
        self._cmdline = cmdline
        self._runtime_paths = None if runtime_paths is None else tuple(runtime_paths)
        self._runtime_sizes: dict[int, list[tuple[str, str]]] | None = None  # size → [(path, family)]
        self._paths = {e.id: tuple(path_fragment(p) for ps in e.paths.values() for p in ps) for e in entries}
        self.child_uid = child_uid
        me = ACCOUNT.uid()
        self._service_uids = frozenset(service_uids) | ({me} if me is not None else set())
        self._programs = program_conventions(platform)  # how this OS lays out programs (agent/os/programs.py)
        self._hasher = hasher
        self.learned: dict[str, tuple[str, str]] = {}  # fingerprint → (app id, kind)
        # ELF build-id / PE version identity → (app id, kind): survives appended bytes, renaming and copying
        self.learned_meta: dict[str, tuple[str, str]] = {}
        # The parent's "count it as a game" (policy apps.games_by_content): fingerprint → (app id, "game")
        self.marked: dict[str, tuple[str, str]] = {}
        self._mark_keys: dict[tuple[int, float | None, str, str], str | None] = {}
        self._system_meta: set[str] = set()
        self._meta_files: dict[tuple[int, int, int, int], str | None] = {}
        self._pe_infos: dict[tuple[int, int, int, int], dict[str, str] | None] = {}
        self._by_product = {p.lower(): e for e in self._entries.values() if e.kind in GAME_KINDS
                            for p in e.product_names}
        self._system_prints: set[str] = set()  # fingerprints of system programs: never a game
        self._files: dict[tuple[int, int, int, int], str | None] = {}
        self._procs: dict[tuple[int, float | None, str, str], AppRef] = {}
        self._trusted_dirs: dict[str, bool] = {}
        self.changed = False  # learned something since the last save
        self.hashed = 0  # files read (for the benchmark and tests)

    # ---- persistence -----------------------------------------------------------------------------------
    def to_state(self) -> dict[str, Any]:
        self.changed = False
        return {"learned": {k: list(v) for k, v in self.learned.items()}, "system": sorted(self._system_prints),
                "meta": {k: list(v) for k, v in self.learned_meta.items()}, "system_meta": sorted(self._system_meta)}

    def load_state(self, state: dict[str, Any]) -> None:
        try:
            self.learned = {str(k): (str(v[0]), str(v[1])) for k, v in dict(state.get("learned", {})).items()}
            self._system_prints = {str(s) for s in state.get("system", [])}
            self.learned_meta = {str(k): (str(v[0]), str(v[1])) for k, v in dict(state.get("meta", {})).items()}
            self._system_meta = {str(s) for s in state.get("system_meta", [])}
        except (TypeError, ValueError, IndexError, AttributeError) as exc:
            log.error("learned program fingerprints unreadable (%s); learning afresh", exc)
            self.learned, self._system_prints = {}, set()
            self.learned_meta, self._system_meta = {}, set()

    # ---- the per-process step --------------------------------------------------------------------------
    def refine(self, pid: int, create_time: float | None, exe: str | None, ref: AppRef) -> AppRef:
        key = (pid, create_time, ref.id, ref.kind)
        known = self._procs.get(key)
        if known is not None:
            return known
        family = self._family(exe, ref) if ref.kind != "system" else None
        if family is not None:
            out, settled = self._hosted(pid, family, ref, exe)
            if not settled:
                return out  # caught inside exec: looked at again next tick, once its arguments are in place
        else:
            out = self._refine(exe, ref)
        if len(self._procs) >= MAX_PROCS:
            self._procs.clear()
        self._procs[key] = out
        return out

    def _refine(self, exe: str | None, ref: AppRef) -> AppRef:
        """A process that is not an interpreter: by its own file."""
        if ref.kind == "system":
            return ref
        npath = normalize_path(exe) if exe else None
        in_system = npath is not None and npath.startswith(SYSTEM_ROOTS)
        if ref.is_game or ref.kind == "emulator":
            if exe and self._catalogued_identity(ref, exe, npath) and not in_system:
                self._learn(exe, ref)
            return ref
        if exe and in_system:
            if self.learned or self.learned_meta:
                self._note_system(exe)
            return ref if ref.kind != "school" or self._trusted_location(exe) else self._demote(ref, exe)
        if exe and (self.learned or self.learned_meta or self.marked or ref.kind == "school"
                    or self._programs.pe_programs):
            hit = self._known_file(exe)
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

    # ---- the parent's marks ----------------------------------------------------------------------------
    def set_marked(self, marks: dict[str, str]) -> None:
        """The parent's policy counts these programs (by content fingerprint) as games."""
        new = {fp: (app_id, "game") for fp, app_id in marks.items()}
        if new != self.marked:
            self.marked = new
            self._procs.clear()  # classify every process again under the new rules

    def is_catalogued(self, app_id: str) -> bool:
        return app_id in self._entries

    def mark_key(self, pid: int, create_time: float | None, exe: str | None, name: str) -> str | None:
        """The fingerprint that names this program for the parent's "count it as a game": the script or jar an
        interpreter runs, else the executable itself. None where there is nothing of its own (python -c, a
        system program, an unreadable file)."""
        key = (pid, create_time, exe or "", name)
        if key in self._mark_keys:
            return self._mark_keys[key]
        out: str | None = None
        family = self._family(exe, AppRef(name, "app", name)) if exe else None
        if family is not None:
            target, settled = self._arguments(pid, family)
            if not settled:
                return None  # caught inside exec: asked again while it stays in front
            out = self._digest(target.value) if target is not None and target.is_file else None
        elif exe and not normalize_path(exe).startswith(SYSTEM_ROOTS):
            out = self._digest(exe)
        if len(self._mark_keys) >= 64:
            self._mark_keys.clear()
        self._mark_keys[key] = out
        return out

    # ---- interpreters -------------------------------------------------------------------------------------
    def _family(self, exe: str | None, ref: AppRef) -> str | None:
        """java / python / wine when this process is an interpreter: by its file's real name, or by its content
        (a copy or hard link of a system interpreter under another name)."""
        if exe:
            by_name = family_of_name(os.path.basename(exe))
            if by_name is not None:
                return by_name
        elif ref.name:
            return family_of_name(ref.name)  # another user's process: the name is all there is
        if not exe:
            return None
        try:
            size = os.stat(exe).st_size
        except OSError:
            return None
        candidates = self._runtimes().get(size)
        if not candidates:
            return None  # not an interpreter's size: nothing read
        digest = self._digest(exe)
        for path, family in candidates:
            if digest is not None and digest == self._digest(path):
                return family
        return None

    def _runtimes(self) -> dict[int, list[tuple[str, str]]]:
        if self._runtime_sizes is None:
            import shutil

            paths = self._runtime_paths
            if paths is None:
                found = [shutil.which(n) for n in RUNTIME_PROBES]
                found += [os.path.join(d, n) for d in RUNTIME_DIRS for n in RUNTIME_PROBES]
                paths = tuple(p for p in (*found, sys.executable) if p and os.path.exists(p))
            sizes: dict[int, list[tuple[str, str]]] = {}
            for p in paths:
                real = os.path.realpath(p)
                family = family_of_name(os.path.basename(real)) or family_of_name(os.path.basename(p))
                try:
                    size = os.stat(real).st_size
                except OSError:
                    continue
                if family is not None and (real, family) not in sizes.get(size, []):
                    sizes.setdefault(size, []).append((real, family))
            self._runtime_sizes = sizes
        return self._runtime_sizes

    def launched(self, pid: int, family: str) -> Launched | None:
        return self._arguments(pid, family)[0]

    def _arguments(self, pid: int, family: str) -> tuple[Launched | None, bool]:
        """What the interpreter runs, and whether that is settled. A process that is gone or closed to us stays so
        (settled); an empty argument list is a process inside exec, whose arguments are not in place yet (not
        settled: read them again later). Every interpreter has at least its own name in argv once it runs."""
        got = self._cmdline(pid)
        if got is None:
            return None, True
        argv, cwd = got
        if not argv:
            return None, False
        return launched_by(family, argv, cwd), True

    def _hosted(self, pid: int, family: str, ref: AppRef, exe: str | None) -> tuple[AppRef, bool]:
        """An interpreter: what it runs decides (and whether that could be read yet). Its own content is never
        learned."""
        target, settled = self._arguments(pid, family)
        hit = self._identify(target, ref) if target is not None else None
        if hit is not None:
            return AppRef(hit[0], hit[1], ref.name, ref.pid), True
        if ref.kind == "school":
            # A school name on an interpreter counts only when what it runs lies where the child cannot write.
            real = target is not None and target.is_file and self._trusted_location(target.value)
            return (ref if real else self._demote(ref, exe)), settled
        return ref, settled

    def _identify(self, target: Launched, ref: AppRef) -> tuple[str, str] | None:
        if not target.is_file:
            entry = self._by_main.get(target.value)
            return (entry.id, entry.kind) if entry is not None else None
        digest = self._digest(target.value)
        hit = self._known_file(target.value)
        if hit is not None:
            return hit
        entry = self._game_by_file(target.value)
        if entry is not None:
            if digest:
                self._remember(digest, entry.id, entry.kind)
            return entry.id, entry.kind
        if ref.is_game and digest and family_of_name(ref.name) is None and ref.id not in GENERIC_RUNTIMES:
            # a game by its launcher or its own name (a shebang script called pysolfc): its script is that game
            self._remember(digest, ref.id, ref.kind)
        return None

    def _game_by_file(self, path: str) -> Entry | None:
        npath = normalize_path(path)
        for entry_id, fragments in self._paths.items():
            entry = self._entries[entry_id]
            if entry.kind in GAME_KINDS and any(f in npath for f in fragments):
                return entry
        stem = normalize_name(path)
        for suffix in SCRIPT_SUFFIXES:
            if stem.endswith(suffix):
                stem = stem[: -len(suffix)]
                break
        return self._by_stem.get(stem)

    def game_for_window(self, wm_class: str | None) -> tuple[str, str] | None:
        """The game whose windows carry this X11 class (WM_CLASS), or None."""
        if not wm_class:
            return None
        value = wm_class.strip().lower()
        for pattern, entry in self._wm_classes:
            if value == pattern or value.startswith((pattern + " ", pattern + "*")):
                return entry.id, entry.kind
        return None

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

    def _known_file(self, path: str) -> tuple[str, str] | None:
        """What this file is known as: its learned fingerprint, else its learned build-id / version identity,
        else a game's product name in its PE version resource. A hit by identity teaches the new fingerprint."""
        digest = self._digest(path) if (self.learned or self.marked) else None
        hit = (self.marked.get(digest) or self.learned.get(digest)) if digest else None
        if hit is not None:
            return hit
        if self.learned_meta:
            key = self._meta(path)
            hit = self.learned_meta.get(key) if key else None
        if hit is None and (self._programs.pe_programs or path.lower().endswith(".exe")):
            hit = self._by_pe(path)
        if hit is not None and hit[1] in GAME_KINDS:
            digest = digest or self._digest(path)
            if digest:
                self._remember(digest, *hit)
        return hit

    def _by_pe(self, path: str) -> tuple[str, str] | None:
        """A game's product name or original file name in the PE version resource (read once per file)."""
        try:
            st = os.stat(path)
        except OSError:
            return None
        fkey = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if fkey not in self._pe_infos:
            if len(self._pe_infos) >= MAX_PROCS:
                self._pe_infos.clear()
            self._pe_infos[fkey] = pe_version_info(path) if stat.S_ISREG(st.st_mode) else None
        info = self._pe_infos[fkey] or {}
        for key in ("ProductName", "FileDescription"):
            entry = self._by_product.get((info.get(key) or "").strip().lower())
            if entry is not None:
                return entry.id, entry.kind
        for key in ("OriginalFilename", "InternalName"):
            entry = self._by_stem.get(normalize_name(info.get(key) or ""))
            if entry is not None:
                return entry.id, entry.kind
        return None

    def _meta(self, path: str) -> str | None:
        try:
            st = os.stat(path)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        key = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if key not in self._meta_files:
            if len(self._meta_files) >= MAX_PROCS:
                self._meta_files.clear()
            self._meta_files[key] = identity_key(path)
        return self._meta_files[key]

    def _learn(self, exe: str, ref: AppRef) -> None:
        digest = self._digest(exe)
        if digest and digest not in self.learned and digest not in self._system_prints:
            self._remember(digest, ref.id, ref.kind)
            log.info("learned the program %s from %s", ref.id, exe)
        meta = self._meta(exe)
        if meta and meta not in self._system_meta and self.learned_meta.get(meta) != (ref.id, ref.kind):
            if len(self.learned_meta) >= MAX_LEARNED:
                self.learned_meta.pop(next(iter(self.learned_meta)))
            self.learned_meta[meta] = (ref.id, ref.kind)
            self.changed = True

    def _remember(self, digest: str, app_id: str, kind: str) -> None:
        if self.learned.get(digest) == (app_id, kind) or digest in self._system_prints:
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
        meta = self._meta(exe)
        if meta and meta not in self._system_meta:
            self._system_meta.add(meta)
            if self.learned_meta.pop(meta, None) is not None:
                log.info("forgot a learned build identity: the system program %s carries it", exe)
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
        if self._programs.trusted_roots is not None:
            return normalize_path(exe).startswith(self._programs.trusted_roots)
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
