"""Run the ledger over a scripted timeline (docs/simulator.md), one simulated second per tick.

The simulator plays the enforcer too: when the ledger decides to close a game or block an app, that process
is gone for the rest of its step; when it decides to lock (or log out), the session stays locked for the rest
of the step. That is what the real agent does, so the totals match what a child would really get.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.ledger.apps import AppClassifier
from agent.ledger.clock import SimulatedClock
from agent.ledger.ledger import Ledger, LedgerDecision
from agent.ledger.sample import AppRef, Sample
from agent.policy import PolicyError, load_policy

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
MAX_SIMULATED_S = 400 * 86400
STEP_KEYS = {
    "for": {"for", "process", "idle", "running", "foreground_known"},
    "lock": {"lock"},
    "sleep": {"sleep"},
    "set_clock": {"set_clock"},
    "set_timezone": {"set_timezone"},
    "grant": {"grant", "scope", "day"},
}


class ScenarioError(ValueError):
    """A scenario that cannot run; the message names the field path."""


def parse_duration(value: Any, path: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str):
        m = _DURATION.match(value.strip())
        if m and any(m.groups()):
            h, mi, s = (int(g or 0) for g in m.groups())
            return h * 3600 + mi * 60 + s
    raise ScenarioError(f"{path}: must be a duration such as \"30m\", \"1h30m\", \"45s\" or seconds, got {value!r}")


def parse_time(value: Any, path: str) -> dt.datetime:
    if not isinstance(value, str):
        raise ScenarioError(f"{path}: must be an ISO time with its offset, e.g. 2026-12-01T08:00:00+07:00")
    try:
        t = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ScenarioError(f"{path}: {value!r} is not an ISO time such as 2026-12-01T08:00:00+07:00") from None
    if t.tzinfo is None:
        raise ScenarioError(f"{path}: {value!r} has no UTC offset; add one such as +07:00")
    return t


@dataclass
class _Proc:
    ref: AppRef | None
    running: list[AppRef]


class Simulator:
    def __init__(self, scenario: Any, classifier: AppClassifier | None = None) -> None:
        if not isinstance(scenario, dict):
            raise ScenarioError("<root>: a scenario must be a JSON object with policy, start and steps")
        unknown = set(scenario) - {"policy", "start", "steps", "comment"}
        if unknown:
            raise ScenarioError(f"{sorted(unknown)[0]}: unknown field (expected policy, start, steps)")
        try:
            self.policy = load_policy(scenario.get("policy", {}), source="policy")
        except PolicyError as exc:
            raise ScenarioError("; ".join(f"policy.{p.path}: {p.reason}" for p in exc.problems)) from None
        start = parse_time(scenario.get("start"), "start")
        steps = scenario.get("steps")
        if not isinstance(steps, list):
            raise ScenarioError("steps: must be a list of steps")
        self.steps = [self._check_step(s, f"steps[{i}]") for i, s in enumerate(steps)]
        total = sum(parse_duration(s.get("for", s.get("lock", s.get("sleep", 0))), "") for s in self.steps)
        if total > MAX_SIMULATED_S:
            raise ScenarioError(f"steps: {total} s simulated; at most {MAX_SIMULATED_S} s (400 days)")
        self.classifier = classifier or AppClassifier()
        self.clock = SimulatedClock(start.timestamp())
        self.ledger = Ledger(self.policy)
        self.events: list[dict[str, Any]] = []

    @staticmethod
    def _check_step(step: Any, path: str) -> dict[str, Any]:
        if not isinstance(step, dict):
            raise ScenarioError(f"{path}: must be an object such as {{\"for\": \"30m\", \"process\": null}}")
        kinds = [k for k in STEP_KEYS if k in step]
        if len(kinds) != 1:
            raise ScenarioError(f"{path}: must have exactly one of {', '.join(STEP_KEYS)}")
        kind = kinds[0]
        for key in step:
            if key not in STEP_KEYS[kind]:
                raise ScenarioError(f"{path}.{key}: unknown field for a {kind!r} step")
        if kind in ("for", "lock", "sleep", "grant"):
            parse_duration(step[kind], f"{path}.{kind}")
        if kind == "for":
            proc = step.get("process")
            if proc is not None and (not isinstance(proc, str) or not proc.strip() or len(proc) > 255):
                raise ScenarioError(f"{path}.process: must be an executable name or null, got {proc!r}")
            running = step.get("running", [])
            if not isinstance(running, list) or not all(isinstance(r, str) and r.strip() for r in running):
                raise ScenarioError(f"{path}.running: must be a list of executable names")
            for flag in ("idle", "foreground_known"):
                if flag in step and not isinstance(step[flag], bool):
                    raise ScenarioError(f"{path}.{flag}: must be true or false")
        elif kind == "set_clock":
            parse_time(step["set_clock"], f"{path}.set_clock")
        elif kind == "set_timezone":
            tz = step["set_timezone"]
            try:
                if not isinstance(tz, str) or ".." in tz:
                    raise ValueError
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise ScenarioError(f"{path}.set_timezone: {tz!r} is not an IANA time zone name") from None
        elif kind == "grant":
            if step.get("scope", "screen") not in ("screen", "games"):
                raise ScenarioError(f"{path}.scope: must be screen or games")
            if "day" in step:
                try:
                    dt.date.fromisoformat(step["day"])
                except (TypeError, ValueError):
                    raise ScenarioError(f"{path}.day: must be a date YYYY-MM-DD") from None
        return step

    def _record(self, decisions: list[LedgerDecision]) -> None:
        tz = self.policy.timezone
        # The simulator carries out every enforcement at once, so each one it receives is a real new action.
        for d in decisions:
            event: dict[str, Any] = {
                "at": dt.datetime.fromtimestamp(d.at, tz).isoformat(),
                "kind": d.kind,
                "target": d.target,
                "left_s": d.left_s,
                "reason": d.reason,
            }
            if d.detail:
                event["detail"] = d.detail
            self.events.append(event)

    def _info(self, kind: str, reason: str, detail: dict[str, Any]) -> None:
        now = self.ledger.trusted_time(self.clock.now())
        self._record([LedgerDecision(kind, None, reason, now, None, detail=detail)])

    def run(self) -> dict[str, Any]:
        self._record(self.ledger.resume(self.clock.now()))
        for step in self.steps:
            if "for" in step:
                self._run_for(step)
            elif "lock" in step:
                self._tick_for(parse_duration(step["lock"], ""), _Proc(None, []), locked=True)
            elif "sleep" in step:
                self.clock.sleep(parse_duration(step["sleep"], ""))
            elif "set_clock" in step:
                self.clock.set_wall(parse_time(step["set_clock"], "").timestamp())
            elif "set_timezone" in step:
                # The ledger keeps the policy's zone; a changed system zone is only worth telling the parent.
                self._info("timezone_change", "system_timezone_changed", {"timezone": step["set_timezone"]})
            elif "grant" in step:
                seconds = parse_duration(step["grant"], "")
                self._record([self.ledger.grant(seconds, self.clock.now(), scope=step.get("scope", "screen"),
                                                day=step.get("day"))])
        return self.result()

    def _run_for(self, step: dict[str, Any]) -> None:
        ref = None if step.get("process") is None else self.classifier.ref(step["process"])
        running = [self.classifier.ref(r) for r in step.get("running", [])]
        if ref is not None and ref not in running:
            running.append(ref)
        self._tick_for(parse_duration(step["for"], ""), _Proc(ref, running), idle=bool(step.get("idle", False)),
                       foreground_known=step.get("foreground_known", True))

    def _tick_for(self, seconds: int, proc: _Proc, *, locked: bool = False, idle: bool = False,
                  foreground_known: bool = True) -> None:
        for _ in range(seconds):
            self.clock.advance(1)
            sample = Sample(self.clock.now(), proc.ref, tuple(proc.running), idle, locked, foreground_known)
            decisions = self.ledger.observe(sample)
            if not decisions:
                continue
            self._record(decisions)
            for d in decisions:
                if d.kind in ("close", "block"):
                    proc.running = [r for r in proc.running if r.id != d.target]
                    if proc.ref is not None and proc.ref.id == d.target:
                        proc.ref = None
                elif d.kind in ("lock", "logout"):
                    locked = True
                    if d.kind == "logout":
                        proc.ref, proc.running = None, []

    def result(self) -> dict[str, Any]:
        days = {}
        for day, t in sorted(self.ledger.days.items()):
            if not (t.screen_s or t.games_s or t.per_app_s or t.grant_screen_s or t.grant_games_s):
                continue
            days[day] = {
                "screen_s": round(t.screen_s),
                "games_s": round(t.games_s),
                "per_game_s": {k: round(v) for k, v in sorted(t.per_game_s.items())},
                "per_app_s": {k: round(v) for k, v in sorted(t.per_app_s.items())},
                "grant_screen_s": t.grant_screen_s,
                "grant_games_s": t.grant_games_s,
            }
        return {"days": days, "events": self.events}


def simulate(scenario: Any, classifier: AppClassifier | None = None) -> dict[str, Any]:
    return Simulator(scenario, classifier).run()
