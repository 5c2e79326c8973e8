"""The policy's vocabulary: weekday keys, enumerations, limits, and the current schema number."""

from __future__ import annotations

CURRENT_SCHEMA = 2

WEEKDAYS: tuple[str, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

AT_LIMIT_GAMES = ("close", "notify")
AT_LIMIT_SCREEN = ("lock", "logout", "notify")
YOUTUBE_LEVELS = ("off", "moderate", "strict")
SAFESEARCH_ENGINES = ("google", "bing", "duckduckgo")

MAX_MINUTES_PER_DAY = 24 * 60
MAX_GRACE_SECONDS = 600
MAX_RETENTION_DAYS = 3650
MAX_LIST_ITEMS = 10_000

# Fields whose values are limits: when presets compose, the stricter (smaller, non-null) value wins.
LIMIT_PATHS: frozenset[str] = frozenset(
    {f"screen.daily_minutes.{d}" for d in WEEKDAYS}
    | {"screen.holiday_minutes", "games.daily_minutes", "games.per_game_minutes", "games.reminder_minutes"}
)
# Fields that are sets: presets compose by union.
UNION_PATHS: frozenset[str] = frozenset(
    {"apps.always_allowed", "apps.blocked", "apps.mark_as_game", "apps.mark_as_school",
     "web.blocked_categories", "web.deny", "web.allow"}
)
# Fields with an order of strictness: when presets compose, the later rank wins (a rule preset can only tighten).
RANKED_PATHS: dict[str, tuple[object, ...]] = {
    "web.youtube": ("off", "moderate", "strict"),
    "at_limit.games": ("notify", "close"),
    "at_limit.screen": ("notify", "lock", "logout"),
    **{f"web.safesearch.{e}": (False, True) for e in ("google", "bing", "duckduckgo")},
}
MIN_PATHS: frozenset[str] = frozenset({"at_limit.grace_seconds"})


def default_policy() -> dict:
    """The most permissive complete policy: every field present, nothing limited or blocked.

    Presets and parents tighten from here, so a field missing from a file means "as in this default".
    """
    return {
        "schema": CURRENT_SCHEMA,
        "version": 1,
        "child": {"name": "", "birth_year": None},
        "timezone": "Asia/Ho_Chi_Minh",
        "presets": [],
        "screen": {
            "daily_minutes": {d: None for d in WEEKDAYS},
            "windows": {},
            "holiday_minutes": None,
            "holidays": None,
        },
        "games": {
            "daily_minutes": None,
            "per_game_minutes": None,
            "per_game": {},
            "reminder_minutes": None,
        },
        "apps": {
            "always_allowed": [],
            "blocked": [],
            "limits": {},
            "mark_as_game": [],
            "mark_as_school": [],
            "games_by_content": {},
        },
        "web": {
            "blocked_categories": [],
            "allow": [],
            "deny": [],
            "safesearch": {e: False for e in SAFESEARCH_ENGINES},
            "youtube": "off",
        },
        "at_limit": {"games": "close", "screen": "lock", "grace_seconds": 60},
        "warnings": {"minutes_before": [15, 5, 1]},
        "privacy": {
            "report_apps": True,
            "report_window_titles": False,
            "report_full_urls": False,
            "report_web_categories": True,
            "retention_days": 30,
        },
    }
