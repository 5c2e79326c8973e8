"""A local push service for the Web Push tests: a real HTTPS server on 127.0.0.1 (its own CA, which the sender
trusts through REQUESTS_CA_BUNDLE or `verify=`), the phone's keys, and what a push service and a browser check:
the VAPID JWT (RFC 8292) signed by the key the phone subscribed with, for this origin, not expired; TTL, Urgency and
Content-Encoding; then the browser's part, decrypting the aes128gcm body (RFC 8291) with the phone's private key and
auth secret. Answers 201, or 410 Gone for a subscription the test has expired."""

from __future__ import annotations

import base64
import json
import os
import ssl
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from agent.protocol.webpush import b64u


def unb64u(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Phone:
    """A phone's push keys as a browser makes them: the payload key pair, the auth secret, the VAPID pair."""

    key: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))
    auth: bytes = field(default_factory=lambda: os.urandom(16))
    vapid: ec.EllipticCurvePrivateKey = field(default_factory=lambda: ec.generate_private_key(ec.SECP256R1()))

    @staticmethod
    def point(key: ec.EllipticCurvePrivateKey) -> bytes:
        return key.public_key().public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)

    def subscription(self, endpoint: str, lang: str = "vi") -> dict[str, str]:
        """What the phone sends in `push_subscribe`."""
        return {"endpoint": endpoint, "p256dh": b64u(self.point(self.key)), "auth": b64u(self.auth),
                "vapid": b64u(self.vapid.private_numbers().private_value.to_bytes(32, "big")),
                "subject": "https://phone.sprout.example", "lang": lang}

    def private_jwk(self) -> dict[str, str]:
        """The payload key as a JWK (what the node cross-check imports)."""
        nums = self.key.private_numbers()
        return {"kty": "EC", "crv": "P-256", "d": b64u(nums.private_value.to_bytes(32, "big")),
                "x": b64u(nums.public_numbers.x.to_bytes(32, "big")),
                "y": b64u(nums.public_numbers.y.to_bytes(32, "big"))}


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    claims: dict[str, Any]
    plaintext: bytes

    @property
    def note(self) -> dict[str, Any]:
        return json.loads(self.plaintext)


class PushService:
    def __init__(self, folder: Path, phone: Phone) -> None:
        from agent.relay.broker import _make_ca_and_server

        folder.mkdir(parents=True, exist_ok=True)
        _make_ca_and_server(folder, ["127.0.0.1"])
        self.ca = str(folder / "ca.crt")
        self.phone = phone
        self.received: list[Received] = []
        self.refused: list[str] = []
        self.gone: set[str] = set()
        self.arrived = threading.Condition()
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(folder / "server.crt", folder / "server.key")
        service = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    if self.path in service.gone:
                        self.send_response(410)
                        self.end_headers()
                        return
                    got = service.check(self.path, dict(self.headers.items()), body)
                except AssertionError as exc:
                    service.refused.append(str(exc))
                    self.send_response(400)
                    self.end_headers()
                    return
                with service.arrived:
                    service.received.append(got)
                    service.arrived.notify_all()
                self.send_response(201)
                self.send_header("Location", f"/m/{len(service.received)}")
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.socket = ctx.wrap_socket(self.server.socket, server_side=True)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def origin(self) -> str:
        return f"https://127.0.0.1:{self.server.server_address[1]}"

    def endpoint(self, name: str = "phone-1") -> str:
        return f"{self.origin}/push/{name}"

    def start(self) -> PushService:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def wait(self, count: int, timeout: float = 30) -> list[Received]:
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.received) >= count, timeout)
            return list(self.received)

    def check(self, path: str, headers: dict[str, str], body: bytes) -> Received:
        import http_ece

        h = {k.lower(): v for k, v in headers.items()}
        assert h.get("content-encoding") == "aes128gcm", "content-encoding"
        assert h.get("ttl", "").isdigit(), "TTL missing"
        assert h.get("urgency") in ("very-low", "low", "normal", "high"), "urgency"
        scheme, _, params = h.get("authorization", "").partition(" ")
        assert scheme == "vapid", "authorization scheme"
        parts = dict(p.strip().split("=", 1) for p in params.split(","))
        assert unb64u(parts["k"]) == Phone.point(self.phone.vapid), "not the key the phone subscribed with"
        head, claims_b64, sig = parts["t"].split(".")
        assert json.loads(unb64u(head)) == {"typ": "JWT", "alg": "ES256"}, "JWT header"
        raw = unb64u(sig)
        assert len(raw) == 64, "ES256 signature size"
        public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), unb64u(parts["k"]))
        public.verify(encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big")),
                      f"{head}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if forged
        claims = json.loads(unb64u(claims_b64))
        assert claims["aud"] == self.origin, "aud"
        assert time.time() < claims["exp"] <= time.time() + 24 * 3600, "exp"
        assert claims["sub"].startswith(("https://", "mailto:")), "sub"
        plaintext = http_ece.decrypt(body, private_key=self.phone.key, auth_secret=self.phone.auth,
                                     version="aes128gcm")
        return Received(path, headers, body, claims, plaintext)
