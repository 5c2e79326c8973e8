"""Web Push to a linked phone whose app is closed (docs/relay.md, "Notifications when the phone app is closed").

The phone hands each agent its browser PushSubscription inside a sealed link message (kind `push_subscribe`):
    {"endpoint": "https://…",            the push service's URL for this phone (RFC 8030)
     "p256dh": "<b64url, 65 bytes>",     the phone's P-256 public key for the payload (RFC 8291)
     "auth": "<b64url, 16 bytes>",       the phone's authentication secret (RFC 8291)
     "vapid": "<b64url, 32 bytes>",      the private key of the VAPID pair the phone subscribed with (RFC 8292)
     "subject": "https://… | mailto:…",  the VAPID `sub` contact (the phone's app origin)
     "lang": "vi" | "en"}
A browser subscription is bound to one application server key, and a phone may be linked to several PCs: so the
phone makes that key pair itself and gives its private half to each agent it trusts. The key lets an agent push to
this phone and nothing else; there is no family or vendor key to leak.

What is pushed is a small JSON (`notification`) encrypted to the phone with aes128gcm (RFC 8188 via RFC 8291; the
`http_ece` library, never our own primitives), padded to one fixed size so the push service learns neither the kind
nor the child's name: it sees an endpoint, a size, a time, TTL and urgency. The VAPID JWT is made by `py_vapid`.
"""

from __future__ import annotations

import base64
import json
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from agent.protocol.errors import ProtocolError

PAYLOAD_BYTES = 480  # every push's plaintext is padded to this: the push service sees one size for every kind
MAX_ENDPOINT_CHARS = 1024
VAPID_LIFETIME_S = 12 * 3600  # RFC 8292: at most 24 h
LANGS = ("vi", "en")
# kind → (urgency, TTL): an ask is stale after an hour; an alert is worth a day's wait (RFC 8030 §5.2, §5.3)
DELIVERY = {"ask": ("high", 3600), "alert": ("high", 86400), "offline": ("normal", 86400)}
SUBSCRIBE_KIND, UNSUBSCRIBE_KIND = "push_subscribe", "push_unsubscribe"
_P256_ORDER = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551


class PushGone(Exception):
    """The push service says this subscription no longer exists (404/410): forget it."""


class PushFailed(Exception):
    """The push service could not be reached or refused the message; `status` is its HTTP status (0: no answer)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(f"{status}: {reason}")
        self.status = status


def b64u_decode(text: Any, where: str, size: int | None = None) -> bytes:
    if not isinstance(text, str) or not re.fullmatch(r"[A-Za-z0-9_-]+={0,2}", text):
        raise ProtocolError("bad_payload", f"{where}: expected base64url text")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:  # a length no base64 text has (binascii.Error)
        raise ProtocolError("bad_payload", f"{where}: expected base64url text") from None
    if size is not None and len(raw) != size:
        raise ProtocolError("bad_payload", f"{where}: expected {size} bytes, got {len(raw)}")
    return raw


def b64u(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass(frozen=True)
class Subscription:
    endpoint: str
    p256dh: bytes = field(repr=False)
    auth: bytes = field(repr=False)
    vapid: bytes = field(repr=False)
    subject: str
    lang: str = "vi"

    @property
    def audience(self) -> str:
        parts = urlsplit(self.endpoint)
        return f"{parts.scheme}://{parts.netloc}"

    def to_json(self) -> dict[str, str]:
        return {"endpoint": self.endpoint, "p256dh": b64u(self.p256dh), "auth": b64u(self.auth),
                "vapid": b64u(self.vapid), "subject": self.subject, "lang": self.lang}


def parse_subscription(data: Any) -> Subscription:
    """A `push_subscribe` payload, checked field by field; ProtocolError('bad_payload') naming the field."""
    from cryptography.hazmat.primitives.asymmetric import ec

    if not isinstance(data, dict):
        raise ProtocolError("bad_payload", "push_subscribe: expected an object")
    endpoint = data.get("endpoint")
    if not isinstance(endpoint, str) or len(endpoint) > MAX_ENDPOINT_CHARS:
        raise ProtocolError("bad_payload", f"endpoint: expected a URL of at most {MAX_ENDPOINT_CHARS} characters")
    parts = urlsplit(endpoint)
    if parts.scheme != "https" or not parts.hostname or parts.username or parts.password:
        raise ProtocolError("bad_payload", "endpoint: must be an https:// URL of a push service")
    p256dh = b64u_decode(data.get("p256dh"), "p256dh", 65)
    try:
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), p256dh)
    except ValueError:
        raise ProtocolError("bad_payload", "p256dh: not a P-256 public key") from None
    auth = b64u_decode(data.get("auth"), "auth", 16)
    vapid = b64u_decode(data.get("vapid"), "vapid", 32)
    if not 0 < int.from_bytes(vapid, "big") < _P256_ORDER:
        raise ProtocolError("bad_payload", "vapid: not a P-256 private key")
    subject = data.get("subject")
    if not isinstance(subject, str) or len(subject) > 200 or not re.match(r"^(https://[^\s]+|mailto:[^\s@]+@[^\s]+)$",
                                                                           subject):
        raise ProtocolError("bad_payload", "subject: expected an https:// URL or a mailto: address")
    lang = data.get("lang", "vi")
    if lang not in LANGS:
        raise ProtocolError("bad_payload", f"lang: expected one of {', '.join(LANGS)}")
    return Subscription(endpoint, p256dh, auth, vapid, subject, lang)


def notification(item: dict[str, Any], agent_id: str, child: str) -> dict[str, Any] | None:
    """What a closed phone app needs to show for an outbox item, or None for items that wait for the app to open
    (summaries, consent, decisions). Only the fields the notification's text uses; the app fetches the rest."""
    kind, payload = item.get("kind"), item.get("payload") or {}
    base = {"v": 1, "a": agent_id, "s": item.get("seq"), "n": child[:40]}
    if kind == "time_request":
        return {**base, "t": "ask", "m": payload.get("minutes"), "id": payload.get("id")}
    if kind == "alert" and payload.get("kind") in PUSHED_ALERTS and payload.get("allowed") is not True:
        return {**base, "t": "alert", "k": payload.get("kind")}
    return None


def offline_notification(agent_id: str, child: str, since: float) -> dict[str, Any]:
    """"Minh Anh's PC has been offline since 14:05": the phone formats the time in its own zone."""
    return {"v": 1, "a": agent_id, "n": child[:40], "t": "offline", "at": int(since)}


# alerts worth waking a phone for: someone works against the protection, or it could not act
PUSHED_ALERTS = frozenset({"clock_change", "timezone_change", "gap", "lock_disagrees", "protected_action",
                           "dns_lock_failed", "child_is_admin", "child_account_missing", "lock_failed",
                           "policy_withdrawn", "site_request"})


def pad(note: dict[str, Any]) -> bytes:
    """The JSON padded with spaces to PAYLOAD_BYTES (JSON ignores trailing white space)."""
    raw = json.dumps(note, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if len(raw) > PAYLOAD_BYTES:
        raise ValueError(f"a push payload of {len(raw)} bytes exceeds {PAYLOAD_BYTES}")
    return raw + b" " * (PAYLOAD_BYTES - len(raw))


def encrypt(sub: Subscription, plaintext: bytes) -> bytes:
    """RFC 8291 aes128gcm body: a fresh P-256 key per message, the phone's key and auth secret (http_ece)."""
    import http_ece
    from cryptography.hazmat.primitives.asymmetric import ec

    return http_ece.encrypt(plaintext, salt=os.urandom(16), private_key=ec.generate_private_key(ec.SECP256R1()),
                            dh=sub.p256dh, auth_secret=sub.auth, version="aes128gcm")


def vapid_header(sub: Subscription, now: float) -> str:
    """`Authorization: vapid t=<JWT ES256>, k=<public key>` for the endpoint's origin (py_vapid)."""
    from py_vapid import Vapid02

    claims = {"aud": sub.audience, "sub": sub.subject, "exp": int(now) + VAPID_LIFETIME_S}
    return Vapid02.from_raw(b64u(sub.vapid).encode()).sign(claims)["Authorization"]


def send(sub: Subscription, note: dict[str, Any], *, now: Callable[[], float] = time.time,
         timeout_s: float = 10.0, verify: bool | str = True) -> int:
    """POST one encrypted notification to the phone's push service; its status (201). PushGone on 404/410,
    PushFailed on anything else. `verify`: the CA bundle for the push service's TLS (default: the system's)."""
    import requests

    urgency, ttl = DELIVERY[note["t"]]
    headers = {"Content-Encoding": "aes128gcm", "Content-Type": "application/octet-stream", "TTL": str(ttl),
               "Urgency": urgency, "Authorization": vapid_header(sub, now())}
    try:
        r = requests.post(sub.endpoint, data=encrypt(sub, pad(note)), headers=headers, timeout=timeout_s,
                          verify=verify, allow_redirects=False)
    except requests.RequestException as exc:
        raise PushFailed(0, f"{sub.audience}: {type(exc).__name__}") from None
    if r.status_code in (404, 410):
        raise PushGone(f"{sub.audience}: {r.status_code}")
    if not 200 <= r.status_code < 300:
        raise PushFailed(r.status_code, f"{sub.audience}: {r.text[:120]}")
    return r.status_code
