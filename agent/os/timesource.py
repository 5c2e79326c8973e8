"""Network time the child cannot set from its account: SNTP (RFC 4330) to public servers, asked by the service only
while trusted time is held after a reboot (agent/ledger/ledger.py), on its own thread: the tick never waits on it.

A reply counts only if it answers our own request (the originate timestamp echoes the random transmit value we
sent), comes from a synchronised server (stratum 1–15, leap indicator not "alarm") and arrives within the timeout.
"""

from __future__ import annotations

import logging
import os
import socket
import struct
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

log = logging.getLogger(__name__)

NTP_EPOCH_OFFSET = 2_208_988_800  # 1900-01-01 → 1970-01-01
DEFAULT_SERVERS = ("pool.ntp.org", "time.google.com", "time.cloudflare.com")


class TimeSourceError(Exception):
    pass


def _to_ntp(seconds: float) -> bytes:
    whole = int(seconds)
    return struct.pack("!II", whole & 0xFFFFFFFF, int((seconds - whole) * 2**32) & 0xFFFFFFFF)


def _from_ntp(raw: bytes) -> float:
    whole, frac = struct.unpack("!II", raw)
    return whole + frac / 2**32


def sntp_time(server: str, port: int = 123, timeout: float = 2.0,
              monotonic: Callable[[], float] = time.monotonic) -> float:
    """The server's time now (Unix seconds), corrected by half the round trip. Raises TimeSourceError."""
    nonce = os.urandom(8)
    request = b"\x23" + b"\x00" * 39 + nonce  # LI 0, version 4, mode 3 (client); transmit = our nonce
    try:
        infos = socket.getaddrinfo(server, port, type=socket.SOCK_DGRAM)
    except OSError as exc:
        raise TimeSourceError(f"{server}: cannot resolve: {exc}") from None
    family, _, _, _, address = infos[0]
    with socket.socket(family, socket.SOCK_DGRAM) as s:
        s.settimeout(timeout)
        sent = monotonic()
        try:
            s.sendto(request, address)
            reply, _ = s.recvfrom(512)
        except OSError as exc:
            raise TimeSourceError(f"{server}: no answer: {exc}") from None
        rtt = monotonic() - sent
    if len(reply) < 48:
        raise TimeSourceError(f"{server}: short reply ({len(reply)} bytes)")
    leap, mode, stratum = reply[0] >> 6, reply[0] & 0x7, reply[1]
    if mode != 4 or not 1 <= stratum <= 15 or leap == 3:
        raise TimeSourceError(f"{server}: not a synchronised server reply (mode {mode}, stratum {stratum})")
    if reply[24:32] != nonce:
        raise TimeSourceError(f"{server}: the reply does not answer our request")
    transmit = _from_ntp(reply[40:48])
    if transmit == 0:
        raise TimeSourceError(f"{server}: empty transmit time")
    return transmit - NTP_EPOCH_OFFSET + rtt / 2


def parse_server(text: str) -> tuple[str, int]:
    host, sep, port = text.rpartition(":")
    if sep and port.isdigit() and host and not host.endswith(":"):
        return host.strip("[]"), int(port)
    return text, 123


class TimeVerifier:
    """While `held()` says trusted time waits for a source, ask the servers in turn every `every_s`; the first good
    answer goes to `confirm(wall, source)`."""

    def __init__(self, held: Callable[[], bool], confirm: Callable[[float, str], Any], servers: Sequence[str],
                 *, every_s: float = 30.0, timeout: float = 2.0) -> None:
        self.held = held
        self.confirm = confirm
        self.servers = [parse_server(s) for s in servers]
        self.every_s = every_s
        self.timeout = timeout
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sprout-time", daemon=True)

    def check(self) -> bool:
        """One round; True when a server answered and the answer was passed on."""
        if not self.held():
            return False
        for host, port in self.servers:
            try:
                wall = sntp_time(host, port, self.timeout)
            except TimeSourceError as exc:
                log.info("time check: %s", exc)
                continue
            self.confirm(wall, f"ntp:{host}")
            return True
        return False

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.check()
            except Exception:
                log.exception("time check failed")
            self._stop.wait(self.every_s)

    def start(self) -> TimeVerifier:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
