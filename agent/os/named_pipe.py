"""Windows: a named pipe that only chosen local users can open — the transport of the companion's channel there.
Designed here, NOT run: there is no Windows and no pywin32 on the Linux build machine. The tests run the line
server (NamedPipeLineServer) with the service's Dispatcher behind it over a fake listener and fake pipe ends
(tests/agent/service/test_local_ipc.py: FakePipeListener), so only the pywin32 calls below are unexercised.

Security, in the order it applies:
1. The pipe is created with a DACL granting SYSTEM full control and the allowed users' SIDs read/write only, and
   PIPE_REJECT_REMOTE_CLIENTS, so no other account and no other machine can open it.
2. For each connection, GetNamedPipeClientProcessId → OpenProcess → OpenProcessToken → TokenUser gives the peer's
   SID; the caller compares it with the allowed ones.
3. FILE_FLAG_FIRST_PIPE_INSTANCE on the first instance, so a process that squatted the name first is detected.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Iterable
from typing import Any, Protocol

from agent.os.channel_lines import IpcSetupError, LineBuffer, MakeHandler, encode, refusal, too_long

log = logging.getLogger(__name__)

PIPE_NAME = r"\\.\pipe\sprout-companion"


class NamedPipeUnavailable(IpcSetupError):
    """pywin32 is missing: the Windows channel cannot be opened."""


class PipeConnection:
    """One connected client: its SID as Windows reports it, and byte reads and writes."""

    def __init__(self, handle: Any, peer_sid: str) -> None:
        self.handle = handle
        self.peer_sid = peer_sid

    def read(self) -> bytes:
        import win32file

        _rc, data = win32file.ReadFile(self.handle, 65536)
        return bytes(data)

    def write(self, data: bytes) -> None:
        import win32file

        win32file.WriteFile(self.handle, data)


class NamedPipeListener:
    """Accepts clients on `name` and runs `on_connection(conn)` for each on its own thread, then disconnects."""

    def __init__(self, name: str, allowed_sids: Iterable[str], on_connection: Callable[[PipeConnection], None], *,
                 max_clients: int = 16) -> None:
        self.name = name
        self.allowed_sids = frozenset(allowed_sids)
        self.on_connection = on_connection
        self.max_clients = max_clients
        self.stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> NamedPipeListener:
        try:
            import pywintypes  # noqa: F401  (pywin32: only present on Windows builds)
        except ImportError as exc:
            raise NamedPipeUnavailable("named pipe: pywin32 is not installed; the Windows channel needs it") from exc
        self._thread = threading.Thread(target=self._accept_loop, name="companion-pipe", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()

    def _security_attributes(self) -> Any:
        import ntsecuritycon
        import pywintypes
        import win32security

        dacl = win32security.ACL()
        system = win32security.CreateWellKnownSid(win32security.WinLocalSystemSid)
        dacl.AddAccessAllowedAce(win32security.ACL_REVISION, ntsecuritycon.GENERIC_ALL, system)
        for sid_text in self.allowed_sids:
            sid = win32security.ConvertStringSidToSid(sid_text)
            dacl.AddAccessAllowedAce(win32security.ACL_REVISION,
                                     ntsecuritycon.GENERIC_READ | ntsecuritycon.GENERIC_WRITE, sid)
        sd = win32security.SECURITY_DESCRIPTOR()
        sd.SetSecurityDescriptorDacl(1, dacl, 0)
        sa = pywintypes.SECURITY_ATTRIBUTES()
        sa.SECURITY_DESCRIPTOR = sd
        return sa

    @staticmethod
    def _peer_sid(handle: Any) -> str:
        import win32api
        import win32con
        import win32pipe
        import win32security

        pid = win32pipe.GetNamedPipeClientProcessId(handle)
        proc = win32api.OpenProcess(win32con.PROCESS_QUERY_LIMITED_INFORMATION, False, pid)
        token = win32security.OpenProcessToken(proc, win32con.TOKEN_QUERY)
        sid, _attrs = win32security.GetTokenInformation(token, win32security.TokenUser)
        return win32security.ConvertSidToStringSid(sid)

    def _accept_loop(self) -> None:
        import win32file
        import win32pipe

        first = True
        sa = self._security_attributes()
        while not self.stopping.is_set():
            open_mode = win32pipe.PIPE_ACCESS_DUPLEX | (win32file.FILE_FLAG_FIRST_PIPE_INSTANCE if first else 0)
            pipe_mode = (win32pipe.PIPE_TYPE_BYTE | win32pipe.PIPE_READMODE_BYTE | win32pipe.PIPE_WAIT
                         | getattr(win32pipe, "PIPE_REJECT_REMOTE_CLIENTS", 0x8))
            handle = win32pipe.CreateNamedPipe(self.name, open_mode, pipe_mode, self.max_clients, 65536, 65536, 0,
                                               sa)
            first = False
            win32pipe.ConnectNamedPipe(handle, None)
            threading.Thread(target=self._serve, args=(handle,), daemon=True).start()

    def _serve(self, handle: Any) -> None:
        import win32file
        import win32pipe

        try:
            self.on_connection(PipeConnection(handle, self._peer_sid(handle)))
        finally:
            with contextlib.suppress(Exception):
                win32pipe.DisconnectNamedPipe(handle)
            win32file.CloseHandle(handle)


class PipeListener(Protocol):
    """What the line server needs of a listener (NamedPipeListener; a test's fake listener)."""

    stopping: threading.Event

    def start(self) -> object: ...

    def stop(self) -> None: ...


ListenerFactory = Callable[[str, frozenset[str], Callable[["PipeEnd"], None], int], PipeListener]


def pywin32_listener(name: str, allowed_sids: frozenset[str], on_connection: Callable[[PipeEnd], None],
                      max_clients: int) -> PipeListener:
    return NamedPipeListener(name, allowed_sids, on_connection, max_clients=max_clients)  # type: ignore[arg-type]


class PipeEnd(Protocol):
    """One connected client as the line server needs it (PipeConnection; a test's fake pipe end)."""

    peer_sid: str

    def read(self) -> bytes: ...

    def write(self, data: bytes) -> None: ...


class NamedPipeLineServer:
    """The companion's line protocol over the pipe: the peer's SID is checked against the allowed ones, then each
    request line gets one answer line from `make_handler(stopping)` (the service's Dispatcher). Written for
    Windows, NOT run there from this machine; its serving loop is tested with a fake pipe end."""

    def __init__(self, make_handler: MakeHandler, allowed_sids: Iterable[str], *, name: str = PIPE_NAME,
                 max_line: int = 64 * 1024, max_clients: int = 16,
                 listener: ListenerFactory = pywin32_listener) -> None:
        self.name = name
        self.allowed_sids = frozenset(allowed_sids)
        self.max_line = max_line
        self.listener = listener(name, self.allowed_sids, self.serve, max_clients)
        self.handle_line = make_handler(self.listener.stopping.is_set)
        self.refused = 0  # clients refused for the wrong Windows user
        self.evicted = 0  # the pipe's own instance limit (max_clients) queues clients: none is ever closed

    @property
    def where(self) -> str:
        return self.name

    def start(self) -> NamedPipeLineServer:
        self.listener.start()  # NamedPipeUnavailable without pywin32
        return self

    def stop(self) -> None:
        self.listener.stop()

    def serve(self, conn: PipeEnd) -> None:
        def send(msg: dict[str, Any]) -> None:
            conn.write(encode(msg))

        try:
            if conn.peer_sid not in self.allowed_sids:
                self.refused += 1
                send(refusal("forbidden", f"connection: user {conn.peer_sid} may not use this pipe"))
                return
            buf = LineBuffer(self.max_line)
            while not self.listener.stopping.is_set():
                data = conn.read()
                if not data:
                    return
                for line in buf.feed(data):
                    if len(line) > self.max_line:
                        send(too_long(self.max_line))
                        return
                    if line.strip():
                        send(self.handle_line(line))
                if buf.overflowing:
                    send(too_long(self.max_line))
                    return
        except Exception as exc:  # pywintypes.error when the companion goes away
            log.debug("companion pipe closed: %s", exc)
