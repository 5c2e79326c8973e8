"""Long-term identities: an Ed25519 signing key and an X25519 agreement key per agent and per console.

The private halves live in a vault (the OS keyring, or a key file where there is none) as one 64-byte secret;
only public halves and the device ID ever leave this module in messages or logs.
"""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass
from typing import Any, Protocol

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from agent.protocol.devid import format_device_id, raw_device_id
from agent.protocol.errors import ProtocolError

IDENTITY_SECRET = "link-identity"


class Vault(Protocol):
    def get_or_create(self, name: str, factory: Any) -> bytes: ...


def b64e(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def b64d(text: Any, what: str = "field") -> bytes:
    if not isinstance(text, str) or len(text) > 4_000_000:
        raise ProtocolError("bad_encoding", f"{what}: expected a base64url string")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, TypeError):
        raise ProtocolError("bad_encoding", f"{what}: not valid base64url") from None


def _raw(pub: Ed25519PublicKey | X25519PublicKey) -> bytes:
    return pub.public_bytes(Encoding.Raw, PublicFormat.Raw)


@dataclass(frozen=True)
class PeerKeys:
    """The public half of an identity, as pinned by the other side."""

    sign_pub: bytes
    kx_pub: bytes
    name: str = ""

    @property
    def device_id(self) -> str:
        return raw_device_id(self.sign_pub, self.kx_pub)

    @property
    def display_id(self) -> str:
        return format_device_id(self.device_id)

    def verify(self, signature: bytes, data: bytes) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.sign_pub).verify(signature, data)
        except (InvalidSignature, ValueError):
            return False
        return True

    def to_json(self) -> dict[str, str]:
        return {"sign": b64e(self.sign_pub), "kx": b64e(self.kx_pub), "name": self.name}

    @classmethod
    def from_json(cls, data: Any) -> PeerKeys:
        if not isinstance(data, dict):
            raise ProtocolError("bad_keys", "public keys must be an object")
        sign, kx = b64d(data.get("sign"), "keys.sign"), b64d(data.get("kx"), "keys.kx")
        name = data.get("name", "")
        if len(sign) != 32 or len(kx) != 32:
            raise ProtocolError("bad_keys", "public keys are 32 bytes each")
        if not isinstance(name, str) or len(name) > 80:
            raise ProtocolError("bad_keys", "name must be text of at most 80 characters")
        return cls(sign, kx, name.strip())


class Identity:
    """This device's own key pair. Never printed: repr shows only the device ID."""

    def __init__(self, secret: bytes, name: str = "") -> None:
        if len(secret) != 64:
            raise ValueError("an identity secret is 64 bytes")
        self._sign = Ed25519PrivateKey.from_private_bytes(secret[:32])
        self._kx = X25519PrivateKey.from_private_bytes(secret[32:])
        self.public = PeerKeys(_raw(self._sign.public_key()), _raw(self._kx.public_key()), name)

    @staticmethod
    def new_secret() -> bytes:
        return os.urandom(64)

    @classmethod
    def generate(cls, name: str = "") -> Identity:
        return cls(cls.new_secret(), name)

    @classmethod
    def from_vault(cls, vault: Vault, name: str = "") -> Identity:
        return cls(vault.get_or_create(IDENTITY_SECRET, cls.new_secret), name)

    @property
    def device_id(self) -> str:
        return self.public.device_id

    def sign(self, data: bytes) -> bytes:
        return self._sign.sign(data)

    def shared_secret(self, peer: PeerKeys) -> bytes:
        try:
            return self._kx.exchange(X25519PublicKey.from_public_bytes(peer.kx_pub))
        except ValueError:  # a low-order point gives an all-zero secret, which cryptography refuses
            raise ProtocolError("bad_keys", "the peer's agreement key is not usable") from None

    def __repr__(self) -> str:
        return f"Identity({self.public.display_id})"
