"""A name's registrable domain ("m.facebook.com" → "facebook.com", "a.b.com.vn" → "b.com.vn"), by the Public Suffix
List as the `publicsuffixlist` package ships it (offline: no list is fetched at run time).

ICANN suffixes only: for a name under a private suffix such as github.io the registrable domain is "github.io",
not the user's own "someone.github.io", which is what a reminder about private information should keep (less).
"""

from __future__ import annotations

from functools import cache

from publicsuffixlist import PublicSuffixList


@cache
def _list() -> PublicSuffixList:
    return PublicSuffixList(only_icann=True)


def registrable_domain(name: str) -> str | None:
    """The registrable domain of a DNS name, or None for a bare suffix ("com.vn"), a single label or junk."""
    name = name.strip().rstrip(".").lower()
    if not name or len(name) > 253 or ".." in name:
        return None
    try:
        return _list().privatesuffix(name)
    except (ValueError, IndexError):
        return None
