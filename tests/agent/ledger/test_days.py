"""Whole simulated days through the ledger. Every expected figure is worked out by hand in the comments."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from agent.ledger.apps import AppClassifier
from agent.ledger.simulate import ScenarioError, simulate


@dataclass(frozen=True)
class _Info:
    id: str
    kind: str


class TinyCatalog:
    """A five-entry catalog so these tests pin the ledger's arithmetic, not the shipped catalog's contents."""

    ENTRIES = {
        "minecraft.exe": _Info("minecraft", "game"),
        "robloxplayerbeta.exe": _Info("roblox", "game"),
        "league of legends.exe": _Info("league-of-legends", "game"),
        "valorant.exe": _Info("valorant", "game"),
        "zoom.exe": _Info("zoom", "app"),
    }

    def classify(self, name, *, path=None, parent_names=()):
        return self.ENTRIES.get(name.lower())


def run(policy: dict, start: str, steps: list[dict]) -> dict:
    return simulate({"policy": policy, "start": start, "steps": steps}, AppClassifier(TinyCatalog()))


def limits(screen: int | None = None, games: int | None = None, per_game: int | None = None, **extra) -> dict:
    days = dict.fromkeys(("mon", "tue", "wed", "thu", "fri", "sat", "sun"), screen)
    policy = {"screen": {"daily_minutes": days}, "games": {"daily_minutes": games, "per_game_minutes": per_game}}
    for key, value in extra.items():
        policy[key] = value
    return policy


def kinds(result: dict, *wanted: str) -> list[tuple[str, str, str | None, int | None]]:
    return [(e["at"][11:19], e["kind"], e["target"], e["left_s"]) for e in result["events"] if e["kind"] in wanted]


def test_school_day_with_game_limit_idle_and_screen_lock():
    # Tue 1 Dec 2026, 120 min screen, 60 min games.
    # 08:00–08:30 desktop (screen 30); 08:30–09:15 Minecraft (screen 75, games 45); 09:15–09:45 idle on the desktop
    # (nothing);
    # 09:45 Minecraft again: games reach 60 at 10:00 → closed (screen 90); the child stays on the desktop:
    # screen reaches 120 at 10:30 → locked; 10:30–10:35 locked.
    r = run(limits(120, 60), "2026-12-01T08:00:00+07:00", [
        {"for": "30m", "process": None},
        {"for": "45m", "process": "Minecraft.exe"},
        {"for": "30m", "process": None, "idle": True},
        {"for": "50m", "process": "Minecraft.exe"},
    ])
    day = r["days"]["2026-12-01"]
    assert day["screen_s"] == 120 * 60
    assert day["games_s"] == 60 * 60
    assert day["per_game_s"] == {"minecraft": 3600}
    assert day["per_app_s"] == {"minecraft": 3600}
    assert kinds(r, "warn", "close", "lock") == [
        ("09:15:00", "warn", "minecraft", 900),  # 45 min played: 15 left
        ("09:55:00", "warn", "minecraft", 300),
        ("09:59:00", "warn", "minecraft", 60),
        ("10:00:00", "close", "minecraft", 0),
        ("10:15:00", "warn", "screen", 900),  # 105 min used
        ("10:25:00", "warn", "screen", 300),
        ("10:29:00", "warn", "screen", 60),
        ("10:30:00", "lock", "screen", 0),
    ]


def test_a_game_in_front_is_charged_without_keyboard_or_mouse():
    # Played with a gamepad: the desktop sees no input for 40 minutes, the game is in front the whole time.
    # Game and screen time run on; the same 40 idle minutes on the desktop cost nothing.
    r = run(limits(120, 30), "2026-12-01T08:00:00+07:00", [
        {"for": "40m", "process": "Minecraft.exe", "idle": True},
        {"for": "40m", "process": None, "idle": True},
    ])
    day = r["days"]["2026-12-01"]
    assert day["games_s"] == 30 * 60 and day["per_game_s"] == {"minecraft": 1800}  # closed at 30: not 40
    assert day["screen_s"] == 30 * 60
    assert ("08:30:00", "close", "minecraft", 0) in kinds(r, "close")


def test_sleep_and_lock_are_never_charged():
    # 60 min use, 2 h asleep, 15 min locked, 30 min use → 90 min on the day.
    r = run(limits(), "2026-12-01T08:00:00+07:00", [
        {"for": "60m", "process": None}, {"sleep": "2h"}, {"lock": "15m"}, {"for": "30m", "process": None},
    ])
    assert r["days"]["2026-12-01"]["screen_s"] == 90 * 60
    sleep = [e for e in r["events"] if e["kind"] == "sleep"]
    assert len(sleep) == 1 and sleep[0]["left_s"] == 7200
    # Trusted time follows the boot clock through sleep: the first tick after waking is 08:00+1h+2h+1s.
    assert sleep[0]["at"] == "2026-12-01T11:00:01+07:00"


def test_clock_forward_to_tomorrow_adds_nothing():
    # 60 min a day; used up 19:00–20:00 on 1 Dec, then the child sets the clock to 2 Dec 09:00.
    # Trusted time says it is still 1 Dec 20:00: locked at once, nothing is charged to 2 Dec.
    r = run(limits(60), "2026-12-01T19:00:00+07:00", [
        {"for": "60m", "process": None},
        {"set_clock": "2026-12-02T09:00:00+07:00"},
        {"for": "30m", "process": None},
    ])
    assert list(r["days"]) == ["2026-12-01"]
    assert r["days"]["2026-12-01"]["screen_s"] == 3600 + 1  # the one second it took to lock again
    assert kinds(r, "lock") == [("20:00:00", "lock", "screen", 0), ("20:00:01", "lock", "screen", 0)]
    change = [e for e in r["events"] if e["kind"] == "clock_change"]
    assert len(change) == 1 and change[0]["detail"]["moved_s"] == 13 * 3600


def test_clock_back_to_yesterday_adds_nothing():
    r = run(limits(60), "2026-12-02T08:00:00+07:00", [
        {"for": "60m", "process": None},
        {"set_clock": "2026-12-01T08:00:00+07:00"},
        {"for": "30m", "process": None},
    ])
    assert list(r["days"]) == ["2026-12-02"]
    assert r["days"]["2026-12-02"]["screen_s"] == 3601
    assert [e["detail"]["moved_s"] for e in r["events"] if e["kind"] == "clock_change"] == [-(24 * 3600 + 3600)]


def test_midnight_starts_a_new_allowance():
    # 60 min a day. 23:30–24:00 on 1 Dec (30 min), then 2 Dec: 60 min until 01:00, locked; 30 min locked.
    r = run(limits(60), "2026-12-01T23:30:00+07:00", [{"for": "2h", "process": None}])
    assert r["days"]["2026-12-01"]["screen_s"] == 1800
    assert r["days"]["2026-12-02"]["screen_s"] == 3600
    assert kinds(r, "lock") == [("01:00:00", "lock", "screen", 0)]


def test_window_crossing_midnight():
    # Friday's window 18:00–01:00 runs into Saturday; Saturday's own window is 09:00–22:00. No allowance limit.
    # Fri 4 Dec 23:00 → Sat 01:00 is allowed: 1 h on each date; at 01:00 the session locks.
    policy = limits()
    policy["screen"]["windows"] = {"fri": [{"start": "18:00", "end": "01:00"}], "sat": [{"start": "09:00", "end": "22:00"}]}
    r = run(policy, "2026-12-04T23:00:00+07:00", [{"for": "3h", "process": None}])
    assert r["days"]["2026-12-04"]["screen_s"] == 3600
    assert r["days"]["2026-12-05"]["screen_s"] == 3600
    assert kinds(r, "warn", "lock") == [
        ("00:45:00", "warn", "screen", 900),
        ("00:55:00", "warn", "screen", 300),
        ("00:59:00", "warn", "screen", 60),
        ("01:00:00", "lock", "screen", 0),
    ]


def test_outside_every_window_locks_at_once():
    policy = limits()
    policy["screen"]["windows"] = {"tue": [{"start": "07:00", "end": "20:00"}]}
    r = run(policy, "2026-12-01T21:00:00+07:00", [{"for": "10m", "process": None}])
    assert kinds(r, "lock") == [("21:00:01", "lock", "screen", 0)]
    assert r["days"]["2026-12-01"]["screen_s"] == 1


def test_dst_autumn_day_has_25_hours():
    # Europe/Berlin leaves summer time on Sun 25 Oct 2026: that local day is 25 h long.
    policy = limits(timezone="Europe/Berlin")
    r = run(policy, "2026-10-25T00:00:00+02:00", [{"for": "25h", "process": None}])
    assert r["days"] == {"2026-10-25": {"screen_s": 25 * 3600, "games_s": 0, "per_game_s": {}, "per_app_s": {},
                                        "grant_screen_s": 0, "grant_games_s": 0}}


def test_dst_spring_day_has_23_hours():
    # Sun 29 Mar 2026 in Berlin: 23 h; a 24 h run puts the last hour on Monday 30 Mar.
    r = run(limits(timezone="Europe/Berlin"), "2026-03-29T00:00:00+01:00", [{"for": "24h", "process": None}])
    assert r["days"]["2026-03-29"]["screen_s"] == 23 * 3600
    assert r["days"]["2026-03-30"]["screen_s"] == 3600


def test_time_zone_change_is_recorded_and_changes_nothing():
    # The policy's zone decides days; a child moving the system zone to Los Angeles gains nothing.
    r = run(limits(60), "2026-12-01T08:00:00+07:00", [
        {"for": "40m", "process": None},
        {"set_timezone": "America/Los_Angeles"},
        {"for": "40m", "process": None},
    ])
    assert r["days"]["2026-12-01"]["screen_s"] == 3600
    assert [e["kind"] for e in r["events"]].count("timezone_change") == 1
    assert kinds(r, "lock") == [("09:00:00", "lock", "screen", 0)]


def test_grant_adds_to_the_right_day():
    # 60 min used by 09:00 → locked; the parent grants 15 min; the child uses them: 75 min, locked at 09:15.
    # A grant for yesterday (late answer to an old request) changes nothing today.
    r = run(limits(60), "2026-12-02T08:00:00+07:00", [
        {"for": "60m", "process": None},
        {"grant": "15m"},
        {"grant": "30m", "day": "2026-12-01"},
        {"for": "30m", "process": None},
    ])
    assert r["days"]["2026-12-02"]["screen_s"] == 75 * 60
    assert r["days"]["2026-12-02"]["grant_screen_s"] == 900
    assert r["days"]["2026-12-01"]["grant_screen_s"] == 1800
    grants = [e for e in r["events"] if e["kind"] == "grant"]
    assert [g["detail"]["applies_now"] for g in grants] == [True, False]
    assert kinds(r, "lock") == [("09:00:00", "lock", "screen", 0), ("09:15:00", "lock", "screen", 0)]


def test_grant_of_game_time_extends_total_and_per_game():
    r = run(limits(games=30), "2026-12-02T15:00:00+07:00", [
        {"for": "40m", "process": "Minecraft.exe"},
        {"grant": "10m", "scope": "games"},
        {"for": "20m", "process": "Minecraft.exe"},
    ])
    # 30 min then closed (10 min on the desktop); +10 min granted → 10 more, closed again.
    assert r["days"]["2026-12-02"]["games_s"] == 40 * 60
    assert [e[0] for e in kinds(r, "close")] == ["15:30:00", "15:50:00"]


def test_vietnam_decree_147_day():
    # Preset vn-decree-147: ≤ 60 min per game, ≤ 180 min all games, reminder every 30 min.
    # Minecraft 70 min → closed at 60; Roblox 70 → closed at 60; League 70 → closed at 60 (180 total);
    # Valorant starts: total is used up, closed on its first second (1 s counted).
    policy = {"games": {"daily_minutes": 180, "per_game_minutes": 60, "reminder_minutes": 30}}
    r = run(policy, "2026-12-05T08:00:00+07:00", [
        {"for": "70m", "process": "Minecraft.exe"},
        {"for": "70m", "process": "RobloxPlayerBeta.exe"},
        {"for": "70m", "process": "League of Legends.exe"},
        {"for": "10m", "process": "Valorant.exe"},
    ])
    day = r["days"]["2026-12-05"]
    assert day["per_game_s"] == {"league-of-legends": 3600, "minecraft": 3600, "roblox": 3600, "valorant": 1}
    assert day["games_s"] == 3 * 3600 + 1
    closes = kinds(r, "close")
    assert [(c[0], c[2]) for c in closes] == [
        ("09:00:00", "minecraft"), ("10:10:00", "roblox"), ("11:20:00", "league-of-legends"),
        ("11:30:01", "valorant"),
    ]
    # Reminders after 30, 60, …, 180 min of play: 6 of them.
    assert len(kinds(r, "remind")) == 6


def test_foreground_unknown_counts_running_games():
    # On Wayland the foreground is unknown: a running game counts as played.
    r = run(limits(), "2026-12-01T08:00:00+07:00", [
        {"for": "20m", "process": None, "running": ["Minecraft.exe"], "foreground_known": False},
    ])
    assert r["days"]["2026-12-01"]["games_s"] == 1200
    # With the foreground known, a game minimised behind the desktop does not count.
    r = run(limits(), "2026-12-01T08:00:00+07:00", [{"for": "20m", "process": None, "running": ["Minecraft.exe"]}])
    assert r["days"]["2026-12-01"]["games_s"] == 0


def test_always_allowed_app_does_not_use_screen_time():
    policy = limits(60, apps={"always_allowed": ["zoom"]})
    r = run(policy, "2026-12-01T08:00:00+07:00", [{"for": "90m", "process": "zoom.exe"}, {"for": "10m", "process": None}])
    day = r["days"]["2026-12-01"]
    assert day["screen_s"] == 600 and day["per_app_s"]["zoom"] == 5400
    assert kinds(r, "lock") == []


def test_blocked_app_is_closed_on_its_first_second():
    r = run(limits(apps={"blocked": ["tiktok"]}), "2026-12-01T08:00:00+07:00", [{"for": "5m", "process": "TikTok.exe"}])
    assert kinds(r, "block") == [("08:00:01", "block", "tiktok", None)]
    assert r["days"]["2026-12-01"]["per_app_s"] == {"tiktok": 1}


def test_per_app_limit():
    r = run(limits(apps={"limits": {"discord": 20}}), "2026-12-01T08:00:00+07:00", [{"for": "30m", "process": "Discord.exe"}])
    assert kinds(r, "block") == [("08:20:00", "block", "discord", 0)]
    assert r["days"]["2026-12-01"]["per_app_s"] == {"discord": 1200}
    assert r["days"]["2026-12-01"]["screen_s"] == 1800  # the desktop after Discord closed still counts


def test_holiday_allowance_on_vietnamese_national_day():
    # 2 Sep 2026 is National Day: the holiday allowance (120 min) replaces Wednesday's 60.
    policy = limits(60)
    policy["screen"].update(holiday_minutes=120, holidays="VN")
    r = run(policy, "2026-09-02T08:00:00+07:00", [{"for": "3h", "process": None}])
    assert r["days"]["2026-09-02"]["screen_s"] == 7200


def test_notify_only_never_locks():
    policy = limits(30, at_limit={"screen": "notify", "games": "notify", "grace_seconds": 60})
    r = run(policy, "2026-12-01T08:00:00+07:00", [{"for": "60m", "process": None}])
    assert r["days"]["2026-12-01"]["screen_s"] == 3600
    assert kinds(r, "notify", "lock") == [("08:30:00", "notify", "screen", 0)]


@pytest.mark.parametrize("scenario, message", [
    ({"policy": {}, "start": "2026-12-01T08:00:00", "steps": []}, "start: '2026-12-01T08:00:00' has no UTC offset"),
    ({"policy": {}, "start": "2026-12-01T08:00:00+07:00", "steps": [{"for": "ten"}]}, "steps[0].for: must be a duration"),
    ({"policy": {}, "start": "2026-12-01T08:00:00+07:00", "steps": [{"for": "1m", "sleep": "1m"}]}, "steps[0]: must have exactly one"),
    ({"policy": {}, "start": "2026-12-01T08:00:00+07:00", "steps": [{"for": "1m", "proc": "x"}]}, "steps[0].proc: unknown field"),
    ({"policy": {"games": {"daily_minutes": -1}}, "start": "2026-12-01T08:00:00+07:00", "steps": []},
     "policy.games.daily_minutes: must be between 0 and 1440"),
    ({"policy": {}, "start": "2026-12-01T08:00:00+07:00", "steps": [{"set_timezone": "Mars/Base"}]},
     "steps[0].set_timezone: 'Mars/Base' is not an IANA"),
    ({"policy": {}, "start": "2026-12-01T08:00:00+07:00", "steps": [{"grant": "5m", "scope": "tv"}]}, "steps[0].scope"),
    ([], "<root>: a scenario must be a JSON object"),
])
def test_bad_scenarios_name_the_field(scenario, message):
    with pytest.raises(ScenarioError) as err:
        simulate(scenario, AppClassifier(TinyCatalog()))
    assert message in str(err.value)


def test_grant_after_the_window_closed_is_exactly_the_grant():
    # Window 07:00–20:00, 120 min allowed, only 30 used by 20:00. At 20:00 the session locks (window).
    # The parent grants 15 min: the child gets 15 minutes, not the 90 unused ones plus 15.
    policy = limits(120)
    policy["screen"]["windows"] = {"tue": [{"start": "07:00", "end": "20:00"}]}
    r = run(policy, "2026-12-01T19:30:00+07:00", [
        {"for": "40m", "process": None},  # 19:30–20:00 used, locked at 20:00, 10 min locked
        {"grant": "15m"},
        {"for": "30m", "process": None},  # 20:10–20:25 granted, locked at 20:25
    ])
    assert r["days"]["2026-12-01"]["screen_s"] == 45 * 60
    assert kinds(r, "lock") == [("20:00:00", "lock", "screen", 0), ("20:25:00", "lock", "screen", 0)]


def test_grant_reopens_a_closed_window_without_a_daily_limit():
    policy = limits()
    policy["screen"]["windows"] = {"tue": [{"start": "07:00", "end": "20:00"}]}
    r = run(policy, "2026-12-01T20:30:00+07:00", [{"grant": "10m"}, {"for": "30m", "process": None}])
    assert r["days"]["2026-12-01"]["screen_s"] == 600
    assert kinds(r, "lock") == [("20:40:00", "lock", "screen", 0)]


def test_notify_only_tells_again_the_next_day():
    policy = limits(30, at_limit={"screen": "notify", "games": "notify", "grace_seconds": 60})
    r = run(policy, "2026-12-01T23:00:00+07:00", [{"for": "2h", "process": None}])
    assert kinds(r, "notify") == [("23:30:00", "notify", "screen", 0), ("00:30:00", "notify", "screen", 0)]
