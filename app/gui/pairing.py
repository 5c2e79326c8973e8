"""Pairing a child's PC and adding a child, shared by the first-run wizard and Settings: the wizard's "you can pair
one later in Settings" has to be true, and a console opened without a child must still offer a way to add one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agent.policy import age_band, age_from_birth_year
from app.gui.session import Session
from app.gui.worker import error_text, run_async
from app.store import ConsoleStoreError

CODE_RE = re.compile(r"^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$")


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class PairForm(QWidget):
    """Address + code + Pair; pairs the PC to the child `child_id()` names, then sends that child's rules."""

    paired = Signal(dict)  # the device, once its rules are applied

    def __init__(self, session: Session, child_id: Callable[[], str], *,
                 discover: Callable[[], list[tuple[str, str]]] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.child_id = child_id
        self.discover = discover
        self.device: dict[str, Any] | None = None
        self.applied = False
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.found = QComboBox()
        self.found.setEditable(True)
        self.found.setAccessibleName(self.tr("Child's PC address"))
        self.found.lineEdit().setPlaceholderText(self.tr("found on your network, or HOST:PORT"))
        self.search_btn = QPushButton(self.tr("Search the network"))
        self.search_btn.setAccessibleName(self.search_btn.text())
        self.search_btn.clicked.connect(self.search)
        self.code = QLineEdit()
        self.code.setAccessibleName(self.tr("Pairing code"))
        self.code.setPlaceholderText("ABCD-1234")
        self.pair_btn = QPushButton(self.tr("Pair"))
        self.pair_btn.setAccessibleName(self.tr("Pair with this PC"))
        self.pair_btn.clicked.connect(self.pair)
        self.busy = QProgressBar()
        self.busy.setRange(0, 0)
        self.busy.hide()
        self.result = QLabel()
        self.result.setWordWrap(True)
        form.addRow(self.tr("PC"), self.found)
        form.addRow("", self.search_btn)
        form.addRow(self.tr("Code"), self.code)
        form.addRow("", self.pair_btn)
        form.addRow(self.busy)
        form.addRow(self.result)
        if discover is None:
            self.search_btn.hide()

    def search(self) -> None:
        if self.discover is None:
            return
        self.search_btn.setEnabled(False)
        run_async(self.discover, self._found, lambda _e: self.search_btn.setEnabled(True))

    def _found(self, hosts: list[tuple[str, str]]) -> None:
        self.search_btn.setEnabled(True)
        typed = self.found.currentText()
        self.found.clear()
        for name, host in hosts:
            self.found.addItem(f"{name} ({host})", host)
        self.found.setEditText(typed or (hosts[0][1] if hosts else ""))

    def host(self) -> str:
        text = self.found.currentText().strip()
        idx = self.found.findText(text)
        return str(self.found.itemData(idx)) if idx >= 0 and self.found.itemData(idx) else text

    def pair(self) -> None:
        host, code, kid = self.host(), self.code.text().strip().upper(), self.child_id()
        self.result.setStyleSheet("")
        if not kid:
            self.result.setText(self.tr("Add a child first: the PC follows that child's rules."))
            return
        if not host:
            self.result.setText(self.tr("Choose the child's PC or type its address (HOST:PORT)."))
            return
        if not CODE_RE.match(code):
            self.result.setText(self.tr("The code has 8 letters or digits, like ABCD-1234."))
            return
        self.pair_btn.setEnabled(False)
        self.busy.show()
        self.result.setText(self.tr("Pairing…"))
        run_async(lambda: self.session.pair(host, code, kid), lambda d: self._paired(d, kid), self._failed)

    def _paired(self, device: dict[str, Any], kid: str) -> None:
        self.device = device
        self.result.setStyleSheet("color: #1b7a32;")
        self.result.setText(self.tr("Paired with %1 — device ID %2. Sending the rules…").replace(
            "%1", device["name"]).replace("%2", device["display_id"]))
        run_async(lambda: self.session.push_policy(kid, self.session.policy(kid)), self._pushed, self._failed)

    def _pushed(self, _applied: list[Any]) -> None:
        self.busy.hide()
        self.pair_btn.setEnabled(True)
        self.applied = True
        self.result.setText(self.result.text().replace(self.tr("Sending the rules…"), "") +
                            self.tr("Rules applied on the PC."))
        self.paired.emit(self.device or {})

    def _failed(self, exc: Exception) -> None:
        self.busy.hide()
        self.pair_btn.setEnabled(True)
        self.result.setStyleSheet("color: #b00020;")
        self.result.setText(self.tr("Not paired: %1").replace("%1", error_text(exc)))


class ChildForm(QWidget):
    """Name, birth year (→ age band) and the Vietnam game-time rule; `save()` adds the child."""

    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.name = QLineEdit()
        self.name.setAccessibleName(self.tr("Child's name"))
        this_year = dt.date.today().year
        self.year = QSpinBox()
        self.year.setRange(this_year - 17, this_year)
        self.year.setValue(this_year - 10)
        self.year.setAccessibleName(self.tr("Birth year"))
        self.band = QLabel()
        self.vn = QCheckBox(self.tr("Vietnam game-time rule"))
        self.vn.setChecked(True)
        self.vn.setAccessibleName(self.tr("Vietnam game-time rule"))
        vn_why = QLabel(self.tr("Decree 147/2024: at most 60 minutes per game and 180 minutes of games a day for "
                                "under-18s."))
        vn_why.setWordWrap(True)
        self.vn.setAccessibleDescription(vn_why.text())
        form.addRow(self.tr("Name"), self.name)
        form.addRow(self.tr("Birth year"), self.year)
        form.addRow("", self.band)
        form.addRow(self.vn)
        form.addRow(vn_why)
        self.error = error_label()
        form.addRow("", self.error)
        self.year.valueChanged.connect(self._band)
        self._band()

    def _band(self) -> None:
        age = age_from_birth_year(self.year.value(), dt.date.today())
        self.band.setText(self.tr("Age %1: rules for ages %2").replace("%1", str(age)).replace(
            "%2", age_band(max(0, min(17, age)))))

    def save(self) -> str | None:
        """The new child's id, or None with the reason shown beside the fields."""
        try:
            kid = self.session.add_child(self.name.text(), self.year.value(), self.vn.isChecked())
        except ConsoleStoreError:
            self.error.setText(self.tr("Please type a name (1 to 40 characters)."))
            return None
        self.error.clear()
        return kid.id


class AddChildDialog(QDialog):
    def __init__(self, session: Session, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Add a child"))
        self.child_id: str | None = None
        self.form = ChildForm(session)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self._ok)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(self.form)
        lay.addWidget(buttons)
        self.setMinimumWidth(480)

    def _ok(self) -> None:
        self.child_id = self.form.save()
        if self.child_id:
            self.accept()


class PairDialog(QDialog):
    """Settings → "Pair a PC…": which child the PC belongs to, then the same form as the wizard's."""

    def __init__(self, session: Session, parent: QWidget | None = None, *,
                 discover: Callable[[], list[tuple[str, str]]] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Pair a PC"))
        lay = QVBoxLayout(self)
        intro = QLabel(self.tr("On the child's PC, Sprout shows a code like ABCD-1234. Choose the child, then the "
                               "PC, and type the code."))
        intro.setWordWrap(True)
        lay.addWidget(intro)
        row = QFormLayout()
        self.child = QComboBox()
        self.child.setAccessibleName(self.tr("Whose PC"))
        for kid in session.store.children():
            self.child.addItem(kid.name, kid.id)
        row.addRow(self.tr("Child"), self.child)
        lay.addLayout(row)
        self.form = PairForm(session, lambda: str(self.child.currentData() or ""), discover=discover)
        lay.addWidget(self.form)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)  # stays open after pairing so "Rules applied" can be read
        lay.addWidget(buttons)
        self.setMinimumWidth(520)


def discover(timeout_s: float = 2.0) -> list[tuple[str, str]]:
    """(name, HOST:PORT) of Sprout agents announcing themselves on the LAN (app.discovery); [] if none answer."""
    from app.discovery import browse

    return [(a.name, a.address) for a in browse(timeout_s)]
