"""Linking the parent's phone (docs/phone-linking.md): the console shows a QR code (or a 16-character code), the phone
proves it saw it, hands over its own public keys (made on the phone), and gets back — sealed to it — the family:
the console's keys, the child PCs' keys, its broker account and the console-signed `phone_add` statement that each
child's agent pins. Both sides import this module; the phone's JavaScript (phone/src/link.js) writes and reads the
same bytes (shared vectors: tools/phone_link_vectors.py).

Messages travel through the family's broker on link topics, under a public link account that can do nothing else:
    sprout/v1/link/<locator>/req   phone → console   hello  {v, mode, phone:{sign,kx}, nonce, box}
    sprout/v1/link/<locator>/resp  console → phone   offer  {v, console:{sign,kx,name}, box} | {v, error}
The hello's box is AEAD(k1, nonce, {"name"}, aad = canonical header): opening it is the proof that the phone saw the
QR (k from its 256-bit secret, HKDF) or the code (k from the 55-bit secret part, scrypt N=2^15, r=8: the broker
operator can guess offline, but only inside the 5-minute life of one code, and each guess costs 32 MiB of memory —
the figures are in docs/phone-linking.md). The offer's box is AEAD under HKDF(k ‖ DH(console, phone)), so only the
console that showed the code, and only to this phone's key, can make it.

Only primitives of `cryptography` are used: HKDF-SHA256, scrypt, X25519, ChaCha20-Poly1305, Ed25519.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlencode

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from agent.policy.canonical import canonical_json
from agent.protocol.devid import luhn32
from agent.protocol.errors import ProtocolError
from agent.protocol.identity import Identity, PeerKeys, b64d, b64e
from agent.protocol.pairing import CODE_ALPHABET

VERSION = 1
LINK_TTL_S = 300.0  # a QR code / short code lives five minutes
MAX_TRIES = 3  # wrong proofs before the code is burnt (a sprayer cannot burn every open link with one message)
LOCATOR_CHARS = 4  # public: which console's link topic (20 bits: two links open at once on a broker rarely meet)
SECRET_CHARS = 11  # 55 bits, only in the typed code; the QR carries a 256-bit secret
QR_SECRET_BYTES = 32
SCRYPT_N, SCRYPT_R, SCRYPT_P = 1 << 15, 8, 1
LINK_ACCOUNT = "sprout-link"  # public broker account: may only write link/+/req and read link/+/resp
LINK_PASSWORD = "sprout-link"
ROOT = "sprout/v1"
QR_PREFIX = "sprout:phone?"
MODES = ("qr", "code")
_SALT = b"sprout/phone-link"
_ZERO_NONCE = bytes(12)

# What a linked phone may ask of a child's agent (docs/phone-linking.md, the contract): answer requests, read today's
# usage, alerts and summaries, change the main levers. No pairing, no phone_add/remove, no unpair, no consent.
PHONE_KINDS = ("status", "policy_get", "policy_push", "outbox", "decision", "consent_get", "lock_now",
               "pause_internet", "push_subscribe", "push_unsubscribe")
# The levers a phone may change in a policy; everything else must stay as it is in force (agent refuses otherwise).
PHONE_LEVERS = (("screen", "daily_minutes"), ("screen", "windows"), ("games", "daily_minutes"))


def req_topic(locator: str) -> str:
    return f"{ROOT}/link/{locator}/req"


def resp_topic(locator: str) -> str:
    return f"{ROOT}/link/{locator}/resp"


def _hkdf(ikm: bytes, info: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=_SALT, info=info.encode("ascii")).derive(ikm)


def ca_fingerprint(ca_pem: str) -> str:
    """base64url(SHA-256 of the CA certificate's DER): what the QR carries so the phone can check the CA it gets."""
    from cryptography import x509
    from cryptography.hazmat.primitives.serialization import Encoding

    der = x509.load_pem_x509_certificate(ca_pem.encode()).public_bytes(Encoding.DER)
    return b64e(hashlib.sha256(der).digest())


# ---- the code and the QR --------------------------------------------------------------------------------------
def new_code() -> str:
    """16 characters of Crockford base32: 4 locator + 11 secret + 1 check over the 15 (shown ABCD-EFGH-JKMN-PQRS)."""
    body = "".join(secrets.choice(CODE_ALPHABET) for _ in range(LOCATOR_CHARS + SECRET_CHARS))
    return body + luhn32(body, CODE_ALPHABET)


def display_code(code: str) -> str:
    return "-".join(code[i:i + 4] for i in range(0, len(code), 4))


def normalize_code(text: str) -> str:
    """What a parent types (case, dashes, spaces, O→0, I/L→1) → the 16 characters; ProtocolError on a typo."""
    cleaned = "".join(str(text).split()).replace("-", "").upper()
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    size = LOCATOR_CHARS + SECRET_CHARS + 1
    if len(cleaned) != size:
        raise ProtocolError("bad_code", f"a phone link code has {size} characters, this one has {len(cleaned)}")
    bad = [c for c in cleaned if c not in CODE_ALPHABET]
    if bad:
        raise ProtocolError("bad_code", f"character {bad[0]!r} cannot appear in a link code")
    if luhn32(cleaned[:-1], CODE_ALPHABET) != cleaned[-1]:
        raise ProtocolError("bad_code", "the check character does not match: a typo in the code?")
    return cleaned


@dataclass(frozen=True)
class LinkTicket:
    """One open link on the console: what the QR shows and what the short code is. Never logged (repr hides it)."""

    code: str = field(repr=False)
    secret: bytes = field(repr=False)
    console_id: str
    expires: int
    broker: str = ""  # host:port of the family's broker (MQTT over TLS)
    ws: str = ""  # its MQTT-over-WebSockets URL, when it has one (the phone's way in)
    ca_fp: str = ""

    @property
    def locator(self) -> str:
        return self.code[:LOCATOR_CHARS]

    @classmethod
    def new(cls, console_id: str, now: float, *, broker: str = "", ws: str = "", ca_fp: str = "") -> LinkTicket:
        return cls(new_code(), os.urandom(QR_SECRET_BYTES), console_id, int(now + LINK_TTL_S), broker, ws, ca_fp)

    def qr_text(self) -> str:
        fields = {"v": VERSION, "l": self.locator, "s": b64e(self.secret), "c": self.console_id, "x": self.expires}
        for key, value in (("b", self.broker), ("w", self.ws), ("f", self.ca_fp)):
            if value:
                fields[key] = value
        return QR_PREFIX + urlencode(fields)

    def key(self, mode: str) -> bytes:
        return link_key(mode, self.locator, secret=self.secret if mode == "qr" else None,
                        code=self.code if mode == "code" else None)


def parse_qr(text: str) -> dict[str, Any]:
    """{locator, secret, console_id, expires, broker?, ws?, ca_fp?} of a scanned QR; ProtocolError naming the field."""
    text = str(text).strip()
    if not text.startswith(QR_PREFIX):
        raise ProtocolError("bad_qr", f"{text[:40]!r} is not a Sprout phone link (sprout:phone?…)")
    raw = {k: v[0] for k, v in parse_qs(text[len(QR_PREFIX):]).items()}
    if raw.get("v") != str(VERSION):
        raise ProtocolError("bad_qr", f"v: this phone speaks link version {VERSION}")
    loc = raw.get("l", "")
    if len(loc) != LOCATOR_CHARS or any(c not in CODE_ALPHABET for c in loc):
        raise ProtocolError("bad_qr", "l: not a link locator")
    secret = b64d(raw.get("s"), "s")
    if len(secret) != QR_SECRET_BYTES:
        raise ProtocolError("bad_qr", f"s: the link secret is {QR_SECRET_BYTES} bytes")
    console = raw.get("c", "")
    if len(console) != 52 or any(c not in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for c in console):
        raise ProtocolError("bad_qr", "c: not a device ID")
    if not raw.get("x", "").isdigit():
        raise ProtocolError("bad_qr", "x: the expiry is not a number")
    return {"locator": loc, "secret": secret, "console_id": console, "expires": int(raw["x"]),
            "broker": raw.get("b", ""), "ws": raw.get("w", ""), "ca_fp": raw.get("f", "")}


def link_key(mode: str, locator: str, *, secret: bytes | None = None, code: str | None = None) -> bytes:
    """The link key both sides derive: HKDF of the QR's 256-bit secret, or scrypt of the typed code (memory-hard,
    because the broker operator could otherwise test guesses of its 55 bits fast while the code lives)."""
    info = f"link key {mode}\0{locator}"
    if mode == "qr" and secret is not None:
        return _hkdf(secret, info)
    if mode == "code" and code is not None:
        code = normalize_code(code)
        stretched = Scrypt(salt=_SALT + b"\0" + locator.encode(), length=32, n=SCRYPT_N, r=SCRYPT_R,
                           p=SCRYPT_P).derive(code.encode("ascii"))
        return _hkdf(stretched, info)
    raise ValueError("link_key: a QR secret for mode 'qr', a code for mode 'code'")


# ---- hello: phone → console ---------------------------------------------------------------------------------
def _hello_header(mode: str, locator: str, phone: PeerKeys, nonce: bytes) -> bytes:
    return canonical_json({"v": VERSION, "mode": mode, "locator": locator,
                           "phone": {"sign": b64e(phone.sign_pub), "kx": b64e(phone.kx_pub)}, "nonce": b64e(nonce)})


def make_hello(key: bytes, mode: str, locator: str, phone: Identity, name: str,
               nonce: bytes | None = None) -> bytes:
    """The phone's first message: its public keys, and its name sealed under the link key (opening it = proof)."""
    nonce = nonce if nonce is not None else os.urandom(12)
    aad = _hello_header(mode, locator, phone.public, nonce)
    box = ChaCha20Poly1305(_hkdf(key, "hello box")).encrypt(nonce, canonical_json({"name": name[:80]}), aad)
    return canonical_json({"v": VERSION, "mode": mode, "phone": {"sign": b64e(phone.public.sign_pub),
                                                                 "kx": b64e(phone.public.kx_pub)},
                           "nonce": b64e(nonce), "box": b64e(box)})


def _json_obj(wire: bytes, what: str) -> dict[str, Any]:
    import json

    if len(wire) > 64 * 1024:
        raise ProtocolError("bad_link", f"the {what} is too large")
    try:
        data = json.loads(wire)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise ProtocolError("bad_link", f"the {what} is not JSON") from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise ProtocolError("bad_link", f"the {what} is not a link v{VERSION} message")
    return data


def peek_hello(wire: bytes) -> tuple[str, PeerKeys, bytes, bytes]:
    """(mode, phone keys without a name, nonce, box) — unauthenticated: only to pick the key to try."""
    data = _json_obj(wire, "hello")
    mode = data.get("mode")
    if mode not in MODES:
        raise ProtocolError("bad_link", "hello.mode must be qr or code")
    keys = PeerKeys.from_json(dict(data.get("phone") or {}, name="")) if isinstance(data.get("phone"), dict) else None
    if keys is None:
        raise ProtocolError("bad_link", "hello.phone must hold the phone's public keys")
    nonce, box = b64d(data.get("nonce"), "nonce"), b64d(data.get("box"), "box")
    if len(nonce) != 12 or len(box) < 16:
        raise ProtocolError("bad_link", "hello.nonce or hello.box has the wrong size")
    return mode, keys, nonce, box


def open_hello(key: bytes, locator: str, wire: bytes) -> PeerKeys:
    """The phone's keys and name if the hello was sealed with this link key; ProtocolError("wrong_code") if not."""
    import json

    mode, keys, nonce, box = peek_hello(wire)
    try:
        plain = ChaCha20Poly1305(_hkdf(key, "hello box")).decrypt(nonce, box, _hello_header(mode, locator, keys,
                                                                                            nonce))
    except InvalidTag:
        raise ProtocolError("wrong_code", "the phone did not prove it saw this QR code or code") from None
    name = json.loads(plain).get("name", "")
    return PeerKeys(keys.sign_pub, keys.kx_pub, str(name)[:80].strip())


def hello_digest(wire: bytes) -> bytes:
    return hashlib.sha256(wire).digest()


# ---- offer: console → phone ---------------------------------------------------------------------------------
def _offer_key(key: bytes, dh: bytes, hello: bytes) -> bytes:
    return _hkdf(key + dh, "offer\0" + b64e(hello_digest(hello)))


def _offer_aad(console: PeerKeys, hello: bytes) -> bytes:
    return canonical_json({"v": VERSION, "console": _bare_keys(console), "hello": b64e(hello_digest(hello))})


def _bare_keys(keys: PeerKeys) -> dict[str, str]:
    """Public keys without the name: names travel only inside boxes (the broker operator reads no names)."""
    return {"sign": b64e(keys.sign_pub), "kx": b64e(keys.kx_pub)}


def make_offer(key: bytes, console: Identity, phone: PeerKeys, hello: bytes, offer: dict[str, Any]) -> bytes:
    """The family, sealed to the phone: only the console holding the link key and its own static key can make it."""
    offer = dict(offer, console_name=console.public.name)
    sealed = ChaCha20Poly1305(_offer_key(key, console.shared_secret(phone), hello)).encrypt(
        _ZERO_NONCE, canonical_json(offer), _offer_aad(console.public, hello))  # the key is used once: per hello
    return canonical_json({"v": VERSION, "console": _bare_keys(console.public), "box": b64e(sealed)})


def refusal(code: str) -> bytes:
    return canonical_json({"v": VERSION, "error": code})


def open_offer(key: bytes, phone: Identity, hello: bytes, wire: bytes,
               console_id: str | None = None) -> tuple[PeerKeys, dict[str, Any]]:
    """What the phone does with the console's answer: (console keys, the offer). ProtocolError with the console's
    refusal code (wrong_code, expired, used, removed…) or `forged` when the box does not open."""
    import json

    data = _json_obj(wire, "offer")
    if "error" in data:
        code = str(data["error"])[:40]
        raise ProtocolError(code, REFUSALS.get(code, "the console refused the link"))
    console = PeerKeys.from_json(dict(data.get("console") or {}, name="")) if isinstance(data.get("console"), dict) \
        else PeerKeys.from_json(None)
    if console_id is not None and console.device_id != console_id:
        raise ProtocolError("wrong_console", "the answer is not from the console whose QR code was scanned")
    try:
        plain = ChaCha20Poly1305(_offer_key(key, phone.shared_secret(console), hello)).decrypt(
            _ZERO_NONCE, b64d(data.get("box"), "box"), _offer_aad(console, hello))
    except InvalidTag:
        raise ProtocolError("forged", "the answer was not sealed by the console that showed the code") from None
    offer = json.loads(plain)
    console = PeerKeys(console.sign_pub, console.kx_pub, str(offer.get("console_name", ""))[:80])
    st = verify_statement(offer.get("phone_add"), console, "phone_add")
    if st.get("phone_id") != phone.device_id:
        raise ProtocolError("bad_payload", "the console signed another phone")
    return console, offer


REFUSALS = {
    "wrong_code": "the code or QR code does not match the one on the console",
    "expired": "the code has expired: show a new one on the console",
    "used": "this code was already used or burnt: show a new one on the console",
    "removed": "this phone was removed from the family; link it again with a new identity",
    "no_slot": "the console has no free phone account on the family's broker (sprout-relay setup --phones)",
}


# ---- statements: phone_add / phone_remove (console-signed, canonical JSON) ----------------------------------
def _statement_bytes(kind: str, statement: dict[str, Any]) -> bytes:
    return f"sprout {kind}\0".encode() + canonical_json(statement)


def sign_phone_add(console: Identity, phone: PeerKeys, relay_account: str, at: float) -> dict[str, Any]:
    statement = {"kind": "phone_add", "phone": phone.to_json(), "phone_id": phone.device_id,
                 "relay": relay_account, "console": console.device_id, "at": int(at), "rights": list(PHONE_KINDS)}
    return {"statement": statement, "signer": console.device_id,
            "sig": b64e(console.sign(_statement_bytes("phone_add", statement)))}


def sign_phone_remove(console: Identity, phone_id: str, at: float) -> dict[str, Any]:
    statement = {"kind": "phone_remove", "phone_id": phone_id, "console": console.device_id, "at": int(at)}
    return {"statement": statement, "signer": console.device_id,
            "sig": b64e(console.sign(_statement_bytes("phone_remove", statement)))}


def verify_statement(payload: Any, signer: PeerKeys | None, kind: str) -> dict[str, Any]:
    """The statement, if `signer` (a pinned console) signed it; ProtocolError naming what is wrong otherwise."""
    if not isinstance(payload, dict) or not isinstance(payload.get("statement"), dict):
        raise ProtocolError("bad_payload", f"{kind} needs a statement object")
    if signer is None:
        raise ProtocolError("unknown_signer", f"the {kind} statement's signer is not a paired console")
    st = payload["statement"]
    try:
        blob = _statement_bytes(kind, st)
    except (TypeError, ValueError) as exc:
        raise ProtocolError("bad_payload", f"{kind}: not signable: {exc}") from None
    if st.get("kind") != kind or not signer.verify(b64d(payload.get("sig"), "sig"), blob):
        raise ProtocolError("bad_signature", f"the {kind} statement does not verify with the console's pinned key")
    if st.get("console") != signer.device_id:
        raise ProtocolError("bad_payload", f"{kind}: the statement names another console")
    if kind == "phone_add":
        phone = PeerKeys.from_json(st.get("phone"))
        if phone.device_id != st.get("phone_id"):
            raise ProtocolError("bad_payload", "phone_add: phone_id is not the hash of the phone's keys")
        relay = st.get("relay", "")
        if not isinstance(relay, str) or len(relay) > 64:
            raise ProtocolError("bad_payload", "phone_add: relay must be the phone's broker account name")
    elif not isinstance(st.get("phone_id"), str):
        raise ProtocolError("bad_payload", "phone_remove: phone_id missing")
    return st


def lever_change_problem(current: dict[str, Any] | None, proposed: dict[str, Any]) -> str | None:
    """None when `proposed` differs from the policy in force only in a phone's levers (daily minutes, bedtime
    windows, game minutes) and its version; otherwise the first field a phone may not change."""
    if current is None:
        return "no policy is in force yet: the console sends the first one"

    def strip(doc: dict[str, Any]) -> dict[str, Any]:
        out = {k: (dict(v) if isinstance(v, dict) else v) for k, v in doc.items() if k != "version"}
        for section, key in PHONE_LEVERS:
            if isinstance(out.get(section), dict):
                out[section].pop(key, None)
        return out

    a, b = strip(current), strip(proposed)
    for k in sorted(set(a) | set(b)):
        if a.get(k) != b.get(k):
            if isinstance(a.get(k), dict) and isinstance(b.get(k), dict):
                inner = sorted(x for x in set(a[k]) | set(b[k]) if a[k].get(x) != b[k].get(x))
                return f"{k}.{inner[0]}"
            return k
    return None


def b32_slot_name() -> str:
    """A broker account name for a phone slot: 52 base32 characters like a device ID (so topic rules stay one
    shape), random, so the broker cannot tie the account to the phone's keys."""
    return base64.b32encode(os.urandom(35)).decode("ascii")[:52]
