"""Report models: outbox items → per-day rows and totals."""

from __future__ import annotations

import datetime as dt

import pytest

from app.reports import build_report, to_csv, today_against_limits

DAY = dt.date(2026, 11, 20)


def summary(day: str, screen: int, games: int, **extra) -> dict:
    return {"kind": "daily_summary", "day": day, "seq": 1,
            "payload": {"day": day, "screen_s": screen, "games_s": games, **extra}}


def test_week_rows_totals_top_lists():
    items = [summary("2026-11-18", 3600, 1200, per_app_s={"zalo": 600, "word": 1800},
                     per_game_s={"minecraft": 1200}, blocked={"social": 3}),
             summary("2026-11-19", 5400, 2400, per_app_s={"zalo": 1200}, per_game_s={"minecraft": 600, "roblox": 1800}),
             summary("2026-10-01", 9999, 9999),  # outside the period
             {"kind": "alert", "day": "2026-11-19", "payload": {"kind": "timezone_change"}},
             {"kind": "time_request", "day": "2026-11-20", "payload": {"id": "r1"}},
             {"kind": "daily_summary", "day": None, "payload": "garbage"}]
    r = build_report(items, DAY, 7, live_today={"screen_used_s": 1500, "games_used_s": 0})
    assert r.days[0].day == "2026-11-14" and len(r.days) == 7
    by = {d.day: d for d in r.days}
    assert (by["2026-11-18"].screen_min, by["2026-11-19"].games_min, by["2026-11-20"].screen_min) == (60, 40, 25)
    assert r.total_screen_min == 60 + 90 + 25
    assert dict(r.top_apps) == {"zalo": 30, "word": 30}
    assert dict(r.games) == {"roblox": 30, "minecraft": 30}
    assert r.web_categories == [("social", 3)] and r.blocked_tries == 3
    assert by["2026-11-19"].alerts == 1 and r.alerts[0]["kind"] == "timezone_change"
    assert by["2026-11-20"].requests == 1
    csv_text = to_csv(r)
    assert csv_text.splitlines()[0].startswith("day,") and "2026-11-18,60,20,3,0,0" in csv_text


def test_ninety_days_and_bad_period():
    r = build_report([], DAY, 90)
    assert len(r.days) == 90 and r.total_screen_min == 0
    with pytest.raises(ValueError, match="days"):
        build_report([], DAY, 0)


def test_today_against_limits():
    pol = {"screen": {"daily_minutes": {"fri": 120}}, "games": {"daily_minutes": 60}}
    got = today_against_limits({"screen_used_s": 1800, "games_used_s": 600}, pol, DAY)  # a Friday
    assert got == {"screen_used": 30, "screen_limit": 120, "games_used": 10, "games_limit": 60}
    assert today_against_limits(None, None, DAY)["screen_used"] is None
