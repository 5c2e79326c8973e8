"""A fingerprint stand-in that makes every name collide with every listed one in the category index, so a lookup
depends on its 16-bit check alone (the index tests and lookup_wire's)."""

from __future__ import annotations

from agent.dns import index as index_mod

_REAL = index_mod.fingerprint


def colliding_fingerprint(raw: bytes) -> int:
    """The real fingerprint's 16-bit check under one shared bucket and 32-bit key."""
    return (0x4242_4242_4242 << 16) | (_REAL(raw) & 0xFFFF)
