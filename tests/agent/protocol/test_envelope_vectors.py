"""The envelope's shared test vectors: the Python implementation writes them and passes them, and the phone's
JavaScript (phone/src/envelope.js on @noble/curves, @noble/hashes, @noble/ciphers, built by esbuild into the static
resources/phone/envelope.js) seals the same bytes and refuses the same forgeries. Node runs only this check; the
product never needs it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from agent.protocol.envelope import Channel
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "resources" / "phone" / "envelope-vectors.json"
BUNDLE = ROOT / "resources" / "phone" / "envelope.js"
NODE = shutil.which("node")


def test_the_committed_vectors_are_what_the_python_implementation_writes() -> None:
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "envelope_vectors.py"), "--check"], capture_output=True,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr


def test_python_opens_every_vector_and_refuses_every_forgery() -> None:
    v = json.loads(VECTORS.read_text(encoding="utf-8"))
    ids = {"console": Identity(bytes(range(64))), "agent": Identity(bytes(range(64, 128)))}
    assert {k: i.device_id for k, i in ids.items()} == {k: p["id"] for k, p in v["parties"].items()}
    for t in v["seal"]:
        header, payload = Channel(ids[t["receiver"]], ids[t["sender"]].public).open(t["wire"].encode(), t["ctr"] - 1)
        assert payload == t["payload"] and (header.kind, header.counter, header.lane) == (t["kind"], t["ctr"], t["lane"])
    for t in v["refuse"]:
        with pytest.raises(ProtocolError) as exc:
            Channel(ids[t["receiver"]], ids[t["sender"]].public).open(t["wire"].encode(), t["last"])
        assert exc.value.code == t["code"], t["name"]


@pytest.mark.skipif(NODE is None, reason="node is not installed (only this cross-check uses it)")
def test_the_phones_javascript_bundle_passes_the_same_vectors() -> None:
    p = subprocess.run([NODE, str(ROOT / "phone" / "test" / "vectors.mjs"), str(VECTORS), str(BUNDLE)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stdout + p.stderr
    result = json.loads(p.stdout)
    v = json.loads(VECTORS.read_text(encoding="utf-8"))
    assert result == {"ok": 2 * len(v["seal"]) + len(v["refuse"]), "fail": []}


def test_the_bundle_is_static_and_its_libraries_pinned() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    assert not re.search(r"""(from|import)\s*["']@noble""", text)  # everything inlined: no Node, no npm at run time
    assert "chacha20poly1305" in text and "x25519" in text
    pkg = json.loads((ROOT / "phone" / "package.json").read_text())
    versions = {**pkg["dependencies"], **pkg["devDependencies"]}
    # the envelope's own; other phone modules add theirs (every one pinned exactly, below)
    assert {"@noble/ciphers", "@noble/curves", "@noble/hashes", "esbuild"} <= set(versions)
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) for v in versions.values()), versions
    lock = json.loads((ROOT / "phone" / "package-lock.json").read_text())
    assert all(lock["packages"][f"node_modules/{name}"]["version"] == v for name, v in versions.items())
