"""Protocol v2 in the phone's JavaScript: the Python implementation (agent/protocol/session.py) writes the shared
vectors (resources/phone/session-vectors.json, tools/envelope_vectors.py) and passes them; the phone's bundle
(phone/src/session.js on @noble/curves, @noble/hashes, @noble/ciphers, built into resources/phone/session.js) makes
the same handshake bytes, seals the same transport bytes and refuses the same forgeries. Node runs only this check."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

from agent.protocol import session as v2
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity

ROOT = Path(__file__).resolve().parents[2]
VECTORS = ROOT / "resources" / "phone" / "session-vectors.json"
NODE = shutil.which("node")
CONSOLE, AGENT = Identity(bytes(range(64))), Identity(bytes(range(64, 128)))


def _agent_session() -> tuple[dict, v2.Session]:
    """The agent's side of the vector session, rebuilt from H1 with the vector's fixed ephemeral key."""
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey

    from tools.envelope_vectors import _FixedKeys

    v = json.loads(VECTORS.read_text(encoding="utf-8"))
    sessions = v2.AgentSessions(AGENT, lambda d: CONSOLE.public if d == CONSOLE.device_id else None, clock=lambda: 0)
    real = v2.X25519PrivateKey
    v2.X25519PrivateKey = _FixedKeys(X25519PrivateKey.from_private_bytes(bytes(range(160, 192))))
    try:
        h2, session = sessions.answer(CONSOLE.device_id, bytes.fromhex(v["h1"]))
    finally:
        v2.X25519PrivateKey = real
    assert h2.hex() == v["h2"]
    return v, session


def test_python_makes_and_opens_the_vector_session_and_refuses_every_forgery() -> None:
    v, agent_session = _agent_session()
    for t in v["c2a"]:
        assert agent_session.open(bytes.fromhex(t["wire"])) == t["inner"].encode()
    hs = v2.ConsoleHandshake(CONSOLE, AGENT.public)
    hs.sid = bytes.fromhex(v["sid"])
    from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    hs._e = X25519PrivateKey.from_private_bytes(bytes.fromhex(v["console_ephemeral"]))
    hs._e_pub = hs._e.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    assert hs.hello().hex() == v["h1"]
    for t in v["refuse_h2"]:
        with pytest.raises(ProtocolError) as exc:
            hs.finish(bytes.fromhex(t["h2"]))
        assert exc.value.code == t["code"], t["name"]
    console_session = hs.finish(bytes.fromhex(v["h2"]))
    assert console_session.open(bytes.fromhex(v["a2c_reply"]["wire"]))[2:] == v["a2c_reply"]["envelope"].encode()
    for t in v["refuse_transport"]:
        with pytest.raises(ProtocolError) as exc:
            console_session.open(bytes.fromhex(t["wire"]))
        assert exc.value.code == t["code"], t["name"]


@pytest.mark.skipif(NODE is None, reason="node is not installed (only this cross-check uses it)")
def test_the_phones_session_bundle_passes_the_same_vectors() -> None:
    p = subprocess.run([NODE, str(ROOT / "phone" / "test" / "session.mjs"), str(VECTORS),
                        str(ROOT / "resources" / "phone" / "session.js")], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    v = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert json.loads(p.stdout) == {"ok": 5 + len(v["refuse_h2"]) + len(v["refuse_transport"]), "fail": []}


def test_the_javascript_refuses_what_the_python_refuses_when_one_byte_of_the_reply_changes(tmp_path: Path) -> None:
    """Not only the listed forgeries: every single flipped byte of the agent's sealed reply is refused by both."""
    if NODE is None:
        pytest.skip("node is not installed (only this cross-check uses it)")
    v, _ = _agent_session()
    wire = bytes.fromhex(v["a2c_reply"]["wire"])
    script = tmp_path / "flip.mjs"
    script.write_text(
        "import { readFileSync } from 'node:fs';\n"
        f"const {{ Handshake }} = await import({json.dumps((ROOT / 'resources/phone/session.js').as_uri())});\n"
        f"const v = JSON.parse(readFileSync({json.dumps(str(VECTORS))}, 'utf-8'));\n"
        "const hex = (h) => Uint8Array.from(h.match(/../g), (b) => parseInt(b, 16));\n"
        "const hs = new Handshake({ id: v.console.id, kxPrivate: hex(v.console.kx_private) },"
        " { id: v.agent.id, kxPublic: hex(v.agent.kx_public) }, { sid: hex(v.sid), ephemeral: hex(v.console_ephemeral) });\n"
        "hs.hello(); const s = hs.finish(hex(v.h2)); const w = hex(v.a2c_reply.wire); let opened = 0;\n"
        "for (let i = 0; i < w.length; i++) { const x = w.slice(); x[i] ^= 0x80;"
        " try { s.open(x); opened++; } catch {} }\n"
        "console.log(JSON.stringify({ opened, n: w.length }));\n")
    p = subprocess.run([NODE, str(script)], capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout) == {"opened": 0, "n": len(wire)}
