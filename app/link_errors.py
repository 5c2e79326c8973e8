"""The console's link error, apart from the transports that raise it (the LAN client and the relay) so that
neither has to import the other for it."""

from __future__ import annotations


class LinkError(Exception):
    """The link could not do what was asked; `code` is stable, `reason` is a sentence for the parent."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
