"""Linux inotify for one question: "was any of these files opened since I last asked?" (IN_OPEN), so the camera and
microphone scan of /proc (tens of milliseconds with a browser's thousands of descriptors) runs only after a device
was opened, not every few seconds. ctypes over libc (inotify_init1, inotify_add_watch); no package needed.
Device nodes report opens like any file, and so do the plain files a test uses in their place."""

from __future__ import annotations

import contextlib
import ctypes
import os
from pathlib import Path

IN_OPEN = 0x00000020
IN_NONBLOCK = os.O_NONBLOCK
IN_CLOEXEC = os.O_CLOEXEC


class OpenEvents:
    def __init__(self) -> None:
        self._libc = ctypes.CDLL(None, use_errno=True)
        fd = self._libc.inotify_init1(IN_NONBLOCK | IN_CLOEXEC)
        if fd < 0:
            err = ctypes.get_errno()
            raise OSError(err, f"inotify_init1: {os.strerror(err)}")
        self._fd = fd
        self.watched: set[Path] = set()

    def watch(self, paths: list[Path]) -> list[Path]:
        """Watch the paths not yet watched for opens; returns those newly watched (they may be open already)."""
        new = []
        for path in paths:
            if path in self.watched:
                continue
            if self._libc.inotify_add_watch(self._fd, os.fsencode(path), IN_OPEN) >= 0:
                self.watched.add(path)
                new.append(path)
        return new

    def opened(self) -> bool:
        """True when a watched file was opened since the last call (pending events are read and dropped)."""
        seen = False
        while True:
            try:
                data = os.read(self._fd, 65536)
            except BlockingIOError:
                return seen
            if not data:
                return seen
            seen = True

    def close(self) -> None:
        if self._fd >= 0:
            os.close(self._fd)
            self._fd = -1

    def __del__(self) -> None:
        with contextlib.suppress(OSError):
            self.close()
