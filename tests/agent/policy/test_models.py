"""The policy's typed models (agent/policy/doc.py on agent/policy/fields.py): the words a parent reads for each
mistake, exactly and in order (these are what the hand validator said before the models replaced it); the typed
document built from a checked one; and the rules' own behaviour."""

from __future__ import annotations

import copy
import random
from dataclasses import dataclass

import pytest

from agent.policy import load_policy_doc, preset, validate
from agent.policy.doc import PolicyDoc, ScreenDoc, TimeWindow
from agent.policy.fields import Bool, Checks, Int, Model, Number, Sub, Text, accepts, check, rule
from agent.policy.validate import validate as validate_complete
from agent.protocol import messages

pytestmark = pytest.mark.unit


def mistakes(case: str) -> dict:
    d = preset(9)
    if case == "child":
        d.update(child={"name": 5, "birth_year": 1900, "nick": "x"})
    elif case == "screen":
        d["screen"].update(daily_minutes={"mon": 1441, "tue": "60", "xyz": 1},
                           windows={"mon": [{"start": "24:00", "end": "25:00"}, {"start": "10:00", "end": "10:00"}, "x"],
                                    "sun": "all"}, holidays="US", holiday_minutes=-1)
    elif case == "windows_overlap":
        d["screen"].update(windows={"fri": [{"start": "20:00", "end": "02:00"}, {"start": "01:00", "end": "03:00"},
                                            {"start": "21:00", "end": "22:00", "why": 1}]})
    elif case == "games_apps":
        d["games"].update(reminder_minutes=2, per_game={"Bad!": 5, "x.exe": 2000})
        d["apps"].update(blocked=["zalo.exe", "zoom"], always_allowed=["zoom"], mark_as_game=["a"],
                         mark_as_school=["a"], games_by_content={"a" * 64: "Bad!", "nothex": "x"}, limits=[])
    elif case == "web":
        d["web"].update(blocked_categories=["pirates", "Bad"], allow="x", deny=["not a domain"],
                        safesearch={"google": "yes", "yahoo": True}, youtube="max")
    elif case == "tail":
        d.update(at_limit={"games": "kill"}, warnings={"minutes_before": [0, 5]},
                 privacy={"report_apps": 1, "retention_days": 0}, schema=3, version=True, timezone="../etc",
                 presets=["ok", "BAD"])
        d.pop("games")
    return d


SAID_BEFORE = {
    "child": [
        "child.nick: unknown field (a typo?)",
        "child.name: must be text of at most 60 characters",
        "child.birth_year: must be between 1990 and 2100, got 1900"
    ],
    "screen": [
        "screen.daily_minutes.xyz: unknown field (a typo?)",
        "screen.daily_minutes.mon: must be between 0 and 1440, got 1441",
        "screen.daily_minutes.tue: must be a whole number or null, got text",
        "screen.daily_minutes.wed: missing (use null for no limit)",
        "screen.daily_minutes.thu: missing (use null for no limit)",
        "screen.daily_minutes.fri: missing (use null for no limit)",
        "screen.daily_minutes.sat: missing (use null for no limit)",
        "screen.daily_minutes.sun: missing (use null for no limit)",
        "screen.windows.mon[0].start: must be a time HH:MM (00:00–23:59), got '24:00'",
        "screen.windows.mon[0].end: must be a time HH:MM (00:00–24:00), got '25:00'",
        "screen.windows.mon[1]: start and end are equal; leave the day out of windows to allow it all day",
        "screen.windows.mon[2]: must be an object, got text",
        "screen.windows.sun: must be a list of at most 12 windows like {\"start\": \"07:00\", \"end\": \"21:00\"}",
        "screen.holiday_minutes: must be between 0 and 1440, got -1",
        "screen.holidays: must be \"VN\" (Vietnamese public holidays) or null, got 'US'"
    ],
    "windows_overlap": [
        "screen.windows.fri[2].why: unknown field (a typo?)",
        "screen.windows.fri[2]: overlaps window [0]"
    ],
    "games_apps": [
        "games.reminder_minutes: must be between 5 and 240, got 2",
        "games.per_game.Bad!: is not a valid app id (lower-case letters, digits, . _ + -)",
        "games.per_game.x.exe: write the name without its extension: 'x'",
        "games.per_game.x.exe: must be between 0 and 1440, got 2000",
        "apps.games_by_content.aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa: must be an app id (lower-case letters, digits, . _ + -)",
        "apps.games_by_content.nothex: is not a content fingerprint (64 lower-case hex digits)",
        "apps.blocked[0]: write the name without its extension: 'zalo'",
        "apps.limits: must be an object of app id → minutes, got a list",
        "apps.blocked[1]: 'zoom' is also in apps.always_allowed; choose one",
        "apps.mark_as_game[0]: 'a' is also in apps.mark_as_school; choose one"
    ],
    "web": [
        "web.blocked_categories[1]: must be a category name, got 'Bad'",
        "web.blocked_categories[0]: unknown category 'pirates'; known: adult, bypass, chat-strangers, dating, drugs, gambling, malware, self-harm, social, violence",
        "web.allow: must be a list, got text",
        "web.deny[0]: must be a lower-case domain name such as example.com, got 'not a domain'",
        "web.safesearch.yahoo: unknown field (a typo?)",
        "web.safesearch.google: must be true or false, got text",
        "web.safesearch.bing: missing",
        "web.safesearch.duckduckgo: missing",
        "web.youtube: must be one of off, moderate, strict, got 'max'"
    ],
    "tail": [
        "games: missing",
        "schema: must be 2 after migration, got 3",
        "version: must be a whole number, got true/false",
        "timezone: must be an IANA time zone name such as Asia/Ho_Chi_Minh, got '../etc'",
        "presets[1]: must be a preset name, got 'BAD'",
        "at_limit.games: must be one of close, notify, got 'kill'",
        "at_limit.screen: must be one of lock, logout, notify, got None",
        "at_limit.grace_seconds: must be a whole number, got null",
        "warnings.minutes_before[0]: must be between 1 and 240, got 0",
        "privacy.report_apps: must be true or false, got a number",
        "privacy.report_window_titles: must be true or false, got null",
        "privacy.report_full_urls: must be true or false, got null",
        "privacy.report_web_categories: must be true or false, got null",
        "privacy.retention_days: must be between 1 and 3650, got 0"
    ]
}


@pytest.mark.parametrize("case", sorted(SAID_BEFORE))
def test_every_mistake_is_worded_as_before(case: str) -> None:
    known = set(preset(9)["web"]["blocked_categories"])  # a short list, so the "known:" reasons stay readable
    assert [str(p) for p in validate_complete(mistakes(case), known_categories=known)] == SAID_BEFORE[case]


def test_the_typed_document_of_every_preset() -> None:
    for age in (5, 9, 12, 15, 17):
        for rules in ([], ["vn-decree-147"]):
            doc = preset(age, rules)
            typed = PolicyDoc.build(doc)
            assert typed.to_dict() == doc  # nothing lost, nothing added
            assert isinstance(typed.screen, ScreenDoc) and typed.version == doc["version"]
            assert all(isinstance(w, TimeWindow) for day in typed.screen.windows.values() for w in day)
            assert typed.web.safesearch.google is doc["web"]["safesearch"]["google"]


def test_a_partial_file_is_completed_before_it_is_typed() -> None:
    doc = load_policy_doc({"screen": {"windows": {"mon": [{"start": "07:00", "end": "21:00"}]}}})
    typed = PolicyDoc.build(doc)
    assert typed.screen.windows["mon"] == [TimeWindow("07:00", "21:00")]
    assert typed.screen.daily_minutes["sun"] is None and typed.at_limit.grace_seconds == 60


@dataclass(frozen=True)
class Lamp(Model):
    watts: int = rule(Int(1, 100))
    on: bool = rule(Bool())

    @classmethod
    def relations(cls, c: Checks, obj: dict, path: str) -> None:
        if obj.get("on") is True and obj.get("watts") == 100:
            c.add(path, "too bright to leave on")


@dataclass(frozen=True)
class Room(Model):
    required = "missing"
    lamp: Lamp = rule(Sub(Lamp))


def test_a_model_reports_every_problem_with_its_path_in_field_order() -> None:
    assert [str(p) for p in check(Room, {"lamp": {"on": "yes", "colour": "red", "watts": 0}})] == [
        "lamp.colour: unknown field (a typo?)", "lamp.watts: must be between 1 and 100, got 0",
        "lamp.on: must be true or false, got text"]
    assert [str(p) for p in check(Room, {})] == ["lamp: missing"]
    assert [str(p) for p in check(Room, {"lamp": {}})] == [
        "lamp.watts: must be a whole number, got null", "lamp.on: must be true or false, got null"]
    assert [str(p) for p in check(Room, {"lamp": {"watts": 100, "on": True}})] == ["lamp: too bright to leave on"]
    assert check(Room, {"lamp": {"watts": 60, "on": True}}) == []
    assert Room.build({"lamp": {"watts": 60, "on": True}}) == Room(Lamp(60, True))


def test_the_checked_document_is_never_changed() -> None:
    doc = mistakes("screen")
    before = copy.deepcopy(doc)
    validate(doc)
    assert doc == before


@dataclass(frozen=True)
class Reading(Model):
    """Every leaf rule with a fast `accepts` expression, closed, nulls checked by their rules."""

    level: int | None = rule(Int(0, 10, nullable=True))
    label: str = rule(Text(5, min_len=1))
    ratio: float = rule(Number(0, 2.5))
    on: bool = rule(Bool())
    note: str = rule(Text(3), default="")


@dataclass(frozen=True)
class Strict(Model):
    required = "missing"
    closed = False
    count: int = rule(Int(1, 3))


TRICKY = [None, True, False, 0, 1, -1, 3, 10, 11, 1440, 1441, 2**63 - 1, 2**63, 0.0, 1.5, 2.5, 2.6, -0.5,
          float("nan"), float("inf"), "", "x", "abcde", "abcdef", "r-123", "x" * 301, [], [1], {}, {"a": 1}]


FINE = {Reading: {"level": 5, "label": "ab", "ratio": 1.5, "on": True, "note": ""}, Strict: {"count": 2},
        messages.TimeDecision: {"request_id": "r-1", "approve": False, "minutes": 30, "message": "ok"},
        messages.OutboxQuery: {"cursor": 5, "limit": 100, "wait_s": 20}}


@pytest.mark.parametrize("model", list(FINE))
def test_the_fast_check_never_passes_what_the_walk_refuses(model: type[Model]) -> None:
    """A model of plain leaf rules is first checked by one generated function (fields.accepts); it may send a fine
    value on to the walk, but must never pass one the walk would word a problem for."""
    fast = accepts(model)
    assert fast is not None
    names = [n for n, _ in model.rules()] + ["extra"]
    rng = random.Random(2026)
    passed = walked_fine = 0
    for _ in range(20000):
        value = {n: FINE[model][n] if n in FINE[model] and rng.random() < 0.7 else rng.choice(TRICKY)
                 for n in names if rng.random() < 0.85}
        walk = Checks()
        model.check(walk, value, "")
        if fast(value):
            passed += 1
            assert walk.problems == [], value
            assert check(model, value) == []
        elif not walk.problems:
            walked_fine += 1  # said no to a fine value: allowed (an int subclass, a float that is whole, ...)
    assert passed > 50  # the fast path is really taken on fine values
    assert not fast([]) and not fast("text") and check(model, None) != []


def test_models_with_nested_models_or_relations_are_only_walked() -> None:
    assert accepts(Room) is None and accepts(Lamp) is None and accepts(PolicyDoc) is None


def test_the_built_model_is_the_one_its_constructor_makes() -> None:
    assert messages.OutboxQuery.build({"cursor": 5}) == messages.OutboxQuery(5, 100, 0)
    assert Reading.build({"level": None, "label": "a", "ratio": 1, "on": True}) == Reading(None, "a", 1, True, "")
    doc = preset(12, ["vn-decree-147"])
    typed = PolicyDoc.build(doc)
    assert typed.screen.daily_minutes == doc["screen"]["daily_minutes"]
    assert typed.screen.daily_minutes is not doc["screen"]["daily_minutes"]  # a dict of its own, like every build
