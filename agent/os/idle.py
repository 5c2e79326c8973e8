"""Is anyone at the keyboard, and is the session locked? Idle and locked seconds are never counted as use.

Each backend answers None when it cannot tell this tick; the service then treats the tick as active but still
limited by the ledger's gap rules."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping
from typing import Protocol

log = logging.getLogger(__name__)


class IdleSource(Protocol):
    def idle_seconds(self) -> float | None: ...

    def locked(self) -> bool | None: ...


class CombinedIdle:
    """Idle time from the first source that knows it, lock state likewise (X11 knows input, logind knows locks)."""

    def __init__(self, *sources: IdleSource) -> None:
        self.sources = sources

    def idle_seconds(self) -> float | None:
        for s in self.sources:
            value = s.idle_seconds()
            if value is not None:
                return value
        return None

    def locked(self) -> bool | None:
        for s in self.sources:
            value = s.locked()
            if value is not None:
                return value
        return None

    def lock_hint(self) -> bool | None:
        for s in self.sources:
            hint = getattr(s, "lock_hint", None)
            value = hint() if hint is not None else None
            if value is not None:
                return value
        return None


class NoIdle:
    """Nothing to ask (headless, unknown desktop): unknown, said once."""

    def __init__(self, why: str) -> None:
        self.why = why
        self._said = False

    def _say(self) -> None:
        if not self._said:
            log.warning("idle and lock state unknown: %s", self.why)
            self._said = True

    def idle_seconds(self) -> float | None:
        self._say()
        return None

    def locked(self) -> bool | None:
        self._say()
        return None


def make_idle_source(platform: str | None = None, env: Mapping[str, str] | None = None,
                     uid: int | None = None) -> IdleSource:
    """The backends for this OS, lazily imported. On Linux: X11 input idle (when there is a display) and logind
    hints for the child's session (IdleHint on Wayland, LockedHint everywhere)."""
    platform = platform or sys.platform
    env = os.environ if env is None else env
    try:
        if platform == "win32":
            from agent.os.idle_windows import WindowsIdle

            return WindowsIdle()
        if platform == "darwin":
            from agent.os.idle_macos import MacIdle

            return MacIdle()
        from agent.os.idle_logind import LogindIdle
        from agent.os.runner import SubprocessRunner

        sources: list[IdleSource] = []
        if env.get("DISPLAY") and env.get("XDG_SESSION_TYPE", "").lower() != "wayland":
            try:
                from agent.os.idle_x11 import X11Idle

                sources.append(X11Idle(env["DISPLAY"]))
            except Exception as exc:
                log.warning("X11 idle time unavailable: %s", exc)
        sources.append(LogindIdle(SubprocessRunner(), session_id=env.get("XDG_SESSION_ID"), uid=uid))
        return CombinedIdle(*sources)
    except Exception as exc:
        return NoIdle(f"{type(exc).__name__}: {exc}")
