"""The screen cover: when the child's session could not be locked or logged out (no logind, no screen locker),
the service says so in its status ("cover": true) and the companion covers the whole screen. Only time lifts it
(a parent's grant, the next allowed window, a new day — the service then drops "cover") or the parent's PIN typed
here (checked by the service, wrong tries slowed down). The child can still ask for more time and reach 111."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.ipc_client import ServiceRefused, ServiceUnavailable
from agent.companion.look import sprout_pixmap
from agent.companion.status_window import stopped_line
from agent.companion.wording import hotline

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate


class CoverLifter(Protocol):
    def lift_cover(self, pin: str) -> dict[str, Any]: ...


class CoverWindow(Page):
    ask_time = Signal()
    lifted = Signal()

    def __init__(self, lifter: CoverLifter, status: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window | Qt.WindowType.FramelessWindowHint
                         | Qt.WindowType.WindowStaysOnTopHint)
        self.lifter = lifter
        self.status = dict(status)
        self._may_close = False
        pic = QLabel(self)
        pic.setPixmap(sprout_pixmap(96))
        pic.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.title = QLabel(self, objectName="title", wordWrap=True, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.body = QLabel(self, objectName="body", wordWrap=True, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.until = QLabel(self, objectName="until", wordWrap=True, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.pin_label = QLabel(self)
        self.pin = QLineEdit(self)
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setMaxLength(32)
        self.pin_label.setBuddy(self.pin)
        self.unlock_button = button(self)
        self.unlock_button.clicked.connect(self.unlock)
        self.pin.returnPressed.connect(self.unlock)
        self.result = QLabel(self, objectName="ask", wordWrap=True, alignment=Qt.AlignmentFlag.AlignHCenter)
        self.result.setVisible(False)
        self.ask_button = button(self, primary=True)
        self.ask_button.clicked.connect(self.ask_time.emit)
        self.help = help_label(self)

        box = QWidget(self)
        box.setMaximumWidth(560)
        inner = QVBoxLayout(box)
        inner.setSpacing(12)
        for w in (pic, self.title, self.body, self.until):
            inner.addWidget(w)
        inner.addWidget(self.ask_button, 0, Qt.AlignmentFlag.AlignHCenter)
        pin_row = QHBoxLayout()
        pin_row.addStretch(1)
        pin_row.addWidget(self.pin_label)
        pin_row.addWidget(self.pin)
        pin_row.addWidget(self.unlock_button)
        pin_row.addStretch(1)
        inner.addSpacing(24)
        inner.addLayout(pin_row)
        inner.addWidget(self.result)
        inner.addWidget(self.help)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)
        self.retranslate()

    def retranslate(self) -> None:
        if self.status.get("locked_reason") == "parent_lock":  # the parent's "lock now", not a time limit
            title = translate("Companion", "Time for a break")
            body = translate("Companion", "Your parents paused this computer for a while. It could not lock itself, "
                                          "so Sprout covers the screen.")
        else:
            title = translate("Companion", "Screen time is over")
            body = translate("Companion", "This PC could not lock itself, so Sprout covers the screen until your "
                                          "time starts again. Your parents have been told.")
        self.setWindowTitle(title)
        set_text(self.title, title)
        set_text(self.body, body)
        set_text(self.until, stopped_line(self.status) or translate("Companion", "Screen time is over for today."))
        set_text(self.pin_label, translate("Companion", "Parent's &PIN:"))
        self.pin.setAccessibleName(translate("Companion", "Parent's PIN"))
        set_text(self.unlock_button, translate("Companion", "&Unlock"))
        set_text(self.ask_button, translate("Companion", "&Ask for more time"))
        set_text(self.help, hotline())

    def update_status(self, status: dict[str, Any]) -> None:
        self.status = dict(status)
        set_text(self.until, stopped_line(self.status) or translate("Companion", "Screen time is over for today."))

    def unlock(self) -> None:
        pin = self.pin.text()
        self.pin.clear()
        try:
            self.lifter.lift_cover(pin)
        except ServiceRefused as exc:
            text = translate("Companion", "Too many tries. Wait a little, then try again.") \
                if "too many" in exc.message else translate("Companion", "That PIN is not right.")
            set_text(self.result, text)
            self.result.setVisible(True)
            return
        except ServiceUnavailable:
            set_text(self.result, translate("Companion", "Sprout is not answering right now. Try again in a "
                                                         "moment."))
            self.result.setVisible(True)
            return
        self.lifted.emit()
        self.lift()

    def lift(self) -> None:
        self._may_close = True
        self.close()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._may_close:  # Alt+F4 and the like: only time or the PIN lift the cover
            event.ignore()
            return
        super().closeEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            return
        super().keyPressEvent(event)
