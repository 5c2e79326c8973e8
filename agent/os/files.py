"""What the OS promises about files: durable renames, owners and mode bits.

POSIX: a rename is durable once its folder is fsync'd; owners are uids; group/other mode bits are enforced.
Windows: a folder cannot be opened for fsync (os.replace is durable enough there); files have ACLs, not uids and
mode bits, so the owner and mode checks here have nothing to say (the installer gives Sprout's folders an
administrators-only ACL instead).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Protocol

from agent.os.account import ACCOUNT


class FileRules(Protocol):
    def fsync_dir(self, folder: Path) -> None:
        """Make a rename in `folder` durable."""
        ...

    def foreign_owner(self, st: os.stat_result, also: tuple[int, ...] = ()) -> int | None:
        """The owner's uid when it is neither this process's account nor one of `also`; None when it is one of
        them, or the OS has no uid owners."""
        ...

    def loose_mode(self, st: os.stat_result, mask: int) -> int:
        """The bits of `mask` set in the file's mode (0 where the OS has no mode bits)."""
        ...


class PosixFileRules:
    def fsync_dir(self, folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def foreign_owner(self, st: os.stat_result, also: tuple[int, ...] = ()) -> int | None:
        return None if st.st_uid == ACCOUNT.uid() or st.st_uid in also else st.st_uid

    def loose_mode(self, st: os.stat_result, mask: int) -> int:
        return st.st_mode & mask


class WindowsFileRules:
    def fsync_dir(self, folder: Path) -> None:
        return None

    def foreign_owner(self, st: os.stat_result, also: tuple[int, ...] = ()) -> int | None:
        return None

    def loose_mode(self, st: os.stat_result, mask: int) -> int:
        return 0


def make_file_rules(platform: str | None = None) -> FileRules:
    platform = platform or sys.platform
    return WindowsFileRules() if platform == "win32" else PosixFileRules()


FILE_RULES: FileRules = make_file_rules()
