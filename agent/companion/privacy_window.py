"""What my parents can see: the service's privacy_report shown as it is — each kind of data and whether it is
sent, what is never collected, how long it is kept, who receives it, and today's summary as it would leave this PC
— every value it carries, in words a child reads (not the raw JSON)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.consent_window import privacy_section
from agent.companion.look import sprout_pixmap
from agent.companion.wording import catalog_title, category_name, duration, hotline

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate


def data_name(key: str) -> str:
    names = {
        "time_totals": translate("Privacy", "How long the computer and games were used"),
        "apps_used": translate("Privacy", "Which apps and games were used, and for how long"),
        "window_titles": translate("Privacy", "Window titles"),
        "full_web_addresses": translate("Privacy", "Full web addresses"),
        "web_categories_blocked": translate("Privacy", "Blocked websites and their category"),
        "time_requests": translate("Privacy", "Your requests for more time"),
        "tamper_alerts": translate("Privacy", "Attempts to change the clock or stop Sprout"),
        "screenshots": translate("Privacy", "screenshots"),
        "keystrokes": translate("Privacy", "what you type"),
        "messages": translate("Privacy", "your messages"),
        "passwords": translate("Privacy", "passwords"),
        "camera": translate("Privacy", "the camera"),
        "microphone": translate("Privacy", "the microphone"),
    }
    return names.get(key, key)


# The service's own wording of who receives the data (agent.service.core); anything else is shown as sent.
SERVICE_RECIPIENTS = "the parents' consoles paired with this PC, encrypted end to end; no company server"


def recipients_text(recipients: str) -> str:
    if recipients == SERVICE_RECIPIENTS:
        return translate("Privacy", "the parents' consoles paired with this PC, encrypted end to end; "
                                    "no company server")
    return recipients


def report_html(report: dict[str, Any]) -> str:
    """The human-readable part. Every key of `sent` is listed, known or not, so nothing sent goes unmentioned."""
    yes, no = translate("Privacy", "sent"), translate("Privacy", "not sent")
    rows = "".join(f"<li>{escape(data_name(k))}: <b>{yes if v else no}</b></li>"
                   for k, v in report.get("sent", {}).items())
    never = ", ".join(data_name(k) for k in report.get("never_sent", []))
    heading = translate("Privacy", "What is sent to your parents:")
    never_line = translate("Privacy", "Never collected: {items}.").format(items=never)
    kept = translate("Privacy", "Kept for {days} days.").format(days=report.get("retention_days", "?"))
    who = translate("Privacy", "Who receives it:")
    parts = [f"<p>{escape(heading)}</p><ul>{rows}</ul>"]
    if never:
        parts.append(f"<p>{escape(never_line)}</p>")
    parts.append(f"<p>{escape(kept)}</p>")
    parts.append(f"<p>{escape(who)} {escape(recipients_text(str(report.get('recipients', ''))))}</p>")
    parts.append(privacy_section(report.get("consent")))  # who agreed to what, and when
    return "".join(parts)


def example_json(report: dict[str, Any]) -> str:
    return json.dumps(report.get("example_today", {}), ensure_ascii=False, indent=2)  # the service's own key order


def example_text(report: dict[str, Any]) -> str:
    """Today's summary as a child reads it: every value that is sent, in words (raw JSON is for machines)."""
    ex = report.get("example_today") or {}

    def each(values: Any, name: Any) -> str:
        if not isinstance(values, dict) or not values:
            return ""
        return ", ".join(f"{name(k)} {duration(v)}" for k, v in sorted(values.items(), key=lambda kv: -kv[1]))

    lines = [translate("Privacy", "Screen time: {time}").format(time=duration(ex.get("screen_s", 0))),
             translate("Privacy", "Games: {time}").format(time=duration(ex.get("games_s", 0)))]
    games = each(ex.get("per_game_s"), lambda k: catalog_title(k) or k)
    if games:
        lines.append(translate("Privacy", "Each game: {items}").format(items=games))
    apps = each(ex.get("per_app_s"), lambda k: catalog_title(k) or k)
    if apps:
        lines.append(translate("Privacy", "Each app: {items}").format(items=apps))
    blocked = ex.get("blocked")
    if isinstance(blocked, dict) and blocked:
        items = ", ".join(f"{category_name(k)} ({v})" for k, v in blocked.items())
        lines.append(translate("Privacy", "Blocked websites: {items}").format(items=items))
    extra = int(ex.get("grant_screen_s", 0) or 0) + int(ex.get("grant_games_s", 0) or 0)
    if extra:
        lines.append(translate("Privacy", "Extra time from your parents: {time}").format(time=duration(extra)))
    lines.append(translate("Privacy", "Requests for more time: {n}").format(n=int(ex.get("requests", 0) or 0)))
    return "\n".join(lines)


class PrivacyWindow(Page):
    def __init__(self, report: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.report = report
        self.setMinimumSize(580, 720)
        pic = QLabel(self)
        pic.setPixmap(sprout_pixmap(56))
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.summary = QLabel(self, objectName="body", wordWrap=True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                             | Qt.TextInteractionFlag.TextSelectableByMouse)
        self.example_label = QLabel(self, objectName="ask", wordWrap=True)
        self.example = QPlainTextEdit(self)
        self.example.setReadOnly(True)
        self.example.setMinimumHeight(150)  # the list above it (and the consent record) must fit, unclipped
        self.example.setTabChangesFocus(True)
        self.example_label.setBuddy(self.example)
        self.help = help_label(self)
        self.close_button = button(self, primary=True)
        self.close_button.clicked.connect(self.close)

        head = QHBoxLayout()
        head.addWidget(pic)
        head.addWidget(self.title, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 14)
        outer.addLayout(head)
        outer.addWidget(self.summary)
        outer.addWidget(self.example_label)
        outer.addWidget(self.example, 1)
        outer.addWidget(self.help)
        outer.addLayout(buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(translate("Privacy", "What my parents can see"))
        set_text(self.title, translate("Privacy", "What my parents can see"))
        self.summary.setText(report_html(self.report))
        self.summary.setAccessibleName(translate("Privacy", "What is sent to your parents:"))
        set_text(self.example_label, translate("Privacy", "&Today so far, as it is sent:"))
        self.example.setPlainText(example_text(self.report))
        self.example.setAccessibleName(translate("Privacy", "Today so far, as it is sent"))
        set_text(self.close_button, translate("Companion", "&Close"))
        set_text(self.help, hotline())
