"""Authenticated encryption between two pinned identities.

Each direction has its own key: HKDF-SHA256 over the static X25519 secret, with both device IDs (sender first) in
`info`, so a message can never be reflected back to its sender. The nonce is the direction's counter, which must
rise strictly: the receiver keeps the highest counter it accepted (persisted), so a replayed or reordered message
is refused. The header (version, kind, sender, receiver, counter, reply-to) is the AEAD's associated data, so
changing any byte of it — or of the ciphertext — fails authentication.

The nonce is lane (4 bytes) + counter (8 bytes): unique per direction key as long as counters are stored before
use. Wire form (JSON): {"h": base64url(header JSON), "c": base64url(ciphertext)}.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e

VERSION = 1
MAX_ENVELOPE_BYTES = 1 << 20  # policies are a few KB, report pages are bounded by `limit`
MAX_COUNTER = (1 << 63) - 1
# Lanes are independent counter sequences, so a long-poll (lane 1) never blocks or reorders commands (lane 0); the
# agent's unprompted pushes through the relay (lane 2, docs/relay.md) never race a reply for a counter.
LANES = (0, 1, 2)
LANE_COMMANDS, LANE_POLL, LANE_PUSH = 0, 1, 2


def direction_key(shared: bytes, sender_id: str, receiver_id: str) -> bytes:
    info = f"sprout link v{VERSION} {sender_id} -> {receiver_id}".encode("ascii")
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"sprout/link", info=info).derive(shared)


@dataclass(frozen=True)
class Header:
    kind: str
    sender: str
    receiver: str
    counter: int
    reply_to: int = 0
    lane: int = 0

    def to_bytes(self) -> bytes:
        return json.dumps({"v": VERSION, "kind": self.kind, "from": self.sender, "to": self.receiver,
                           "ctr": self.counter, "re": self.reply_to, "lane": self.lane}, sort_keys=True,
                          separators=(",", ":")).encode("ascii")

    @classmethod
    def from_bytes(cls, raw: bytes) -> Header:
        try:
            data = json.loads(raw)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError("bad_header", "the envelope header is not JSON") from None
        if not isinstance(data, dict) or data.get("v") != VERSION:
            raise ProtocolError("bad_version", f"unsupported envelope version (this side speaks v{VERSION})")
        kind, sender, receiver = data.get("kind"), data.get("from"), data.get("to")
        ctr, re_, lane = data.get("ctr"), data.get("re", 0), data.get("lane", 0)
        if not all(isinstance(x, str) and 0 < len(x) <= 64 for x in (kind, sender, receiver)):
            raise ProtocolError("bad_header", "header fields kind/from/to must be short strings")
        for name, value in (("ctr", ctr), ("re", re_)):
            if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNTER:
                raise ProtocolError("bad_header", f"header field {name} must be a non-negative integer")
        if not isinstance(lane, int) or isinstance(lane, bool) or lane not in LANES:
            raise ProtocolError("bad_header", f"header field lane must be one of {LANES}")
        if ctr == 0:
            raise ProtocolError("bad_header", "counters start at 1")
        return cls(kind, sender, receiver, ctr, re_, lane)


def _nonce(lane: int, counter: int) -> bytes:
    return lane.to_bytes(4, "big") + counter.to_bytes(8, "big")


class Channel:
    """One pinned peer: seals what we send to it and opens what it sends to us. Counters are kept by the caller."""

    def __init__(self, me: Identity, peer: PeerKeys) -> None:
        shared = me.shared_secret(peer)
        self.me_id, self.peer_id = me.device_id, peer.device_id
        self._send = ChaCha20Poly1305(direction_key(shared, self.me_id, self.peer_id))
        self._recv = ChaCha20Poly1305(direction_key(shared, self.peer_id, self.me_id))

    def seal(self, kind: str, payload: Any, counter: int, reply_to: int = 0, lane: int = 0) -> bytes:
        if not 0 < counter <= MAX_COUNTER or lane not in LANES:
            raise ValueError("counter or lane out of range")
        header = Header(kind, self.me_id, self.peer_id, counter, reply_to, lane).to_bytes()
        body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        ct = self._send.encrypt(_nonce(lane, counter), body, header)
        return json.dumps({"h": b64e(header), "c": b64e(ct)}).encode("ascii")

    def open(self, wire: bytes, last_counter: int | Callable[[int], int]) -> tuple[Header, Any]:
        """Authenticate and decrypt; refuse anything whose counter is not above the last one accepted on its lane
        (`last_counter` is that number, or a function of the lane giving it)."""
        header_raw, ct = split_wire(wire)
        header = Header.from_bytes(header_raw)
        if header.sender != self.peer_id or header.receiver != self.me_id:
            raise ProtocolError("wrong_peer", "the envelope is not from this peer to this device")
        try:
            body = self._recv.decrypt(_nonce(header.lane, header.counter), ct, header_raw)
        except InvalidTag:
            raise ProtocolError("forged", "authentication failed: the message was altered or sealed with another "
                                          "key") from None
        last = last_counter(header.lane) if callable(last_counter) else last_counter
        if header.counter <= last:
            raise ProtocolError("replay", f"counter {header.counter} is not above {last} on lane {header.lane}: "
                                          "a replayed or reordered message")
        try:
            payload = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            raise ProtocolError("bad_payload", "the decrypted payload is not JSON") from None
        return header, payload


def split_wire(wire: bytes) -> tuple[bytes, bytes]:
    """Parse the outer JSON without trusting it; bounded in size."""
    if len(wire) > MAX_ENVELOPE_BYTES:
        raise ProtocolError("too_large", f"envelope of {len(wire)} bytes exceeds {MAX_ENVELOPE_BYTES}")
    try:
        outer = json.loads(wire)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("bad_envelope", "the body is not a JSON envelope (truncated?)") from None
    if not isinstance(outer, dict) or set(outer) != {"h", "c"}:
        raise ProtocolError("bad_envelope", "an envelope has exactly the fields h and c")
    header_raw, ct = b64d(outer["h"], "h"), b64d(outer["c"], "c")
    if len(ct) < 16:
        raise ProtocolError("bad_envelope", "ciphertext shorter than its authentication tag (truncated?)")
    return header_raw, ct


def peek_header(wire: bytes) -> Header:
    """The claimed header, unauthenticated: only to find which pinned key to try."""
    return Header.from_bytes(split_wire(wire)[0])
