"""Consent before anything about the child is shared (Law on Children 2016 art. 21, Decree 13/2023 art. 20: the parent
and the child aged 7 or more). No Qt, no sockets: the core calls this, the companion and the parent's link carry it.

What can leave this PC, in three kinds:
- MINIMUM, always, for the family's safety: limits reached (yes/no, no names), time requests, tamper alerts, the
  child's own reports of harm, and the consent record itself.
- FIELDS, only when both the parent and the child (7+) agreed to them (the parent alone under 7), and only while
  the policy's privacy settings allow them.
- NEVER, whatever anyone agrees: keystrokes, screenshots, full web addresses, window titles, messages, passwords,
  camera, microphone.

The state machine, for the current proposal (a set of FIELDS the parent asks to see):
    none ──child agrees──▶ child_agreed ──parent agrees──▶ both
    none ──parent agrees─▶ parent_agreed ──child agrees──▶ both
A proposal that widens what is in force (any field not yet agreed) starts again at "none" for the child (the parent's
own signed ask counts as the parent's agreement); what was agreed before keeps flowing meanwhile. A proposal that
narrows (a subset of what is in force) applies at once: narrowing never needs consent. "Talk about it" is the
child's answer that leaves the proposal waiting.

The record (every answer: who, what, which fields, when) is kept in the agent's encrypted store under KEY, sent to
the parent as "consent" outbox items (kept sealed by the console), and shown in the child's privacy window.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from agent.protocol.consent import CHILD_CONSENT_AGE, FIELDS, MINIMUM, NEVER, default_fields

__all__ = ["FIELDS", "MINIMUM", "NEVER", "ConsentBook", "ConsentError", "default_fields"]

log = logging.getLogger(__name__)

KEY = "consent"
MAX_RECORD = 200  # answers kept; the oldest go first (a family answers a few times a year)


class ConsentError(ValueError):
    """A consent request the agent refuses; the message says what and why."""


def check_fields(fields: Any) -> list[str]:
    if not isinstance(fields, list) or not all(isinstance(f, str) for f in fields):
        raise ConsentError("fields: must be a list of names")
    unknown = [f for f in fields if f not in FIELDS]
    never = [f for f in unknown if f in NEVER]
    if never:
        raise ConsentError(f"fields: {', '.join(never)} is never collected by Sprout, whoever agrees")
    if unknown:
        raise ConsentError(f"fields: unknown {', '.join(unknown)} (known: {', '.join(FIELDS)})")
    return [f for f in FIELDS if f in fields]  # one order everywhere, no duplicates


def allowed_by_policy(privacy: dict[str, Any]) -> set[str]:
    """The policy's privacy switches cap what may flow, whatever was agreed (turning one off = narrowing)."""
    allowed = {"time_totals", "games_by_name", "lessons_finished"}
    if privacy.get("report_apps"):
        allowed.add("apps_by_name")
    if privacy.get("report_web_categories"):
        allowed.add("web_categories_blocked")
    return allowed


class ConsentBook:
    """The consent state and record for this PC's child, kept in the store (encrypted at rest)."""

    def __init__(self, store: Any) -> None:
        self.store = store
        self.data = self._load()

    def _load(self) -> dict[str, Any]:
        raw = self.store.kv_get(KEY)
        if raw:
            try:
                data = json.loads(raw)
                if isinstance(data, dict) and isinstance(data.get("record"), list):
                    return data
            except ValueError:
                pass
            # Never quietly widen: an unreadable record means nothing is agreed, and the parent is told (core).
            log.error("consent record unreadable; starting from 'nothing agreed'")
        return {"proposal": None, "parent": None, "child": None, "agreed": [], "record": []}

    def _save(self) -> None:
        self.store.kv_put(KEY, json.dumps(self.data, ensure_ascii=False).encode("utf-8"))

    def _note(self, at: float, who: str, what: str, fields: list[str]) -> dict[str, Any]:
        entry = {"at": at, "who": who, "what": what, "fields": list(fields),
                 "proposal": (self.data["proposal"] or {}).get("id", 0)}
        self.data["record"] = [*self.data["record"], entry][-MAX_RECORD:]
        return entry

    # ---- what the family sees ------------------------------------------------------------------------------
    def ensure_proposal(self, age: int | None, at: float) -> None:
        """After pairing the agent offers the age's defaults; nobody has agreed to them yet."""
        if self.data["proposal"] is None:
            self.data["proposal"] = {"id": 1, "fields": default_fields(age), "by": "defaults", "at": at}
            self._save()

    def state(self, age: int | None) -> str:
        p = self.data["proposal"]
        if p is None:
            return "none"
        asked = set(p["fields"])
        parent = self.data["parent"] is not None and set(self.data["parent"]["fields"]) == asked
        child_said = self.data["child"] or {}
        # The child agreed to a set of fields: an ask within that set needs no second yes.
        child = child_said.get("answer") == "agree" and asked <= set(child_said.get("fields", ()))
        if parent and (child or not needs_child(age)):
            return "both"
        return "parent_agreed" if parent else "child_agreed" if child else "none"

    def in_force(self, privacy: dict[str, Any]) -> list[str]:
        allowed = allowed_by_policy(privacy)
        return [f for f in self.data["agreed"] if f in allowed]

    def view(self, age: int | None, privacy: dict[str, Any]) -> dict[str, Any]:
        p = self.data["proposal"] or {"id": 0, "fields": [], "by": "defaults", "at": None}
        state = self.state(age)
        child = self.data["child"]
        answer = child["answer"] if child and set(p["fields"]) <= set(child.get("fields", ())) else None
        return {"state": state, "proposal": p, "in_force": self.in_force(privacy),
                "asks_child": needs_child(age) and self.data["proposal"] is not None
                and state in ("none", "parent_agreed"),
                "child_answer": answer, "child_needed": needs_child(age),
                "minimum": list(MINIMUM), "never": list(NEVER), "record": list(self.data["record"])}

    # ---- answers -------------------------------------------------------------------------------------------
    def _propose(self, fields: list[str], by: str, at: float) -> None:
        current = self.data["proposal"]
        if current is None or current["fields"] != fields:
            self.data["proposal"] = {"id": (current or {}).get("id", 0) + 1, "fields": fields, "by": by, "at": at}

    def parent_asks(self, fields: Any, age: int | None, at: float, signer: str) -> dict[str, Any]:
        """The parent's signed ask (and agreement) to see `fields`. Narrowing applies at once."""
        fields = check_fields(fields)
        narrowing = set(fields) <= set(self.data["agreed"]) and self.data["proposal"] is not None
        self._propose(fields, "parent", at)
        self.data["parent"] = {"fields": fields, "at": at, "signer": signer}
        if narrowing:
            self.data["agreed"] = fields
            # Both agreed to a wider set, so both agree to this one: the child is not asked again.
            self.data["child"] = {"fields": fields, "answer": "agree", "at": at, "implied": "narrowing"}
            entry = self._note(at, "parent", "narrowed", fields)
        else:
            entry = self._note(at, "parent", "agreed", fields)
        self._settle(age)
        self._save()
        return entry

    def child_answers(self, agree: bool, age: int | None, at: float) -> dict[str, Any]:
        p = self.data["proposal"]
        if p is None:
            raise ConsentError("there is nothing to agree to yet: no parent is paired with this PC")
        self.data["child"] = {"fields": list(p["fields"]), "answer": "agree" if agree else "talk", "at": at}
        entry = self._note(at, "child", "agreed" if agree else "wants_to_talk", p["fields"])
        self._settle(age)
        self._save()
        return entry

    def _settle(self, age: int | None) -> None:
        if self.state(age) == "both":
            self.data["agreed"] = list(self.data["proposal"]["fields"])
            if self.data["child"] is not None:
                # The child's yes now stands for what is in force: anything wider is asked again.
                self.data["child"]["fields"] = list(self.data["agreed"])


def needs_child(age: int | None) -> bool:
    return age is None or age >= CHILD_CONSENT_AGE


def limits_reached(policy: Any, day: str, totals: Any) -> dict[str, bool]:
    """Yes/no per kind of limit for a day, without any app or game name (always sent)."""
    out = {"screen": False, "games": False}
    if totals is None:
        return out
    date = dt.date.fromisoformat(day)
    allowance = policy.screen_allowance_s(date)
    if allowance is not None and totals.screen_s >= allowance + totals.grant_screen_s - 1:
        out["screen"] = True
    if policy.games_daily is not None and totals.games_s >= policy.games_daily * 60 + totals.grant_games_s - 1:
        out["games"] = True
    for game, used in totals.per_game_s.items():
        cap = policy.game_allowance_s(game)
        if cap is not None and used >= cap + totals.grant_games_s - 1:
            out["games"] = True
    return out


def summary_for_parent(full: dict[str, Any], fields: list[str], limits: dict[str, bool],
                       state: str) -> dict[str, Any]:
    """The one place a day's summary is cut down to what was agreed. `full` is everything the core counted."""
    out: dict[str, Any] = {"day": full["day"], "requests": full.get("requests", 0), "limits_reached": limits,
                           "consent": state}
    if "time_totals" in fields:
        for k in ("screen_s", "games_s", "grant_screen_s", "grant_games_s"):
            if k in full:
                out[k] = full[k]
    if "games_by_name" in fields and "per_game_s" in full:
        out["per_game_s"] = full["per_game_s"]
    if "apps_by_name" in fields and "per_app_s" in full:
        out["per_app_s"] = full["per_app_s"]
    if "web_categories_blocked" in fields and "blocked" in full:
        out["blocked"] = full["blocked"]
    if "lessons_finished" in fields and "lessons" in full:
        out["lessons"] = full["lessons"]
    return out


def status_for_parent(status: dict[str, Any], fields: list[str], state: str) -> dict[str, Any]:
    """The live status a paired console may read. Without consent: whether a limit is reached (yes/no) and the
    parent's own rule (locked, next allowed window) — not the minutes left, which would give the minutes used away.
    Usage and time left with time_totals; the current game's name only with games_by_name."""
    # "summary" is today's running summary from core.summary, already cut to what was agreed (summary_for_parent)
    keep = {"locked_reason", "next_window", "policy_version", "child_name", "age_band", "lang", "awaiting_child",
            "day", "summary", "parent_lock", "internet_paused"}  # the parent's own controls, as the rules
    out = {k: v for k, v in status.items() if k in keep}
    out["limits_reached"] = {"screen": status.get("screen_left_s") == 0, "games": status.get("games_left_s") == 0}
    if "time_totals" in fields:
        out.update({k: status[k] for k in ("screen_used_s", "games_used_s", "screen_left_s", "games_left_s",
                                           "trusted_time") if k in status})
    if "games_by_name" in fields and "current_game" in status:
        out["current_game"] = status["current_game"]
    out["consent"] = state
    return out
