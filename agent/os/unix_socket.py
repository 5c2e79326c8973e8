"""Linux and macOS: the companion's local channel as a Unix domain socket only chosen OS users may use.

The transport only: the socket's place on disk (a directory only the service writes, the file born 0600), the
kernel's word on who the peer is (agent/os/peercred.py: SO_PEERCRED on Linux, getpeereid on macOS/BSD), a pool of
connections no account can fill, and JSON-lines framing. What a line asks and what it gets back is the service's
(agent/service/local_ipc.py's Dispatcher, handed in as `make_handler`).

Who may talk: every OS user not in `allowed_uids` (nor said yes to by `admit`) gets one "forbidden" line, then the
connection closes. File permissions are a second fence, not the gate: macOS ignores a socket file's mode.
"""

from __future__ import annotations

import contextlib
import errno
import logging
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from agent.os.channel_lines import IpcSetupError, LineBuffer, MakeHandler, encode, refusal, too_long
from agent.os.peercred import peer_uid

log = logging.getLogger(__name__)

REFUSE_DRAIN_S = 2.0  # how long a refused peer's request is read before the refusal is sent
MAX_PATH_BYTES = 100  # sun_path is 104 bytes on macOS, 108 on Linux


def prepare_socket_dir(directory: Path, others_allowed: bool) -> None:
    """Make sure only we can create or remove things next to the socket; let allowed users traverse, never list.

    Mode 0700 when only the service's own user talks to it, 0711 when another user (the child) must reach it.
    A directory we do not own, or that others may write to, is refused rather than "fixed": it may be /tmp.
    """
    mode = 0o711 if others_allowed else 0o700
    if not directory.exists():
        directory.mkdir(parents=True, mode=0o700)
        os.chmod(directory, mode)
        return
    st = directory.stat()
    if not stat.S_ISDIR(st.st_mode):
        raise IpcSetupError(f"{directory}: not a directory")
    if st.st_uid != os.geteuid():
        raise IpcSetupError(f"{directory}: owned by uid {st.st_uid}, not by this service (uid {os.geteuid()}); "
                            "the socket needs a directory of its own")
    if st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        raise IpcSetupError(f"{directory}: writable by other users ({stat.filemode(st.st_mode)}); "
                            "the socket needs a directory only the service can write")
    if stat.S_IMODE(st.st_mode) != mode:
        os.chmod(directory, mode)


def clear_stale_socket(path: Path) -> None:
    """Remove a socket file left by a service that died; refuse anything else at `path`."""
    if not os.path.lexists(path):
        return
    st = os.lstat(path)
    if not stat.S_ISSOCK(st.st_mode):
        raise IpcSetupError(f"{path}: exists and is not a socket; not removing it")
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    probe.settimeout(0.5)
    try:
        probe.connect(str(path))
    except OSError:
        path.unlink()  # nobody listens
        return
    finally:
        probe.close()
    raise IpcSetupError(f"{path}: another service is already listening here")


def connect_unix(path: str, timeout: float) -> socket.socket:
    """The companion's end: a connected socket to the service's channel at `path` (OSError when nobody listens)."""
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    try:
        sock.connect(path)
    except OSError:
        sock.close()
        raise
    return sock


class UnixSocketChannel:
    """Serve request lines on a Unix domain socket, one thread per connection (few, local, mostly idle).

    Limits: a line is at most `max_line` bytes (longer → "too_long" and the connection is closed, as the next line
    start cannot be found safely); at most `max_clients` connections at once, at most `per_uid` of them one
    account's (beyond that its oldest is closed, so a flood from the child's own account never locks the real
    companion out)."""

    def __init__(self, make_handler: MakeHandler, path: Path | str, allowed_uids: Iterable[int] | None = None, *,
                 max_line: int, max_clients: int, per_uid: int,
                 admit: Callable[[int], bool] | None = None) -> None:
        self.path = Path(path)
        self.allowed_uids = frozenset(allowed_uids) if allowed_uids is not None else frozenset({os.geteuid()})
        self.admit = admit  # also let in users this says yes to (asked per connection: accounts made later count)
        self.max_line = max_line
        self.max_clients = max_clients
        self.per_uid = min(per_uid, max_clients)
        self._stop = threading.Event()
        self.handle_line = make_handler(self._stop.is_set)
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._owners: dict[socket.socket, int] = {}  # connection → its uid, oldest first
        self._conns_lock = threading.Lock()
        self.refused = 0  # connections refused for the wrong OS user, for the service's events
        self.evicted = 0  # connections closed because their account connected again at its limit

    @property
    def where(self) -> str:
        return str(self.path)

    def start(self) -> UnixSocketChannel:
        if len(str(self.path).encode()) > MAX_PATH_BYTES:
            raise IpcSetupError(f"{self.path}: socket path too long for the OS (keep it under 100 bytes)")
        others = bool(self.allowed_uids - {os.geteuid()}) or self.admit is not None
        prepare_socket_dir(self.path.parent, others)
        clear_stale_socket(self.path)
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        old_umask = os.umask(0o177)  # the file is born 0600: no window where it is open to all
        try:
            listener.bind(str(self.path))
        finally:
            os.umask(old_umask)
        # Another user must be able to connect (write permission on the file); the peer check is the gate.
        os.chmod(self.path, 0o666 if others else 0o600)
        listener.listen(8)
        listener.settimeout(0.25)
        self._listener = listener
        self._stop.clear()
        self._thread = threading.Thread(target=self._accept_loop, name="companion-ipc", daemon=True)
        self._thread.start()
        log.info("companion channel listening on %s for uid(s) %s", self.path, sorted(self.allowed_uids))
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2)
        if self._listener is not None:
            self._listener.close()
            self._listener = None
        with self._conns_lock:
            for conn in list(self._conns):
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self._conns.clear()
            self._owners.clear()
        with contextlib.suppress(FileNotFoundError):
            self.path.unlink()

    def _accept_loop(self) -> None:
        assert self._listener is not None
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError as exc:
                if self._stop.is_set() or exc.errno == errno.EBADF:
                    return
                log.warning("companion channel: accept failed: %s", exc)
                time.sleep(0.1)
                continue
            conn.settimeout(None)
            threading.Thread(target=self._serve, args=(conn,), name="companion-ipc-conn", daemon=True).start()

    def _refuse(self, conn: socket.socket, code: str, message: str) -> None:
        """Answer a refusal and close. The peer's request is read first (bounded in bytes and time): closing a
        socket with unread data makes the peer's own send fail (EPIPE / reset) before it can read why."""
        with contextlib.suppress(OSError):
            conn.settimeout(REFUSE_DRAIN_S)
            deadline = time.monotonic() + REFUSE_DRAIN_S
            seen = 0
            while seen <= self.max_line and time.monotonic() < deadline:
                data = conn.recv(65536)
                if not data or b"\n" in data:
                    break
                seen += len(data)
        with contextlib.suppress(OSError):
            conn.sendall(encode(refusal(code, message)))
            conn.shutdown(socket.SHUT_WR)
        conn.close()

    def _serve(self, conn: socket.socket) -> None:
        try:
            uid = peer_uid(conn)
        except OSError as exc:
            log.warning("companion channel: cannot read the peer's user (%s); refusing", exc)
            self._refuse(conn, "forbidden", "connection: the service cannot tell which user you are")
            return
        if uid not in self.allowed_uids and not (self.admit is not None and self.admit(uid)):
            self.refused += 1
            log.warning("companion channel: refused a connection from uid %d", uid)
            self._refuse(conn, "forbidden", f"connection: uid {uid} may not use this channel "
                                            f"(only the child's own session may)")
            return
        with self._conns_lock:
            # Newest wins within one account: a program holding many connections open (a flood from the child's
            # own account) loses its oldest one when that account connects again, so the real companion always
            # gets in; other accounts' connections are never taken, and one account holds at most
            # per_uid of the pool.
            mine = [c for c, u in self._owners.items() if u == uid]
            evict = None
            if len(mine) >= self.per_uid or (len(self._conns) >= self.max_clients and mine):
                evict = mine[0]
                self._conns.discard(evict)
                del self._owners[evict]
            busy = len(self._conns) >= self.max_clients
            if not busy:
                self._conns.add(conn)
                self._owners[conn] = uid
        if evict is not None:
            self.evicted += 1
            with contextlib.suppress(OSError):
                evict.shutdown(socket.SHUT_RDWR)  # its thread sees the end and closes it
        if busy:
            self._refuse(conn, "busy", f"connection: already {self.max_clients} connections; try again later")
            return
        buf = LineBuffer(self.max_line)
        try:
            while not self._stop.is_set():
                data = conn.recv(65536)
                if not data:
                    return
                for line in buf.feed(data):
                    if len(line) > self.max_line:
                        conn.sendall(encode(too_long(self.max_line)))
                        return
                    if not line.strip():
                        continue
                    conn.sendall(encode(self.handle_line(line)))
                if buf.overflowing:
                    conn.sendall(encode(too_long(self.max_line)))
                    return
        except OSError:
            return  # the companion went away mid-answer: nothing to clean beyond the socket
        finally:
            with self._conns_lock:
                self._conns.discard(conn)
                self._owners.pop(conn, None)
            conn.close()
