"""Errors of the wire contract: each carries a short machine code and a sentence a person can read."""

from __future__ import annotations


class ProtocolError(Exception):
    """A message or pairing step that must be refused. `code` is stable (tests, events); `reason` is for people."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason
