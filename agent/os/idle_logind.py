"""Idle and lock state from systemd-logind (`loginctl show-session`), for Wayland and for the lock screen.

LockedHint and IdleHint are *hints*: the session's owner may set them (`SetLockedHint` over D-Bus), so the child can
claim a lock. A lock is believed only when the session has left the foreground of its seat (`Active=no`: another
session or the greeter is on screen), which the child cannot fake from inside the session. LockedHint is reported
as `lock_hint()` for the service to compare with what it sees.

Asked at most every `refresh_s` seconds: each ask is a process spawn, and the service's whole budget is 1 % of a
core."""

from __future__ import annotations

import time
from collections.abc import Callable

from agent.os.runner import CommandRunner

PROPS = ("IdleHint", "IdleSinceHintMonotonic", "LockedHint", "Active")


class LogindIdle:
    def __init__(self, runner: CommandRunner, *, session_id: str | None = None, uid: int | None = None,
                 refresh_s: float = 5.0, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._runner = runner
        self._session = session_id
        self._uid = uid
        self._refresh_s = refresh_s
        self._monotonic = monotonic
        self._asked_at: float | None = None
        self._props: dict[str, str] | None = None

    def session_id(self) -> str | None:
        """The child's graphical session: given, or logind's 'Display' session of the child's user."""
        if self._session:
            return self._session
        if self._uid is None:
            return None
        out = self._runner.run(["loginctl", "show-user", str(self._uid), "-p", "Display", "--value"])
        value = out.stdout.strip() if out.ok else ""
        return value or None

    def _read(self) -> dict[str, str] | None:
        now = self._monotonic()
        if self._asked_at is not None and now - self._asked_at < self._refresh_s:
            return self._props
        self._asked_at = now
        session = self.session_id()
        if session is None:
            self._props = None
            return None
        argv = ["loginctl", "show-session", session]
        for p in PROPS:
            argv += ["-p", p]
        out = self._runner.run(argv)
        if not out.ok:
            self._props = None
            return None
        props = {}
        for line in out.stdout.splitlines():
            key, sep, value = line.partition("=")
            if sep:
                props[key.strip()] = value.strip()
        self._props = props
        return props

    def idle_seconds(self) -> float | None:
        props = self._read()
        if not props or "IdleHint" not in props:
            return None
        if props["IdleHint"] != "yes":
            return 0.0
        try:
            since_us = int(props.get("IdleSinceHintMonotonic", "0"))
        except ValueError:
            return None
        if since_us <= 0:
            return None
        # logind's monotonic clock is CLOCK_MONOTONIC, the same one time.monotonic() reads on Linux
        return max(0.0, self._monotonic() - since_us / 1_000_000)

    def locked(self) -> bool | None:
        """True only when the session is off its seat's foreground; LockedHint alone never locks (see above)."""
        props = self._read()
        if not props or "Active" not in props:
            return None
        return props["Active"] == "no"

    def lock_hint(self) -> bool | None:
        props = self._read()
        if not props or "LockedHint" not in props:
            return None
        return props["LockedHint"] == "yes"
