"""Shared test vectors for the sealed envelope (agent/protocol/envelope.py), written from the Python implementation:
resources/phone/envelope-vectors.json. The phone's JavaScript (phone/src/envelope.js, built to
resources/phone/envelope.js) must seal the same bytes and refuse the same forgeries (tests/test_envelope_vectors.py).

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

from agent.protocol.envelope import Channel
from agent.protocol.identity import Identity, b64d, b64e

OUT = Path(__file__).resolve().parent.parent / "resources" / "phone" / "envelope-vectors.json"
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


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = ap.parse_args()
    text = json.dumps(vectors(), ensure_ascii=False, indent=1) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("envelope vectors up to date" if same else f"{OUT} is stale: run tools/envelope_vectors.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
