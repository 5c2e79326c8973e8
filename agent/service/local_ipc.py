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

Transport: this OS's channel (agent/os/local_channel.py: a Unix socket whose peer the kernel names on Linux and
macOS, a named pipe on Windows). It admits only the child's own OS user (every other gets one "forbidden" line),
caps connections, and frames lines: a line longer than `max_line` gets "too_long" and the connection closes. This
module holds only what a line asks and answers: garbage lines (not UTF-8, not JSON, not an object, unknown op,
wrong argument types) get an error line and the connection stays usable.
"""

from __future__ import annotations

import base64
import json
import logging
import time
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from agent.os.local_channel import (
    IpcSetupError,
    LineHandler,
    ListenerFactory,
    LocalChannel,
    make_local_channel,
    pywin32_listener,
)
from agent.service.companion_backend import REQUEST_SCOPES, CompanionBackend

__all__ = ["LOGO_CHUNK", "MAX_LINE", "Dispatcher", "IpcSetupError", "LocalIpcServer", "RequestError",
           "start_local_channel"]

log = logging.getLogger(__name__)

MAX_LINE = 64 * 1024  # a status or privacy report is a few KB; anything near this is not a companion
MAX_WAIT_S = 30.0  # the longest long-poll we hold open
MAX_CLIENTS = 16  # one companion per session; a few spare for support tools
PER_UID_SLOTS = 4  # a companion uses two (status, the notices long-poll); beyond this its oldest is closed
LOGO_CHUNK = 32 * 1024  # raw bytes per brand_logo answer: ~43 KB once base64'd, well inside a 64 KiB line


class RequestError(Exception):
    """A request the server answers with an error line instead of a result."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


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


# ---- the channel: the Dispatcher behind this OS's transport ------------------------------------------------
class LocalIpcServer:
    """Serve a CompanionBackend on this OS's local channel (a Unix socket at `path` here; the named pipe on
    Windows, admitting `allowed_sids`). `allowed_uids` defaults to the service's own user; `admit` also lets in
    users it says yes to (asked per connection, so accounts made later count)."""

    def __init__(self, backend: CompanionBackend, path: Path | str | None = None,
                 allowed_uids: Iterable[int] | None = None, *, allowed_sids: Iterable[str] = (),
                 max_line: int = MAX_LINE, max_wait_s: float = MAX_WAIT_S, max_clients: int = MAX_CLIENTS,
                 poll_s: float = 0.2, admit: Callable[[int], bool] | None = None, per_uid: int = PER_UID_SLOTS,
                 platform: str | None = None, pipe_listener: ListenerFactory = pywin32_listener) -> None:
        self.path = Path(path) if path is not None else None

        def make_handler(stopping: Callable[[], bool]) -> LineHandler:
            self.dispatcher = Dispatcher(backend, max_wait_s=max_wait_s, poll_s=poll_s, stopping=stopping)
            return self.dispatcher.handle_line

        self.channel: LocalChannel = make_local_channel(
            make_handler, socket_path=path, allowed_uids=allowed_uids, admit=admit, allowed_sids=allowed_sids,
            max_line=max_line, max_clients=max_clients, per_uid=per_uid, platform=platform,
            pipe_listener=pipe_listener)

    @property
    def refused(self) -> int:
        """Connections refused for the wrong OS user, for the service's events."""
        return self.channel.refused

    @property
    def evicted(self) -> int:
        """Connections closed because their account connected again at its limit."""
        return self.channel.evicted

    def start(self) -> LocalIpcServer:
        self.channel.start()
        return self

    def stop(self) -> None:
        self.channel.stop()

    def __enter__(self) -> LocalIpcServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def start_local_channel(backend: CompanionBackend, path: Path | str | None, allowed_uids: Iterable[int] | None = None,
                        allowed_sids: Iterable[str] = (),
                        admit: Callable[[int], bool] | None = None) -> LocalIpcServer:
    """Open this OS's channel (agent/os/local_channel.py chooses: a Unix socket, or a named pipe on Windows) with
    the Dispatcher behind it. Call .stop() to close."""
    return LocalIpcServer(backend, path, allowed_uids, allowed_sids=allowed_sids, admit=admit).start()
