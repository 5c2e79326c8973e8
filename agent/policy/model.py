"""A validated policy as typed values the ledger reads quickly (minutes of day, frozensets, ZoneInfo)."""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from agent.policy.doc import PolicyDoc
from agent.policy.fields import hhmm_to_minutes
from agent.policy.schema import WEEKDAYS


@dataclass(frozen=True)
class Window:
    """Allowed use from `start` to `end`, minutes after local midnight; end > 1440 means it runs into the next day."""

    start: int
    end: int


@dataclass(frozen=True)
class Policy:
    doc: dict[str, Any]
    version: int
    timezone: ZoneInfo
    screen_daily: tuple[int | None, ...]  # minutes per weekday, Monday first; None = no limit
    windows: tuple[tuple[Window, ...] | None, ...]  # per weekday; None = the whole day is allowed
    holiday_minutes: int | None
    holidays: str | None
    games_daily: int | None
    per_game_default: int | None
    per_game: dict[str, int]
    reminder_minutes: int | None
    always_allowed: frozenset[str]
    blocked: frozenset[str]
    app_limits: dict[str, int]
    mark_as_game: frozenset[str]
    mark_as_school: frozenset[str]
    games_by_content: dict[str, str]  # content fingerprint → app id, counted as a game (the parent's one tap)
    at_limit_games: str
    at_limit_screen: str
    grace_seconds: int
    warn_minutes: tuple[int, ...]
    retention_days: int

    @classmethod
    def from_doc(cls, doc: dict[str, Any]) -> Policy:
        """Build from a complete, validated document (use agent.policy.load_policy for untrusted input)."""
        typed = PolicyDoc.build(doc)
        screen, games, apps = typed.screen, typed.games, typed.apps
        windows: list[tuple[Window, ...] | None] = []
        for d in WEEKDAYS:
            day = screen.windows.get(d)
            if day is None:
                windows.append(None)
            elif len(day) == 1:  # the usual day: one window, nothing to sort
                windows.append((_window(day[0].start, day[0].end),))
            else:
                windows.append(tuple(sorted((_window(w.start, w.end) for w in day), key=_start)))
        # Through __init__, not by filling __dict__: an object whose __dict__ was touched loses CPython's fast
        # attribute reads (measured: ~2 ns more a read), and the ledger reads these on every tick.
        return cls(
            doc=doc,
            version=typed.version,
            timezone=ZoneInfo(typed.timezone),
            screen_daily=tuple(screen.daily_minutes[d] for d in WEEKDAYS),
            windows=tuple(windows),
            holiday_minutes=screen.holiday_minutes,
            holidays=screen.holidays,
            games_daily=games.daily_minutes,
            per_game_default=games.per_game_minutes,
            per_game=dict(games.per_game),
            reminder_minutes=games.reminder_minutes,
            always_allowed=frozenset(apps.always_allowed),
            blocked=frozenset(apps.blocked),
            app_limits=dict(apps.limits),
            mark_as_game=frozenset(apps.mark_as_game),
            mark_as_school=frozenset(apps.mark_as_school),
            games_by_content=dict(apps.games_by_content),
            at_limit_games=typed.at_limit.games,
            at_limit_screen=typed.at_limit.screen,
            grace_seconds=typed.at_limit.grace_seconds,
            warn_minutes=tuple(sorted(set(typed.warnings.minutes_before), reverse=True)),
            retention_days=typed.privacy.retention_days,
        )

    def is_holiday(self, day: dt.date) -> bool:
        return self.holidays is not None and day in _holiday_calendar(self.holidays, day.year)

    def screen_allowance_s(self, day: dt.date) -> int | None:
        """Seconds of screen time allowed on a local date (holiday allowance wins on public holidays)."""
        minutes = self.screen_daily[day.weekday()]
        if self.is_holiday(day) and self.holiday_minutes is not None:
            minutes = self.holiday_minutes
        return None if minutes is None else minutes * 60

    def game_allowance_s(self, game_id: str) -> int | None:
        minutes = self.per_game.get(game_id, self.per_game_default)
        return None if minutes is None else minutes * 60

    def window_seconds_left(self, local: dt.datetime) -> int | None:
        """Seconds until allowed use ends, counted in local wall time; 0 outside every window; None when no
        day around now has windows at all.

        A window belongs to the weekday it starts on and may run past midnight; a weekday without windows is
        allowed all day. Windows that touch are merged, so 20:00–24:00 followed by 00:00–01:00 ends at 01:00.
        """
        wd = local.weekday()
        days = [self.windows[(wd + k) % 7] for k in (-1, 0, 1, 2)]
        if all(d is None for d in days):
            return None
        spans: list[tuple[int, int]] = []
        for k, day in zip((-1, 0, 1, 2), days, strict=True):
            base = k * 86400
            if day is None:
                spans.append((base, base + 86400))
            else:
                spans.extend((base + w.start * 60, base + w.end * 60) for w in day)
        spans.sort()
        now = local.hour * 3600 + local.minute * 60 + local.second
        end = None
        for s, e in spans:
            if end is None:
                if s <= now < e:
                    end = e
            elif s <= end:
                end = max(end, e)
            else:
                break
        return 0 if end is None else end - now


@functools.lru_cache(maxsize=4096)  # a family's policy has a handful of distinct windows; Window is immutable
def _window(start: str, end: str) -> Window:
    s, e = hhmm_to_minutes(start), hhmm_to_minutes(end)
    return Window(s, e if e > s else e + 1440)


def _start(w: Window) -> int:
    return w.start


@functools.lru_cache(maxsize=8)
def _holiday_calendar(country: str, year: int) -> frozenset[dt.date]:
    import holidays  # imported lazily: only policies that use holidays pay for it

    return frozenset(holidays.country_holidays(country, years=year).keys())
