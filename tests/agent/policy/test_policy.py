"""The policy model: presets, composition, validation with paths, canonical bytes, migration, the CLI."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import subprocess
import sys

import pytest

from agent.policy import (
    Policy,
    PolicyError,
    PresetError,
    age_band,
    canonical_bytes,
    load_policy,
    load_policy_doc,
    migrate,
    preset,
    validate,
)

CLI = [sys.executable, "-m", "agent.cli"]


@pytest.mark.parametrize("age, band", [(0, "0-6"), (6, "0-6"), (7, "7-10"), (10, "7-10"), (11, "11-13"),
                                       (13, "11-13"), (14, "14-15"), (15, "14-15"), (16, "16-17"), (17, "16-17")])
def test_age_bands(age, band):
    assert age_band(age) == band
    assert preset(age)["presets"] == [f"age-{band}"]


def test_every_preset_is_valid_and_younger_is_stricter():
    docs = [preset(a) for a in (5, 9, 12, 15, 17)]
    for doc in docs:
        assert validate(doc) == []
    weekday = [d["screen"]["daily_minutes"]["mon"] for d in docs]
    assert weekday == sorted(weekday), "older children never get less time"
    blocked = [set(d["web"]["blocked_categories"]) for d in docs]
    for younger, older in itertools.pairwise(blocked):
        assert older <= younger, "older children never get more categories blocked"
    for doc in docs:
        assert {"adult", "gambling"} <= set(doc["web"]["blocked_categories"])


def test_vietnam_decree_composes_stricter_wins():
    teen = preset(17)
    assert teen["games"]["per_game_minutes"] == 90
    ruled = preset(17, ["vn-decree-147"])
    # Decree 147/2024: ≤ 60 min per game, ≤ 180 min all games, reminder every 30 min.
    assert ruled["games"] == {"daily_minutes": 180, "per_game_minutes": 60, "per_game": {}, "reminder_minutes": 30}
    # For a younger child the age preset is already stricter: the decree changes nothing but the reminder.
    young = preset(8, ["vn-decree-147"])
    assert young["games"]["daily_minutes"] == 60 and young["games"]["per_game_minutes"] == 45
    assert young["presets"] == ["age-7-10", "vn-decree-147"]


def test_preset_errors():
    with pytest.raises(PresetError, match="unknown preset 'nope'"):
        preset(9, ["nope"])
    with pytest.raises(PresetError, match="under 18"):
        preset(19, ["vn-decree-147"])
    with pytest.raises(PresetError, match="age preset"):
        preset(9, ["age-0-6"])


def test_validation_reports_every_problem_with_its_path():
    doc = preset(9)
    doc["screen"]["daily_minutes"]["wed"] = 2000
    doc["screen"]["windows"]["mon"] = [{"start": "07:00", "end": "12:00"}, {"start": "11:00", "end": "13:00"}]
    doc["screen"]["windows"]["tue"] = [{"start": "7:00", "end": "25:00"}]
    doc["games"]["per_game"] = {"Minecraft!": 10}
    doc["apps"]["blocked"] = ["zoom"]
    doc["apps"]["always_allowed"] = ["zoom"]
    doc["web"]["allow"] = ["not a domain"]
    doc["web"]["safesearch"]["google"] = "yes"
    doc["at_limit"]["screen"] = "explode"
    doc["privacy"]["retention_days"] = 0
    doc["timezone"] = "Asia/Hanoi_Typo"
    doc["colour"] = "green"
    problems = {p.path: p.reason for p in validate(doc)}
    assert set(problems) == {
        "screen.daily_minutes.wed", "screen.windows.mon[1]", "screen.windows.tue[0].start",
        "screen.windows.tue[0].end", "games.per_game.Minecraft!", "apps.blocked[0]", "web.allow[0]",
        "web.safesearch.google", "at_limit.screen", "privacy.retention_days", "timezone", "colour",
    }
    assert problems["screen.windows.mon[1]"] == "overlaps window [0]"
    assert "between 0 and 1440" in problems["screen.daily_minutes.wed"]
    assert "unknown time zone" in problems["timezone"]


def test_unknown_category_is_named():
    doc = preset(9)
    doc["web"]["blocked_categories"].append("pirates")
    problems = validate(doc)
    assert problems and problems[0].path.startswith("web.blocked_categories[")
    assert "pirates" in problems[0].reason


def test_not_an_object_and_wrong_types():
    assert [str(p) for p in validate([])] == ["<root>: a policy must be a JSON object"]
    problems = {p.path for p in validate({"screen": [], "games": {"daily_minutes": "60"}, "version": 0})}
    assert problems == {"screen", "games.daily_minutes", "version"}


def test_canonical_bytes_are_stable_and_order_free():
    doc = preset(12, ["vn-decree-147"], child_name="Minh Anh")
    shuffled = json.loads(json.dumps(doc, sort_keys=False))
    shuffled = dict(reversed(list(shuffled.items())))
    assert canonical_bytes(doc) == canonical_bytes(shuffled)
    assert b" " not in canonical_bytes(doc).replace(b"Minh Anh", b"")
    assert b"Minh Anh" in canonical_bytes(doc)  # UTF-8, not \\u escapes
    changed = json.loads(json.dumps(doc))
    changed["games"]["daily_minutes"] = 59
    assert canonical_bytes(changed) != canonical_bytes(doc)
    # A partial document means the same as its filled-in form, so both sign the same.
    assert canonical_bytes({"games": {"daily_minutes": 60}}) == canonical_bytes(load_policy_doc({"games": {"daily_minutes": 60}}))


def test_floats_are_refused():
    with pytest.raises(PolicyError, match="games.daily_minutes"):
        load_policy_doc({"games": {"daily_minutes": 60.5}})


def test_schema_1_files_migrate():
    old = {"schema": 1, "version": 3, "screen": {"daily_minutes": {"weekdays": 90, "weekend": 150}},
           "bedtime": {"start": "21:00", "end": "07:00"}}
    doc = load_policy_doc(old)
    assert doc["schema"] == 2 and doc["version"] == 3
    assert doc["screen"]["daily_minutes"]["fri"] == 90 and doc["screen"]["daily_minutes"]["sun"] == 150
    assert doc["screen"]["windows"]["mon"] == [{"start": "07:00", "end": "21:00"}]
    policy = Policy.from_doc(doc)
    assert policy.window_seconds_left(dt.datetime(2026, 12, 1, 20, 30)) == 1800
    assert policy.window_seconds_left(dt.datetime(2026, 12, 1, 22, 0)) == 0
    with pytest.raises(PolicyError, match="newer than this agent"):
        migrate({"schema": 99})
    with pytest.raises(PolicyError, match="either bedtime or screen.windows"):
        migrate({"schema": 1, "bedtime": {"start": "21:00", "end": "07:00"}, "screen": {"windows": []}})


def test_json_errors_have_a_position():
    with pytest.raises(PolicyError) as err:
        load_policy('{"games": {"daily_minutes": 60,}}', source="kid.json")
    assert "kid.json" in str(err.value) and "json line 1 column" in str(err.value)


def test_cli_preset_and_validate(tmp_path):
    out = subprocess.run([*CLI, "policy", "preset", "--age", "12", "--preset", "vn-decree-147"],
                         capture_output=True, text=True, check=True)
    doc = json.loads(out.stdout)
    assert doc["games"]["per_game_minutes"] == 60
    good = tmp_path / "good.json"
    good.write_text(out.stdout)
    res = subprocess.run([*CLI, "policy", "validate", str(good)], capture_output=True, text=True)
    assert (res.returncode, res.stdout.strip()) == (0, "ok")

    doc["games"]["daily_minutes"] = "lots"
    doc["web"]["youtube"] = "max"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(doc))
    res = subprocess.run([*CLI, "policy", "validate", str(bad)], capture_output=True, text=True)
    assert res.returncode == 2
    assert res.stdout.splitlines() == ["games.daily_minutes: must be a whole number or null, got text",
                                       "web.youtube: must be one of off, moderate, strict, got 'max'"]
    assert "Traceback" not in res.stderr

    bad.write_bytes(b"\xff\xfe{")
    res = subprocess.run([*CLI, "policy", "validate", str(bad)], capture_output=True, text=True)
    assert res.returncode == 2 and "Traceback" not in res.stderr
    res = subprocess.run([*CLI, "policy", "validate", str(tmp_path / "missing.json")], capture_output=True, text=True)
    assert res.returncode == 2 and "cannot read" in res.stderr and "Traceback" not in res.stderr


def test_rule_presets_only_tighten():
    # The 16–17 preset only notifies at limits; the Vietnam rule closes games: the stricter action wins,
    # and the age preset's own choices (notify for screen, 120 s grace, moderate YouTube) are kept.
    teen = preset(17)
    assert (teen["at_limit"]["games"], teen["at_limit"]["screen"], teen["web"]["youtube"]) == ("notify", "notify", "moderate")
    ruled = preset(17, ["vn-decree-147"])
    assert ruled["at_limit"] == {"games": "close", "screen": "notify", "grace_seconds": 120}
    assert ruled["web"]["youtube"] == "moderate"
    # Warning marks come from the age preset as they are, not merged with the defaults.
    assert preset(5)["warnings"]["minutes_before"] == [10, 5, 1]


def test_app_names_with_extensions_and_bad_domains_are_refused():
    doc = preset(12)
    doc["apps"]["blocked"] = ["zalo.exe"]
    doc["apps"]["limits"] = {"discord.exe": 30}
    doc["web"]["deny"] = ["*.tiktok.com", "localhost", "my_school.edu.vn"]
    problems = {p.path: p.reason for p in validate(doc)}
    assert problems["apps.blocked[0]"] == "write the name without its extension: 'zalo'"
    assert "'discord'" in problems["apps.limits.discord.exe"]
    assert {"web.deny[0]", "web.deny[1]", "web.deny[2]"} <= set(problems)


def test_schema_1_needs_both_weekdays_and_weekend():
    with pytest.raises(PolicyError, match="both"):
        migrate({"schema": 1, "screen": {"daily_minutes": {"weekdays": 60}}})


def test_the_category_catalog_is_read_again_when_it_changes(tmp_path, monkeypatch) -> None:
    """known_categories() remembers the catalog between checks, but a changed file (a list update, a device
    maker's set) is read again, and a missing or broken one means "not known" as before."""
    from agent.policy import known_categories

    monkeypatch.setenv("SPROUT_RESOURCES", str(tmp_path))
    assert known_categories() is None
    catalog = tmp_path / "categories" / "catalog.json"
    catalog.parent.mkdir()
    catalog.write_text(json.dumps({"categories": {"adult": {}, "gambling": {}}}), encoding="utf-8")
    assert known_categories() == {"adult", "gambling"}
    assert validate({"web": {"blocked_categories": ["games"]}})[0].reason.startswith("unknown category 'games'")
    catalog.write_text(json.dumps({"categories": {"adult": {}, "gambling": {}, "games": {}}}), encoding="utf-8")
    assert known_categories() == {"adult", "gambling", "games"}
    assert validate({"web": {"blocked_categories": ["games"]}}) == []
    catalog.write_text("{not json", encoding="utf-8")
    assert known_categories() is None


def test_a_loaded_policy_shares_nothing_with_the_document_given() -> None:
    given = {"screen": {"windows": {"mon": [{"start": "07:00", "end": "21:00"}]}},
             "apps": {"blocked": ["roblox"], "limits": {"minecraft": 30}}, "web": {"deny": ["example.com"]}}
    doc = load_policy_doc(given)
    doc["screen"]["windows"]["mon"][0]["end"] = "22:00"
    doc["apps"]["blocked"].append("fortnite")
    doc["apps"]["limits"]["minecraft"] = 5
    doc["web"]["deny"].clear()
    assert given == {"screen": {"windows": {"mon": [{"start": "07:00", "end": "21:00"}]}},
                     "apps": {"blocked": ["roblox"], "limits": {"minecraft": 30}}, "web": {"deny": ["example.com"]}}
    assert load_policy_doc({})["apps"]["blocked"] is not load_policy_doc({})["apps"]["blocked"]
    # A value JSON cannot hold (a tuple from Python code) is still copied, and still refused by the check.
    assert [str(p) for p in validate({"apps": {"blocked": ("roblox",)}})] == ["apps.blocked: must be a list, got tuple"]
