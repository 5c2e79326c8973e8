"""The parent's "lock now" and "pause internet until …" as the console (window, command line) offers them: when
a control ends, from what the parent chose, and how each change reads in the parent's alerts. No Qt here.

The agent decides by its own trusted clock (agent.service.controls); the console sends Unix seconds. "Until 18:00"
is 18:00 in the family's time zone (the child's rules say which), as the child's PC shows it.
"""

from __future__ import annotations

import datetime as dt
import re
import time

MAX_HOURS = 24
KINDS = {"lock": ("lock_now", "lock"), "unlock": ("lock_now", "unlock"), "pause": ("pause_internet", "pause"),
         "resume": ("pause_internet", "resume")}
_CLOCK = re.compile(r"^([01]?\d|2[0-3])[:h.]([0-5]\d)$")


class ControlTimeError(ValueError):
    """What the parent typed cannot be an end: the message says which value and why."""


def family_zone(policy: dict | None) -> dt.tzinfo | None:
    """The time zone of the child's rules, or None (this computer's own)."""
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(str((policy or {})["timezone"]))
    except (KeyError, ValueError, ZoneInfoNotFoundError):
        return None


def until_from(*, at: str | None = None, minutes: int | None = None, now: float | None = None,
               tz: dt.tzinfo | None = None) -> float | None:
    """Unix seconds for "until 18:00" (the next 18:00: tomorrow's when it has passed today) or "for N minutes";
    None when neither is given (until the parent ends it)."""
    now = time.time() if now is None else now
    if at is not None and minutes is not None:
        raise ControlTimeError("give either a time (HH:MM) or a number of minutes, not both")
    if minutes is not None:
        if not 1 <= minutes <= MAX_HOURS * 60:
            raise ControlTimeError(f"minutes: {minutes}: must be from 1 to {MAX_HOURS * 60}")
        return now + minutes * 60
    if at is None:
        return None
    match = _CLOCK.match(at.strip())
    if not match:
        raise ControlTimeError(f"{at!r}: not a time of day such as 18:00")
    here = dt.datetime.fromtimestamp(now, tz) if tz is not None else dt.datetime.fromtimestamp(now).astimezone()
    end = here.replace(hour=int(match[1]), minute=int(match[2]), second=0, microsecond=0)
    if end <= here:
        end += dt.timedelta(days=1)
    return end.timestamp()


def clock_of(until: float | None, now: float | None = None, tz: dt.tzinfo | None = None) -> str:
    """"18:00", or "08:30 07/12" when not today, in `tz` (None: this computer's); "" for None."""
    if not until:
        return ""
    when = dt.datetime.fromtimestamp(until, tz).astimezone(tz)
    today = dt.datetime.fromtimestamp(time.time() if now is None else now, tz).astimezone(tz).date()
    return when.strftime("%H:%M") if when.date() == today else when.strftime("%H:%M %d/%m")


# How each change reads in the parent's alerts (the agent's outbox "alert" items of these kinds), vi and en.
ALERT_TEXT = {
    "parent_lock": ("Máy của {name} đã khóa theo lệnh của bố mẹ{until}", "{name}'s PC was locked by a parent{until}"),
    "parent_unlock": ("Máy của {name} đã mở khóa", "{name}'s PC was unlocked"),
    "internet_paused": ("Internet trên máy của {name} đã tạm dừng{until}",
                        "The internet on {name}'s PC was paused{until}"),
    "internet_resumed": ("Internet trên máy của {name} đã bật lại", "The internet on {name}'s PC is back on"),
    "control_refused": ("Máy của {name} đã từ chối một lệnh khóa/tạm dừng giả mạo hoặc không hợp lệ ({error})",
                        "{name}'s PC refused a forged or invalid lock/pause command ({error})"),
}
UNTIL_TEXT = (" đến {time}", " until {time}")


def alert_line(payload: dict, name: str, lang: int) -> str | None:
    """The alert's sentence for the parent, or None when it is not one of the controls' alerts."""
    texts = ALERT_TEXT.get(str(payload.get("kind")))
    if texts is None:
        return None
    until = payload.get("until_text")
    return texts[lang].format(name=name, until=UNTIL_TEXT[lang].format(time=until) if until else "",
                              error=payload.get("error") or "?")
