"""Close one of the child's programs: check who owns it, ask it to close (SIGTERM; WM_CLOSE on Windows), wait up
to the grace period, then force it (SIGKILL; TerminateProcess). Never another user's process, never PID 1, never
the agent or its parent.

Identity is pinned by psutil (pid + create time), so a pid the OS reuses between the check and the signal is never
hit."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import psutil

KILL_WAIT_S = 1.0  # after SIGKILL the kernel needs a moment to reap; longer means something is badly wrong
POLL_S = 0.05


@dataclass(frozen=True)
class CloseResult:
    pid: int
    outcome: str  # closed (left when asked) | killed (forced after the grace) | gone | refused | failed
    detail: str
    elapsed_s: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome in ("closed", "killed", "gone")


class ProcessGone(Exception):
    pass


class ProcessHandle(Protocol):
    pid: int

    def create_time(self) -> float: ...

    def owned_by(self, allowed: int | str) -> bool: ...

    def owner_text(self) -> str: ...

    def ask_to_close(self) -> None: ...

    def force_kill(self) -> None: ...

    def alive(self) -> bool: ...


class PosixHandle:
    def __init__(self, pid: int) -> None:
        self.pid = pid
        try:
            self._p = psutil.Process(pid)
        except psutil.NoSuchProcess:
            raise ProcessGone(pid) from None

    def create_time(self) -> float:
        return self._p.create_time()

    def owned_by(self, allowed: int | str) -> bool:
        uids = self._p.uids()
        # real AND effective: a setuid-root program the child started is root's to run, not ours to kill
        return isinstance(allowed, int) and uids.real == allowed and uids.effective == allowed

    def owner_text(self) -> str:
        uids = self._p.uids()
        return f"uid {uids.real}" + (f" (effective {uids.effective})" if uids.effective != uids.real else "")

    def ask_to_close(self) -> None:
        import signal

        self._p.send_signal(signal.SIGTERM)

    def force_kill(self) -> None:
        import signal

        self._p.send_signal(signal.SIGKILL)

    def alive(self) -> bool:
        try:
            return self._p.is_running() and self._p.status() != psutil.STATUS_ZOMBIE
        except psutil.NoSuchProcess:
            return False


def _open(pid: int) -> ProcessHandle:
    if sys.platform == "win32":
        from agent.os.terminate_windows import WindowsHandle

        return WindowsHandle(pid)
    return PosixHandle(pid)


def protected_pids() -> set[int]:
    """Never targets: the init process (and Windows' System), the agent and whoever started the agent."""
    system = {0, 1, 4} if sys.platform == "win32" else {0, 1}
    return system | {os.getpid(), os.getppid()}


class ProcessCloser(Protocol):
    """What the enforcer calls to close one of the child's processes (close_process, or a platform's own)."""

    def __call__(self, pid: int, *, allowed_uid: int | str, grace_s: float,
                 create_time: float | None = None) -> Any: ...


def close_process(pid: int, *, allowed_uid: int | str, grace_s: float, create_time: float | None = None,
                  clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep,
                  opener: Callable[[int], ProcessHandle] = _open) -> CloseResult:
    """`allowed_uid` is the child's uid (POSIX) or DOMAIN\\user (Windows). `create_time`, if given, must match
    the process seen when the decision was made."""
    start = clock()

    def done(outcome: str, detail: str) -> CloseResult:
        return CloseResult(pid, outcome, detail, clock() - start)

    if pid in protected_pids():
        return done("refused", f"pid {pid} is the system or the agent itself")
    try:
        handle = opener(pid)
        if create_time is not None and abs(handle.create_time() - create_time) > 0.01:
            return done("gone", f"pid {pid} now belongs to another program (reused)")
        if not handle.owned_by(allowed_uid):
            return done("refused", f"pid {pid} belongs to {handle.owner_text()}, not {allowed_uid}")
        if not handle.alive():
            return done("gone", f"pid {pid} had already exited")
        handle.ask_to_close()
    except (ProcessGone, psutil.NoSuchProcess, psutil.ZombieProcess):
        return done("gone", f"pid {pid} had already exited")
    except psutil.AccessDenied:
        return done("failed", f"pid {pid}: the OS denied access (the agent needs more rights)")

    deadline = start + max(0.0, grace_s)
    while True:
        if not handle.alive():
            return done("closed", f"pid {pid} closed when asked")
        now = clock()
        if now >= deadline:
            break
        sleep(min(POLL_S, deadline - now))
    try:
        handle.force_kill()
    except (ProcessGone, psutil.NoSuchProcess, psutil.ZombieProcess):
        return done("closed", f"pid {pid} closed when asked")
    except psutil.AccessDenied:
        return done("failed", f"pid {pid}: the OS denied the forced close")
    kill_deadline = clock() + KILL_WAIT_S
    while handle.alive():
        if clock() >= kill_deadline:
            return done("failed", f"pid {pid} still running {KILL_WAIT_S:g} s after a forced close")
        sleep(POLL_S)
    return done("killed", f"pid {pid} ignored the request for {grace_s:g} s and was forced to close")
