"""Short-code pairing: SPAKE2 keyed by the code, key confirmation, then the long-term keys under the agreed key.

Flow (A = console, B = agent; the agent shows the code):
  1. A -> B  start   {spake: msgA}
     B: SPAKE2_B(code).finish(msgA) = K; the code is now spent whatever follows (one try per code).
     B -> A  {session, spake: msgB, confirm: HMAC(kB, transcript)}
  2. A: K = SPAKE2_A(code).finish(msgB); checks B's confirm in constant time (wrong code or a man in the middle
     stop here). A -> B  finish {session, confirm: HMAC(kA, transcript), box: AEAD(kboxA, A's public keys + name)}
     B: checks A's confirm in constant time, opens the box, pins A.
     B -> A  {box: AEAD(kboxB, B's public keys + name)}; A pins B.
The transcript is both SPAKE2 messages, so the confirmations bind the whole exchange; each key is derived from K
with HKDF and a distinct label.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from spake2 import SPAKE2_A, SPAKE2_B, SPAKEError

from agent.protocol.devid import luhn32
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import PeerKeys, b64d, b64e

# Crockford's base32: no I, L, O, U, so a child's handwriting or a parent's squint cannot confuse two characters.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_RANDOM_CHARS = 7  # 35 bits; the 8th character is a check character
_ID_A, _ID_B = b"sprout-console", b"sprout-agent"


def new_code() -> str:
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_RANDOM_CHARS))
    return body + luhn32(body, CODE_ALPHABET)


def display_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def normalize_code(text: str) -> str:
    """Accept what a person types (case, dashes, spaces, O for 0, I/L for 1); raise ProtocolError on a typo."""
    cleaned = "".join(str(text).split()).replace("-", "").upper()
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != CODE_RANDOM_CHARS + 1:
        raise ProtocolError("bad_code", f"a pairing code has {CODE_RANDOM_CHARS + 1} characters, "
                                        f"this one has {len(cleaned)}")
    bad = [c for c in cleaned if c not in CODE_ALPHABET]
    if bad:
        raise ProtocolError("bad_code", f"character {bad[0]!r} cannot appear in a pairing code")
    if luhn32(cleaned[:-1], CODE_ALPHABET) != cleaned[-1]:
        raise ProtocolError("bad_code", "the check character does not match: a typo in the code?")
    return cleaned


def _labelled(key: bytes, label: str, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=b"sprout/pair",
                info=label.encode("ascii")).derive(key)


def _confirm(key: bytes, side: str, transcript: bytes) -> bytes:
    return hmac.new(_labelled(key, f"confirm {side}"), transcript, hashlib.sha256).digest()


def _transcript(msg_a: bytes, msg_b: bytes) -> bytes:
    return len(msg_a).to_bytes(2, "big") + msg_a + msg_b


def _seal_keys(key: bytes, side: str, keys: PeerKeys) -> str:
    box = ChaCha20Poly1305(_labelled(key, f"box {side}")).encrypt(b"\x00" * 12, json.dumps(keys.to_json()).encode(),
                                                                  side.encode())
    return b64e(box)


def _open_keys(key: bytes, side: str, box: Any) -> PeerKeys:
    try:
        raw = ChaCha20Poly1305(_labelled(key, f"box {side}")).decrypt(b"\x00" * 12, b64d(box, "box"), side.encode())
    except InvalidTag:
        raise ProtocolError("pair_forged", "the key box failed authentication") from None
    try:
        return PeerKeys.from_json(json.loads(raw))
    except ValueError:
        raise ProtocolError("pair_bad_box", "the key box does not hold public keys") from None


class ConsolePairing:
    """The console's half (SPAKE2 side A)."""

    def __init__(self, code: str, me: PeerKeys) -> None:
        self._spake = SPAKE2_A(normalize_code(code).encode("ascii"), idA=_ID_A, idB=_ID_B)
        self._me = me
        self._msg_a = self._spake.start()
        self._key: bytes | None = None

    def start_message(self) -> dict[str, str]:
        return {"spake": b64e(self._msg_a)}

    def finish_message(self, reply: Any) -> dict[str, str]:
        """Check the agent's confirmation; raise ProtocolError("wrong_code") if the code (or the peer) is wrong."""
        if not isinstance(reply, dict):
            raise ProtocolError("pair_bad_reply", "the agent's reply is not an object")
        msg_b = b64d(reply.get("spake"), "spake")
        try:
            key = self._spake.finish(msg_b)
        except (SPAKEError, ValueError, TypeError):
            raise ProtocolError("pair_bad_reply", "the agent's SPAKE2 message is malformed") from None
        transcript = _transcript(self._msg_a, msg_b)
        if not hmac.compare_digest(_confirm(key, "agent", transcript), b64d(reply.get("confirm"), "confirm")):
            raise ProtocolError("wrong_code", "key confirmation failed: the code was wrong or someone is in the "
                                              "middle; the agent has burnt this code")
        self._key = key
        session = reply.get("session")
        if not isinstance(session, str) or len(session) > 64:
            raise ProtocolError("pair_bad_reply", "the agent's reply has no session")
        return {"session": session, "confirm": b64e(_confirm(key, "console", transcript)),
                "box": _seal_keys(key, "console", self._me)}

    def agent_keys(self, reply: Any) -> PeerKeys:
        if self._key is None:
            raise ProtocolError("pair_order", "finish_message must succeed first")
        if not isinstance(reply, dict):
            raise ProtocolError("pair_bad_reply", "the agent's reply is not an object")
        return _open_keys(self._key, "agent", reply.get("box"))


class AgentPairing:
    """The agent's half (SPAKE2 side B) for one attempt; the caller spends the code before creating it."""

    def __init__(self, code: str, start: Any, me: PeerKeys) -> None:
        if not isinstance(start, dict):
            raise ProtocolError("pair_bad_request", "the pairing request is not an object")
        msg_a = b64d(start.get("spake"), "spake")
        spake = SPAKE2_B(normalize_code(code).encode("ascii"), idA=_ID_A, idB=_ID_B)
        msg_b = spake.start()
        try:
            self._key = spake.finish(msg_a)
        except (SPAKEError, ValueError, TypeError):
            raise ProtocolError("pair_bad_request", "the console's SPAKE2 message is malformed") from None
        self._transcript = _transcript(msg_a, msg_b)
        self._msg_b = msg_b
        self._me = me
        self.session = secrets.token_hex(16)

    def reply(self) -> dict[str, str]:
        return {"session": self.session, "spake": b64e(self._msg_b),
                "confirm": b64e(_confirm(self._key, "agent", self._transcript))}

    def finish(self, msg: Any) -> tuple[PeerKeys, dict[str, str]]:
        """Check the console's confirmation (constant time) and open its keys; return them and the final reply."""
        if not isinstance(msg, dict):
            raise ProtocolError("pair_bad_request", "the finish request is not an object")
        if not hmac.compare_digest(_confirm(self._key, "console", self._transcript),
                                   b64d(msg.get("confirm"), "confirm")):
            raise ProtocolError("wrong_code", "key confirmation failed: wrong code or a man in the middle")
        console = _open_keys(self._key, "console", msg.get("box"))
        return console, {"box": _seal_keys(self._key, "agent", self._me)}
