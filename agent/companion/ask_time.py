"""The "ask for more time" form: how many minutes, for what (screen or games), and why. Sent to the service,
which queues it for the parent; the child sees that it was sent, not a promise that it will be granted."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QWidget,
)

from agent.companion.common import FormPage, failure_text, lay_out_form_page, set_text
from agent.companion.ipc_client import ServiceRefused, ServiceUnavailable
from agent.companion.look import sprout_pixmap
from agent.companion.wording import band_group

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate

MAX_REASON = 300  # what the service keeps


class RequestSender(Protocol):
    def submit_request(self, minutes: int, reason: str, scope: str) -> dict[str, Any]: ...


class AskTimeWindow(FormPage):
    sent = Signal(dict)  # the service's answer: {"id", "state": "queued"}

    def __init__(self, sender: RequestSender, age_band: str, scope: str = "screen",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Dialog | Qt.WindowType.WindowStaysOnTopHint)
        self.sender_ = sender
        self.age_band = age_band
        self.last_answer: dict[str, Any] | None = None
        self.setMinimumWidth(440)

        pic = QLabel(self)
        pic.setPixmap(sprout_pixmap(56))
        self.pic = pic
        self.title = QLabel(self, objectName="title", wordWrap=True)
        self.intro = QLabel(self, objectName="body", wordWrap=True)

        self.minutes = QSpinBox(self)
        self.minutes.setRange(5, 240)
        self.minutes.setSingleStep(5)
        self.minutes.setValue(15)
        self.minutes_label = QLabel(self)
        self.minutes_label.setBuddy(self.minutes)

        self.scope_screen = QRadioButton(self)
        self.scope_games = QRadioButton(self)
        self.scope_group = QButtonGroup(self)
        self.scope_group.addButton(self.scope_screen)
        self.scope_group.addButton(self.scope_games)
        (self.scope_games if scope == "games" else self.scope_screen).setChecked(True)
        self.scope_label = QLabel(self)
        self.scope_label.setBuddy(self.scope_screen)

        self.reason = QLineEdit(self)
        self.reason.setMaxLength(MAX_REASON)
        self.reason_label = QLabel(self)
        self.reason_label.setBuddy(self.reason)
        self.reason.returnPressed.connect(self.send)

        self.add_answer_and_buttons()

        scopes = QHBoxLayout()
        scopes.addWidget(self.scope_screen)
        scopes.addWidget(self.scope_games)
        scopes.addStretch(1)
        form = QFormLayout()
        form.addRow(self.minutes_label, self.minutes)
        form.addRow(self.scope_label, scopes)
        form.addRow(self.reason_label, self.reason)
        lay_out_form_page(self, pic, self.title, self.intro, form, self.result, self.help, self.close_button,
                          self.send_button)
        for a, b in ((self.minutes, self.scope_screen), (self.scope_screen, self.scope_games),
                     (self.scope_games, self.reason), (self.reason, self.send_button),
                     (self.send_button, self.close_button)):
            QWidget.setTabOrder(a, b)
        self.retranslate()
        self.minutes.setFocus()

    @property
    def scope(self) -> str:
        return "games" if self.scope_games.isChecked() else "screen"

    def retranslate(self) -> None:
        young = band_group(self.age_band) in ("0-6", "7-10")
        self.setWindowTitle(translate("Companion", "Ask for more time"))
        set_text(self.title, translate("Companion", "Ask for more time"))
        if young:
            intro = translate("Companion", "Tell your parents how much time you need and why.")
        else:
            intro = translate("Companion", "Your request goes to your parents. They decide, and you will see "
                                           "their answer here.")
        set_text(self.intro, intro)
        set_text(self.minutes_label, translate("Companion", "&Minutes:"))
        self.minutes.setSuffix(" " + translate("Companion", "min"))
        self.minutes.setAccessibleName(translate("Companion", "How many minutes"))
        set_text(self.scope_label, translate("Companion", "&For:"))
        set_text(self.scope_screen, translate("Companion", "Screen time"))
        set_text(self.scope_games, translate("Companion", "Games"))
        set_text(self.reason_label, translate("Companion", "&Why:"))
        self.reason.setPlaceholderText(translate("Companion", "For example: I am finishing my homework"))
        self.reason.setAccessibleName(translate("Companion", "Why you need more time"))
        self.word_answer_and_buttons()
        if self.last_answer is not None:
            set_text(self.result, self._sent_text())

    def _sent_text(self) -> str:
        return translate("Companion", "Sent! Your parents will see your request. "
                                                       "You will get a message here when they answer.")

    def send(self) -> None:
        minutes, reason, scope = self.minutes.value(), self.reason.text().strip(), self.scope
        try:
            answer = self.sender_.submit_request(minutes, reason, scope)
        except (ServiceUnavailable, ServiceRefused) as exc:
            self.show_answer(failure_text(exc))
            return
        self.last_answer = dict(answer)
        self.show_answer(self._sent_text())
        self.send_button.setEnabled(False)
        self.close_button.setFocus()
        self.sent.emit(dict(answer))
