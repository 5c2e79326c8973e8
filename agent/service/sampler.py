"""One tick's look at the desktop: the child's processes, the foreground app, idle and lock state → a Sample."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agent.catalog.content import ContentIndex
from agent.ledger.apps import AppClassifier
from agent.ledger.clock import Clock
from agent.ledger.sample import AppRef, Sample

# The sources are the OS adapters' own interfaces (agent/os/), defined once there. An IdleSource may also offer
# lock_hint() (what the session claims, logind's LockedHint), never believed on its own.
from agent.os.foreground import ForegroundSource
from agent.os.idle import IdleSource
from agent.os.processes import ProcessSource, ProcInfo
from agent.service.new_apps import QUALIFYING_KINDS, Candidate

log = logging.getLogger(__name__)
__all__ = ["ForegroundSource", "IdleSource", "Observation", "ProcessSource", "Sampler"]


@dataclass
class Observation:
    sample: Sample
    # app id → the child's processes running it, as (pid, create_time) so a reused pid is never hit
    pids: dict[str, list[tuple[int, float | None]]] = field(default_factory=dict)
    # an unknown program in front, full screen, this tick (agent.service.new_apps)
    front: Candidate | None = None


class Sampler:
    def __init__(self, *, clock: Clock, processes: ProcessSource, foreground: ForegroundSource | None,
                 idle: IdleSource | None, classifier: AppClassifier, child_uid: int | None,
                 idle_threshold_s: float = 300.0, ignore_pids: Callable[[], set[int]] = set,
                 content: ContentIndex | None = None, media: Any | None = None) -> None:
        self.clock = clock
        self.processes = processes
        self.foreground = foreground
        self.idle = idle
        self.classifier = classifier
        self.child_uid = child_uid
        self.idle_threshold_s = idle_threshold_s
        self.ignore_pids = ignore_pids
        self.content = content
        self.media = media  # agent.os.media.MediaSignals: asked only when input is idle

    def observe(self) -> Observation:
        procs = self._child_processes()
        names = {p.pid: p for p in procs}
        running: dict[str, AppRef] = {}
        pids: dict[str, list[tuple[int, float | None]]] = {}
        refs: dict[int, AppRef] = {}
        for p in procs:
            ref = refs[p.pid] = self._ref(p, names)
            if ref.kind == "system":
                continue
            known = running.get(ref.id)
            # One id can be seen as a game (under its launcher) and as a plain app (started another way):
            # the game view wins, so the stricter rule applies.
            if known is None or (ref.is_game and not known.is_game):
                running[ref.id] = ref
            pids.setdefault(ref.id, []).append((p.pid, getattr(p, "create_time", None)))

        fg_ref: AppRef | None = None
        front: Candidate | None = None
        fg_known = False
        if self.foreground is not None:
            try:
                fg = self.foreground.current()
            except Exception:  # a desktop API failing must never stop enforcement
                log.exception("foreground source failed; counting by running processes this tick")
                fg = None
            if fg is not None:
                fg_known = True
                proc = names.get(getattr(fg, "pid", None) or -1)
                if proc is not None:
                    fg_ref = refs.get(proc.pid) or self._ref(proc, names)
                elif getattr(fg, "name", None):
                    fg_ref = self.classifier.ref(fg.name)
                if fg_ref is not None and fg_ref.kind == "system":
                    fg_ref = None  # the desktop shell itself: desktop time, no app
                if fg_ref is not None and proc is not None:
                    fg_ref = self._by_window(fg, fg_ref, proc, running, pids)
                    if getattr(fg, "fullscreen", False):
                        front = self._unknown_in_front(fg_ref, proc)
        idle = locked = claimed = False
        if self.idle is not None:
            try:
                seconds = self.idle.idle_seconds()
                idle = seconds is not None and seconds >= self.idle_threshold_s
                locked = bool(self.idle.locked())
                hint = getattr(self.idle, "lock_hint", None)
                claimed = bool(hint()) if hint is not None else False
            except Exception:
                log.exception("idle source failed; treating this tick as active")
        media = idle and not locked and self._media_playing(tuple(running.values()))
        sample = Sample(self.clock.now(), fg_ref, tuple(running.values()), idle, locked, fg_known, claimed, media)
        return Observation(sample, pids, front)

    def _media_playing(self, running: tuple[AppRef, ...]) -> bool:
        if self.media is None:
            return False
        try:
            return bool(self.media.playing(running))
        except Exception:  # a media signal failing must never stop the count: idle pauses as before
            log.exception("media source failed; treating this tick as no media")
            return False

    def _unknown_in_front(self, ref: AppRef, proc: Any) -> Candidate | None:
        if ref.kind not in QUALIFYING_KINDS or self.content is None or self.content.is_catalogued(ref.id):
            return None
        key = self.content.mark_key(proc.pid, getattr(proc, "create_time", None), getattr(proc, "exe", None),
                                    proc.name)
        return Candidate(ref.id, proc.name or ref.id, key)

    def _by_window(self, fg: Any, ref: AppRef, proc: Any, running: dict[str, AppRef],
                   pids: dict[str, list[tuple[int, float | None]]]) -> AppRef:
        """A focused window whose class (WM_CLASS) is a catalogued game's is that game, whatever runs it (java,
        python, a renamed interpreter): counted and closed as that game. Only ever makes it stricter."""
        if ref.is_game or self.content is None:
            return ref
        hit = self.content.game_for_window(getattr(fg, "wm_class", None))
        if hit is None:
            return ref
        game = AppRef(hit[0], hit[1], ref.name, proc.pid)
        running[game.id] = game
        entry = (proc.pid, getattr(proc, "create_time", None))
        if entry not in pids.setdefault(game.id, []):
            pids[game.id].append(entry)
        return game

    def _child_processes(self) -> list[ProcInfo]:
        skip = self.ignore_pids()
        out = []
        for p in self.processes.snapshot():
            if p.pid in skip:
                continue
            if self.child_uid is not None and getattr(p, "uid", None) != self.child_uid:
                continue
            out.append(p)
        return out

    def _ref(self, proc: ProcInfo, by_pid: dict[int, ProcInfo]) -> AppRef:
        parents: list[str] = []
        parent_name = getattr(proc, "parent_name", None)
        if parent_name:
            parents.append(parent_name)
        # Walk up a few generations: a game started by a launcher through a helper still has the launcher above.
        ppid = getattr(proc, "ppid", None)
        for _ in range(3):
            parent = by_pid.get(ppid) if ppid else None
            if parent is None:
                break
            if parent.name not in parents:
                parents.append(parent.name)
            ppid = getattr(parent, "ppid", None)
        exe = getattr(proc, "exe", None) or None
        ref = self.classifier.ref(proc.name, exe, tuple(parents))
        if self.content is not None:
            # What the file is, not what it is called: a learned game renamed or copied is still that game.
            ref = self.content.refine(proc.pid, getattr(proc, "create_time", None), exe, ref)
        return ref
