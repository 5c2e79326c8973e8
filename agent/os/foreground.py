"""Which application the child is looking at: one backend per desktop, chosen by make_foreground_source()."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

log = logging.getLogger(__name__)

UNKNOWN_MESSAGE = "foreground unknown: process-based accounting"


@dataclass(frozen=True)
class Foreground:
    pid: int
    name: str
    title: str | None = None  # only ever reported if the parent's privacy settings allow window titles
    wm_class: str | None = None  # X11 WM_CLASS (the class part): a game run by java or python is known by it
    fullscreen: bool = False  # the window covers its whole screen (a new game is often the first to do so)


class ForegroundSource(Protocol):
    def current(self) -> Foreground | None: ...  # None = unknown this tick; the caller counts by processes


class UnknownForeground:
    """Wayland and desktops we cannot ask: always None, said once in the log so the parent's report can explain
    why running games were counted even when in the background."""

    def __init__(self, why: str = "") -> None:
        self.why = why
        self._said = False

    def current(self) -> Foreground | None:
        if not self._said:
            log.warning("%s%s", UNKNOWN_MESSAGE, f" ({self.why})" if self.why else "")
            self._said = True
        return None


def make_foreground_source(platform: str | None = None, env: Mapping[str, str] | None = None) -> ForegroundSource:
    """The backend for this desktop, imported lazily so the service never loads Xlib on Windows or AppKit on
    Linux. Any backend that cannot start falls back to UnknownForeground."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    try:
        if platform == "win32":
            from agent.os.foreground_windows import WindowsForeground

            return WindowsForeground()
        if platform == "darwin":
            from agent.os.foreground_macos import MacForeground

            return MacForeground()
        session = env.get("XDG_SESSION_TYPE", "").lower()
        if session == "wayland" or (env.get("WAYLAND_DISPLAY") and not env.get("DISPLAY")):
            return UnknownForeground("Wayland does not tell other programs which window is active")
        if env.get("DISPLAY"):
            from agent.os.foreground_x11 import X11Foreground

            return X11Foreground(env["DISPLAY"])
        return UnknownForeground("no graphical session found")
    except Exception as exc:  # a missing library or display must not stop enforcement
        return UnknownForeground(f"{type(exc).__name__}: {exc}")
