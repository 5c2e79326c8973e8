"""Small pieces every companion window shares: the page background, labelled buttons, re-wording on language
change, and turning a service failure into words a child understands."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QLabel, QPushButton, QWidget

from agent.companion.ipc_client import ServiceRefused, ServiceUnavailable
from agent.companion.wording import hotline


class Page(QWidget):
    """A companion window: pale green page, re-worded whenever the language changes."""

    def __init__(self, parent: QWidget | None = None, flags: Qt.WindowType = Qt.WindowType.Window) -> None:
        super().__init__(parent, flags)
        self.setObjectName("companionPage")
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)

    def retranslate(self) -> None:  # pragma: no cover - each window words itself
        raise NotImplementedError

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self.retranslate()
        super().changeEvent(event)


def button(parent: QWidget, primary: bool = False) -> QPushButton:
    b = QPushButton(parent)
    b.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    b.setAutoDefault(False)
    if primary:
        b.setObjectName("primary")
    return b


def set_text(widget: QPushButton | QLabel, text: str, accessible: str | None = None) -> None:
    """Visible text and the screen reader's name together, so neither is ever forgotten."""
    widget.setText(text)
    widget.setAccessibleName(accessible or text.replace("&", ""))


def help_label(parent: QWidget) -> QLabel:
    lab = QLabel(parent)
    lab.setObjectName("help")
    lab.setWordWrap(True)
    lab.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByKeyboard
                                | Qt.TextInteractionFlag.TextSelectableByMouse)
    set_text(lab, hotline())
    return lab


def failure_text(exc: Exception) -> str:
    if isinstance(exc, ServiceUnavailable):
        return QCoreApplication.translate("Companion", "Sprout is not answering right now. Try again in a moment.")
    if isinstance(exc, ServiceRefused) and exc.code == "rejected":
        return QCoreApplication.translate("Companion", "This could not be sent: {reason}").format(reason=exc.message)
    return QCoreApplication.translate("Companion", "This could not be sent. Try again in a moment.")
