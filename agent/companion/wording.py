"""Everything the child reads, worded per age band. English source strings; Vietnamese (and English) come from the
Qt Linguist files resources/i18n/companion_<lang>.ts, so every string here is a literal translate() call that
pyside6-lupdate can find. Placeholders are Python str.format names ({time}, {what}, ...), kept in translations.

Bands: 0-6 very short (a picture carries the meaning), 7-10 short and warm, 11-13 plain, 14-17 like an adult.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QCoreApplication

BAND_GROUPS = ("0-6", "7-10", "11-13", "14-17")
TIME_KINDS = frozenset({"warn", "warn_games", "remind", "close", "lock", "decline"})  # "ask for more time" fits


def band_group(age_band: str | None) -> str:
    """The policy's bands (0-6, 7-10, 11-13, 14-15, 16-17) onto the four wordings; unknown → 11-13."""
    if age_band in ("14-15", "16-17", "14-17"):
        return "14-17"
    return age_band if age_band in BAND_GROUPS else "11-13"


def notice_kind(notice: dict[str, Any]) -> str:
    kind = str(notice.get("kind") or "info")
    if kind == "warn" and notice.get("target") not in (None, "screen"):
        return "warn_games"
    known = {"warn", "remind", "block", "close", "lock", "web_block", "grant", "decline", "info"}
    return kind if kind in known else "info"


def duration(seconds: int | float | None) -> str:
    if seconds is None:
        return QCoreApplication.translate("Duration", "no limit")
    minutes = max(0, round(seconds / 60))
    if seconds > 0 and minutes == 0:
        return QCoreApplication.translate("Duration", "less than a minute")
    h, m = divmod(minutes, 60)
    if h and m:
        return QCoreApplication.translate("Duration", "{h} h {m} min").format(h=h, m=m)
    if h:
        return QCoreApplication.translate("Duration", "{h} h").format(h=h)
    return QCoreApplication.translate("Duration", "{m} min").format(m=m)


def category_name(category: str | None) -> str:
    names = {
        "adult": QCoreApplication.translate("Category", "adult content"),
        "gambling": QCoreApplication.translate("Category", "gambling"),
        "games": QCoreApplication.translate("Category", "games"),
        "social": QCoreApplication.translate("Category", "social networks"),
        "video": QCoreApplication.translate("Category", "video"),
        "violence": QCoreApplication.translate("Category", "violence"),
        "drugs": QCoreApplication.translate("Category", "drugs"),
        "dating": QCoreApplication.translate("Category", "dating"),
        "self-harm": QCoreApplication.translate("Category", "self-harm"),
        "malware": QCoreApplication.translate("Category", "dangerous software"),
        "bypass": QCoreApplication.translate("Category", "ways around the filter"),
        "chat-strangers": QCoreApplication.translate("Category", "chatting with strangers"),
    }
    if not category:
        return QCoreApplication.translate("Category", "not allowed by your parents")
    return names.get(category, category)


def until_text(until: str | None) -> str:
    if not until:
        return ""
    if until == "tomorrow":
        return QCoreApplication.translate("Companion", "Allowed again: tomorrow")
    return QCoreApplication.translate("Companion", "Allowed again: at {time}").format(time=until)


@dataclass(frozen=True)
class NoticeText:
    title: str  # what happened
    body: str  # why, in the band's words
    until: str  # until when ("" if it does not apply)
    ask: str  # how to ask


def _texts_0_6() -> dict[str, tuple[str, str]]:
    t = QCoreApplication.translate
    return {
        "warn": (t("Notice0to6", "Almost time to stop"), t("Notice0to6", "{time} left.")),
        "warn_games": (t("Notice0to6", "Game time almost done"), t("Notice0to6", "{time} left.")),
        "remind": (t("Notice0to6", "Time for a break"), t("Notice0to6", "Stretch and drink some water.")),
        "block": (t("Notice0to6", "Not this one"), t("Notice0to6", "{what} is not for now.")),
        "close": (t("Notice0to6", "Game time is done"), t("Notice0to6", "{what} is closed. Play again tomorrow!")),
        "lock": (t("Notice0to6", "Screen time is done"), t("Notice0to6", "The computer rests in {time}.")),
        "web_block": (t("Notice0to6", "Not this page"), t("Notice0to6", "This page is not for children.")),
        "grant": (t("Notice0to6", "Yes! More time"), t("Notice0to6", "{time} more.")),
        "decline": (t("Notice0to6", "Not today"), t("Notice0to6", "Let's do something else.")),
        "info": (t("Notice0to6", "Hello"), t("Notice0to6", "A message from Sprout.")),
    }


def _texts_7_10() -> dict[str, tuple[str, str]]:
    t = QCoreApplication.translate
    return {
        "warn": (t("Notice7to10", "Only {time} left"),
                 t("Notice7to10", "Your screen time for today is almost over. Save what you are doing.")),
        "warn_games": (t("Notice7to10", "Only {time} of game time left"),
                       t("Notice7to10", "Find a good place to stop {what} and save your game.")),
        "remind": (t("Notice7to10", "Time for a short break"),
                   t("Notice7to10", "You have played for a while. Rest your eyes and move a little.")),
        "block": (t("Notice7to10", "{what} is not allowed"),
                  t("Notice7to10", "Your parents chose not to allow this app on this computer.")),
        "close": (t("Notice7to10", "{what} was closed"),
                  t("Notice7to10", "Your game time for today is used up. Well played!")),
        "lock": (t("Notice7to10", "The computer will lock in {time}"),
                 t("Notice7to10", "Your screen time is over for now. Save your work.")),
        "web_block": (t("Notice7to10", "This website is blocked"),
                      t("Notice7to10", "{what} is in the group \u201c{category}\u201d, which is not allowed.")),
        "grant": (t("Notice7to10", "Your parents gave you {time} more"),
                  t("Notice7to10", "Have fun, and remember to take breaks.")),
        "decline": (t("Notice7to10", "Your parents said no this time"),
                    t("Notice7to10", "You can talk with them about it later.")),
        "info": (t("Notice7to10", "A message from Sprout"), t("Notice7to10", "Here is something to know.")),
    }


def _texts_11_13() -> dict[str, tuple[str, str]]:
    t = QCoreApplication.translate
    return {
        "warn": (t("Notice11to13", "{time} of screen time left"),
                 t("Notice11to13", "Today's screen time ends soon. Save your work now.")),
        "warn_games": (t("Notice11to13", "{time} of game time left"),
                       t("Notice11to13", "{what} will close when game time runs out. Save your progress.")),
        "remind": (t("Notice11to13", "Break reminder"),
                   t("Notice11to13", "You have been playing for a while. A short break helps your eyes.")),
        "block": (t("Notice11to13", "{what} is blocked"),
                  t("Notice11to13", "This app is on the list your parents blocked.")),
        "close": (t("Notice11to13", "{what} was closed"),
                  t("Notice11to13", "You reached today's game time limit.")),
        "lock": (t("Notice11to13", "This session locks in {time}"),
                 t("Notice11to13", "Screen time is over for now. Save anything you are working on.")),
        "web_block": (t("Notice11to13", "Website blocked: {what}"),
                      t("Notice11to13", "It is in the category \u201c{category}\u201d, which your parents blocked.")),
        "grant": (t("Notice11to13", "Request approved: {time} more"),
                  t("Notice11to13", "Your parents said yes.")),
        "decline": (t("Notice11to13", "Request not approved"),
                    t("Notice11to13", "Your parents said no this time.")),
        "info": (t("Notice11to13", "Message from Sprout"), t("Notice11to13", "Something changed on this computer.")),
    }


def _texts_14_17() -> dict[str, tuple[str, str]]:
    t = QCoreApplication.translate
    return {
        "warn": (t("Notice14to17", "{time} of screen time left today"),
                 t("Notice14to17", "The daily limit agreed with your parents ends soon. Save your work.")),
        "warn_games": (t("Notice14to17", "{time} of game time left today"),
                       t("Notice14to17", "{what} will be closed at the limit. Save your progress.")),
        "remind": (t("Notice14to17", "Break reminder"),
                   t("Notice14to17", "You have been gaming for a while. Consider a short break.")),
        "block": (t("Notice14to17", "{what} is blocked on this PC"),
                  t("Notice14to17", "It is on your family's blocked list.")),
        "close": (t("Notice14to17", "{what} was closed"),
                  t("Notice14to17", "The daily game limit has been reached.")),
        "lock": (t("Notice14to17", "Session locks in {time}"),
                 t("Notice14to17", "Your screen time limit or downtime starts. Save your work.")),
        "web_block": (t("Notice14to17", "Blocked: {what}"),
                      t("Notice14to17", "Category: {category}. Blocked by your family's web settings.")),
        "grant": (t("Notice14to17", "Approved: {time} more"),
                  t("Notice14to17", "Your parents approved your request.")),
        "decline": (t("Notice14to17", "Request declined"),
                    t("Notice14to17", "Your parents declined this request.")),
        "info": (t("Notice14to17", "Sprout notice"), t("Notice14to17", "Information about this PC's settings.")),
    }


def _ask_line(group: str, kind: str) -> str:
    t = QCoreApplication.translate
    if kind in ("block", "web_block"):
        return {
            "0-6": t("Notice0to6", "Ask Mum or Dad."),
            "7-10": t("Notice7to10", "If you need it for school, ask your parents."),
            "11-13": t("Notice11to13", "Need it for school? Ask your parents to allow it."),
            "14-17": t("Notice14to17", "If this is a mistake, ask your parents to allow it in Sprout."),
        }[group]
    if kind in ("grant", "info"):
        return ""
    return {
        "0-6": t("Notice0to6", "Want more? Ask Mum or Dad."),
        "7-10": t("Notice7to10", "Need more time? Press \u201cAsk for more time\u201d."),
        "11-13": t("Notice11to13", "Need more time? Use \u201cAsk for more time\u201d to send a request."),
        "14-17": t("Notice14to17", "Need more time? Send a request with a reason; your parents decide."),
    }[group]


def notice_text(notice: dict[str, Any], age_band: str | None) -> NoticeText:
    group = band_group(age_band)
    kind = notice_kind(notice)
    table = {"0-6": _texts_0_6, "7-10": _texts_7_10, "11-13": _texts_11_13, "14-17": _texts_14_17}[group]()
    title, body = table[kind]
    what = notice.get("title") or notice.get("target") or ""
    if what in ("screen", "games"):
        what = ""
    values = {"time": duration(notice.get("left_s")), "what": what or QCoreApplication.translate("Companion", "This"),
              "category": category_name(notice.get("category"))}
    # A parent's own words replace the generic line, as written.
    message = notice.get("message")
    body = str(message) if message and kind in ("grant", "decline", "info") else body.format(**values)
    return NoticeText(title=title.format(**values), body=body, until=until_text(notice.get("until")),
                      ask=_ask_line(group, kind))


# ---- the companion's own screens -------------------------------------------------------------------------
def hotline() -> str:
    return QCoreApplication.translate("Companion", "Worried or unsafe? Call 111 \u2014 free, any time, day or night.")


def time_left_line(kind: str, left_s: int | None) -> str:
    if kind == "screen":
        if left_s is None:
            return QCoreApplication.translate("Companion", "Screen time: no limit today")
        return QCoreApplication.translate("Companion", "Screen time left: {time}").format(time=duration(left_s))
    if left_s is None:
        return QCoreApplication.translate("Companion", "Game time: no limit today")
    return QCoreApplication.translate("Companion", "Game time left: {time}").format(time=duration(left_s))


def greeting(name: str, age_band: str | None) -> str:
    if not name:
        return QCoreApplication.translate("Companion", "Hello!")
    if band_group(age_band) == "14-17":
        return QCoreApplication.translate("Companion", "Hi, {name}").format(name=name)
    return QCoreApplication.translate("Companion", "Hello, {name}!").format(name=name)
