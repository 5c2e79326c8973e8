"""Telling the parent about a new time request: a tray notification when the desktop has a tray, else (offscreen,
a bare Xvfb, some Wayland desktops) a small always-on-top notice window. Both paths are real and tested."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSystemTrayIcon, QVBoxLayout, QWidget

from agent.resources import resource_path


def app_icon() -> QIcon:
    return QIcon(str(resource_path("icons", "sprout.svg")))


class NoticeWindow(QWidget):
    open_console = Signal()

    def __init__(self, text: str, title: str = "") -> None:
        super().__init__(None, Qt.WindowType.Tool | Qt.WindowType.WindowStaysOnTopHint)
        self.setWindowTitle(title or self.tr("Sprout: a request"))
        self.setAccessibleName(self.tr("New request notice"))
        self.label = QLabel(text)
        self.label.setWordWrap(True)
        show = QPushButton(self.tr("Answer"))
        show.setAccessibleName(self.tr("Open the console to answer"))
        show.clicked.connect(lambda: (self.open_console.emit(), self.close()))
        later = QPushButton(self.tr("Later"))
        later.setAccessibleName(later.text())
        later.clicked.connect(self.close)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(later)
        row.addWidget(show)
        lay = QVBoxLayout(self)
        lay.addWidget(self.label)
        lay.addLayout(row)
        self.setMinimumWidth(340)


class Notifier(QWidget):
    """Owns the tray icon (if any) and shows request notices; `last_path` says which path was used."""

    open_console = Signal()

    def __init__(self, *, tray: bool | None = None) -> None:
        """tray: None = use one when the desktop has a tray; True/False forces the choice (tests, no-tray setups)."""
        super().__init__()
        self.tray: QSystemTrayIcon | None = None
        self.notices: list[NoticeWindow] = []
        self.by_key: dict[str, NoticeWindow] = {}
        self.last_path = ""
        if tray if tray is not None else QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(app_icon(), self)
            self.tray.setToolTip(self.tr("Sprout parent console"))
            self.tray.activated.connect(lambda _r: self.open_console.emit())
            self.tray.messageClicked.connect(self.open_console.emit)
            self.tray.show()

    def request_text(self, item: dict[str, Any], who: str) -> str:
        p = item.get("payload") or {}
        return self.tr("%1 asks for %2 more minutes").replace("%1", who).replace("%2", str(p.get("minutes")))

    def harmful_text(self, item: dict[str, Any], who: str) -> str:
        p = item.get("payload") or {}
        return self.tr("%1 reported something harmful: “%2”").replace("%1", who).replace("%2", str(p.get("what")))

    def notify(self, text: str, key: str | None = None, title: str = "") -> str:
        """Show a notice; `key` (a request id) lets dismiss() close it once the request is answered."""
        title = title or self.tr("Sprout: a request")
        if self.tray is not None and self.tray.supportsMessages():
            self.tray.showMessage(title, text, app_icon(), 15_000)
            self.last_path = "tray"
        else:
            w = NoticeWindow(text, title)
            w.open_console.connect(self.open_console.emit)
            self.notices = [n for n in self.notices if n.isVisible()] + [w]
            # one below the other, not on top of each other
            w.adjustSize()
            screen = w.screen().availableGeometry()
            offset = sum(n.frameGeometry().height() + 8 for n in self.notices[:-1])
            w.move(screen.right() - w.width() - 16, screen.top() + 16 + offset)
            w.show()
            if key:
                self.by_key[key] = w
            self.last_path = "window"
        return self.last_path

    def dismiss(self, keys: list[str]) -> None:
        """Close the notices of requests that are answered (here, on another console, or from the phone)."""
        for key in keys:
            w = self.by_key.pop(key, None)
            if w is not None:
                w.close()
        self.notices = [n for n in self.notices if n.isVisible()]
