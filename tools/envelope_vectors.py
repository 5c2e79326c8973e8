"""Shared test vectors for the sealed envelope (agent/protocol/envelope.py) and the v2 session layer
(agent/protocol/session.py), written from the Python implementation: resources/phone/envelope-vectors.json and
resources/phone/session-vectors.json. The phone's JavaScript (phone/src/envelope.js and phone/src/session.js, built
to resources/phone/) must seal the same bytes and refuse the same forgeries
(tests/agent/protocol/test_envelope_vectors.py, tests/phone/test_session.py).

    .venv/bin/python tools/envelope_vectors.py [--check]
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

from agent.protocol.envelope import Channel
from agent.protocol.identity import Identity, b64d, b64e

OUT = Path(__file__).resolve().parent.parent / "resources" / "phone" / "envelope-vectors.json"
SESSION_OUT = OUT.with_name("session-vectors.json")
# fixed, published secrets: these keys protect nothing
CONSOLE = Identity(bytes(range(64)), "mẹ")
AGENT = Identity(bytes(range(64, 128)), "Minh Anh")


def _party(identity: Identity) -> dict[str, str]:
    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    return {"id": identity.device_id, "kx_private": identity._kx.private_bytes(*raw).hex(),
            "kx_public": identity.public.kx_pub.hex()}


def vectors() -> dict[str, Any]:
    who = {"console": CONSOLE, "agent": AGENT}
    seal_cases = [
        ("status", "console", "agent", "status", {}, 1, 0, 0),
        ("policy with Vietnamese text", "console", "agent", "policy_push",
         {"policy": {"version": 3, "child": {"name": "Minh Anh"}, "note": "Học xong rồi chơi — \"đúng giờ\"\n\\"},
          "signer": CONSOLE.device_id, "sig": "AAAA"}, 7, 0, 0),
        ("reply on the poll lane", "agent", "console", "reply",
         {"ok": True, "cursor": 41,
          "items": [{"seq": 41, "kind": "time_request", "payload": {"minutes": 30, "reason": "bài tập 📚"}}]},
         12, 5, 1),
        ("push on lane 2", "agent", "console", "push", {"items": []}, 2**40, 0, 2),
    ]
    seal = []
    for name, s, r, kind, payload, ctr, re_, lane in seal_cases:
        wire = Channel(who[s], who[r].public).seal(kind, payload, ctr, re_, lane).decode("ascii")
        seal.append({"name": name, "sender": s, "receiver": r, "kind": kind, "payload": payload, "ctr": ctr,
                     "re": re_, "lane": lane, "wire": wire})
    base = seal[1]["wire"]
    outer = json.loads(base)
    ct = bytearray(b64d(outer["c"]))
    ct[5] ^= 1
    header = json.loads(b64d(outer["h"]))
    refuse = [
        {"name": "a flipped ciphertext bit", "code": "forged", "last": 0,
         "wire": json.dumps({"h": outer["h"], "c": b64e(bytes(ct))})},
        {"name": "a replayed counter", "code": "replay", "last": 7, "wire": base},
        {"name": "a changed header (kind)", "code": "forged", "last": 0,
         "wire": json.dumps({"h": b64e(json.dumps(dict(header, kind="status"), sort_keys=True,
                                                  separators=(",", ":")).encode()), "c": outer["c"]})},
        {"name": "reflected to its sender", "code": "wrong_peer", "last": 0, "wire": base, "swap": True},
        {"name": "truncated", "code": "bad_envelope", "last": 0, "wire": base[:40]},
        {"name": "version 9", "code": "bad_version", "last": 0,
         "wire": json.dumps({"h": b64e(json.dumps(dict(header, v=9), sort_keys=True,
                                                  separators=(",", ":")).encode()), "c": outer["c"]})},
    ]
    for r in refuse:
        swap = r.pop("swap", False)
        r["sender"], r["receiver"] = ("agent", "console") if swap else ("console", "agent")
    return {"about": "sealed envelope v1 vectors, written by tools/envelope_vectors.py from the Python implementation",
            "parties": {"console": _party(CONSOLE), "agent": _party(AGENT)}, "seal": seal, "refuse": refuse}


class _FixedKeys:
    """Stands in for X25519PrivateKey inside agent.protocol.session while the vectors are written: the agent's
    ephemeral key must be a published constant so that JavaScript can reproduce the same bytes."""

    def __init__(self, key: X25519PrivateKey) -> None:
        self.key = key

    def generate(self) -> X25519PrivateKey:
        return self.key


def session_vectors() -> dict[str, Any]:
    """One v2 handshake with fixed ephemeral keys and sid, transport both ways, and what must be refused."""
    from agent.protocol import session as v2

    e_c = X25519PrivateKey.from_private_bytes(bytes(range(128, 160)))
    e_a = X25519PrivateKey.from_private_bytes(bytes(range(160, 192)))
    sid = bytes(range(200, 216))
    hs = v2.ConsoleHandshake(CONSOLE, AGENT.public, clock=lambda: 0.0)
    hs.sid, hs._e = sid, e_c
    hs._e_pub = e_c.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    h1 = hs.hello()
    agent_side = v2.AgentSessions(AGENT, lambda d: CONSOLE.public if d == CONSOLE.device_id else None,
                                  clock=lambda: 0.0)
    real = v2.X25519PrivateKey
    v2.X25519PrivateKey = _FixedKeys(e_a)  # type: ignore[assignment,misc]
    try:
        h2, agent_session = agent_side.answer(CONSOLE.device_id, h1)
    finally:
        v2.X25519PrivateKey = real  # type: ignore[misc]
    console_session = hs.finish(h2)
    inner = Channel(CONSOLE, AGENT.public).seal("status", {"clock": {"at": 1.0}}, 1)
    c2a = console_session.seal(inner)
    assert agent_side.open(CONSOLE.device_id, c2a)[1] == inner
    reply_env = Channel(AGENT, CONSOLE.public).seal("reply", {"ok": True, "name": "Minh Anh"}, 1, 1)
    a2c_reply = agent_session.seal((200).to_bytes(2, "big") + reply_env)
    push_env = Channel(AGENT, CONSOLE.public).seal("push", {"items": [{"seq": 1, "kind": "time_request"}]}, 1, 0, 2)
    a2c_push = agent_session.seal(push_env)
    raw = serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    flip = lambda b, i: b[:i] + bytes([b[i] ^ 1]) + b[i + 1:]  # noqa: E731
    small_order = bytes(32)  # the all-zero point: every DH with it is zero
    return {
        "about": "protocol v2 session vectors, written by tools/envelope_vectors.py from the Python implementation",
        "console": _party(CONSOLE), "agent": _party(AGENT),
        "sid": sid.hex(), "console_ephemeral": e_c.private_bytes(*raw).hex(),
        "h1": h1.hex(), "h2": h2.hex(),
        "c2a": [{"inner": inner.decode(), "wire": c2a.hex()}],
        "a2c_reply": {"status": 200, "envelope": reply_env.decode(), "wire": a2c_reply.hex()},
        "a2c_push": {"envelope": push_env.decode(), "wire": a2c_push.hex()},
        "refuse_h2": [
            {"name": "a flipped tag bit", "code": "session_forged", "h2": flip(h2, len(h2) - 1).hex()},
            {"name": "another sid", "code": "bad_session", "h2": flip(h2, 3).hex()},
            {"name": "truncated", "code": "bad_session", "h2": h2[:-1].hex()},
            {"name": "a small-order ephemeral key", "code": "bad_session",
             "h2": (h2[:2 + v2.SID_BYTES] + small_order + h2[-16:]).hex()},
        ],
        "refuse_transport": [
            {"name": "a flipped ciphertext bit", "code": "forged", "wire": flip(a2c_reply, v2.T_HEAD + 3).hex()},
            {"name": "a changed counter", "code": "forged", "wire": flip(a2c_reply, v2.T_HEAD - 1).hex()},
            {"name": "another session's sid", "code": "bad_session", "wire": flip(a2c_reply, 5).hex()},
            {"name": "its own message reflected", "code": "forged", "wire": c2a.hex()},
            {"name": "truncated", "code": "bad_session", "wire": a2c_reply[:v2.T_HEAD + 10].hex()},
        ],
    }


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = ap.parse_args()
    stale = 0
    for out, data in ((OUT, vectors()), (SESSION_OUT, session_vectors())):
        text = json.dumps(data, ensure_ascii=False, indent=1) + "\n"
        if args.check:
            same = out.exists() and out.read_text(encoding="utf-8") == text
            print(f"{out.name} up to date" if same else f"{out} is stale: run tools/envelope_vectors.py")
            stale += not same
            continue
        out.write_text(text, encoding="utf-8")
        print(f"wrote {out}")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
