"""A new program went full screen on the child's PC: one card with a one-tap "count it as a game"."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui.session import Session
from app.gui.worker import error_text, run_async


class NewAppCard(QFrame):
    def __init__(self, session: Session, item: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.item = item
        self.busy = False
        p = item.get("payload") or {}
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("NewAppCard { background: #eef6ee; border: 1px solid #4c8c4a; border-radius: 6px; }")
        pc = session.store.device_label(item.get("device_id", ""), str(item.get("device_id", ""))[:7])
        minutes = str(max(1, round((p.get("seconds") or 0) / 60)))
        lay = QVBoxLayout(self)
        self.title = QLabel(self.tr("A new program, %1, was full screen on %2 for %3 minutes. Is it a game?")
                            .replace("%1", str(p.get("name") or p.get("app") or "?")).replace("%2", pc)
                            .replace("%3", minutes))
        self.title.setWordWrap(True)
        self.title.setStyleSheet("font-weight: bold;")
        lay.addWidget(self.title)
        self.hint = QLabel(self.tr("Counting it as a game gives it game time and the game limits, whatever it is "
                                   "renamed to or wherever it is moved."))
        self.hint.setWordWrap(True)
        lay.addWidget(self.hint)
        row = QHBoxLayout()
        self.count_btn = QPushButton(self.tr("Count it as a game"))
        self.count_btn.clicked.connect(self.count)
        row.addWidget(self.count_btn)
        row.addStretch(1)
        lay.addLayout(row)
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.hide()
        lay.addWidget(self.result)
        self.setAccessibleName(self.title.text())
        if session.is_counted_as_game(item.get("device_id", ""), p):
            self._show_counted()

    def count(self) -> None:
        if self.busy:
            return
        self.busy = True
        self.count_btn.setEnabled(False)
        self.result.setText(self.tr("Saving…"))
        self.result.show()
        self._relayout()
        run_async(lambda: self.session.count_as_game(self.item["device_id"], self.item.get("payload") or {}),
                  lambda _done: self._done(), self._failed)

    def _done(self) -> None:
        self.busy = False
        self._show_counted()

    def _show_counted(self) -> None:
        self.count_btn.setEnabled(False)
        self.count_btn.setText(self.tr("Counted as a game"))
        self.result.setText(self.tr("Done: it now uses game time and closes at the game limits."))
        self.result.show()
        self._relayout()

    def _relayout(self) -> None:
        """A line was added: ask the page for the height it needs now (wrapped labels do not ask by themselves)."""
        self.result.updateGeometry()
        self.updateGeometry()
        parent = self.parentWidget()
        if parent is not None and parent.layout() is not None:
            parent.layout().invalidate()

    def _failed(self, exc: Exception) -> None:
        self.busy = False
        self.count_btn.setEnabled(True)
        self.result.setText(self.tr("Not saved: %1").replace("%1", error_text(exc)))
        self.result.show()
        self._relayout()
