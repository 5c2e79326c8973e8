"""The policy document as typed models: every field of a current-schema policy, its type and its rule.

`PolicyDoc.check` reports every problem with its field path (agent.policy.validate); `PolicyDoc.build` gives the
typed document of a checked one (agent.policy.model.Policy reads it for the ledger). Defaults live in
agent.policy.schema.default_policy(); composition rules of presets in agent.policy.schema too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from agent.policy.fields import (
    APP_ID,
    AppMinutes,
    Bool,
    Checks,
    Choice,
    ClockTime,
    Const,
    ContentMarks,
    DayWindows,
    Int,
    Ints,
    KnownCategories,
    Model,
    Names,
    NullOr,
    Sub,
    Text,
    TimeZoneName,
    Weekly,
    rule,
)
from agent.policy.schema import (
    AT_LIMIT_GAMES,
    AT_LIMIT_SCREEN,
    CURRENT_SCHEMA,
    MAX_GRACE_SECONDS,
    MAX_MINUTES_PER_DAY,
    MAX_RETENTION_DAYS,
    WEEKDAYS,
    YOUTUBE_LEVELS,
)

PRESET_NAME = re.compile(r"^[a-z0-9-]{1,40}$")
# What the DNS filter can match: lower-case LDH labels, at least two of them (write subdomains as the parent domain:
# it covers them all).
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
CATEGORY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")

_MINUTES = Int(0, MAX_MINUTES_PER_DAY, nullable=True)
_APP_IDS = Names(APP_ID, "an app id or lower-case executable name", app_ids=True)


@dataclass(frozen=True)
class ChildDoc(Model):
    name: str = rule(Text(60))
    birth_year: int | None = rule(Int(1990, 2100, nullable=True))


@dataclass(frozen=True)
class TimeWindow(Model):
    """Allowed use from `start` to `end` (HH:MM, local time); an end before the start runs into the next day."""

    start: str = rule(ClockTime(is_end=False))
    end: str = rule(ClockTime(is_end=True))


@dataclass(frozen=True)
class ScreenDoc(Model):
    daily_minutes: dict[str, int | None] = rule(Weekly(_MINUTES, WEEKDAYS, every_day=True,
                                                       missing="missing (use null for no limit)"))
    windows: dict[str, list[TimeWindow]] = rule(Weekly(DayWindows(TimeWindow), WEEKDAYS))
    holiday_minutes: int | None = rule(_MINUTES)
    holidays: str | None = rule(NullOr("VN", "must be \"VN\" (Vietnamese public holidays) or null"))


@dataclass(frozen=True)
class GamesDoc(Model):
    daily_minutes: int | None = rule(_MINUTES)
    per_game_minutes: int | None = rule(_MINUTES)
    reminder_minutes: int | None = rule(Int(5, 240, nullable=True))
    per_game: dict[str, int] = rule(AppMinutes(MAX_MINUTES_PER_DAY))


@dataclass(frozen=True)
class AppsDoc(Model):
    games_by_content: dict[str, str] = rule(ContentMarks())  # content fingerprint → app id, counted as a game
    always_allowed: list[str] = rule(_APP_IDS)
    blocked: list[str] = rule(_APP_IDS)
    mark_as_game: list[str] = rule(_APP_IDS)
    mark_as_school: list[str] = rule(_APP_IDS)
    limits: dict[str, int] = rule(AppMinutes(MAX_MINUTES_PER_DAY))

    @classmethod
    def relations(cls, c: Checks, obj: dict[str, Any], path: str) -> None:
        for one, other in (("blocked", "always_allowed"), ("mark_as_game", "mark_as_school")):
            if isinstance(obj.get(other), list) and isinstance(obj.get(one), list):
                for i, app in enumerate(obj[one]):
                    if app in obj[other]:
                        c.add(f"{path}.{one}[{i}]", f"{app!r} is also in {path}.{other}; choose one")


@dataclass(frozen=True)
class SafeSearchDoc(Model):
    required = "missing"

    google: bool = rule(Bool())
    bing: bool = rule(Bool())
    duckduckgo: bool = rule(Bool())


@dataclass(frozen=True)
class WebDoc(Model):
    blocked_categories: list[str] = rule(KnownCategories(CATEGORY, "a category name"))
    allow: list[str] = rule(Names(DOMAIN, "a lower-case domain name such as wikipedia.org"))
    deny: list[str] = rule(Names(DOMAIN, "a lower-case domain name such as example.com"))
    safesearch: SafeSearchDoc = rule(Sub(SafeSearchDoc))
    youtube: str = rule(Choice(YOUTUBE_LEVELS))


@dataclass(frozen=True)
class AtLimitDoc(Model):
    games: str = rule(Choice(AT_LIMIT_GAMES))
    screen: str = rule(Choice(AT_LIMIT_SCREEN))
    grace_seconds: int = rule(Int(0, MAX_GRACE_SECONDS))


@dataclass(frozen=True)
class WarningsDoc(Model):
    minutes_before: list[int] = rule(Ints(10, Int(1, 240)))


@dataclass(frozen=True)
class PrivacyDoc(Model):
    report_apps: bool = rule(Bool())
    report_window_titles: bool = rule(Bool())
    report_full_urls: bool = rule(Bool())
    report_web_categories: bool = rule(Bool())
    retention_days: int = rule(Int(1, MAX_RETENTION_DAYS))


@dataclass(frozen=True)
class PolicyDoc(Model):
    """A complete policy of the current schema. Every top-level field must be there (migration and default
    filling, agent.policy.migrate, make a partial file complete first)."""

    required = "missing"
    required_first = True
    field_order = ("schema", "version", "child", "timezone", "presets", "screen", "games", "apps", "web",
                   "at_limit", "warnings", "privacy")

    schema: int = rule(Const(CURRENT_SCHEMA, "must be {want} after migration, got {got!r}"))
    version: int = rule(Int(1, 2**53))
    timezone: str = rule(TimeZoneName())
    presets: list[str] = rule(Names(PRESET_NAME, "a preset name"))
    child: ChildDoc = rule(Sub(ChildDoc))
    screen: ScreenDoc = rule(Sub(ScreenDoc))
    games: GamesDoc = rule(Sub(GamesDoc))
    apps: AppsDoc = rule(Sub(AppsDoc))
    web: WebDoc = rule(Sub(WebDoc))
    at_limit: AtLimitDoc = rule(Sub(AtLimitDoc))
    warnings: WarningsDoc = rule(Sub(WarningsDoc))
    privacy: PrivacyDoc = rule(Sub(PrivacyDoc))
