"""Device IDs: a hash of a device's public keys, written in base32 with a Luhn-mod-32 check character per group.

Modelled on Syncthing's device IDs (written from its description): the 52 base32 characters of a SHA-256 digest
are cut into four groups of 13 and each gets one check character, so a mistyped or misread character is caught
before the ID is ever used. Shown as eight blocks of seven: ABCDEFG-HIJKLMN-...
"""

from __future__ import annotations

import base64
import hashlib

from agent.protocol.errors import ProtocolError

ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"  # RFC 4648 base32
_INDEX = {c: i for i, c in enumerate(ALPHABET)}


def luhn32(text: str, alphabet: str = ALPHABET) -> str:
    """The Luhn mod N check character of `text` over `alphabet` (N = len(alphabet))."""
    index = {c: i for i, c in enumerate(alphabet)} if alphabet is not ALPHABET else _INDEX
    n = len(alphabet)
    factor, total = 1, 0
    for ch in text:
        if ch not in index:
            raise ValueError(f"character {ch!r} is not in the alphabet")
        addend = factor * index[ch]
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return alphabet[(n - total % n) % n]


def raw_device_id(sign_pub: bytes, kx_pub: bytes) -> str:
    """52 base32 characters naming the key pair; the form kept in databases and message headers."""
    digest = hashlib.sha256(b"sprout-device-id\x00" + sign_pub + kx_pub).digest()
    return base64.b32encode(digest).decode("ascii").rstrip("=")


def format_device_id(raw: str) -> str:
    """The form shown to people: 56 characters (4 check characters added) in blocks of seven."""
    if len(raw) != 52 or any(c not in _INDEX for c in raw):
        raise ValueError("a raw device ID is 52 base32 characters")
    chunks = [raw[i : i + 13] for i in range(0, 52, 13)]
    checked = "".join(chunk + luhn32(chunk) for chunk in chunks)
    return "-".join(checked[i : i + 7] for i in range(0, 56, 7))


def short_device_id(raw: str) -> str:
    """The first block, enough to tell a family's devices apart on a screen."""
    return format_device_id(raw)[:7]


def parse_device_id(text: str) -> str:
    """Accept a displayed ID (any case, dashes or spaces) or a raw one; return the raw ID or raise ProtocolError."""
    cleaned = "".join(text.split()).replace("-", "").upper()
    if len(cleaned) == 52 and all(c in _INDEX for c in cleaned):
        return cleaned
    if len(cleaned) != 56:
        raise ProtocolError("bad_device_id", f"a device ID has 56 characters, this one has {len(cleaned)}")
    bad = [c for c in cleaned if c not in _INDEX]
    if bad:
        raise ProtocolError("bad_device_id", f"character {bad[0]!r} cannot appear in a device ID")
    raw = []
    for g in range(4):
        group = cleaned[g * 14 : g * 14 + 14]
        if luhn32(group[:13]) != group[13]:
            raise ProtocolError("bad_device_id", f"check character of group {g + 1} does not match (a typo?)")
        raw.append(group[:13])
    return "".join(raw)
