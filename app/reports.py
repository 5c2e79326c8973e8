"""Report models: fetched outbox items (app.family items) → per-day tables and totals. Pure Python, no Qt, so the
charts, the CSV/PDF export and a future phone face all read the same numbers.

An item is {"kind", "day", "payload", "seq"}. What the agent sends (agent.service.core.summary):
daily_summary {day, screen_s, games_s, per_game_s, per_app_s?, requests, grant_*}; alert {kind, at, …};
time_request; decision. Web figures (per_category_s, blocked) are read when a summary carries them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

PERIODS = {"today": 1, "7d": 7, "30d": 30}
OWN_APPS = ("sprout-console", "sprout-companion", "sprout-agent", "sprout")


@dataclass
class DayRow:
    day: str
    screen_min: int = 0
    games_min: int = 0
    blocked: int = 0
    requests: int = 0
    alerts: int = 0


@dataclass
class Report:
    first_day: str
    last_day: str
    days: list[DayRow]
    top_apps: list[tuple[str, int]] = field(default_factory=list)  # (app id, minutes), largest first
    games: list[tuple[str, int]] = field(default_factory=list)
    web_categories: list[tuple[str, int]] = field(default_factory=list)  # (category, blocked tries)
    alerts: list[dict[str, Any]] = field(default_factory=list)

    @property
    def total_screen_min(self) -> int:
        return sum(d.screen_min for d in self.days)

    @property
    def total_games_min(self) -> int:
        return sum(d.games_min for d in self.days)

    @property
    def blocked_tries(self) -> int:
        return sum(d.blocked for d in self.days)


def _minutes(seconds: Any) -> int:
    return round(seconds / 60) if isinstance(seconds, int | float) and not isinstance(seconds, bool) else 0


def _add(counter: Counter[str], values: Any) -> None:
    if isinstance(values, dict):
        for k, v in values.items():
            if isinstance(v, int | float) and not isinstance(v, bool):
                counter[str(k)] += v


def build_report(items: Iterable[dict[str, Any]], last_day: dt.date, days: int, *, top: int = 10,
                 live_today: dict[str, Any] | None = None) -> Report:
    """The `days` days ending with last_day (inclusive), a row for every day even without data.

    live_today: the agent's status for last_day (screen_used_s, games_used_s) — today has no daily summary yet.
    """
    if days < 1:
        raise ValueError(f"days: {days}: must be at least 1")
    first = last_day - dt.timedelta(days=days - 1)
    rows = {(first + dt.timedelta(days=i)).isoformat(): DayRow((first + dt.timedelta(days=i)).isoformat())
            for i in range(days)}
    apps: Counter[str] = Counter()
    games: Counter[str] = Counter()
    cats: Counter[str] = Counter()
    alerts: list[dict[str, Any]] = []
    summarised: set[str] = set()
    for item in items:
        payload = item.get("payload") if isinstance(item.get("payload"), dict) else {}
        day = item.get("day") or payload.get("day")
        row = rows.get(str(day)[:10]) if day else None
        if row is None:
            continue
        kind = item.get("kind")
        if kind == "daily_summary":
            summarised.add(row.day)
            row.screen_min = _minutes(payload.get("screen_s"))
            row.games_min = _minutes(payload.get("games_s"))
            _add(apps, payload.get("per_app_s"))
            _add(games, payload.get("per_game_s"))
            blocked = payload.get("blocked")
            if isinstance(blocked, dict):
                _add(cats, blocked)
                row.blocked += int(sum(v for v in blocked.values() if isinstance(v, int | float)))
            elif isinstance(blocked, int):
                row.blocked += blocked
        elif kind == "time_request":
            row.requests += 1
        elif kind == "alert":
            row.alerts += 1
            alerts.append(dict(payload, day=row.day))
        elif kind == "harmful_report":  # the child's own report counts as that day's alert too
            row.alerts += 1
            alerts.append(dict(payload, kind="harmful_report", day=row.day))
    if live_today is not None and last_day.isoformat() in rows:
        row = rows[last_day.isoformat()]
        summary = live_today.get("summary")
        if isinstance(summary, dict) and str(summary.get("day", ""))[:10] == last_day.isoformat() \
                and last_day.isoformat() not in summarised:
            # the agent's running summary of today, read live over the link (its daily_summary comes tomorrow)
            row.screen_min = _minutes(summary.get("screen_s"))
            row.games_min = _minutes(summary.get("games_s"))
            _add(apps, summary.get("per_app_s"))
            _add(games, summary.get("per_game_s"))
            blocked = summary.get("blocked")
            if isinstance(blocked, dict):
                _add(cats, blocked)
                row.blocked += int(sum(v for v in blocked.values() if isinstance(v, int | float)))
        row.screen_min = max(row.screen_min, _minutes(live_today.get("screen_used_s")))
        row.games_min = max(row.games_min, _minutes(live_today.get("games_used_s")))
    for own in OWN_APPS:  # the parent's console or the companion on the child's PC is not the child's app
        apps.pop(own, None)
    return Report(first.isoformat(), last_day.isoformat(), list(rows.values()),
                  [(k, _minutes(v)) for k, v in apps.most_common(top)],
                  [(k, _minutes(v)) for k, v in games.most_common(top)],
                  [(k, int(v)) for k, v in cats.most_common(top)], alerts)


def today_against_limits(status: dict[str, Any] | None, policy: dict[str, Any] | None,
                         today: dt.date) -> dict[str, Any]:
    """Minutes used and allowed today for the overview's progress bars; None limit = unlimited, None used = unknown."""
    wd = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[today.weekday()]
    screen_limit = games_limit = None
    if policy:
        screen_limit = (policy.get("screen", {}).get("daily_minutes") or {}).get(wd)
        games_limit = policy.get("games", {}).get("daily_minutes")
    used = status or {}
    return {"screen_used": _minutes(used["screen_used_s"]) if "screen_used_s" in used else None,
            "screen_limit": screen_limit,
            "games_used": _minutes(used["games_used_s"]) if "games_used_s" in used else None,
            "games_limit": games_limit}


def to_csv(report: Report, headers: tuple[str, ...] = ("day", "screen_min", "games_min", "blocked", "requests",
                                                        "alerts")) -> str:
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(headers)
    for d in report.days:
        w.writerow([d.day, d.screen_min, d.games_min, d.blocked, d.requests, d.alerts])
    return out.getvalue()
