"""Validation: every problem in a policy, each with its field path and a reason a parent can act on."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from agent.policy.schema import (
    AT_LIMIT_GAMES,
    AT_LIMIT_SCREEN,
    CURRENT_SCHEMA,
    MAX_GRACE_SECONDS,
    MAX_LIST_ITEMS,
    MAX_MINUTES_PER_DAY,
    MAX_RETENTION_DAYS,
    SAFESEARCH_ENGINES,
    WEEKDAYS,
    YOUTUBE_LEVELS,
    default_policy,
)

_HHMM = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$|^24:00$")
_APP_ID = re.compile(r"^[a-z0-9][a-z0-9._+\- ]{0,79}$")
_FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")
_EXE_SUFFIX = re.compile(r"\.(exe|app|appimage|bin|x86_64)$")
# What the DNS filter can match: lower-case LDH labels, at least two of them (write subdomains as the parent domain:
# it covers them all).
_DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$")
_CATEGORY = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


@dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class PolicyError(ValueError):
    """A policy that cannot be used; `.problems` lists every reason with its field path."""

    def __init__(self, problems: list[Problem], source: str | None = None) -> None:
        self.problems = problems
        self.source = source
        where = f"{source}: " if source else ""
        super().__init__(where + "; ".join(str(p) for p in problems))


def hhmm_to_minutes(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


class _Checker:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def obj(self, value: Any, path: str, known: set[str]) -> dict | None:
        if not isinstance(value, dict):
            self.add(path, f"must be an object, got {_kind(value)}")
            return None
        for key in value:
            if key not in known:
                self.add(f"{path}.{key}" if path else key, "unknown field (a typo?)")
        return value

    def integer(self, value: Any, path: str, lo: int, hi: int, nullable: bool = False) -> None:
        if value is None and nullable:
            return
        if isinstance(value, bool) or not isinstance(value, int):
            want = "a whole number or null" if nullable else "a whole number"
            self.add(path, f"must be {want}, got {_kind(value)}")
        elif not lo <= value <= hi:
            self.add(path, f"must be between {lo} and {hi}, got {value}")

    def boolean(self, value: Any, path: str) -> None:
        if not isinstance(value, bool):
            self.add(path, f"must be true or false, got {_kind(value)}")

    def choice(self, value: Any, path: str, choices: tuple[str, ...]) -> None:
        if value not in choices:
            self.add(path, f"must be one of {', '.join(choices)}, got {value!r}")

    def str_list(self, value: Any, path: str, pattern: re.Pattern[str], what: str) -> None:
        if not isinstance(value, list):
            self.add(path, f"must be a list, got {_kind(value)}")
            return
        if len(value) > MAX_LIST_ITEMS:
            self.add(path, f"has {len(value)} items; at most {MAX_LIST_ITEMS}")
            return
        for i, item in enumerate(value):
            if not isinstance(item, str) or not pattern.match(item):
                self.add(f"{path}[{i}]", f"must be {what}, got {item!r}")
            elif pattern is _APP_ID and _EXE_SUFFIX.search(item):
                self.add(f"{path}[{i}]", f"write the name without its extension: {_EXE_SUFFIX.sub('', item)!r}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "true/false", int: "a number", float: "a decimal number", str: "text", list: "a list",
            dict: "an object"}.get(type(value), type(value).__name__)


def validate(policy: Any, *, known_categories: set[str] | None = None) -> list[Problem]:
    """Return every problem in a complete (current-schema) policy; an empty list means it is valid."""
    c = _Checker()
    top = c.obj(policy, "", set(default_policy()))
    if top is None:
        return c.problems
    for key in default_policy():
        if key not in top:
            c.add(key, "missing")
    if top.get("schema") != CURRENT_SCHEMA and "schema" in top:
        c.add("schema", f"must be {CURRENT_SCHEMA} after migration, got {top.get('schema')!r}")
    if "version" in top:
        c.integer(top["version"], "version", 1, 2**53)
    if "timezone" in top:
        _check_timezone(c, top["timezone"])
    if "presets" in top:
        c.str_list(top["presets"], "presets", re.compile(r"^[a-z0-9-]{1,40}$"), "a preset name")
    if isinstance(top.get("child"), dict) or "child" in top:
        _check_child(c, top.get("child"))
    if "screen" in top:
        _check_screen(c, top["screen"])
    if "games" in top:
        _check_games(c, top["games"])
    if "apps" in top:
        _check_apps(c, top["apps"])
    if "web" in top:
        _check_web(c, top["web"], known_categories)
    if "at_limit" in top:
        at = c.obj(top["at_limit"], "at_limit", {"games", "screen", "grace_seconds"})
        if at is not None:
            c.choice(at.get("games"), "at_limit.games", AT_LIMIT_GAMES)
            c.choice(at.get("screen"), "at_limit.screen", AT_LIMIT_SCREEN)
            c.integer(at.get("grace_seconds"), "at_limit.grace_seconds", 0, MAX_GRACE_SECONDS)
    if "warnings" in top:
        w = c.obj(top["warnings"], "warnings", {"minutes_before"})
        if w is not None:
            mb = w.get("minutes_before")
            if not isinstance(mb, list) or len(mb) > 10:
                c.add("warnings.minutes_before", "must be a list of at most 10 whole numbers")
            else:
                for i, m in enumerate(mb):
                    c.integer(m, f"warnings.minutes_before[{i}]", 1, 240)
    if "privacy" in top:
        _check_privacy(c, top["privacy"])
    return c.problems


def _check_timezone(c: _Checker, tz: Any) -> None:
    if not isinstance(tz, str) or not tz or ".." in tz or tz.startswith("/"):
        c.add("timezone", f"must be an IANA time zone name such as Asia/Ho_Chi_Minh, got {tz!r}")
        return
    try:
        ZoneInfo(tz)
    except (ZoneInfoNotFoundError, ValueError):
        c.add("timezone", f"unknown time zone {tz!r} (use an IANA name such as Asia/Ho_Chi_Minh)")


def _check_child(c: _Checker, child: Any) -> None:
    ch = c.obj(child, "child", {"name", "birth_year"})
    if ch is None:
        return
    name = ch.get("name")
    if not isinstance(name, str) or len(name) > 60:
        c.add("child.name", "must be text of at most 60 characters")
    c.integer(ch.get("birth_year"), "child.birth_year", 1990, 2100, nullable=True)


def _check_screen(c: _Checker, screen: Any) -> None:
    s = c.obj(screen, "screen", {"daily_minutes", "windows", "holiday_minutes", "holidays"})
    if s is None:
        return
    daily = c.obj(s.get("daily_minutes"), "screen.daily_minutes", set(WEEKDAYS))
    if daily is not None:
        for d in WEEKDAYS:
            if d not in daily:
                c.add(f"screen.daily_minutes.{d}", "missing (use null for no limit)")
            else:
                c.integer(daily[d], f"screen.daily_minutes.{d}", 0, MAX_MINUTES_PER_DAY, nullable=True)
    windows = c.obj(s.get("windows"), "screen.windows", set(WEEKDAYS))
    if windows is not None:
        for d, wins in windows.items():
            if d not in WEEKDAYS:
                continue
            _check_windows(c, wins, f"screen.windows.{d}")
    c.integer(s.get("holiday_minutes"), "screen.holiday_minutes", 0, MAX_MINUTES_PER_DAY, nullable=True)
    hol = s.get("holidays")
    if hol is not None and hol != "VN":
        c.add("screen.holidays", f"must be \"VN\" (Vietnamese public holidays) or null, got {hol!r}")


def _check_windows(c: _Checker, wins: Any, path: str) -> None:
    if not isinstance(wins, list) or len(wins) > 12:
        c.add(path, "must be a list of at most 12 windows like {\"start\": \"07:00\", \"end\": \"21:00\"}")
        return
    spans: list[tuple[int, int, int]] = []
    for i, w in enumerate(wins):
        wp = f"{path}[{i}]"
        win = c.obj(w, wp, {"start", "end"})
        if win is None:
            continue
        ok = True
        for key in ("start", "end"):
            v = win.get(key)
            if not isinstance(v, str) or not _HHMM.match(v) or (key == "start" and v == "24:00"):
                latest = "23:59" if key == "start" else "24:00"
                c.add(f"{wp}.{key}", f"must be a time HH:MM (00:00–{latest}), got {v!r}")
                ok = False
        if not ok:
            continue
        start, end = hhmm_to_minutes(win["start"]), hhmm_to_minutes(win["end"])
        if start == end:
            c.add(wp, "start and end are equal; leave the day out of windows to allow it all day")
            continue
        # A window that ends earlier than it starts crosses midnight into the next day.
        spans.append((start, end if end > start else end + 1440, i))
    spans.sort()
    for (_s1, e1, i1), (s2, _e2, i2) in itertools.pairwise(spans):
        if s2 < e1:
            c.add(f"{path}[{max(i1, i2)}]", f"overlaps window [{min(i1, i2)}]")


def _check_games(c: _Checker, games: Any) -> None:
    g = c.obj(games, "games", {"daily_minutes", "per_game_minutes", "per_game", "reminder_minutes"})
    if g is None:
        return
    c.integer(g.get("daily_minutes"), "games.daily_minutes", 0, MAX_MINUTES_PER_DAY, nullable=True)
    c.integer(g.get("per_game_minutes"), "games.per_game_minutes", 0, MAX_MINUTES_PER_DAY, nullable=True)
    c.integer(g.get("reminder_minutes"), "games.reminder_minutes", 5, 240, nullable=True)
    _check_limit_map(c, g.get("per_game"), "games.per_game")


def _check_limit_map(c: _Checker, value: Any, path: str) -> None:
    if not isinstance(value, dict):
        c.add(path, f"must be an object of app id → minutes, got {_kind(value)}")
        return
    for app_id, minutes in value.items():
        if not _APP_ID.match(app_id):
            c.add(f"{path}.{app_id}", "is not a valid app id (lower-case letters, digits, . _ + -)")
        elif _EXE_SUFFIX.search(app_id):
            c.add(f"{path}.{app_id}", f"write the name without its extension: {_EXE_SUFFIX.sub('', app_id)!r}")
        c.integer(minutes, f"{path}.{app_id}", 0, MAX_MINUTES_PER_DAY)


def _check_apps(c: _Checker, apps: Any) -> None:
    a = c.obj(apps, "apps", {"always_allowed", "blocked", "limits", "mark_as_game", "mark_as_school",
                             "games_by_content"})
    if a is None:
        return
    _check_content_marks(c, a.get("games_by_content"), "apps.games_by_content")
    for key in ("always_allowed", "blocked", "mark_as_game", "mark_as_school"):
        c.str_list(a.get(key), f"apps.{key}", _APP_ID, "an app id or lower-case executable name")
    _check_limit_map(c, a.get("limits"), "apps.limits")
    if isinstance(a.get("always_allowed"), list) and isinstance(a.get("blocked"), list):
        for i, app in enumerate(a["blocked"]):
            if app in a["always_allowed"]:
                c.add(f"apps.blocked[{i}]", f"{app!r} is also in apps.always_allowed; choose one")
    if isinstance(a.get("mark_as_game"), list) and isinstance(a.get("mark_as_school"), list):
        for i, app in enumerate(a["mark_as_game"]):
            if app in a["mark_as_school"]:
                c.add(f"apps.mark_as_game[{i}]", f"{app!r} is also in apps.mark_as_school; choose one")


def _check_content_marks(c: _Checker, value: Any, path: str) -> None:
    """Programs the parent counted as games by what they are: content fingerprint (64 hex) → the app id it counts
    as (what the PC reported it as)."""
    if not isinstance(value, dict):
        c.add(path, f"must be an object of content fingerprint → app id, got {_kind(value)}")
        return
    if len(value) > MAX_LIST_ITEMS:
        c.add(path, f"has {len(value)} programs; at most {MAX_LIST_ITEMS}")
    for fp, app_id in value.items():
        if not _FINGERPRINT.match(fp):
            c.add(f"{path}.{fp[:80]}", "is not a content fingerprint (64 lower-case hex digits)")
        elif not isinstance(app_id, str) or not _APP_ID.match(app_id):
            c.add(f"{path}.{fp}", "must be an app id (lower-case letters, digits, . _ + -)")


def _check_web(c: _Checker, web: Any, known_categories: set[str] | None) -> None:
    w = c.obj(web, "web", {"blocked_categories", "allow", "deny", "safesearch", "youtube"})
    if w is None:
        return
    c.str_list(w.get("blocked_categories"), "web.blocked_categories", _CATEGORY, "a category name")
    if known_categories is not None and isinstance(w.get("blocked_categories"), list):
        for i, cat in enumerate(w["blocked_categories"]):
            if isinstance(cat, str) and _CATEGORY.match(cat) and cat not in known_categories:
                known = ", ".join(sorted(known_categories))
                c.add(f"web.blocked_categories[{i}]", f"unknown category {cat!r}; known: {known}")
    c.str_list(w.get("allow"), "web.allow", _DOMAIN, "a lower-case domain name such as wikipedia.org")
    c.str_list(w.get("deny"), "web.deny", _DOMAIN, "a lower-case domain name such as example.com")
    ss = c.obj(w.get("safesearch"), "web.safesearch", set(SAFESEARCH_ENGINES))
    if ss is not None:
        for e in SAFESEARCH_ENGINES:
            if e not in ss:
                c.add(f"web.safesearch.{e}", "missing")
            else:
                c.boolean(ss[e], f"web.safesearch.{e}")
    c.choice(w.get("youtube"), "web.youtube", YOUTUBE_LEVELS)


def _check_privacy(c: _Checker, privacy: Any) -> None:
    flags = ("report_apps", "report_window_titles", "report_full_urls", "report_web_categories")
    p = c.obj(privacy, "privacy", {*flags, "retention_days"})
    if p is None:
        return
    for f in flags:
        c.boolean(p.get(f), f"privacy.{f}")
    c.integer(p.get("retention_days"), "privacy.retention_days", 1, MAX_RETENTION_DAYS)
