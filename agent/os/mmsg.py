"""Many UDP datagrams per system call: recvmmsg(2) and sendmmsg(2), where the OS has them.

Linux has both (glibc and musl export them); this adapter loads them from the C library through ctypes with the
argument types the filter's batch loop (agent/os/udp_batch.py) calls them with. Elsewhere — Windows, macOS, or a
libc without them — `load_mmsg()` is None and the filter reads one datagram per call, answering with the same
bytes.
"""

from __future__ import annotations

import ctypes
import sys
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class MmsgCalls:
    recvmmsg: Any  # (fd, struct mmsghdr *, vlen, flags, struct timespec *) -> int
    sendmmsg: Any  # (fd, struct mmsghdr *, vlen, flags) -> int


def load_mmsg(platform: str | None = None) -> MmsgCalls | None:
    """The batch calls of this OS's C library, or None when it has none."""
    if not (platform or sys.platform).startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        recvmmsg, sendmmsg = libc.recvmmsg, libc.sendmmsg
    except (OSError, AttributeError):
        return None
    recvmmsg.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.c_int, ctypes.c_void_p)
    recvmmsg.restype = ctypes.c_int
    sendmmsg.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_uint, ctypes.c_int)
    sendmmsg.restype = ctypes.c_int
    return MmsgCalls(recvmmsg, sendmmsg)
