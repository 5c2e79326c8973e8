"""What my parents can see: the service's privacy_report shown as it is — each kind of data and whether it is
sent, what is never collected, how long it is kept, who receives it, and today's summary exactly as it would leave
this PC (the raw JSON, so nothing is paraphrased away)."""

from __future__ import annotations

import json
from html import escape
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.consent_window import privacy_section
from agent.companion.look import sprout_pixmap
from agent.companion.wording import hotline

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
        self.example.setMinimumHeight(220)
        self.example.setTabChangesFocus(True)
        self.example.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
                             if "DejaVu Sans Mono" not in QFontDatabase.families() else QFont("DejaVu Sans Mono", 9))
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
        set_text(self.example_label, translate("Privacy", "&Today's summary, exactly as it is sent:"))
        self.example.setPlainText(example_json(self.report))
        self.example.setAccessibleName(translate("Privacy", "Today's summary, exactly as it is sent"))
        set_text(self.close_button, translate("Companion", "&Close"))
        set_text(self.help, hotline())
