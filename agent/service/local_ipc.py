"""The service side of the companion's local channel. No Qt here (the service must never import Qt).

Wire format: JSON lines over a Unix domain socket (Linux, macOS) or a named pipe (Windows). One request line,
one response line:

    → {"id": 1, "op": "status", "args": {}}
    ← {"id": 1, "ok": true, "result": {...}}
    ← {"id": 1, "ok": false, "error": {"code": "bad_request", "message": "what: where: why"}}

Ops: ping, status, notices_since(cursor), wait_notices(cursor, timeout) (long-poll: answers as soon as a notice
newer than cursor exists, or with [] after timeout), submit_request(minutes, reason, scope), privacy_report,
report_harmful(what, note), brand_logo(offset),
consent, consent_answer(agree), skills, lesson_done(id, right, total) (agent.service.consent),
lift_cover(pin) (the parent's PIN lifts the screen cover shown when the session could not be locked; wrong PINs are
rate-limited by agent.service.protect.Guard).

brand_logo(offset): the device maker's logo (oem.toml `[brand] logo`), in pieces because one line is at most
`max_line` bytes and a logo may be 1 MB. status() carries `"brand_logo": {"type": "png"|"svg", "size": N,
"sha256": hex}` when there is one; the companion then asks with offset 0, 32768, ... and gets

    ← {"type": "png", "size": N, "sha256": hex, "offset": 0, "data": "<base64 of at most 32 KiB from offset>"}

until it holds `size` bytes, and checks the sha256 of the whole. An offset past the end (> size) is
"bad_request"; no logo is "not_found".

Who may talk: the server asks the kernel who the peer is (agent/os/peercred.py: SO_PEERCRED on Linux, getpeereid
on macOS/BSD) and refuses every OS user not in `allowed_uids` with one "forbidden" line, then hangs up. File
permissions are a second fence, not the gate: macOS ignores a socket file's mode.

Limits: a line is at most `max_line` bytes (longer → "too_long" and the connection is closed, as we cannot find
the next line start safely); garbage lines (not UTF-8, not JSON, not an object, unknown op, wrong argument types)
get an error line and the connection stays usable; at most `max_clients` connections at once.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import json
import logging
import os
import socket
import stat
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from agent.os.local_channel import LineBuffer, encode, open_local_channel, too_long
from agent.os.named_pipe import PIPE_NAME, NamedPipeLineServer, NamedPipeUnavailable
from agent.os.peercred import peer_uid
from agent.service.companion_backend import REQUEST_SCOPES, CompanionBackend

log = logging.getLogger(__name__)

MAX_LINE = 64 * 1024  # a status or privacy report is a few KB; anything near this is not a companion
MAX_WAIT_S = 30.0  # the longest long-poll we hold open
MAX_CLIENTS = 16  # one companion per session; a few spare for support tools
REFUSE_DRAIN_S = 2.0  # how long a refused peer's request is read before the refusal is sent
PER_UID_SLOTS = 4  # a companion uses two (status, the notices long-poll); beyond this its oldest is closed
LOGO_CHUNK = 32 * 1024  # raw bytes per brand_logo answer: ~43 KB once base64'd, well inside a 64 KiB line
WINDOWS_PIPE_NAME = PIPE_NAME


class IpcSetupError(Exception):
    """The channel cannot be opened safely (path taken, directory too open, ...). The message says where and why."""


class RequestError(Exception):
    """A request the server answers with an error line instead of a result."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# ---- the socket's place on disk -----------------------------------------------------------------------------
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


def _clear_stale_socket(path: Path) -> None:
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
        path.unlink()  # left by a service that died: nobody listens
        return
    finally:
        probe.close()
    raise IpcSetupError(f"{path}: another service is already listening here")


# ---- requests -----------------------------------------------------------------------------------------------
def _int_arg(args: dict[str, Any], name: str, lo: int, hi: int) -> int:
    value = args.get(name)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise RequestError("bad_request", f"args.{name}: must be a whole number from {lo} to {hi}, got {value!r}")
    return value


def _str_arg(args: dict[str, Any], name: str, max_len: int, default: str | None = None) -> str:
    value = args.get(name, default)
    if not isinstance(value, str):
        raise RequestError("bad_request", f"args.{name}: must be text, got {type(value).__name__}")
    if len(value) > max_len:
        raise RequestError("bad_request", f"args.{name}: at most {max_len} characters, got {len(value)}")
    return value


def _bool_arg(args: dict[str, Any], name: str) -> bool:
    value = args.get(name)
    if not isinstance(value, bool):
        raise RequestError("bad_request", f"args.{name}: must be true or false, got {value!r}")
    return value


class Dispatcher:
    """Turns one request line into one response dict. Transport-free, so the Unix and Windows servers share it."""

    def __init__(self, backend: CompanionBackend, *, max_wait_s: float = MAX_WAIT_S, poll_s: float = 0.2,
                 stopping: Callable[[], bool] = lambda: False) -> None:
        self.backend = backend
        self.max_wait_s = max_wait_s
        self.poll_s = poll_s
        self.stopping = stopping
        self.ops: dict[str, Callable[[dict[str, Any]], Any]] = {
            "ping": lambda a: {"pong": True},
            "status": lambda a: backend.status(),
            "notices_since": lambda a: backend.notices_since(_int_arg(a, "cursor", 0, 2**62)),
            "wait_notices": self._wait_notices,
            "submit_request": self._submit_request,
            "privacy_report": lambda a: backend.privacy_report(),
            "report_harmful": lambda a: backend.report_harmful(_str_arg(a, "what", 300), _str_arg(a, "note", 2000, "")),
            "brand_logo": self._brand_logo,
            # consent and the skills kit (agent.service.consent): optional on the backend, like brand_logo
            "consent": lambda a: self._optional("consent_view")(),
            "consent_answer": lambda a: self._optional("child_consent")(_bool_arg(a, "agree")),
            "skills": lambda a: self._optional("skills")(),
            "lesson_done": lambda a: self._optional("lesson_done")(
                _str_arg(a, "id", 80), _int_arg(a, "right", 0, 20), _int_arg(a, "total", 1, 20)),
            "lift_cover": self._lift_cover,
        }

    def _optional(self, name: str) -> Callable[..., Any]:
        method = getattr(self.backend, name, None)
        if not callable(method):
            raise RequestError("not_found", f"{name}: this service keeps no consent record or skills progress")
        return method

    def handle_line(self, line: bytes) -> dict[str, Any]:
        req_id: Any = None
        try:
            try:
                req = json.loads(line.decode("utf-8"))
            except UnicodeDecodeError as exc:
                raise RequestError("bad_request", f"line: not UTF-8 text (byte {exc.start})") from None
            except ValueError as exc:
                raise RequestError("bad_request", f"line: not JSON ({exc})") from None
            if not isinstance(req, dict):
                raise RequestError("bad_request", f"line: must be a JSON object, got {type(req).__name__}")
            req_id = req.get("id")
            if not (req_id is None or isinstance(req_id, (int, str))) or isinstance(req_id, bool):
                req_id = None
                raise RequestError("bad_request", "id: must be a number or text")
            op = req.get("op")
            if not isinstance(op, str) or op not in self.ops:
                raise RequestError("unknown_op", f"op: {op!r} is not one of {', '.join(sorted(self.ops))}")
            args = req.get("args", {})
            if not isinstance(args, dict):
                raise RequestError("bad_request", f"args: must be a JSON object, got {type(args).__name__}")
            result = self.ops[op](args)
            return {"id": req_id, "ok": True, "result": result}
        except RequestError as exc:
            return {"id": req_id, "ok": False, "error": {"code": exc.code, "message": exc.message}}
        except ValueError as exc:  # the backend refused the values (e.g. too many requests waiting)
            return {"id": req_id, "ok": False, "error": {"code": "rejected", "message": str(exc)}}
        except Exception:
            log.exception("companion request failed inside the service")
            return {"id": req_id, "ok": False, "error": {"code": "internal",
                                                         "message": "the service could not do that just now"}}

    def _lift_cover(self, args: dict[str, Any]) -> Any:
        lift = getattr(self.backend, "lift_cover", None)
        if lift is None:
            raise RequestError("not_found", "this service has no screen cover")
        return lift(_str_arg(args, "pin", 32))

    def _submit_request(self, args: dict[str, Any]) -> Any:
        minutes = _int_arg(args, "minutes", 1, 24 * 60)
        reason = _str_arg(args, "reason", 1000, "")
        scope = _str_arg(args, "scope", 20, "screen")
        if scope not in REQUEST_SCOPES:
            raise RequestError("bad_request", f"args.scope: must be one of {', '.join(REQUEST_SCOPES)}, got {scope!r}")
        return self.backend.submit_request(minutes, reason, scope)

    def _brand_logo(self, args: dict[str, Any]) -> Any:
        # Optional on the backend (like wait_notices): a backend without logos answers "not_found".
        getter = getattr(self.backend, "brand_logo", None)
        logo = getter() if callable(getter) else None
        if logo is None:
            raise RequestError("not_found", "brand_logo: this PC has no device maker's logo (no [brand] logo in "
                                            "oem.toml, or the file was refused at start: see the service log)")
        offset = args.get("offset", 0)
        if not isinstance(offset, int) or isinstance(offset, bool) or offset < 0:
            raise RequestError("bad_request", f"args.offset: must be a whole number from 0, got {offset!r}")
        data: bytes = logo.data
        if offset > len(data):
            raise RequestError("bad_request", f"args.offset: {offset} is past the end of the logo "
                                              f"({len(data)} bytes)")
        chunk = data[offset:offset + LOGO_CHUNK]
        return {"type": logo.type, "size": len(data), "sha256": logo.sha256, "offset": offset,
                "data": base64.b64encode(chunk).decode("ascii")}

    def _wait_notices(self, args: dict[str, Any]) -> Any:
        cursor = _int_arg(args, "cursor", 0, 2**62)
        timeout = args.get("timeout", 10)
        if not isinstance(timeout, (int, float)) or isinstance(timeout, bool) or not 0 <= timeout <= self.max_wait_s:
            raise RequestError("bad_request", f"args.timeout: must be seconds from 0 to {self.max_wait_s:g}, "
                                              f"got {timeout!r}")
        waiter = getattr(self.backend, "wait_notices", None)
        if callable(waiter):  # the backend can block on its own condition: no polling
            return waiter(cursor, float(timeout))
        deadline = time.monotonic() + float(timeout)
        while True:
            found = self.backend.notices_since(cursor)
            left = deadline - time.monotonic()
            if found or left <= 0 or self.stopping():
                return found
            time.sleep(min(self.poll_s, left))


# ---- the Unix socket server ---------------------------------------------------------------------------------
class LocalIpcServer:
    """Serve a CompanionBackend on a Unix domain socket, one thread per connection (few, local, mostly idle)."""

    def __init__(self, backend: CompanionBackend, path: Path | str, allowed_uids: Iterable[int] | None = None, *,
                 max_line: int = MAX_LINE, max_wait_s: float = MAX_WAIT_S, max_clients: int = MAX_CLIENTS,
                 poll_s: float = 0.2, admit: Callable[[int], bool] | None = None,
                 per_uid: int = PER_UID_SLOTS) -> None:
        self.path = Path(path)
        self.allowed_uids = frozenset(allowed_uids) if allowed_uids is not None else frozenset({os.geteuid()})
        self.admit = admit  # also let in users this says yes to (asked per connection: accounts made later count)
        self.max_line = max_line
        self.max_clients = max_clients
        self._stop = threading.Event()
        self.dispatcher = Dispatcher(backend, max_wait_s=max_wait_s, poll_s=poll_s, stopping=self._stop.is_set)
        self._listener: socket.socket | None = None
        self._thread: threading.Thread | None = None
        self._conns: set[socket.socket] = set()
        self._owners: dict[socket.socket, int] = {}  # connection → its uid, oldest first
        self.per_uid = min(per_uid, max_clients)
        self.evicted = 0  # connections closed because their account connected again at its limit
        self._conns_lock = threading.Lock()
        self.refused = 0  # connections refused for the wrong OS user, for the service's events

    def start(self) -> LocalIpcServer:
        if len(str(self.path).encode()) > 100:  # sun_path is 104 bytes on macOS, 108 on Linux
            raise IpcSetupError(f"{self.path}: socket path too long for the OS (keep it under 100 bytes)")
        others = bool(self.allowed_uids - {os.geteuid()}) or self.admit is not None
        prepare_socket_dir(self.path.parent, others)
        _clear_stale_socket(self.path)
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

    def __enter__(self) -> LocalIpcServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

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
            conn.sendall(encode({"id": None, "ok": False, "error": {"code": code, "message": message}}))
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
            # PER_UID_SLOTS of the pool.
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
                    conn.sendall(encode(self.dispatcher.handle_line(line)))
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


def start_local_channel(backend: CompanionBackend, path: Path | str | None, allowed_uids: Iterable[int] | None = None,
                        allowed_sids: Iterable[str] = (),
                        admit: Callable[[int], bool] | None = None) -> LocalIpcServer | NamedPipeLineServer:
    """Open this OS's channel (agent/os/local_channel.py chooses: a Unix socket, or a named pipe on Windows) with
    the same Dispatcher behind it. Call .stop() to close."""
    def unix_socket() -> LocalIpcServer:
        if path is None:
            raise IpcSetupError("socket: a path is needed on this OS")
        return LocalIpcServer(backend, path, allowed_uids, admit=admit)

    def named_pipe() -> NamedPipeLineServer:
        return NamedPipeLineServer(lambda stopping: Dispatcher(backend, stopping=stopping).handle_line, allowed_sids,
                                   max_line=MAX_LINE, max_clients=MAX_CLIENTS)

    channel = open_local_channel(unix_socket=unix_socket, named_pipe=named_pipe)
    try:
        return channel.start()
    except NamedPipeUnavailable as exc:
        raise IpcSetupError(str(exc)) from exc
