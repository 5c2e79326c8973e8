"""A program never seen before that goes full screen for long is often a game the catalog does not know: the parent
hears of it once, with what the console needs for a one-tap "count it as a game" (the program's content
fingerprint, or its app id where it has no file of its own).

Only unknown programs qualify: not in the catalog, not a game already, not marked by the parent, not a browser or
a system program (a full-screen video in a browser is not a new app). Time is measured on the monotonic clock and
must be continuous: switching away or leaving full screen starts again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FULLSCREEN_S = 120.0  # two minutes in front, full screen: long enough to be play, not a video's title card
MAX_TOLD = 500
QUALIFYING_KINDS = frozenset({"app"})


@dataclass
class Candidate:
    app_id: str
    name: str
    fingerprint: str | None


class NewAppWatch:
    def __init__(self, *, threshold_s: float = FULLSCREEN_S, told: list[str] | None = None) -> None:
        self.threshold_s = threshold_s
        self.told: list[str] = list(told or [])[-MAX_TOLD:]  # fingerprints or app ids already sent to the parent
        self._current: str | None = None
        self._since: float | None = None

    @staticmethod
    def key(c: Candidate) -> str:
        return c.fingerprint or f"app:{c.app_id}"

    def observe(self, mono: float, candidate: Candidate | None) -> dict[str, Any] | None:
        """Called every tick with the full-screen unknown program in front (or None). Returns the alert payload
        the first time one has held the screen for threshold_s, else None."""
        if candidate is None:
            self._current = self._since = None
            return None
        key = self.key(candidate)
        if key != self._current:
            self._current, self._since = key, mono
            return None
        if key in self.told or self._since is None or mono - self._since < self.threshold_s:
            return None
        self.told.append(key)
        del self.told[:-MAX_TOLD]
        return {"kind": "new_fullscreen_app", "app": candidate.app_id, "name": candidate.name,
                "fingerprint": candidate.fingerprint, "seconds": round(mono - self._since)}
