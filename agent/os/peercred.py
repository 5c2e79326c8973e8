"""Who is at the other end of a connected Unix socket, as the kernel says (never what the peer claims).

Linux: SO_PEERCRED. macOS / BSD: getpeereid(2) through ctypes (written for macOS, not run on this Linux machine).
Used by the companion's local channel (agent/service/local_ipc.py) to admit only the child's own OS user.
"""

from __future__ import annotations

import os
import socket
import struct
import sys


def peer_uid(conn: socket.socket) -> int:
    """The OS user id of the process at the other end of a connected Unix socket, as the kernel reports it."""
    if sys.platform.startswith("linux"):
        # struct ucred { pid_t pid; uid_t uid; gid_t gid; }
        raw = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED, struct.calcsize("3i"))
        _pid, uid, _gid = struct.unpack("3i", raw)
        return uid
    return _getpeereid(conn.fileno())


def _getpeereid(fd: int) -> int:
    """macOS / BSD: getpeereid(2), which reads LOCAL_PEERCRED for us. Written for macOS, not run on this Linux box."""
    import ctypes
    import ctypes.util

    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    uid, gid = ctypes.c_uint32(), ctypes.c_uint32()
    if libc.getpeereid(fd, ctypes.byref(uid), ctypes.byref(gid)) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"getpeereid failed: {os.strerror(err)}")
    return int(uid.value)
