"""Small pieces every companion window shares: the page background, labelled buttons, re-wording on language
change, and turning a service failure into words a child understands."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, Qt
from PySide6.QtWidgets import QFormLayout, QHBoxLayout, QLabel, QLayout, QPushButton, QVBoxLayout, QWidget

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


def fit_height(window: QWidget) -> None:
    """Give a window the height its wrapped words need at its width. Qt sizes a new top-level window to at most
    two thirds of the screen and its minimum ignores word wrap, so a long Vietnamese list was squeezed (pictures cut,
    lines hidden) on a 768-pixel laptop screen; up to the screen's free height it now grows instead."""
    layout = window.layout()
    if layout is None or not layout.hasHeightForWidth():
        return
    need = layout.totalHeightForWidth(window.width())
    screen = window.screen()
    room = screen.availableGeometry().height() - 40 if screen is not None else need  # 40: the title bar
    height = min(need, room)
    if height > window.height():
        window.resize(window.width(), height)


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
        # the service's reasons are English (for logs): the child reads them in the companion's language
        if "already waiting" in exc.message:
            return QCoreApplication.translate("Companion", "Five requests are already waiting for your parents. "
                                                           "Wait for their answer first.")
        if "minutes must be" in exc.message:
            return QCoreApplication.translate("Companion", "Ask for 5 to 240 minutes.")
        return QCoreApplication.translate("Companion", "This could not be sent. Try again in a moment.")
    return QCoreApplication.translate("Companion", "This could not be sent. Try again in a moment.")


def lay_out_form_page(page: QWidget, pic: QLabel, title: QLabel, intro: QLabel, form: QFormLayout,
                      result: QLabel, help_text: QLabel, close: QPushButton, send: QPushButton) -> None:
    """The shape every "send something to the service" window shares: picture and heading, the form, the answer,
    the hotline, then Close and Send on the right."""
    head = QHBoxLayout()
    head.addWidget(pic)
    heading = QVBoxLayout()
    heading.addWidget(title)
    heading.addWidget(intro)
    head.addLayout(heading, 1)
    buttons = QHBoxLayout()
    buttons.addStretch(1)
    buttons.addWidget(close)
    buttons.addWidget(send)
    outer = QVBoxLayout(page)
    outer.setContentsMargins(16, 16, 16, 14)
    # The window never gets smaller than its words: an answer shown after a send grows it instead of
    # squeezing the intro into a clipped strip.
    outer.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
    outer.addLayout(head)
    outer.addLayout(form)
    outer.addWidget(result)
    outer.addWidget(help_text)
    outer.addLayout(buttons)


class FormPage(Page):
    """A window that sends something to the service (lay_out_form_page's shape): under its form the answer, the
    hotline, and Close and Send, worded and shown the same way in every such window."""

    result: QLabel
    help: QLabel
    send_button: QPushButton
    close_button: QPushButton

    def send(self) -> None:  # pragma: no cover - each window sends its own thing
        raise NotImplementedError

    def add_answer_and_buttons(self) -> None:
        """Called after the form's own fields are made, so that these follow them in the focus chain."""
        self.result = QLabel(self, objectName="ask", wordWrap=True)
        self.result.setVisible(False)
        self.help = help_label(self)
        self.send_button = button(self, primary=True)
        self.close_button = button(self)
        self.send_button.clicked.connect(self.send)
        self.close_button.clicked.connect(self.close)

    def word_answer_and_buttons(self) -> None:
        set_text(self.send_button, QCoreApplication.translate("Companion", "&Send to my parents"))
        set_text(self.close_button, QCoreApplication.translate("Companion", "&Close"))
        set_text(self.help, hotline())

    def show_answer(self, text: str) -> None:
        """The service's answer, or why there is none."""
        set_text(self.result, text)
        self.result.setVisible(True)
        self.adjustSize()  # room for the answer: the words above keep their lines
