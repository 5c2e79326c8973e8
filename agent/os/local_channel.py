"""The companion's local channel as this OS carries it: a Unix domain socket (Linux, macOS) or a named pipe
(Windows). This module chooses the transport and holds the line framing both transports share; the requests and
their answers (the Dispatcher) live in agent/service/local_ipc.py and know nothing of the transport.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from typing import Any, Literal, Protocol, TypeVar

Transport = Literal["unix_socket", "named_pipe"]
LineHandler = Callable[[bytes], dict[str, Any]]  # one request line → one answer


class LocalChannel(Protocol):
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


class LineBuffer:
    """Collects bytes and yields whole lines; says when a line grows past the limit."""

    def __init__(self, max_line: int) -> None:
        self.max_line = max_line
        self._buf = bytearray()

    def feed(self, data: bytes) -> list[bytes]:
        self._buf += data
        lines: list[bytes] = []
        while True:
            nl = self._buf.find(b"\n")
            if nl < 0:
                break
            lines.append(bytes(self._buf[:nl]))
            del self._buf[: nl + 1]
        return lines

    @property
    def overflowing(self) -> bool:
        return len(self._buf) > self.max_line


def encode(msg: dict[str, Any]) -> bytes:
    return json.dumps(msg, ensure_ascii=False, separators=(",", ":")).encode("utf-8") + b"\n"


def too_long(max_line: int) -> dict[str, Any]:
    return {"id": None, "ok": False,
            "error": {"code": "too_long", "message": f"line: longer than {max_line} bytes; closing the connection"}}
