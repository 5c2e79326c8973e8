"""The ledger's saved state: a restart resumes the day's totals, records the gap, and cannot be used to go back."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from agent.ledger import AppRef, Ledger, Sample, SimulatedClock
from agent.policy import Policy, load_policy_doc

TZ = "Asia/Ho_Chi_Minh"


def policy(minutes: int = 60) -> Policy:
    return Policy.from_doc(load_policy_doc({"screen": {"daily_minutes": dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), minutes)}}))


def at(text: str) -> float:
    return dt.datetime.fromisoformat(text).timestamp()


def use(ledger: Ledger, clock: SimulatedClock, seconds: int, app: AppRef | None = None) -> list:
    out = []
    for _ in range(seconds):
        clock.advance(1)
        out += ledger.observe(Sample(clock.now(), app, (app,) if app else ()))
    return out


def test_restart_resumes_totals_and_records_the_gap():
    clock = SimulatedClock(at("2026-12-01T08:00:00+07:00"))
    led = Ledger(policy())
    led.resume(clock.now())
    use(led, clock, 1800)
    state = json.loads(json.dumps(led.to_state()))  # it must survive JSON

    # The agent was killed; 5 minutes later it starts again with new counters (a new process, same boot).
    clock2 = SimulatedClock(clock.now().wall + 300, mono=50.0, boot=50.0)
    led2 = Ledger.from_state(policy(), state)
    gap = led2.observe(Sample(clock2.now()))
    assert [(d.kind, d.reason, d.left_s) for d in gap] == [("gap", "agent_not_running", 300)]
    decisions = use(led2, clock2, 1800)
    assert led2.days["2026-12-01"].screen_s == 3600
    assert [d.kind for d in decisions if d.enforces] == ["lock"]


def test_restart_with_clock_moved_back_keeps_the_later_time():
    clock = SimulatedClock(at("2026-12-02T08:00:00+07:00"))
    led = Ledger(policy())
    led.resume(clock.now())
    use(led, clock, 3600)
    state = led.to_state()
    # Clock set back a whole day while the agent was stopped: trusted time stays at 2 Dec 09:00.
    clock2 = SimulatedClock(at("2026-12-01T09:00:00+07:00"), mono=1.0, boot=1.0)
    led2 = Ledger.from_state(policy(), state)
    led2.observe(Sample(clock2.now()))
    decisions = use(led2, clock2, 10)
    assert "2026-12-01" not in led2.days
    assert decisions and decisions[0].kind == "lock"


def test_policy_time_zone_change_never_replays_a_day():
    clock = SimulatedClock(at("2026-12-02T01:00:00+07:00"))
    led = Ledger(policy())
    led.resume(clock.now())
    use(led, clock, 3600)  # 2 Dec used up (01:00–02:00 local Vietnam)
    # The parent moves the family to Los Angeles, where it is still 1 Dec: that day must not be reopened.
    doc = load_policy_doc({"timezone": "America/Los_Angeles", "screen": {"daily_minutes": dict.fromkeys(
        ("mon", "tue", "wed", "thu", "fri", "sat", "sun"), 60)}})
    led.set_policy(Policy.from_doc(doc))
    decisions = use(led, clock, 5)
    assert "2026-12-01" not in led.days
    assert decisions[0].kind == "lock"


def test_bad_state_is_refused():
    with pytest.raises(ValueError, match="format"):
        Ledger.from_state(policy(), {"format": 9})
