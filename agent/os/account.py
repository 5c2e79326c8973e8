"""Who this process runs as. POSIX has numeric user ids and root; Windows has SIDs and elevation, which the
service reads elsewhere (agent/os/admin.py for the child's account), so here it answers "no uid"."""

from __future__ import annotations

import os
import sys
from typing import Protocol


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
