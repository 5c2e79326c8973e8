"""Protocol v2: forward-secret sessions around v1 envelopes for relay traffic (agent/protocol/session.py), and what
the broker's operator sees of a whole family's day — recorded from `#` on a real Mosquitto."""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import json
import re
import threading
from typing import Any

import pytest

from agent.policy import preset
from agent.protocol import relay
from agent.protocol import session as v2
from agent.protocol.envelope import Channel
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity
from app import relay_client
from app.link_client import DeviceLink
from tests.support.relay_broker import MOSQUITTO
from tests.support.relay_home import Home, home, pair_through_relay  # noqa: F401 - home is a fixture


def pair_of_identities() -> tuple[Identity, Identity]:
    return Identity.generate("mom"), Identity.generate("Minh Anh")


def handshake(console: Identity, agent: Identity) -> tuple[v2.Session, v2.Session, v2.AgentSessions, bytes, bytes]:
    book = v2.AgentSessions(agent, lambda d: console.public if d == console.device_id else None)
    hs = v2.ConsoleHandshake(console, agent.public)
    h1 = hs.hello()
    h2, agent_side = book.answer(console.device_id, h1)
    return hs.finish(h2), agent_side, book, h1, h2


def test_a_session_carries_v1_envelopes_both_ways_and_each_session_has_its_own_keys() -> None:
    console, agent = pair_of_identities()
    mine, theirs, book, h1, h2 = handshake(console, agent)
    inner = Channel(console, agent.public).seal("status", {}, 1)
    wire = mine.seal(inner)
    got_session, got = book.open(console.device_id, wire)
    assert got == inner and got_session is theirs
    assert mine.open(theirs.seal(b"reply")) == b"reply"
    # a second session between the same pinned pair: fresh ephemeral keys, nothing opens across
    other, _, _, _, _ = handshake(console, agent)
    assert other.sid != mine.sid
    with pytest.raises(ProtocolError):
        other.open(theirs.seal(b"x"))
    assert len(h1) == v2.H1_LEN and len(h2) == v2.H2_LEN and h1[:2] == v2.MAGIC_H1


def test_forward_secrecy_the_static_keys_do_not_open_a_recorded_session() -> None:
    """Someone records H1, H2 and the traffic, then steals both static keys: replaying the handshake with them makes
    a new session (a new agent ephemeral) and the console's ephemeral is gone, so the record stays closed."""
    console, agent = pair_of_identities()
    hs = v2.ConsoleHandshake(console, agent.public)
    h1 = hs.hello()
    book = v2.AgentSessions(agent, lambda d: console.public)
    h2, _ = book.answer(console.device_id, h1)
    mine = hs.finish(h2)
    assert hs._e is None  # the console's ephemeral private key is dropped once the keys exist
    recorded = mine.seal(b'{"policy": "secret"}')
    stolen_agent = Identity(agent_secret(agent), "thief")  # both static keys in the thief's hands
    thief_book = v2.AgentSessions(stolen_agent, lambda d: console.public)
    _, replayed = thief_book.answer(console.device_id, h1)
    with pytest.raises(ProtocolError) as exc:
        replayed.open(recorded)
    assert exc.value.code == "forged"


def agent_secret(identity: Identity) -> bytes:
    from cryptography.hazmat.primitives import serialization

    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    return identity._sign.private_bytes(*raw) + identity._kx.private_bytes(*raw)


def test_every_altered_byte_an_unpinned_console_and_bad_points_are_refused() -> None:
    console, agent = pair_of_identities()
    book = v2.AgentSessions(agent, lambda d: console.public if d == console.device_id else None)
    h1 = v2.ConsoleHandshake(console, agent.public).hello()
    for i in range(2, len(h1)):
        bad = bytearray(h1)
        bad[i] ^= 0x01
        with pytest.raises(ProtocolError) as exc:
            book.answer(console.device_id, bytes(bad))
        assert exc.value.code in ("session_forged", "bad_session"), i
    stranger = Identity.generate("x")
    with pytest.raises(ProtocolError) as exc:  # claims to be mom, holds another key
        book.answer(console.device_id, v2.ConsoleHandshake(stranger, agent.public).hello())
    assert exc.value.code == "session_forged"
    with pytest.raises(ProtocolError) as exc:
        book.answer(stranger.device_id, v2.ConsoleHandshake(stranger, agent.public).hello())
    assert exc.value.code == "unknown_peer"
    zero = v2.MAGIC_H1 + bytes(16) + bytes(32) + bytes(16)  # the all-zero point: small order
    with pytest.raises(ProtocolError) as exc:
        book.answer(console.device_id, zero)
    assert exc.value.code == "bad_session"
    # the agent's answer, altered anywhere, is refused by the console
    hs = v2.ConsoleHandshake(console, agent.public)
    h2, _ = book.answer(console.device_id, hs.hello())
    for i in range(2, len(h2)):
        bad = bytearray(h2)
        bad[i] ^= 0x80
        probe = v2.ConsoleHandshake.__new__(v2.ConsoleHandshake)
        probe.__dict__.update(hs.__dict__)
        with pytest.raises(ProtocolError):
            probe.finish(bytes(bad))
    mine = hs.finish(h2)
    wire = mine.seal(b"hello")
    for i in range(len(wire)):
        bad = bytearray(wire)
        bad[i] ^= 0x01
        with pytest.raises(ProtocolError):
            book.open(console.device_id, bytes(bad))
    with pytest.raises(ProtocolError) as exc:  # the right session id from the wrong console's topic
        book.open(stranger.device_id, wire)
    assert exc.value.code == "unknown_session"


def test_sessions_are_bounded_per_console_and_in_total() -> None:
    console, agent = pair_of_identities()
    book = v2.AgentSessions(agent, lambda d: console.public)
    made = [book.answer(console.device_id, v2.ConsoleHandshake(console, agent.public).hello())[1]
            for _ in range(v2.MAX_SESSIONS_PER_PEER + 3)]
    assert [s.sid for s in book.sessions_of(console.device_id)] == [s.sid for s in made[-v2.MAX_SESSIONS_PER_PEER:]]


# ---- what the broker operator sees ----------------------------------------------------------------------

def leaks(payload: bytes, secrets: list[str]) -> list[str]:
    """The secrets found in a payload: raw, or inside any base64 text in it (v1 headers were base64 JSON)."""
    views = [payload]
    for chunk in re.findall(rb"[A-Za-z0-9_\-+/=]{16,}", payload):
        for decode in (base64.urlsafe_b64decode, base64.b64decode):
            with contextlib.suppress(ValueError):
                views.append(decode(chunk + b"=" * (-len(chunk) % 4)))
    text = b"\n".join(views)
    return [s for s in secrets if s.encode() in text]


def _keys(doc: Any) -> set[str]:
    if isinstance(doc, dict):
        return set(doc) | {k for v in doc.values() for k in _keys(v)}
    if isinstance(doc, list):
        return {k for v in doc for k in _keys(v)}
    return set()


@pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")
def test_the_broker_operator_sees_no_field_names_no_policy_text_and_no_domains(home: Home) -> None:
    seen: list[tuple[str, bytes]] = []
    ready = threading.Event()

    def on_connect(client: Any) -> None:
        # set here, before the subscription goes out: set after connect() returned, the broker's answer could
        # come first and nobody would hear it
        client.on_subscribe = lambda *a: ready.set()
        client.subscribe("#", qos=1)

    spy = relay.connect(dataclasses.replace(home.operator, broker=f"127.0.0.1:{home.broker.port}"),
                        on_connect=on_connect, on_message=lambda c, u, m: seen.append((m.topic, bytes(m.payload) + b"\n" + repr(
                            getattr(m.properties, "UserProperty", [])).encode())))
    assert ready.wait(60)
    try:
        pair_through_relay(home)
        link = DeviceLink(home.family, home.agent_id)
        doc = preset(age=10)
        doc["version"] = 4
        doc["child"]["name"] = "Minh Anh"
        doc.setdefault("web", {})["deny"] = ["truyen-tranh-bi-mat.example.vn"]
        doc["web"]["allow"] = ["hoc-toan-vui.example.vn"]
        assert link.push_policy(doc) == 4
        home.child_writes("time_request", {"id": "req-42", "minutes": 30, "reason": "bài tập về nhà",
                                           "scope": "screen"})
        link.fetch()
        link.decide("req-42", True, 30, "cố lên con")
        assert link.status()["policy_version"] == 4
        home.child_writes("summary", {"day": "2026-12-06", "apps": {"minecraft.exe": 55}, "blocked": 3})
        link.fetch()
    finally:
        spy.disconnect()
        spy.loop_stop()
    conn = relay_client.for_family(home.family)
    assert conn is not None and conn._sessions  # it all went through a v2 session
    secrets = sorted({k for k in _keys(doc) if len(k) >= 4}
                     | {"truyen-tranh-bi-mat.example.vn", "hoc-toan-vui.example.vn", "example.vn", "Minh Anh",
                        "bài tập", "cố lên", "minecraft", "req-42", "policy_push", "time_request", "decision",
                        "outbox", "status", "summary", "items", "cursor", "signer", "kind", "reply", "push"})
    sealed = [(t, p) for t, p in seen if not t.endswith("/pair")]
    assert len(sealed) >= 12, [t for t, _ in seen]
    found = {t: leaks(p, secrets) for t, p in sealed}
    assert not any(found.values()), {t: f for t, f in found.items() if f}
    # pairing runs before any key exists: SPAKE2 framing (spake, session, confirm, box), nothing of the family
    # (its op property, start/finish, is a word the policy also uses: the payloads are what is checked here)
    pairing = [p.rsplit(b"\n", 1)[0] for t, p in seen if t.endswith("/pair") or b'"spake"' in p or b'"box"' in p]
    assert pairing and not [leaks(p, secrets) for p in pairing if leaks(p, secrets)], [leaks(p, secrets) for p in pairing]
    # the detector itself: the same policy push as a bare v1 envelope would have given its kind away
    v1 = Channel(home.family.identity, home.family.peer_keys(home.agent_id)).seal("policy_push", {}, 10**6)
    assert "policy_push" in leaks(v1, secrets) and "kind" in leaks(v1, secrets)
    assert json.loads(v1)  # (v1 is JSON with a base64 header; v2 is opaque bytes)
