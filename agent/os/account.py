"""Who this process runs as, and the accounts of the OS's user database. POSIX has numeric user ids and root;
Windows has SIDs and elevation, which the service reads elsewhere (agent/os/admin.py for the child's account), so
here it answers "no uid" and finds no account by uid or name."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Protocol


class ProcessAccount(Protocol):
    def uid(self) -> int | None:
        """The effective user id; None on an OS without numeric user ids."""
        ...

    def real_uid(self) -> int | None:
        """The real user id (who started the process, also under a setuid program); None as above."""
        ...

    def is_superuser(self) -> bool | None:
        """Running as root; None where the OS has no such notion here (Windows: elevation is not read)."""
        ...


class PosixAccount:
    def uid(self) -> int | None:
        return os.geteuid()

    def real_uid(self) -> int | None:
        return os.getuid()

    def is_superuser(self) -> bool | None:
        return os.geteuid() == 0


class WindowsAccount:
    def uid(self) -> int | None:
        return None

    def real_uid(self) -> int | None:
        return None

    def is_superuser(self) -> bool | None:
        return None


def make_process_account(platform: str | None = None) -> ProcessAccount:
    platform = platform or sys.platform
    return WindowsAccount() if platform == "win32" else PosixAccount()


ACCOUNT: ProcessAccount = make_process_account()


@dataclass(frozen=True)
class UserEntry:
    """One account of the OS's user database (POSIX: the passwd entry)."""

    uid: int
    gid: int
    name: str
    shell: str


def _entry(pw: Any) -> UserEntry:
    return UserEntry(uid=pw.pw_uid, gid=pw.pw_gid, name=pw.pw_name, shell=pw.pw_shell or "")


def user_by_uid(uid: int) -> UserEntry | None:
    """The account with this numeric id; None when there is none, or the OS has no numeric ids (Windows)."""
    try:
        import pwd
    except ImportError:
        return None
    try:
        return _entry(pwd.getpwuid(uid))
    except KeyError:
        return None


def user_by_name(name: str) -> UserEntry | None:
    """The account with this login name; None as for user_by_uid."""
    try:
        import pwd
    except ImportError:
        return None
    try:
        return _entry(pwd.getpwnam(name))
    except KeyError:
        return None
