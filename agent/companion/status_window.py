"""Time left today, in two forms: a tray icon (tooltip + menu) where the desktop has a system tray, and a small
always-on-top window where it has none (some Linux desktops, kiosk sessions, offscreen)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QSystemTrayIcon,
    QVBoxLayout,
    QWidget,
)

from agent.companion.common import Page, button, help_label, set_text
from agent.companion.look import BrandImage, show_logo_or_sprout, sprout_icon, sprout_pixmap
from agent.companion.wording import greeting, hotline, time_left_line

# A bare name, so pyside6-lupdate finds every string (it does not follow other aliases).
translate = QCoreApplication.translate

LOGO_HEIGHT = 48  # the size of the sprout picture it stands in for


def connection_line(connected: bool) -> str:
    if connected:
        return ""
    # True to the letter: while the service is down nothing is counted, and a long gap reaches the parents.
    return translate("Companion", "Sprout is not answering just now. If it stays off, your parents will be told.")


def stopped_line(status: dict[str, Any]) -> str:
    if not status.get("locked_reason"):
        return ""
    if status.get("locked_reason") == "parent_lock":  # the parent's "lock now" (agent.service.controls)
        until = (status.get("parent_lock") or {}).get("until_text")
        return (translate("Companion", "Your parents paused the computer until {time}.").format(time=until) if until
                else translate("Companion", "Your parents paused the computer until they open it again."))
    if status.get("next_window"):
        return translate("Companion", "Screen time is over for now. Next time starts at {time}."
                                          ).format(time=status["next_window"])
    return translate("Companion", "Screen time is over for today.")


def product_name(status: dict[str, Any] | None) -> str:
    """Sprout's name, or the device maker's brand when its oem.toml set one."""
    brand = (status or {}).get("brand")
    return str(brand) if brand else translate("Companion", "Sprout")


def tooltip_text(status: dict[str, Any] | None, connected: bool) -> str:
    lines = [product_name(status)]
    if status:
        lines.append(time_left_line("screen", status.get("screen_left_s")))
        lines.append(time_left_line("games", status.get("games_left_s")))
    extra = connection_line(connected)
    if extra:
        lines.append(extra)
    return "\n".join(lines)


def _progress(bar: QProgressBar, used: int | None, left: int | None) -> None:
    if left is None:
        bar.setVisible(False)
        return
    total = max(1, int(used or 0) + int(left))
    bar.setRange(0, total)
    bar.setValue(int(left))
    bar.setVisible(True)


class StatusWindow(Page):
    """The no-tray form: small, on top, out of the way; every action reachable by keyboard."""

    ask_time = Signal()
    show_privacy = Signal()
    report_harmful = Signal()
    show_skills = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.status: dict[str, Any] = {}
        self.connected = False
        self.setMinimumWidth(360)
        self.pic = QLabel(self)
        self.pic.setPixmap(sprout_pixmap(48))
        # The device maker's logo takes the sprout's place when there is one (set_logo); hidden until then.
        self.logo = QLabel(self)
        self.logo.setVisible(False)
        self.brand_image: BrandImage | None = None
        self.brand_line = QLabel(self, objectName="brand", wordWrap=True)
        self.brand_line.setVisible(False)
        self.hello = QLabel(self, objectName="title", wordWrap=True)
        self.screen_line = QLabel(self, objectName="body", wordWrap=True)
        self.screen_bar = QProgressBar(self, textVisible=False)
        self.games_line = QLabel(self, objectName="body", wordWrap=True)
        self.games_bar = QProgressBar(self, textVisible=False)
        self.note = QLabel(self, objectName="ask", wordWrap=True)
        self.help = help_label(self)
        self.ask_button = button(self, primary=True)
        self.privacy_button = button(self)
        self.report_button = button(self)
        self.skills_button = button(self)
        self.skills_button.clicked.connect(self.show_skills.emit)
        self.ask_button.clicked.connect(self.ask_time.emit)
        self.privacy_button.clicked.connect(self.show_privacy.emit)
        self.report_button.clicked.connect(self.report_harmful.emit)

        head = QHBoxLayout()
        head.addWidget(self.pic)
        head.addWidget(self.logo)
        words = QVBoxLayout()
        words.addWidget(self.brand_line)
        words.addWidget(self.hello)
        head.addLayout(words, 1)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(14, 14, 14, 12)
        outer.addLayout(head)
        for w in (self.screen_line, self.screen_bar, self.games_line, self.games_bar, self.note):
            outer.addWidget(w)
        for b in (self.ask_button, self.privacy_button, self.report_button, self.skills_button):
            outer.addWidget(b)
        outer.addWidget(self.help)
        QWidget.setTabOrder(self.ask_button, self.privacy_button)
        QWidget.setTabOrder(self.privacy_button, self.report_button)
        QWidget.setTabOrder(self.report_button, self.skills_button)
        self.retranslate()

    def update_status(self, status: dict[str, Any] | None, connected: bool) -> None:
        self.status = dict(status or {})
        self.connected = connected
        self.retranslate()
        self.fit_words()

    def fit_words(self) -> None:
        """A line that appears later ("screen time is over for now", "Sprout is not answering") makes the window
        taller at its width, instead of squeezing the hotline under it out of sight."""
        layout = self.layout()
        need = layout.totalHeightForWidth(self.width()) if layout.hasHeightForWidth() else -1
        need = max(need, layout.totalMinimumSize().height())
        if need > self.height():
            self.resize(self.width(), need)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.fit_words()

    def set_logo(self, logo: BrandImage | None) -> None:
        """Show the device maker's logo instead of the sprout, or Sprout's own look again with None."""
        if logo is self.brand_image:
            return
        self.brand_image = logo
        show_logo_or_sprout(self.logo, self.pic, logo, LOGO_HEIGHT)

    def retranslate(self) -> None:
        st = self.status
        self.setWindowTitle(product_name(st))
        brand = str(st.get("brand") or "")
        set_text(self.brand_line, brand)  # a name, never translated
        self.brand_line.setVisible(bool(brand))
        self.logo.setAccessibleName(product_name(st))
        set_text(self.hello, greeting(str(st.get("child_name") or ""), st.get("age_band")))
        self.screen_line.setVisible(bool(st))
        self.games_line.setVisible(bool(st))
        if st:
            set_text(self.screen_line, time_left_line("screen", st.get("screen_left_s")))
            set_text(self.games_line, time_left_line("games", st.get("games_left_s")))
            _progress(self.screen_bar, st.get("screen_used_s"), st.get("screen_left_s"))
            _progress(self.games_bar, st.get("games_used_s"), st.get("games_left_s"))
            self.screen_bar.setAccessibleName(self.screen_line.text())
            self.games_bar.setAccessibleName(self.games_line.text())
        else:
            self.screen_bar.setVisible(False)
            self.games_bar.setVisible(False)
        note = connection_line(self.connected) or stopped_line(st)
        set_text(self.note, note)
        self.note.setVisible(bool(note))
        set_text(self.ask_button, translate("Companion", "&Ask for more time"))
        set_text(self.privacy_button, translate("Privacy", "&What my parents can see"))
        set_text(self.report_button, translate("Companion", "&Report something harmful"))
        set_text(self.skills_button, translate("Skills", "&Digital skills"))
        set_text(self.help, hotline())


class TrayPresence:
    """The tray form: the sprout icon, a tooltip with time left, and a menu with the same actions."""

    def __init__(self, on_ask: Any, on_privacy: Any, on_report: Any, on_skills: Any = None) -> None:
        self.icon = QSystemTrayIcon(sprout_icon())
        self.menu = QMenu()
        self.screen_action = QAction(self.menu)
        self.games_action = QAction(self.menu)
        for a in (self.screen_action, self.games_action):
            a.setEnabled(False)  # information, not a command
            self.menu.addAction(a)
        self.menu.addSeparator()
        self.ask_action = self.menu.addAction("")
        self.privacy_action = self.menu.addAction("")
        self.report_action = self.menu.addAction("")
        self.skills_action = self.menu.addAction("")
        self.skills_action.setVisible(on_skills is not None)
        if on_skills is not None:
            self.skills_action.triggered.connect(on_skills)
        self.menu.addSeparator()
        self.help_action = self.menu.addAction("")
        self.help_action.setEnabled(False)
        self.ask_action.triggered.connect(on_ask)
        self.privacy_action.triggered.connect(on_privacy)
        self.report_action.triggered.connect(on_report)
        self.icon.setContextMenu(self.menu)
        self.icon.activated.connect(self._activated)
        self.status: dict[str, Any] = {}
        self.connected = False
        self.retranslate()

    def _activated(self, reason: QSystemTrayIcon.ActivationReason) -> None:
        if reason == QSystemTrayIcon.ActivationReason.Trigger:  # a left click shows the same menu
            self.menu.popup(self.icon.geometry().center())

    def show(self) -> None:
        self.icon.show()

    def hide(self) -> None:
        self.icon.hide()

    def update_status(self, status: dict[str, Any] | None, connected: bool) -> None:
        self.status = dict(status or {})
        self.connected = connected
        self.retranslate()

    def retranslate(self) -> None:
        self.icon.setToolTip(tooltip_text(self.status, self.connected))
        self.screen_action.setText(time_left_line("screen", self.status.get("screen_left_s"))
                                   if self.status else connection_line(False))
        self.games_action.setText(time_left_line("games", self.status.get("games_left_s")) if self.status else "")
        self.games_action.setVisible(bool(self.status))
        self.ask_action.setText(translate("Companion", "&Ask for more time"))
        self.privacy_action.setText(translate("Privacy", "&What my parents can see"))
        self.report_action.setText(translate("Companion", "&Report something harmful"))
        self.skills_action.setText(translate("Skills", "&Digital skills"))
        self.help_action.setText(hotline())

