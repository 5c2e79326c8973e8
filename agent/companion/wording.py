"""Everything the child reads, worded per age band. English source strings; Vietnamese (and English) come from the
Qt Linguist files resources/i18n/companion_<lang>.ts, so every string here is a literal translate() call that
pyside6-lupdate can find. Placeholders are Python str.format names ({time}, {what}, ...), kept in translations.

Bands: 0-6 very short (a picture carries the meaning), 7-10 short and warm, 11-13 plain, 14-17 like an adult.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate

BAND_GROUPS = ("0-6", "7-10", "11-13", "14-17")
TIME_KINDS = frozenset({"warn", "warn_games", "remind", "close", "lock", "decline"})  # "ask for more time" fits
# The parent's lock now / pause internet (agent.service.controls): one calm wording for every age, never an error
CONTROL_KINDS = frozenset({"parent_lock", "parent_unlock", "internet_paused", "internet_resumed"})


def band_group(age_band: str | None) -> str:
    """The policy's bands (0-6, 7-10, 11-13, 14-15, 16-17) onto the four wordings; unknown → 11-13."""
    if age_band in ("14-15", "16-17", "14-17"):
        return "14-17"
    return age_band if age_band in BAND_GROUPS else "11-13"


def notice_kind(notice: dict[str, Any]) -> str:
    kind = str(notice.get("kind") or "info")
    if kind == "logout":  # the service may log out instead of locking: the child reads the same thing
        kind = "lock"
    if kind == "warn" and notice.get("target") not in (None, "screen"):
        return "warn_games"
    known = {"warn", "remind", "block", "close", "lock", "web_block", "grant", "decline", "info", *CONTROL_KINDS}
    return kind if kind in known else "info"


def duration(seconds: int | float | None) -> str:
    if seconds is None:
        return translate("Duration", "no limit")
    minutes = max(0, round(seconds / 60))
    if seconds > 0 and minutes == 0:
        return translate("Duration", "less than a minute")
    h, m = divmod(minutes, 60)
    if h and m:
        return translate("Duration", "{h} h {m} min").format(h=h, m=m)
    if h:
        return translate("Duration", "{h} h").format(h=h)
    return translate("Duration", "{m} min").format(m=m)


def category_name(category: str | None) -> str:
    names = {
        "adult": translate("Category", "adult content"),
        "gambling": translate("Category", "gambling"),
        "games": translate("Category", "games"),
        "social": translate("Category", "social networks"),
        "video": translate("Category", "video"),
        "violence": translate("Category", "violence"),
        "drugs": translate("Category", "drugs"),
        "dating": translate("Category", "dating"),
        "self-harm": translate("Category", "self-harm"),
        "malware": translate("Category", "dangerous software"),
        "bypass": translate("Category", "ways around the filter"),
        "chat-strangers": translate("Category", "chatting with strangers"),
    }
    if not category:
        return translate("Category", "not allowed by your parents")
    return names.get(category, category)


def until_text(until: str | None) -> str:
    if not until:
        return ""
    if until == "tomorrow":
        return translate("Companion", "Allowed again: tomorrow")
    return translate("Companion", "Allowed again: at {time}").format(time=until)


@dataclass(frozen=True)
class NoticeText:
    title: str  # what happened
    body: str  # why, in the band's words
    until: str  # until when ("" if it does not apply)
    ask: str  # how to ask


def _texts_0_6() -> dict[str, tuple[str, str]]:
    return {
        "warn": (
            translate("Notice0to6", "Almost time to stop"),
            translate("Notice0to6", "{time} left."),
        ),
        "warn_games": (
            translate("Notice0to6", "Game time almost done"),
            translate("Notice0to6", "{time} left."),
        ),
        "remind": (
            translate("Notice0to6", "Time for a break"),
            translate("Notice0to6", "Stretch and drink some water."),
        ),
        "block": (
            translate("Notice0to6", "Not this one"),
            translate("Notice0to6", "{what} is not for now."),
        ),
        "close": (
            translate("Notice0to6", "Game time is done"),
            translate("Notice0to6", "{what} is closed. Play again tomorrow!"),
        ),
        "lock": (
            translate("Notice0to6", "Screen time is done"),
            translate("Notice0to6", "The computer rests in {time}."),
        ),
        "web_block": (
            translate("Notice0to6", "Not this page"),
            translate("Notice0to6", "This page is not for children."),
        ),
        "grant": (
            translate("Notice0to6", "Yes! More time"),
            translate("Notice0to6", "{time} more."),
        ),
        "decline": (
            translate("Notice0to6", "Not today"),
            translate("Notice0to6", "Let's do something else."),
        ),
        "info": (
            translate("Notice0to6", "Hello"),
            translate("Notice0to6", "A message from Sprout."),
        ),
    }


def _texts_7_10() -> dict[str, tuple[str, str]]:
    return {
        "warn": (
            translate("Notice7to10", "Only {time} left"),
            translate("Notice7to10", "Your screen time for today is almost over. Save what you are doing."),
        ),
        "warn_games": (
            translate("Notice7to10", "Only {time} of game time left"),
            translate("Notice7to10", "Find a good place to stop {what} and save your game."),
        ),
        "remind": (
            translate("Notice7to10", "Time for a short break"),
            translate("Notice7to10", "You have played for a while. Rest your eyes and move a little."),
        ),
        "block": (
            translate("Notice7to10", "{what} is not allowed"),
            translate("Notice7to10", "Your parents chose not to allow this app on this computer."),
        ),
        "close": (
            translate("Notice7to10", "{what} was closed"),
            translate("Notice7to10", "Your game time for today is used up. Well played!"),
        ),
        "lock": (
            translate("Notice7to10", "The computer will lock in {time}"),
            translate("Notice7to10", "Your screen time is over for now. Save your work."),
        ),
        "web_block": (
            translate("Notice7to10", "This website is blocked"),
            translate("Notice7to10", "{what} is in the group \u201c{category}\u201d, which is not allowed."),
        ),
        "grant": (
            translate("Notice7to10", "Your parents gave you {time} more"),
            translate("Notice7to10", "Have fun, and remember to take breaks."),
        ),
        "decline": (
            translate("Notice7to10", "Your parents said no this time"),
            translate("Notice7to10", "You can talk with them about it later."),
        ),
        "info": (
            translate("Notice7to10", "A message from Sprout"),
            translate("Notice7to10", "Here is something to know."),
        ),
    }


def _texts_11_13() -> dict[str, tuple[str, str]]:
    return {
        "warn": (
            translate("Notice11to13", "{time} of screen time left"),
            translate("Notice11to13", "Today's screen time ends soon. Save your work now."),
        ),
        "warn_games": (
            translate("Notice11to13", "{time} of game time left"),
            translate("Notice11to13", "{what} will close when game time runs out. Save your progress."),
        ),
        "remind": (
            translate("Notice11to13", "Break reminder"),
            translate("Notice11to13", "You have been playing for a while. A short break helps your eyes."),
        ),
        "block": (
            translate("Notice11to13", "{what} is blocked"),
            translate("Notice11to13", "This app is on the list your parents blocked."),
        ),
        "close": (
            translate("Notice11to13", "{what} was closed"),
            translate("Notice11to13", "You reached today's game time limit."),
        ),
        "lock": (
            translate("Notice11to13", "This session locks in {time}"),
            translate("Notice11to13", "Screen time is over for now. Save anything you are working on."),
        ),
        "web_block": (
            translate("Notice11to13", "Website blocked: {what}"),
            translate("Notice11to13", "It is in the category \u201c{category}\u201d, which your parents blocked."),
        ),
        "grant": (
            translate("Notice11to13", "Request approved: {time} more"),
            translate("Notice11to13", "Your parents said yes."),
        ),
        "decline": (
            translate("Notice11to13", "Request not approved"),
            translate("Notice11to13", "Your parents said no this time."),
        ),
        "info": (
            translate("Notice11to13", "Message from Sprout"),
            translate("Notice11to13", "Something changed on this computer."),
        ),
    }


def _texts_14_17() -> dict[str, tuple[str, str]]:
    return {
        "warn": (
            translate("Notice14to17", "{time} of screen time left today"),
            translate("Notice14to17", "The daily limit agreed with your parents ends soon. Save your work."),
        ),
        "warn_games": (
            translate("Notice14to17", "{time} of game time left today"),
            translate("Notice14to17", "{what} will be closed at the limit. Save your progress."),
        ),
        "remind": (
            translate("Notice14to17", "Break reminder"),
            translate("Notice14to17", "You have been gaming for a while. Consider a short break."),
        ),
        "block": (
            translate("Notice14to17", "{what} is blocked on this PC"),
            translate("Notice14to17", "It is on your family's blocked list."),
        ),
        "close": (
            translate("Notice14to17", "{what} was closed"),
            translate("Notice14to17", "The daily game limit has been reached."),
        ),
        "lock": (
            translate("Notice14to17", "Session locks in {time}"),
            translate("Notice14to17", "Your screen time limit or downtime starts. Save your work."),
        ),
        "web_block": (
            translate("Notice14to17", "Blocked: {what}"),
            translate("Notice14to17", "Category: {category}. Blocked by your family's web settings."),
        ),
        "grant": (
            translate("Notice14to17", "Approved: {time} more"),
            translate("Notice14to17", "Your parents approved your request."),
        ),
        "decline": (
            translate("Notice14to17", "Request declined"),
            translate("Notice14to17", "Your parents declined this request."),
        ),
        "info": (
            translate("Notice14to17", "Sprout notice"),
            translate("Notice14to17", "Information about this PC's settings."),
        ),
    }


def _ask_line(group: str, kind: str) -> str:
    if kind in ("block", "web_block"):
        return {
            "0-6": translate("Notice0to6", "Ask Mum or Dad."),
            "7-10": translate("Notice7to10", "If you need it for school, ask your parents."),
            "11-13": translate("Notice11to13", "Need it for school? Ask your parents to allow it."),
            "14-17": translate("Notice14to17", "If this is a mistake, ask your parents to allow it in Sprout."),
        }[group]
    if kind in ("grant", "info"):
        return ""
    return {
        "0-6": translate("Notice0to6", "Want more? Ask Mum or Dad."),
        "7-10": translate("Notice7to10", "Need more time? Press \u201cAsk for more time\u201d."),
        "11-13": translate("Notice11to13", "Need more time? Use \u201cAsk for more time\u201d to send a request."),
        "14-17": translate("Notice14to17", "Need more time? Send a request with a reason; your parents decide."),
    }[group]


def notice_text(notice: dict[str, Any], age_band: str | None) -> NoticeText:
    group = band_group(age_band)
    kind = notice_kind(notice)
    if kind in CONTROL_KINDS:
        return control_text(kind, notice.get("until"))
    table = {"0-6": _texts_0_6, "7-10": _texts_7_10, "11-13": _texts_11_13, "14-17": _texts_14_17}[group]()
    title, body = table[kind]
    if kind == "lock" and not notice.get("left_s"):
        title, body = _lock_now(group)  # never "locks in 0 minutes"
    if kind == "close" and notice.get("reason") == "game_limit":
        body = _one_game_done(group)  # this game's cap, not all of today's game time
    what = notice.get("title") or catalog_title(notice.get("target")) or notice.get("target") or ""
    if what in ("screen", "games"):
        what = ""
    values = {"time": duration(notice.get("left_s")), "what": what or translate("Companion", "This"),
              "category": category_name(notice.get("category"))}
    # A parent's own words replace the generic line, as written.
    message = notice.get("message")
    body = str(message) if message and kind in ("grant", "decline", "info") else body.format(**values)
    until = until_text(notice.get("until"))
    if kind == "grant" and notice.get("asked_day"):
        until = late_grant_line(str(notice["asked_day"]))
    return NoticeText(title=title.format(**values), body=body, until=until,
                      ask=_ask_line(group, kind))


def control_text(kind: str, until: Any) -> NoticeText:
    """The parent's lock or pause, and their end, as the child reads them: what, until when, that it is no one's
    fault; the 111 line and the report button come with every notice (notice_window)."""
    t = str(until) if until else ""
    if kind == "parent_lock":
        title = (translate("Companion", "Your parents paused the computer until {time}").format(time=t) if t
                 else translate("Companion", "Your parents paused the computer"))
        body = (translate("Companion", "Time for a break. Nothing is counted while it rests, and it opens again "
                                       "by itself at {time}.").format(time=t) if t
                else translate("Companion", "Time for a break. Nothing is counted while it rests; your parents "
                                            "will open it again."))
    elif kind == "parent_unlock":
        title = translate("Companion", "The computer is open again")
        body = translate("Companion", "The break is over. Your usual rules apply again.")
    elif kind == "internet_paused":
        title = (translate("Companion", "The internet is resting until {time}").format(time=t) if t
                 else translate("Companion", "The internet is resting for a while"))
        body = translate("Companion", "Your parents paused the internet for a while. Websites open again when "
                                      "the pause ends; help lines such as 111 still work.")
    else:
        title = translate("Companion", "The internet is back")
        body = translate("Companion", "Your parents turned the internet back on.")
    return NoticeText(title=title, body=body, until="", ask="")


_TITLES: dict[str, str] = {}


def catalog_title(app_id: Any) -> str:
    """A game's or app's name from the shipped catalog ("Minecraft" for "minecraft"); "" when unknown."""
    if not isinstance(app_id, str) or not app_id:
        return ""
    if not _TITLES:
        import json

        from agent.resources import resource_path

        try:
            data = json.loads(resource_path("catalog", "apps.json").read_text(encoding="utf-8"))
            _TITLES.update({e["id"]: e["title"] for e in data["entries"] if isinstance(e.get("title"), str)})
        except (OSError, ValueError, KeyError):
            _TITLES[""] = ""
    return _TITLES.get(app_id, "")


def _one_game_done(group: str) -> str:
    return {
        "0-6": translate("Notice0to6", "{what} is done for today. Play again tomorrow!"),
        "7-10": translate("Notice7to10", "This game's time for today is used up. Well played!"),
        "11-13": translate("Notice11to13", "You reached this game's time limit for today."),
        "14-17": translate("Notice14to17", "This game's daily limit has been reached."),
    }[group]


def _lock_now(group: str) -> tuple[str, str]:
    return {
        "0-6": (translate("Notice0to6", "Screen time is done"), translate("Notice0to6", "The computer rests now.")),
        "7-10": (translate("Notice7to10", "The computer locks now"),
                 translate("Notice7to10", "Your screen time is over for now.")),
        "11-13": (translate("Notice11to13", "This session locks now"),
                  translate("Notice11to13", "Screen time is over for now.")),
        "14-17": (translate("Notice14to17", "Session locking now"),
                  translate("Notice14to17", "Your screen time limit or downtime has started.")),
    }[group]


def late_grant_line(asked_day: str) -> str:
    """A request answered on a later day: the time is for today, and the child is told so plainly."""
    try:
        asked = dt.date.fromisoformat(asked_day[:10])
    except ValueError:
        return translate("Companion", "This time is for today.")
    return translate("Companion", "This time is for today (you asked on {date}).").format(
        date=f"{asked.day:02d}/{asked.month:02d}")


# ---- the companion's own screens -------------------------------------------------------------------------
def hotline() -> str:
    return translate("Companion", "Worried or unsafe? Call 111 \u2014 free, any time, day or night.")


def time_left_line(kind: str, left_s: int | None) -> str:
    if kind == "screen":
        if left_s is None:
            return translate("Companion", "Screen time: no limit today")
        return translate("Companion", "Screen time left: {time}").format(time=duration(left_s))
    if left_s is None:
        return translate("Companion", "Game time: no limit today")
    return translate("Companion", "Game time left: {time}").format(time=duration(left_s))


def greeting(name: str, age_band: str | None) -> str:
    if not name:
        return translate("Companion", "Hello!")
    if band_group(age_band) == "14-17":
        return translate("Companion", "Hi, {name}").format(name=name)
    return translate("Companion", "Hello, {name}!").format(name=name)
