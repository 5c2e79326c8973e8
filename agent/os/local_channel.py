"""The companion's local channel as this OS carries it — the one adapter the service opens it through.

Linux and macOS: a Unix domain socket whose peer the kernel names (agent/os/unix_socket.py); Windows: a named pipe
whose client's SID Windows names (agent/os/named_pipe.py, written for Windows, not run here). Both speak JSON lines
(agent/os/channel_lines.py) and hand each request line to the service's handler; what a line asks and answers
(agent/service/local_ipc.py's Dispatcher) knows nothing of the transport.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Literal, Protocol, TypeVar

from agent.os.channel_lines import IpcSetupError, LineBuffer, LineHandler, MakeHandler, encode, too_long
from agent.os.named_pipe import ListenerFactory, NamedPipeLineServer, pywin32_listener
from agent.os.unix_socket import UnixSocketChannel, connect_unix

__all__ = ["IpcSetupError", "LineBuffer", "LineHandler", "ListenerFactory", "LocalChannel", "MakeHandler",
           "connect_unix", "encode", "local_transport", "make_local_channel", "open_local_channel", "pywin32_listener",
           "too_long"]

Transport = Literal["unix_socket", "named_pipe"]


class LocalChannel(Protocol):
    """An open (or ready to open) channel: start() listens, stop() closes every connection."""

    refused: int  # connections refused for the wrong OS user
    evicted: int  # connections closed so that their account's newest one gets in

    @property
    def where(self) -> str: ...  # the socket's path, or the pipe's name

    def start(self) -> LocalChannel: ...

    def stop(self) -> None: ...


def local_transport(platform: str | None = None) -> Transport:
    """Which transport the service and the companion use on this OS."""
    return "named_pipe" if (platform or sys.platform) == "win32" else "unix_socket"


U = TypeVar("U")
P = TypeVar("P")


def open_local_channel(*, unix_socket: Callable[[], U], named_pipe: Callable[[], P],
                       platform: str | None = None) -> U | P:
    """Build this OS's channel from the caller's two constructors (only the chosen one is called)."""
    return named_pipe() if local_transport(platform) == "named_pipe" else unix_socket()


def make_local_channel(make_handler: MakeHandler, *, socket_path: Path | str | None,
                       allowed_uids: Iterable[int] | None = None, admit: Callable[[int], bool] | None = None,
                       allowed_sids: Iterable[str] = (), max_line: int, max_clients: int, per_uid: int,
                       platform: str | None = None,
                       pipe_listener: ListenerFactory = pywin32_listener) -> LocalChannel:
    """This OS's channel, not yet started. Unix: `socket_path`, admitting `allowed_uids` (default: this process's
    user) and whoever `admit` says yes to; Windows: the pipe, admitting `allowed_sids`. `pipe_listener` is for
    tests (this machine has no Windows)."""
    def unix_socket() -> LocalChannel:
        if socket_path is None:
            raise IpcSetupError("socket: a path is needed on this OS")
        return UnixSocketChannel(make_handler, socket_path, allowed_uids, admit=admit, max_line=max_line,
                                 max_clients=max_clients, per_uid=per_uid)

    def named_pipe() -> LocalChannel:
        return NamedPipeLineServer(make_handler, allowed_sids, max_line=max_line, max_clients=max_clients,
                                   listener=pipe_listener)

    return open_local_channel(unix_socket=unix_socket, named_pipe=named_pipe, platform=platform)
