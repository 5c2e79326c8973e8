"""Sprout's categories for an existing DNS server (`sprout-agent lists export`): a school lab or a family router
should not run our Python resolver, so the same lists are written for Unbound or BIND (RPZ), dnsmasq, a hosts
file, or an ad blocker (adblock syntax).

Every format blocks the name and all its subdomains except `hosts`, which has no wildcards (the name and `www.`
only). Blocked names get NXDOMAIN (RPZ `CNAME .`, dnsmasq `address=/name/`). The names are the curated lists:
shipped, a signed update, and a parent's imports (agent/dns/liststore.py); the large adult list ships as
fingerprints (agent/dns/bulk.py) and has no names to export: a network takes it from its package directly.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

FORMATS = ("rpz", "dnsmasq", "hosts", "adblock")


def lines(fmt: str, names: Iterable[tuple[str, str]], *, serial: int | None = None) -> Iterator[str]:
    """The export as lines (with newlines) for (name, category) pairs sorted by category then name."""
    if fmt not in FORMATS:
        raise ValueError(f"--format {fmt!r}: one of {', '.join(FORMATS)}")
    stamp = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    comment = ";" if fmt == "rpz" else "!" if fmt == "adblock" else "#"
    yield f"{comment} Sprout (Mầm) web categories, exported {stamp}; one name blocks its subdomains too" \
          f"{' (hosts: the name and www. only)' if fmt == 'hosts' else ''}\n"
    if fmt == "adblock":
        yield "[Adblock Plus 2.0]\n"
    if fmt == "rpz":
        yield "$TTL 60\n"
        yield f"@ IN SOA localhost. parents.sprout.invalid. {serial or int(time.time())} 3600 600 86400 60\n"
        yield "@ IN NS localhost.\n"
    current = None
    for name, category in names:
        if category != current:
            current = category
            yield f"{comment} category: {category}\n"
        if fmt == "rpz":
            yield f"{name} CNAME .\n*.{name} CNAME .\n"
        elif fmt == "dnsmasq":
            yield f"address=/{name}/\n"
        elif fmt == "hosts":
            yield f"0.0.0.0 {name}\n"
            if not name.startswith("www."):
                yield f"0.0.0.0 www.{name}\n"
        else:
            yield f"||{name}^\n"


def select(entries: Iterable[tuple[str, str]], categories: set[str] | None) -> list[tuple[str, str]]:
    """The wanted categories' names, each once (the first category a name came with wins), sorted."""
    seen: dict[str, str] = {}
    for name, category in entries:
        if categories is None or category in categories:
            seen.setdefault(name, category)
    return sorted(((n, c) for n, c in seen.items()), key=lambda item: (item[1], item[0]))
