"""One writer at a time across processes: an exclusive OS lock on an open file, released when it is closed (or
when the process dies, so a crash never leaves it held).

POSIX (Linux, macOS): flock(2). Windows: msvcrt.locking on the file's first byte, which gives up after 10 s, so
the adapter asks again until it has the lock (written for Windows, not run on this Linux machine; its retry is
tested with a stand-in for msvcrt, named so). Used by the list store (agent/dns/liststore.py) so that two imports
never merge and rebuild the category index at once.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

LockFn = Callable[[int], None]  # blocks until the open descriptor holds the exclusive lock


def posix_lock(fd: int) -> None:
    import fcntl

    fcntl.flock(fd, fcntl.LOCK_EX)


def windows_lock(fd: int, msvcrt: Any = None) -> None:  # pragma: no cover - Windows (the retry is tested)
    if msvcrt is None:
        import msvcrt
    while True:
        try:
            msvcrt.locking(fd, msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
            return
        except OSError:
            continue


def make_file_lock(platform: str | None = None) -> LockFn:
    """The exclusive-lock call of this OS (or of `platform`, for tests)."""
    return windows_lock if (platform or sys.platform) == "win32" else posix_lock
