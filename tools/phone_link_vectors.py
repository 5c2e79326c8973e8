"""Shared test vectors for linking the phone (agent/protocol/phone_link.py), written from the Python implementation:
resources/phone/link-vectors.json. The phone's JavaScript (phone/src/link.js, built to resources/phone/link.js) must
derive the same keys and IDs, write the same hello bytes, open the same offer and refuse the same forgeries
(tests/agent/protocol/test_phone_link_vectors.py).

    .venv/bin/python tools/phone_link_vectors.py [--check]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from agent.policy.canonical import canonical_json
from agent.protocol import phone_link
from agent.protocol.devid import luhn32
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e
from agent.protocol.pairing import CODE_ALPHABET

OUT = Path(__file__).resolve().parent.parent / "resources" / "phone" / "link-vectors.json"
# fixed, published secrets: these keys protect nothing
CONSOLE = Identity(bytes(range(64)), "mẹ")
AGENT = Identity(bytes(range(64, 128)), "Minh Anh")
PHONE = Identity(bytes(range(128, 192)), "Điện thoại của mẹ")
SLOT = "Q" * 52


def _ca_pem() -> str:
    """A deterministic CA certificate (Ed25519 signs deterministically) for the fingerprint vector."""
    from cryptography import x509
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding
    from cryptography.x509.oid import NameOID

    key = Ed25519PrivateKey.from_private_bytes(bytes(range(200, 232)))
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sprout vectors CA")])
    start = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(1).not_valid_before(start).not_valid_after(start + dt.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True).sign(key, None))
    return cert.public_bytes(Encoding.PEM).decode()


def _party(identity: Identity) -> dict[str, str]:
    return {"id": identity.device_id, "secret": _secret(identity).hex(), "sign": b64e(identity.public.sign_pub),
            "kx": b64e(identity.public.kx_pub), "name": identity.public.name}


def _secret(identity: Identity) -> bytes:
    return {CONSOLE.device_id: bytes(range(64)), AGENT.device_id: bytes(range(64, 128)),
            PHONE.device_id: bytes(range(128, 192))}[identity.device_id]


def vectors() -> dict[str, Any]:
    body = "K7QF3M9X2TBW8HP"
    code = body + luhn32(body, CODE_ALPHABET)
    ca = _ca_pem()
    ticket = phone_link.LinkTicket(code, bytes(range(32, 64)), CONSOLE.device_id, 1_900_000_000,
                                   "relay.example.net:8883", "wss://relay.example.net:8884/mqtt",
                                   phone_link.ca_fingerprint(ca))
    loc = ticket.locator
    k_qr, k_code = ticket.key("qr"), ticket.key("code")
    hello_qr = phone_link.make_hello(k_qr, "qr", loc, PHONE, PHONE.public.name, bytes(range(12)))
    hello_code = phone_link.make_hello(k_code, "code", loc, PHONE, PHONE.public.name, bytes(range(12, 24)))
    phone_pub = phone_link.open_hello(k_qr, loc, hello_qr)
    offer = {"phone_add": phone_link.sign_phone_add(CONSOLE, phone_pub, SLOT, 1_899_999_900),
             "agents": [{"id": AGENT.device_id, "name": "Minh Anh", "sign": b64e(AGENT.public.sign_pub),
                         "kx": b64e(AGENT.public.kx_pub)}],
             "relay": {"broker": ticket.broker, "ws": ticket.ws, "ca": ca, "username": SLOT, "password": "pw"}}
    answer = phone_link.make_offer(k_qr, CONSOLE, phone_pub, hello_qr, offer).decode()
    outer = json.loads(answer)
    box = bytearray(b64d(outer["box"]))
    box[3] ^= 1
    flipped = canonical_json(dict(outer, box=b64e(bytes(box)))).decode()
    # the same statement with another phone: the console signed it, but not for this phone
    stranger = Identity(bytes(range(1, 65)), "x")
    other = dict(offer, phone_add=phone_link.sign_phone_add(CONSOLE, stranger.public, SLOT, 1_899_999_900))
    for_other = phone_link.make_offer(k_qr, CONSOLE, phone_pub, hello_qr, other).decode()
    bad_sig = dict(offer, phone_add=dict(offer["phone_add"], sig=b64e(bytes(64))))
    unsigned = phone_link.make_offer(k_qr, CONSOLE, phone_pub, hello_qr, bad_sig).decode()
    return {
        "about": "phone link v1 vectors, written by tools/phone_link_vectors.py from the Python implementation",
        "parties": {"console": _party(CONSOLE), "agent": _party(AGENT), "phone": _party(PHONE)},
        "canonical": [{"value": v, "json": canonical_json(v).decode()} for v in
                      ({"b": 1, "a": [True, None, "Học xong rồi — \"đúng giờ\"\n\\\t"]}, {"z": {"y": {}, "x": []}},
                       {"emoji": "bài tập 📚", "ctrl": "\u0001\u001f\u007f", "n": -5})],
        "code": {"code": code, "shown": phone_link.display_code(code), "typed": "k7qf 3m9x-2tbw 8hp" + code[-1].lower(),
                 "typo": code[:5] + ("0" if code[5] != "0" else "1") + code[6:]},
        "ca": {"pem": ca, "fingerprint": phone_link.ca_fingerprint(ca)},
        "qr": {"text": ticket.qr_text(), "locator": loc, "secret": b64e(ticket.secret), "console_id": CONSOLE.device_id,
               "expires": ticket.expires, "broker": ticket.broker, "ws": ticket.ws},
        "bad_qr": ["https://example.com", ticket.qr_text().replace("v=1", "v=9"),
                   ticket.qr_text().replace(f"c={CONSOLE.device_id}", "c=NOTANID")],
        "keys": {"qr": k_qr.hex(), "code": k_code.hex()},
        "hello": [{"mode": "qr", "nonce": bytes(range(12)).hex(), "name": PHONE.public.name, "wire": hello_qr.decode()},
                  {"mode": "code", "nonce": bytes(range(12, 24)).hex(), "name": PHONE.public.name,
                   "wire": hello_code.decode()}],
        "offer": {"hello": "qr", "wire": answer, "agents": offer["agents"], "relay": offer["relay"],
                  "phone_add": offer["phone_add"]},
        "refuse": [
            {"name": "the console said expired", "wire": phone_link.refusal("expired").decode(), "code": "expired"},
            {"name": "a flipped bit in the box", "wire": flipped, "code": "forged"},
            {"name": "another console answered", "wire": answer, "code": "wrong_console",
             "console_id": AGENT.device_id},
            {"name": "a statement for another phone", "wire": for_other, "code": "bad_payload"},
            {"name": "a statement without the console's signature", "wire": unsigned, "code": "bad_signature"},
        ],
    }


def check_python(v: dict[str, Any]) -> None:
    """The Python side passes its own vectors (the other direction of the cross-check)."""
    k = bytes.fromhex(v["keys"]["qr"])
    loc = v["qr"]["locator"]
    keys = phone_link.open_hello(k, loc, v["hello"][0]["wire"].encode())
    assert keys.device_id == v["parties"]["phone"]["id"] and keys.name == v["hello"][0]["name"]
    keys = phone_link.open_hello(bytes.fromhex(v["keys"]["code"]), loc, v["hello"][1]["wire"].encode())
    assert keys.device_id == v["parties"]["phone"]["id"]
    console, offer = phone_link.open_offer(k, PHONE, v["hello"][0]["wire"].encode(), v["offer"]["wire"].encode(),
                                           CONSOLE.device_id)
    assert console == PeerKeys(CONSOLE.public.sign_pub, CONSOLE.public.kx_pub, "mẹ") and offer["relay"]["username"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed file differs")
    args = ap.parse_args()
    v = vectors()
    check_python(v)
    text = json.dumps(v, ensure_ascii=False, indent=1) + "\n"
    if args.check:
        same = OUT.exists() and OUT.read_text(encoding="utf-8") == text
        print("phone link vectors up to date" if same else f"{OUT} is stale: run tools/phone_link_vectors.py")
        return 0 if same else 1
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
