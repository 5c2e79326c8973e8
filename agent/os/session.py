"""Lock the child's session or log it out. Linux: loginctl (logind), with the desktop's own locker as fallback;
macOS: pmset / osascript through launchctl asuser; Windows: see session_windows.py. Every attempt returns what was
tried and how it went, for the event the service records."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from agent.os.runner import CommandRunner, SubprocessRunner


@dataclass(frozen=True)
class SessionResult:
    action: str  # lock | logout
    ok: bool
    detail: str  # the command (or API) that worked, or why none did
    tried: tuple[str, ...] = field(default_factory=tuple)


class SessionControl(Protocol):
    def lock(self) -> SessionResult: ...

    def logout(self) -> SessionResult: ...


def _try(runner: CommandRunner, action: str, commands: Sequence[Sequence[str]]) -> SessionResult:
    tried: list[str] = []
    errors: list[str] = []
    for argv in commands:
        line = " ".join(argv)
        tried.append(line)
        out = runner.run(argv)
        if out.ok:
            return SessionResult(action, True, line, tuple(tried))
        errors.append(f"{argv[0]}: {(out.stderr or out.stdout).strip() or f'exit {out.returncode}'}")
    return SessionResult(action, False, "; ".join(errors) or "nothing to try", tuple(tried))


class LinuxSession:
    """`session_id` is the child's logind session; without one, `uid` finds it (`loginctl show-user UID -p Display`);
    without either (user mode) loginctl acts on the caller's own session."""

    def __init__(self, runner: CommandRunner | None = None, *, session_id: str | None = None,
                 uid: int | None = None) -> None:
        self._runner = runner if runner is not None else SubprocessRunner()
        self._session = session_id
        self._uid = uid

    def _session_id(self) -> str | None:
        if self._session:
            return self._session
        if self._uid is None:
            return None
        out = self._runner.run(["loginctl", "show-user", str(self._uid), "-p", "Display", "--value"])
        return out.stdout.strip() or None if out.ok else None

    def lock(self) -> SessionResult:
        session = self._session_id()
        commands: list[list[str]] = [["loginctl", "lock-session", *([session] if session else [])]]
        if self._uid is None:  # running inside the session (user mode): the desktop's own lockers also work
            commands += [["xdg-screensaver", "lock"], ["dm-tool", "lock"]]
        return _try(self._runner, "lock", commands)

    def logout(self) -> SessionResult:
        session = self._session_id()
        if session is None:
            if self._uid is None:
                return SessionResult("logout", False, "no logind session to end (XDG_SESSION_ID is unset)")
            # the user has no graphical session we can name: end all of that user's sessions
            return _try(self._runner, "logout", [["loginctl", "terminate-user", str(self._uid)]])
        return _try(self._runner, "logout", [["loginctl", "terminate-session", session]])


class MacSession:
    """From the root daemon, the commands must run inside the child's GUI session: `launchctl asuser UID`."""

    def __init__(self, runner: CommandRunner | None = None, *, uid: int | None = None) -> None:
        self._runner = runner if runner is not None else SubprocessRunner()
        self._uid = uid

    def _as_user(self, argv: list[str]) -> list[str]:
        return ["launchctl", "asuser", str(self._uid), *argv] if self._uid is not None else argv

    def lock(self) -> SessionResult:
        # display sleep locks when "require password immediately" is on (the installer turns it on)
        return _try(self._runner, "lock", [self._as_user(["pmset", "displaysleepnow"])])

    def logout(self) -> SessionResult:
        # «event aevtrlgo» is loginwindow's "log out now" without the 60-second confirmation dialog
        script = 'tell application "loginwindow" to «event aevtrlgo»'
        return _try(self._runner, "logout", [self._as_user(["osascript", "-e", script])])


def make_session_control(platform: str | None = None, *, runner: CommandRunner | None = None,
                         session_id: str | None = None, uid: int | None = None) -> SessionControl:
    platform = platform or sys.platform
    if platform == "win32":
        from agent.os.session_windows import WindowsSession

        return WindowsSession(session_id=int(session_id) if session_id else None)
    if platform == "darwin":
        return MacSession(runner, uid=uid)
    return LinuxSession(runner, session_id=session_id, uid=uid)
