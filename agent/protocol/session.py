"""Protocol v2: a forward-secret session layer around v1 envelopes, for traffic that crosses a third party (the relay).

Built from `cryptography`'s X25519, HKDF-SHA256 and ChaCha20-Poly1305 — no primitive of our own. The handshake mixes
the same four Diffie-Hellman results as Noise KK (both sides already hold each other's pinned static key):
    H1 console → agent:  MAGIC_H1 ‖ sid(16) ‖ e_c(32) ‖ tag1      tag1 keyed by DH(e_c,S_a) ‖ DH(S_c,S_a)
    H2 agent → console:  MAGIC_H2 ‖ sid ‖ e_a(32) ‖ tag2            tag2 keyed by ee ‖ es ‖ se ‖ ss
    transport keys = HKDF(ee ‖ DH(e_c,S_a) ‖ DH(S_c,e_a) ‖ ss, salt, info = direction ‖ transcript)
The tags authenticate each side with its pinned static key (the console: only it or the agent can compute ss, and
the agent knows it did not send H1; the agent: H2's tag needs S_a or e_c); the transcript (both device IDs, sid, both
ephemeral keys) is in every derivation, so nothing can be spliced from another session. The ephemeral private keys
live only until the transport keys are derived: someone who records the broker's traffic and later steals both
static keys cannot compute DH(e_c, e_a), so cannot read what was sent (forward secrecy).

Transport: MAGIC_T ‖ sid ‖ ctr(8) ‖ ChaCha20-Poly1305(k_dir, 0⁴ ‖ ctr, inner, aad = the 25 bytes before it). The
inner bytes are a complete v1 envelope, so pinning, per-lane persisted counters (replays refused without side
effects), signatures and every v1 check still apply; the outer counter only keeps nonces unique (sessions never
outlive the process that made them, so it is never reused). A broker sees random-looking bytes and lengths: no
header, no kind, no field names.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from agent.lru import LRU
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys

VERSION = 2
MAGIC_H1, MAGIC_H2, MAGIC_T = b"\x02\x01", b"\x02\x02", b"\x02\x03"
SID_BYTES = 16
_SALT = b"sprout/link/v2"
_ZERO_NONCE = bytes(12)
H1_LEN = H2_LEN = 2 + SID_BYTES + 32 + 16
T_HEAD = 2 + SID_BYTES + 8
MAX_SESSIONS_PER_PEER = 4
MAX_SESSIONS = 256
SESSION_IDLE_S = 2 * 3600.0
MAX_COUNTER = (1 << 64) - 1


def is_v2(wire: bytes) -> bool:
    return len(wire) >= 2 and wire[:1] == b"\x02"


def _raw(pub: X25519PublicKey) -> bytes:
    return pub.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _pub(raw: bytes) -> X25519PublicKey:
    try:
        return X25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise ProtocolError("bad_session", "an ephemeral key is not a curve point") from None


def _kdf(ikm: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info).derive(ikm)


def _dh(priv: X25519PrivateKey, pub: X25519PublicKey) -> bytes:
    try:
        return priv.exchange(pub)
    except ValueError:  # a small-order point gives all zeros: refuse rather than derive from nothing
        raise ProtocolError("bad_session", "an ephemeral key is of small order") from None


def _transcript(console: str, agent: str, sid: bytes, e_c: bytes, e_a: bytes = b"") -> bytes:
    return b"sprout v2\0" + console.encode() + b"\0" + agent.encode() + b"\0" + sid + e_c + e_a


def _tag(key: bytes, transcript: bytes) -> bytes:
    return ChaCha20Poly1305(key).encrypt(_ZERO_NONCE, b"", transcript)


def _check_tag(key: bytes, transcript: bytes, tag: bytes, who: str) -> None:
    try:
        ChaCha20Poly1305(key).decrypt(_ZERO_NONCE, tag, transcript)
    except InvalidTag:
        raise ProtocolError("session_forged", f"the {who} handshake was not made with the pinned key") from None


@dataclass
class Session:
    """Transport keys of one session; nothing ephemeral is kept."""

    sid: bytes
    peer: str
    send: ChaCha20Poly1305 = field(repr=False)
    recv: ChaCha20Poly1305 = field(repr=False)
    created: float = 0.0
    used: float = 0.0
    ctr: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def seal(self, inner: bytes) -> bytes:
        with self._lock:
            if self.ctr >= MAX_COUNTER:
                raise ProtocolError("session_spent", "this session has sent all it may; make a new one")
            self.ctr += 1
            ctr = self.ctr
        head = MAGIC_T + self.sid + ctr.to_bytes(8, "big")
        return head + self.send.encrypt(b"\0\0\0\0" + head[-8:], inner, head)

    def open(self, wire: bytes) -> bytes:
        if len(wire) < T_HEAD + 16 or wire[:2] != MAGIC_T or wire[2:2 + SID_BYTES] != self.sid:
            raise ProtocolError("bad_session", "not a transport message of this session")
        head = wire[:T_HEAD]
        try:
            return self.recv.decrypt(b"\0\0\0\0" + head[-8:], wire[T_HEAD:], head)
        except InvalidTag:
            raise ProtocolError("forged", "authentication failed: altered, or sealed in another session") from None


def _transport(console: str, agent: str, ikm: bytes, transcript: bytes, me_is_console: bool, sid: bytes,
               now: float) -> Session:
    c2a = ChaCha20Poly1305(_kdf(ikm, b"c2a\0" + transcript))
    a2c = ChaCha20Poly1305(_kdf(ikm, b"a2c\0" + transcript))
    send, recv = (c2a, a2c) if me_is_console else (a2c, c2a)
    return Session(sid, agent if me_is_console else console, send, recv, now, now)


class ConsoleHandshake:
    """The console's half: make H1, then turn the agent's H2 into a Session."""

    def __init__(self, me: Identity, agent: PeerKeys, clock: Callable[[], float] = time.time) -> None:
        self.me, self.agent, self.clock = me, agent, clock
        self.sid = os.urandom(SID_BYTES)
        self._e = X25519PrivateKey.generate()
        self._e_pub = _raw(self._e.public_key())
        self._ss = me.shared_secret(agent)

    def hello(self) -> bytes:
        es = _dh(self._e, agent_kx(self.agent))
        t1 = _transcript(self.me.device_id, self.agent.device_id, self.sid, self._e_pub)
        return MAGIC_H1 + self.sid + self._e_pub + _tag(_kdf(es + self._ss, b"h1\0" + t1), t1)

    def finish(self, h2: bytes) -> Session:
        if self._e is None:
            raise ProtocolError("bad_session", "this handshake is already finished")
        if len(h2) != H2_LEN or h2[:2] != MAGIC_H2 or not hmac.compare_digest(h2[2:2 + SID_BYTES], self.sid):
            raise ProtocolError("bad_session", "not the answer to this handshake")
        e_a_raw = h2[2 + SID_BYTES:2 + SID_BYTES + 32]
        e_a = _pub(e_a_raw)
        ee, es = _dh(self._e, e_a), _dh(self._e, agent_kx(self.agent))
        se = _static_dh(self.me, e_a_raw)
        ikm = ee + es + se + self._ss
        t2 = _transcript(self.me.device_id, self.agent.device_id, self.sid, self._e_pub, e_a_raw)
        _check_tag(_kdf(ikm, b"h2\0" + t2), t2, h2[-16:], "agent's")
        self._e = None  # type: ignore[assignment] - forward secrecy: the ephemeral key goes now
        now = self.clock()
        return _transport(self.me.device_id, self.agent.device_id, ikm, t2, True, self.sid, now)


def agent_kx(peer: PeerKeys) -> X25519PublicKey:
    return _pub(peer.kx_pub)


def _static_dh(me: Identity, ephemeral_raw: bytes) -> bytes:
    """DH(my static key, an ephemeral public key): Identity keeps its private key to itself, so ask it."""
    try:
        return me.shared_secret(PeerKeys(bytes(32), ephemeral_raw))
    except ProtocolError:
        raise ProtocolError("bad_session", "an ephemeral key is of small order") from None


class AgentSessions:
    """The agent's sessions with its consoles: answer H1s, open and seal transport messages. In memory only, bounded
    per console and in total (the oldest goes), so a flood of handshakes costs memory for at most MAX_SESSIONS."""

    def __init__(self, me: Identity, peer_keys: Callable[[str], PeerKeys | None],
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.me = me
        self.peer_keys = peer_keys
        self.clock = clock
        self._sessions: LRU[bytes, Session] = LRU(MAX_SESSIONS)  # the least recently used goes first
        self._lock = threading.Lock()

    def answer(self, console: str, h1: bytes) -> tuple[bytes, Session]:
        if len(h1) != H1_LEN or h1[:2] != MAGIC_H1:
            raise ProtocolError("bad_session", "not a session hello")
        peer = self.peer_keys(console)
        if peer is None:
            raise ProtocolError("unknown_peer", "this console is not paired with this device")
        sid, e_c_raw, tag = h1[2:2 + SID_BYTES], h1[2 + SID_BYTES:2 + SID_BYTES + 32], h1[-16:]
        e_c = _pub(e_c_raw)
        ss = self.me.shared_secret(peer)
        es = _static_dh(self.me, e_c_raw)
        t1 = _transcript(console, self.me.device_id, sid, e_c_raw)
        _check_tag(_kdf(es + ss, b"h1\0" + t1), t1, tag, "console's")
        e = X25519PrivateKey.generate()
        e_a_raw = _raw(e.public_key())
        ee, se = _dh(e, e_c), _dh(e, agent_kx(peer))
        ikm = ee + es + se + ss
        del e  # forward secrecy: only the derived keys remain
        t2 = _transcript(console, self.me.device_id, sid, e_c_raw, e_a_raw)
        h2 = MAGIC_H2 + sid + e_a_raw + _tag(_kdf(ikm, b"h2\0" + t2), t2)
        session = _transport(console, self.me.device_id, ikm, t2, False, sid, self.clock())
        with self._lock:
            old = self._sessions.pop(sid, None)
            if old is not None and old.peer != console:
                self._sessions[sid] = old  # a sid belongs to its first console; the other one retries
                raise ProtocolError("bad_session", "session id in use")
            self._sessions.put(sid, session)
            self._evict(console)
        return h2, session

    def _evict(self, console: str) -> None:
        now = self.clock()
        for sid, s in list(self._sessions.items()):
            if now - s.used > SESSION_IDLE_S:
                del self._sessions[sid]
        mine = [sid for sid, s in self._sessions.items() if s.peer == console]
        for sid in mine[:-MAX_SESSIONS_PER_PEER]:
            del self._sessions[sid]

    def open(self, console: str, wire: bytes) -> tuple[Session, bytes]:
        """The session and the inner v1 envelope of a transport message from `console`."""
        if len(wire) < T_HEAD + 16 or wire[:2] != MAGIC_T:
            raise ProtocolError("bad_session", "not a session transport message")
        with self._lock:
            session = self._sessions.touch(wire[2:2 + SID_BYTES])
        if session is None or session.peer != console:
            raise ProtocolError("unknown_session", "no such session here (the agent restarted?): make a new one")
        inner = session.open(wire)
        session.used = self.clock()
        return session, inner

    def sessions_of(self, console: str) -> list[Session]:
        with self._lock:
            return [s for s in self._sessions.values() if s.peer == console]

    def drop_peer(self, console: str) -> None:
        with self._lock:
            for sid in [sid for sid, s in self._sessions.items() if s.peer == console]:
                del self._sessions[sid]
