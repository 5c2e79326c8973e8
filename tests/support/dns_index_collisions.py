"""A hashlib stand-in that makes every name collide with every listed one in the category index, so a lookup depends on its 16-bit check alone (the index tests and lookup_wire's)."""

from __future__ import annotations

import hashlib

from agent.dns import index as index_mod


class _CollidingBlake:
    """hashlib stand-in whose index fingerprints all share bucket and 32-bit key: only the 32-bit check differs.

    Under it every name collides with every listed one, so each lookup depends on the check hash alone."""

    def blake2b(self, data: bytes = b"", **kw: object) -> object:
        real = hashlib.blake2b(data, **kw)
        if kw.get("key") != index_mod._HASH_KEY:
            return real
        return _Forced(real)


class _Forced:
    """A keyed blake2b state whose digest keeps only the check bytes; copy/update as lookups use them."""

    def __init__(self, real: object) -> None:
        self.real = real

    def copy(self) -> _Forced:
        return _Forced(self.real.copy())

    def update(self, data: bytes) -> None:
        self.real.update(data)

    def digest(self) -> bytes:
        return b"\x42" * 6 + self.real.digest()[6:]
