"""The parent's "lock now" and "pause internet until …" (docs/parent-guide.md), as the service keeps them.

Both live in the encrypted store (one record, rewritten on every change), not in memory: a child who stops the
agent or restarts the PC finds them still in force. Their ends are in the ledger's *trusted* time
(docs/time-rules.md), never the wall clock, so moving the clock forward ends neither. The store is sealed with the
agent's key, so the child cannot write an "unlocked" record either; only a signed control through the link (or the
parent's PIN at this PC, for the lock) ends one early.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from agent.service.rates import RateLimit

log = logging.getLogger(__name__)

CONTROLS_KEY = "parent-controls"
NAMES = ("lock", "pause")  # lock_now → "lock", pause_internet → "pause"


class ParentControls:
    """{"lock": entry | None, "pause": entry | None}; an entry is {until (0 = open-ended), since, by, at}."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.state: dict[str, dict[str, Any] | None] = {name: None for name in NAMES}
        raw = store.kv_get(CONTROLS_KEY)
        if raw:
            try:
                data = json.loads(raw)
                for name in NAMES:
                    entry = data.get(name)
                    if isinstance(entry, dict) and isinstance(entry.get("until"), int | float):
                        self.state[name] = entry
            except (ValueError, AttributeError):
                # The store decrypted it, so this is a bug or a damaged disk, not a child's edit: keep nothing in
                # force rather than guess, and say so (the core records an event the parent sees).
                log.error("saved parent controls unreadable; none in force")
                self.unreadable = True
                return
        self.unreadable = False

    def active(self, name: str, now: float) -> dict[str, Any] | None:
        entry = self.state.get(name)
        if entry is None:
            return None
        until = entry["until"]
        return entry if until == 0 or now < until else None

    def expired(self, now: float) -> list[tuple[str, dict[str, Any]]]:
        """The controls whose time is over, cleared (saved once for all of them)."""
        gone = [(n, e) for n, e in self.state.items() if e is not None and e["until"] and now >= e["until"]]
        for name, _ in gone:
            self.state[name] = None
        if gone:
            self.save()
        return gone

    def put(self, name: str, entry: dict[str, Any] | None) -> None:
        self.state[name] = entry
        self.save()

    def save(self) -> None:
        self.store.kv_put(CONTROLS_KEY, json.dumps(self.state).encode("utf-8"))


def clock_text(at: float, tz: dt.tzinfo, now: float) -> str:
    """"18:00" for a time today in the family's time zone, "08:30 07/12" for another day."""
    when = dt.datetime.fromtimestamp(at, tz)
    today = dt.datetime.fromtimestamp(now, tz).date()
    return when.strftime("%H:%M") if when.date() == today else when.strftime("%H:%M %d/%m")


# What the parent and the child read of each change; the alert kinds the console and the phone name.
_EVENTS = {("lock", True): "parent_lock", ("lock", False): "parent_unlock",
           ("pause", True): "internet_paused", ("pause", False): "internet_resumed"}
MAX_CONTROL_S = 24 * 3600


class ControlsMixin:
    """AgentCore's part for the parent's controls (kept here so the core stays one screen of concerns). Uses the
    core's lock, clock, ledger, store, notices and outbox."""

    controls: ParentControls
    on_controls_change: list[Any]

    def _init_controls(self) -> None:
        self.controls = ParentControls(self.store)  # type: ignore[attr-defined]
        self.on_controls_change = []  # the web filter swaps to the paused rules and back
        self._refused_rate = RateLimit(burst=5, per_s=1 / 60)
        self._refused_folded = 0
        if self.controls.unreadable:
            self._record_event("state_reset", {"reason": "saved parent controls unreadable"})  # type: ignore

    def _now_trusted(self) -> float:
        return self.ledger.trusted_time(self.clock.now())  # type: ignore[attr-defined]

    def _until_text(self, until: float, now: float) -> str | None:
        return clock_text(until, self.policy.timezone, now) if until else None  # type: ignore[attr-defined]

    def parent_control(self, kind: str, action: str, until: int, signer: str | None, at: int = 0) -> dict[str, Any]:
        """A verified control from a paired console or a linked phone (raises ValueError for an `until` this PC
        cannot honour: in the past, or more than a day ahead, by its trusted time)."""
        name = "lock" if kind == "lock_now" else "pause"
        start = action in ("lock", "pause")
        with self._lock:  # type: ignore[attr-defined]
            now = self._now_trusted()
            if start:
                if until == 0 and name == "pause":
                    raise ValueError("until: a pause needs an end, at most 24 hours from now")
                if until and not now < until <= now + MAX_CONTROL_S + 60:
                    here = clock_text(now, self.policy.timezone, now)  # type: ignore[attr-defined]
                    raise ValueError(f"until: must be after now ({here} on this PC) and at most 24 hours later")
                entry = {"until": int(until), "since": now, "by": signer, "at": at}
                self.controls.put(name, entry)
            else:
                was = self.controls.active(name, now)
                self.controls.put(name, None)
                entry = {"until": 0, "since": now, "by": signer, "at": at, "was_active": was is not None}
            self._control_changed(name, start, entry, now, by=signer)
            return self.controls_status(now)[name] or {"active": False}

    def _control_changed(self, name: str, start: bool, entry: dict[str, Any], now: float, *, by: Any) -> None:
        kind = _EVENTS[(name, start)]
        until_text = self._until_text(entry["until"], now) if start else None
        detail = {"until": entry["until"] or None, "until_text": until_text, "by": by}
        self._record_event(kind, detail, at=now)  # type: ignore[attr-defined]
        self._outbox("alert", {**detail, "kind": kind, "at": now})  # type: ignore[attr-defined]
        self.notices.post({"kind": kind, "target": "screen" if name == "lock" else "web",  # type: ignore
                           "reason": kind, "until": until_text, "left_s": None, "at": now})
        if name == "pause":
            self._tell_controls()
        self.save()  # type: ignore[attr-defined]

    def _tell_controls(self) -> None:
        for listener in self.on_controls_change:
            try:
                listener()
            except Exception:
                log.exception("a part could not take the parent's control")

    def controls_tick(self, now: float) -> dict[str, Any] | None:
        """Called on each tick under the core's lock: ends what is over; the lock in force, or None."""
        for name, _ in self.controls.expired(now):
            self._control_changed(name, False, {"until": 0}, now, by="time")
        return self.controls.active("lock", now)

    def internet_paused(self) -> str | None:
        """The pause's end as the child reads it ("18:00"), "" for an open-ended one, None when not paused."""
        now = self._now_trusted()
        entry = self.controls.active("pause", now)
        return None if entry is None else (self._until_text(entry["until"], now) or "")

    def controls_status(self, now: float | None = None) -> dict[str, Any]:
        now = self._now_trusted() if now is None else now
        out: dict[str, Any] = {}
        for name in NAMES:
            entry = self.controls.active(name, now)
            out[name] = None if entry is None else {
                "active": True, "until": entry["until"] or None, "until_text": self._until_text(entry["until"], now),
                "by": entry.get("by")}
        return out

    def end_lock_by_pin(self) -> None:
        """The parent, at this PC, typed their PIN on the cover: their own lock ends with it."""
        now = self._now_trusted()
        if self.controls.active("lock", now) is not None:
            self.controls.put("lock", None)
            self._control_changed("lock", False, {"until": 0}, now, by="pin")

    def control_refused(self, kind: str, code: str, sender: str | None, reason: str) -> None:
        """A lock or pause (or their end) that was refused: forged, from an unknown key, replayed… The parent
        hears of it; beyond a few a minute (a script) they are counted into the next alert, not each sent."""
        with self._lock:  # type: ignore[attr-defined]
            mono = self.monotonic()  # type: ignore[attr-defined]
            if not self._refused_rate.take(mono):
                self._refused_folded += 1
                return
            folded, self._refused_folded = self._refused_folded, 0
            detail = {"control": kind, "error": code, "sender": (sender or "")[:16], "reason": reason[:200],
                      "more_refused": folded}
            self.report_tamper("control_refused", detail)  # type: ignore[attr-defined]
