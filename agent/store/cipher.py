"""Row encryption for the store: AES-256-GCM with one HKDF subkey per table and a random nonce per row.

A sealed value is nonce (12 bytes) || ciphertext || tag (16 bytes). The associated data names the format, the
table and the row's plaintext columns, so a row copied to another table, another id or another day fails to open.
"""

from __future__ import annotations

import os
from typing import Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

KEY_BYTES = 32
SALT_BYTES = 16
NONCE_BYTES = 12  # random 96-bit nonces: safe far beyond this store's row count (2^32 rows per subkey)
TAG_BYTES = 16
_CONTEXT = b"sprout-store/v1"


class RowAuthError(Exception):
    """A sealed value did not authenticate (wrong key, tampered, moved to another row, or damaged)."""


class RowCipher(Protocol):
    def seal(self, table: str, row: bytes, plaintext: bytes) -> bytes: ...

    def open(self, table: str, row: bytes, sealed: bytes) -> bytes: ...


def row_identity(*columns: object) -> bytes:
    """Stable bytes for a row's plaintext columns: the associated data that binds a ciphertext to its row."""
    return "\x1f".join(f"{type(c).__name__}:{c}" for c in columns).encode("utf-8")


class AeadRowCipher:
    """The store's cipher; `salt` is random per database file so one master key gives unrelated subkeys per file."""

    def __init__(self, master_key: bytes, salt: bytes) -> None:
        if len(master_key) != KEY_BYTES:
            raise ValueError(f"store key: expected {KEY_BYTES} bytes, got {len(master_key)}")
        if len(salt) != SALT_BYTES:
            raise ValueError(f"store salt: expected {SALT_BYTES} bytes, got {len(salt)}")
        self._master = bytes(master_key)
        self._salt = bytes(salt)
        self._aeads: dict[str, AESGCM] = {}

    def _aead(self, table: str) -> AESGCM:
        aead = self._aeads.get(table)
        if aead is None:
            subkey = HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=self._salt,
                          info=_CONTEXT + b"/table/" + table.encode("ascii")).derive(self._master)
            aead = self._aeads[table] = AESGCM(subkey)
        return aead

    @staticmethod
    def _aad(table: str, row: bytes) -> bytes:
        return _CONTEXT + b"\x00" + table.encode("ascii") + b"\x00" + row

    def seal(self, table: str, row: bytes, plaintext: bytes) -> bytes:
        nonce = os.urandom(NONCE_BYTES)
        return nonce + self._aead(table).encrypt(nonce, plaintext, self._aad(table, row))

    def open(self, table: str, row: bytes, sealed: bytes) -> bytes:
        if not isinstance(sealed, bytes) or len(sealed) < NONCE_BYTES + TAG_BYTES:
            raise RowAuthError("sealed value too short")
        try:
            return self._aead(table).decrypt(sealed[:NONCE_BYTES], sealed[NONCE_BYTES:], self._aad(table, row))
        except InvalidTag:
            raise RowAuthError("authentication failed") from None
