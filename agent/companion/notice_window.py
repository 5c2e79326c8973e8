"""One friendly notice: what happened, why, until when, how to ask; the hotline 111 and "report something harmful"
on every one. Styled like a note from a friend, never like an error dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.look import notice_picture
from agent.companion.wording import TIME_KINDS, band_group, hotline, notice_kind, notice_text


class NoticeWindow(Page):
    ask_time = Signal()
    report_harmful = Signal(str)  # what the notice was about, to prefill the report

    def __init__(self, notice: dict[str, Any], age_band: str, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.notice = dict(notice)
        self.age_band = age_band
        self.kind = notice_kind(notice)
        young = band_group(age_band) == "0-6"
        self.setMinimumWidth(420 if young else 460)

        self.picture = QLabel(self)
        self.picture.setPixmap(notice_picture(self.kind, 112 if young else 64))
        self.picture.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.body = QLabel(self, objectName="body", wordWrap=True)
        self.until = QLabel(self, objectName="until", wordWrap=True)
        self.ask_hint = QLabel(self, objectName="ask", wordWrap=True)
        self.help = help_label(self)

        self.ask_button = button(self, primary=True)
        self.report_button = button(self)
        self.ok_button = button(self, primary=self.kind not in TIME_KINDS)
        self.ask_button.setVisible(self.kind in TIME_KINDS)
        self.ask_button.clicked.connect(self.ask_time.emit)
        self.report_button.clicked.connect(lambda: self.report_harmful.emit(str(self.notice.get("target") or "")))
        self.ok_button.clicked.connect(self.close)

        text = QVBoxLayout()
        text.setSpacing(6)
        for w in (self.title, self.body, self.until, self.ask_hint, self.help):
            text.addWidget(w)
        top = QHBoxLayout()
        top.addWidget(self.picture)
        top.addLayout(text, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.report_button)
        buttons.addStretch(1)
        buttons.addWidget(self.ask_button)
        buttons.addWidget(self.ok_button)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(16, 16, 16, 14)
        outer.addLayout(top)
        outer.addLayout(buttons)
        # Keyboard: the main action first, then OK, then the report; Esc closes (keyPressEvent).
        QWidget.setTabOrder(self.ask_button, self.ok_button)
        QWidget.setTabOrder(self.ok_button, self.report_button)
        self.retranslate()

    def retranslate(self) -> None:
        words = notice_text(self.notice, self.age_band)
        self.setWindowTitle(QCoreApplication.translate("Companion", "Sprout"))
        self.setAccessibleName(words.title)
        set_text(self.title, words.title)
        set_text(self.body, words.body)
        set_text(self.until, words.until)
        self.until.setVisible(bool(words.until))
        set_text(self.ask_hint, words.ask)
        self.ask_hint.setVisible(bool(words.ask))
        set_text(self.help, hotline())
        self.picture.setAccessibleName(words.title)
        set_text(self.ask_button, QCoreApplication.translate("Companion", "&Ask for more time"))
        set_text(self.report_button, QCoreApplication.translate("Companion", "&Report something harmful"))
        set_text(self.ok_button, QCoreApplication.translate("Companion", "&OK"))

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        (self.ask_button if self.ask_button.isVisible() else self.ok_button).setFocus()

    def keyPressEvent(self, event: Any) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.close()
            return
        super().keyPressEvent(event)
