"""What both transports of the companion's local channel share (agent/os/unix_socket.py, agent/os/named_pipe.py):
JSON-lines framing, the line handler they call, and the error a channel that cannot open safely raises."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

LineHandler = Callable[[bytes], dict[str, Any]]  # one request line → one answer
# The service's side, made once per channel: given "is the channel stopping?", it returns the line handler
# (agent/service/local_ipc.py's Dispatcher, whose long-polls end when the channel stops).
MakeHandler = Callable[[Callable[[], bool]], LineHandler]


class IpcSetupError(Exception):
    """The channel cannot be opened safely (path taken, directory too open, no pywin32, ...). The message says
    where and why."""


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


def refusal(code: str, message: str) -> dict[str, Any]:
    return {"id": None, "ok": False, "error": {"code": code, "message": message}}
