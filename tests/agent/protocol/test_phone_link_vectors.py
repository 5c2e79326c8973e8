"""Linking the phone: the shared vectors. The Python implementation (agent/protocol/phone_link.py) writes them and
passes them; the phone's JavaScript (phone/src/link.js on @noble/curves, @noble/hashes, @noble/ciphers, built by
esbuild into the static resources/phone/link.js) derives the same IDs and keys, writes byte-identical hellos, opens
the same offer and refuses the same forgeries. Node runs only this check; the product never needs it."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
VECTORS = ROOT / "resources" / "phone" / "link-vectors.json"
BUNDLE = ROOT / "resources" / "phone" / "link.js"
NODE = shutil.which("node")


def test_the_committed_vectors_are_what_the_python_implementation_writes_and_passes() -> None:
    # --check also opens the vectors' hellos and offer with the Python side (tools/phone_link_vectors.check_python)
    p = subprocess.run([sys.executable, str(ROOT / "tools" / "phone_link_vectors.py"), "--check"],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr


def test_python_refuses_every_forged_offer_in_the_vectors() -> None:
    from agent.protocol import phone_link
    from agent.protocol.errors import ProtocolError
    from agent.protocol.identity import Identity

    v = json.loads(VECTORS.read_text(encoding="utf-8"))
    phone = Identity(bytes.fromhex(v["parties"]["phone"]["secret"]))
    key, hello = bytes.fromhex(v["keys"]["qr"]), v["hello"][0]["wire"].encode()
    for r in v["refuse"]:
        with pytest.raises(ProtocolError) as exc:
            phone_link.open_offer(key, phone, hello, r["wire"].encode(), r.get("console_id", v["qr"]["console_id"]))
        assert exc.value.code == r["code"], r["name"]
    for bad in v["bad_qr"]:
        with pytest.raises(ProtocolError):
            phone_link.parse_qr(bad)


@pytest.mark.skipif(NODE is None, reason="node is not installed (only this cross-check uses it)")
def test_the_phones_javascript_link_bundle_passes_the_same_vectors() -> None:
    p = subprocess.run([NODE, str(ROOT / "phone" / "test" / "link-vectors.mjs"), str(VECTORS), str(BUNDLE)],
                       capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    result = json.loads(p.stdout)
    assert result["fail"] == [] and result["ok"] >= 20, result


def test_the_link_bundle_is_static() -> None:
    text = BUNDLE.read_text(encoding="utf-8")
    assert not re.search(r"""(from|import)\s*["']@noble""", text)  # everything inlined: no Node, no npm at run time
    assert "scrypt" in text and "chacha20poly1305" in text and "ed25519" in text
    pkg = json.loads((ROOT / "phone" / "package.json").read_text())
    assert "src/link.js" in pkg["scripts"]["build:link"] and "../resources/phone/link.js" in pkg["scripts"]["build:link"]
