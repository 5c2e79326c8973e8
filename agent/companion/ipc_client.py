"""The companion's side of the local channel (see agent.service.local_ipc for the wire format). No Qt here, so
the same client serves the Qt companion, tests and support scripts.

The service may restart at any time (an update, a crash, systemd's Restart=always). The client then reconnects
on its own with growing pauses (0.1 s doubling to 5 s), for as long as the caller allows (`reconnect_for`).
A request that changes something (asking for time, reporting) is only re-sent when we know it was not delivered.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import itertools
import json
import logging
import socket
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from agent.os.unix_socket import connect_unix

log = logging.getLogger(__name__)

MAX_LINE = 1024 * 1024  # replies are small; this only stops a runaway peer from filling our memory
SAFE_TO_RESEND = frozenset({"ping", "status", "notices_since", "wait_notices", "privacy_report", "brand_logo"})
LOGO_TYPES = ("png", "svg")
LOGO_MAX_BYTES = 1_000_000  # the service refuses bigger logos (agent.oem.LOGO_MAX_BYTES); more is not a logo


class ServiceUnavailable(Exception):
    """The service could not be reached (not running, restarting, or it hung up)."""


class ServiceRefused(Exception):
    """The service answered with an error (code, message): wrong user, bad values, too many requests..."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def backoff_delays(start: float = 0.1, factor: float = 2.0, cap: float = 5.0) -> Iterator[float]:
    delay = start
    while True:
        yield delay
        delay = min(cap, delay * factor)


class IpcClient:
    """One connection to the service, reopened when lost. Not thread-safe: give each thread its own client."""

    def __init__(self, path: Path | str, *, timeout: float = 5.0, backoff_start: float = 0.1,
                 backoff_cap: float = 5.0) -> None:
        self.path = str(path)
        self.timeout = timeout
        self.backoff_start = backoff_start
        self.backoff_cap = backoff_cap
        self._sock: socket.socket | None = None
        self._rbuf = bytearray()
        self._ids = itertools.count(1)
        self.reconnects = 0  # how many times a lost connection was reopened
        self._interrupted = False

    # ---- connection ---------------------------------------------------------------------------------------
    @property
    def connected(self) -> bool:
        return self._sock is not None

    def close(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.close()
        self._sock = None
        self._rbuf.clear()

    def interrupt(self) -> None:
        """Wake a call blocked in another thread (a long-poll) so that thread can stop. The client is finished:
        that call and every later one raise ServiceUnavailable instead of reconnecting."""
        self._interrupted = True
        sock = self._sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _connect_once(self) -> None:
        self._sock = connect_unix(self.path, self.timeout)  # agent/os/unix_socket.py
        self._rbuf.clear()

    def _connect(self, reconnect_for: float) -> None:
        deadline = time.monotonic() + reconnect_for
        delays = backoff_delays(self.backoff_start, cap=self.backoff_cap)
        while True:
            try:
                self._connect_once()
                return
            except OSError as exc:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise ServiceUnavailable(f"{self.path}: the Sprout service is not answering ({exc.strerror})") \
                        from None
                time.sleep(min(next(delays), left))

    # ---- requests -----------------------------------------------------------------------------------------
    def call(self, op: str, args: dict[str, Any] | None = None, *, reconnect_for: float = 0.0,
             timeout: float | None = None) -> Any:
        """Send one request and return its result. Raises ServiceRefused for an error answer, ServiceUnavailable
        when the service cannot be reached within `reconnect_for` seconds."""
        deadline = time.monotonic() + reconnect_for
        had_connection = self._sock is not None
        failures = 0  # a stale connection (the service restarted) gets one fresh try even with reconnect_for=0
        while True:
            if self._interrupted:
                raise ServiceUnavailable(f"{self.path}: stopped")
            if self._sock is None:
                self._connect(max(0.0, deadline - time.monotonic()))
                if had_connection:
                    self.reconnects += 1
                had_connection = True
            req_id = next(self._ids)
            line = json.dumps({"id": req_id, "op": op, "args": args or {}}, ensure_ascii=False) + "\n"
            assert self._sock is not None
            try:
                self._sock.sendall(line.encode("utf-8"))
            except OSError:
                # The service may have refused us and hung up before reading (wrong user, busy): its one line
                # is still in our receive buffer, and it is the answer that matters.
                parting = self._parting_words()
                self.close()  # not delivered: safe to try again on a fresh connection
                if parting is not None:
                    raise parting from None
                failures += 1
                if failures > 1 and time.monotonic() >= deadline:
                    raise ServiceUnavailable(f"{self.path}: the Sprout service went away") from None
                continue
            try:
                reply = self._read_reply(timeout if timeout is not None else self.timeout)
            except ServiceUnavailable:
                self.close()
                failures += 1
                if op in SAFE_TO_RESEND and (failures == 1 or time.monotonic() < deadline):
                    continue
                raise
            if not reply.get("ok"):
                err = reply.get("error") or {}
                code, message = str(err.get("code", "error")), str(err.get("message", "the service said no"))
                if code in ("forbidden", "too_long", "busy"):
                    self.close()  # the service hangs up after these
                raise ServiceRefused(code, message)
            if reply.get("id") != req_id:
                self.close()
                raise ServiceUnavailable(f"{self.path}: answer to another request ({reply.get('id')!r}); reconnecting")
            return reply.get("result")

    def _parting_words(self) -> ServiceRefused | None:
        try:
            reply = self._read_reply(0.2)
        except ServiceUnavailable:
            return None
        err = reply.get("error") if not reply.get("ok") else None
        if isinstance(err, dict):
            return ServiceRefused(str(err.get("code", "error")), str(err.get("message", "the service said no")))
        return None

    def _read_reply(self, timeout: float) -> dict[str, Any]:
        assert self._sock is not None
        self._sock.settimeout(timeout)
        try:
            while True:
                nl = self._rbuf.find(b"\n")
                if nl >= 0:
                    raw = bytes(self._rbuf[:nl])
                    del self._rbuf[: nl + 1]
                    try:
                        reply = json.loads(raw.decode("utf-8"))
                    except ValueError:
                        raise ServiceUnavailable(f"{self.path}: the service sent something unreadable") from None
                    if not isinstance(reply, dict):
                        raise ServiceUnavailable(f"{self.path}: the service sent something unreadable")
                    return reply
                if len(self._rbuf) > MAX_LINE:
                    raise ServiceUnavailable(f"{self.path}: the service's answer is too long")
                data = self._sock.recv(65536)
                if not data:
                    raise ServiceUnavailable(f"{self.path}: the service hung up")
                self._rbuf += data
        except TimeoutError:
            raise ServiceUnavailable(f"{self.path}: the service did not answer within {timeout:g} s") from None
        except OSError as exc:
            raise ServiceUnavailable(f"{self.path}: connection lost ({exc.strerror})") from None
        finally:
            if self._sock is not None:
                self._sock.settimeout(self.timeout)

    # ---- the operations -----------------------------------------------------------------------------------
    def status(self, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("status", reconnect_for=reconnect_for)

    def notices_since(self, cursor: int, reconnect_for: float = 0.0) -> list[dict[str, Any]]:
        return self.call("notices_since", {"cursor": cursor}, reconnect_for=reconnect_for)

    def wait_notices(self, cursor: int, timeout: float = 10.0, reconnect_for: float = 0.0) -> list[dict[str, Any]]:
        return self.call("wait_notices", {"cursor": cursor, "timeout": timeout}, reconnect_for=reconnect_for,
                         timeout=timeout + self.timeout)

    def submit_request(self, minutes: int, reason: str, scope: str, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("submit_request", {"minutes": minutes, "reason": reason, "scope": scope},
                         reconnect_for=reconnect_for)

    def privacy_report(self, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("privacy_report", reconnect_for=reconnect_for)

    def consent(self, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("consent", {}, reconnect_for=reconnect_for)

    def consent_answer(self, agree: bool, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("consent_answer", {"agree": bool(agree)}, reconnect_for=reconnect_for)

    def skills(self, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("skills", {}, reconnect_for=reconnect_for)

    def lesson_done(self, lesson_id: str, right: int, total: int, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("lesson_done", {"id": lesson_id, "right": right, "total": total},
                         reconnect_for=reconnect_for)

    def report_harmful(self, what: str, note: str, reconnect_for: float = 0.0) -> dict[str, Any]:
        return self.call("report_harmful", {"what": what, "note": note}, reconnect_for=reconnect_for)

    def lift_cover(self, pin: str) -> dict[str, Any]:
        return self.call("lift_cover", {"pin": pin})

    def brand_logo(self, expected: dict[str, Any] | None = None,
                   reconnect_for: float = 0.0) -> tuple[str, bytes] | None:
        """The device maker's logo as (type, bytes), fetched in pieces and checked whole; None when there is none or
        anything at all is wrong (the companion then shows Sprout's own look, never an error to the child).

        expected: status()'s "brand_logo" ({"type", "size", "sha256"}); when given, the bytes must match it too."""
        try:
            return self._fetch_logo(expected, reconnect_for)
        except ServiceRefused as exc:
            if exc.code == "not_found":
                log.info("companion: the service has no device maker's logo")
            else:
                log.warning("companion: brand logo refused by the service (%s)", exc)
        except ServiceUnavailable as exc:
            log.warning("companion: brand logo not fetched: %s", exc)
        except ValueError as exc:
            log.warning("companion: brand logo discarded: %s", exc)
        return None

    def _fetch_logo(self, expected: dict[str, Any] | None, reconnect_for: float) -> tuple[str, bytes]:
        """Page through brand_logo; ValueError names the first thing that does not add up."""
        data = bytearray()
        first: tuple[Any, Any, Any] | None = None
        while True:
            reply = self.call("brand_logo", {"offset": len(data)}, reconnect_for=reconnect_for)
            if not isinstance(reply, dict):
                raise ValueError(f"answer at offset {len(data)} is not an object")
            header = (reply.get("type"), reply.get("size"), reply.get("sha256"))
            if first is None:
                kind, size, digest = header
                if kind not in LOGO_TYPES:
                    raise ValueError(f"type {kind!r} is not one of {', '.join(LOGO_TYPES)}")
                if not isinstance(size, int) or isinstance(size, bool) or not 0 < size <= LOGO_MAX_BYTES:
                    raise ValueError(f"size {size!r} is not 1 to {LOGO_MAX_BYTES} bytes")
                if not isinstance(digest, str) or len(digest) != 64:
                    raise ValueError(f"sha256 {digest!r} is not 64 hex digits")
                if expected is not None and (expected.get("type"), expected.get("size"),
                                             expected.get("sha256")) != header:
                    raise ValueError(f"the logo offered ({kind}, {size} bytes, {digest[:12]}…) is not the one "
                                     f"status announced ({str(expected.get('sha256'))[:12]}…)")
                first = header
            elif header != first:  # the service restarted with another logo between two pieces
                raise ValueError(f"the logo changed while it was being fetched (at offset {len(data)})")
            if reply.get("offset") != len(data):
                raise ValueError(f"piece for offset {reply.get('offset')!r}, asked for {len(data)}")
            try:
                piece = base64.b64decode(str(reply.get("data", "")), validate=True)
            except (binascii.Error, ValueError):
                raise ValueError(f"piece at offset {len(data)} is not base64") from None
            if not piece:  # would loop for ever
                raise ValueError(f"empty piece at offset {len(data)} of {first[1]} bytes")
            data += piece
            if len(data) > first[1]:
                raise ValueError(f"more bytes than announced ({len(data)} > {first[1]})")
            if len(data) == first[1]:
                break
        actual = hashlib.sha256(data).hexdigest()
        if actual != first[2]:
            raise ValueError(f"sha256 mismatch: got {actual[:12]}…, announced {str(first[2])[:12]}…")
        return str(first[0]), bytes(data)
