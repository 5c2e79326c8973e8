"""Names that are one site under another domain, so that a list entry for one covers the others.

Blogger serves every blog at <blog>.blogspot.com; the country domains (<blog>.blogspot.de, .blogspot.com.br,
.blogspot.co.uk ...) are the same blog under another name, and the large adult list holds many blogs under only
one or some of them. A name on no list is looked up once more under .blogspot.com. Only that host: a rule as
general as "same registrable domain" would let one listed blog block every blog.
"""

from __future__ import annotations

import re

_BLOGSPOT_CC = re.compile(r"^(.+)\.blogspot\.(?:(?:com|co)\.)?[a-z]{2}$")


def canonical_alias(name: str) -> str | None:
    """The same site's canonical name when `name` is a known mirror of it ("x.blogspot.de" → "x.blogspot.com"),
    else None. `name` is a normalized query name (lower case, no trailing dot)."""
    if "blogspot." not in name:  # the common case: one substring test
        return None
    m = _BLOGSPOT_CC.match(name)
    return f"{m.group(1)}.blogspot.com" if m else None
