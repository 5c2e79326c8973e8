"""First run in one short wizard: language, parent PIN, a child (birth year → age preset, Vietnam game rule), pair
a PC (devices found on the LAN, or HOST:PORT typed), done. The pairing runs in a worker with a busy bar."""

from __future__ import annotations

import datetime as dt
import re
import socket
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from agent.policy import age_band, age_from_birth_year
from app.gui import i18n
from app.gui.session import Session
from app.gui.worker import error_text, run_async
from app.store import ConsoleStoreError, check_pin_format

CODE_RE = re.compile(r"^[0-9A-Za-z]{4}-?[0-9A-Za-z]{4}$")


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #b00020;")
    label.setWordWrap(True)
    return label


class LanguagePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.w = wizard
        self.retitle()
        lay = QVBoxLayout(self)
        self.vi = QRadioButton("Tiếng Việt")
        self.en = QRadioButton("English")
        for b in (self.vi, self.en):
            b.setAccessibleName(b.text())
            lay.addWidget(b)
        (self.vi if i18n.current() == "vi" else self.en).setChecked(True)
        self.vi.toggled.connect(self._changed)

    def retitle(self) -> None:
        self.setTitle(self.tr("Welcome to Sprout"))
        self.setSubTitle(self.tr("Choose the console's language. You can change it later in Settings."))

    def _changed(self) -> None:
        lang = "vi" if self.vi.isChecked() else "en"
        if lang != i18n.current():
            i18n.switch(lang)
            self.w.retranslate()

    def validatePage(self) -> bool:
        self.w.session.store.set_language("vi" if self.vi.isChecked() else "en")
        return True


class PinPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("A PIN for parents"))
        self.setSubTitle(self.tr("4 to 12 digits. It protects the settings and lets you unlock the child's PC "
                                 "when you are there."))
        form = QFormLayout(self)
        self.pin = QLineEdit()
        self.pin.setEchoMode(QLineEdit.EchoMode.Password)
        self.pin.setAccessibleName(self.tr("Parent PIN"))
        self.again = QLineEdit()
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        self.again.setAccessibleName(self.tr("Parent PIN again"))
        form.addRow(self.tr("PIN"), self.pin)
        form.addRow(self.tr("PIN again"), self.again)
        self.error = _error_label()
        form.addRow("", self.error)

    def validatePage(self) -> bool:
        pin = self.pin.text()
        try:
            check_pin_format(pin)
        except ConsoleStoreError:
            self.error.setText(self.tr("The PIN must be 4 to 12 digits."))
            return False
        if pin != self.again.text():
            self.error.setText(self.tr("The two PINs are not the same."))
            return False
        store = self.w.session.store
        if store.has_pin():  # wizard re-run after a crash: keep the PIN the parent already set
            self.error.clear()
            return True
        store.set_pin(pin)
        self.error.clear()
        return True


class ChildPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Your child"))
        self.setSubTitle(self.tr("The birth year chooses sensible starting rules for the age; you can change every "
                                 "rule later."))
        form = QFormLayout(self)
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
        self.error = _error_label()
        form.addRow("", self.error)
        self.year.valueChanged.connect(self._band)
        self._band()

    def _band(self) -> None:
        age = age_from_birth_year(self.year.value(), dt.date.today())
        self.band.setText(self.tr("Age %1: rules for ages %2").replace("%1", str(age)).replace(
            "%2", age_band(max(0, min(17, age)))))

    def validatePage(self) -> bool:
        try:
            kid = self.w.session.add_child(self.name.text(), self.year.value(), self.vn.isChecked())
        except ConsoleStoreError as exc:
            self.error.setText(str(exc) if "name" not in str(exc) else self.tr("Please type a name "
                                                                                  "(1 to 40 characters)."))
            return False
        self.w.child_id = kid.id
        self.error.clear()
        return True


class PairPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.w = wizard
        self.paired: dict[str, Any] | None = None
        self.setTitle(self.tr("Pair the child's PC"))
        self.setSubTitle(self.tr("On the child's PC, Sprout shows a code like ABCD-1234. Choose the PC and type "
                                 "the code."))
        form = QFormLayout(self)
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
        skip = QLabel(self.tr("No PC at hand? Press Next: you can pair one later in Settings."))
        skip.setWordWrap(True)
        form.addRow(skip)
        if wizard.lan_search:
            QTimer.singleShot(0, self.search)
        else:
            self.search_btn.hide()

    def search(self) -> None:
        self.search_btn.setEnabled(False)
        run_async(discover, self._found, lambda _e: self.search_btn.setEnabled(True))

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
        host, code = self.host(), self.code.text().strip().upper()
        if not host:
            self.result.setText(self.tr("Choose the child's PC or type its address (HOST:PORT)."))
            return
        if not CODE_RE.match(code):
            self.result.setText(self.tr("The code has 8 letters or digits, like ABCD-1234."))
            return
        self.pair_btn.setEnabled(False)
        self.busy.show()
        self.result.setText(self.tr("Pairing…"))
        run_async(lambda: self.w.session.pair(host, code, self.w.child_id), self._paired, self._failed)

    def _paired(self, device: dict[str, Any]) -> None:
        self.busy.hide()
        self.paired = device
        self.result.setStyleSheet("color: #1b7a32;")
        self.result.setText(self.tr("Paired with %1 — device ID %2. Sending the rules…").replace(
            "%1", device["name"]).replace("%2", device["display_id"]))
        kid = self.w.child_id
        run_async(lambda: self.w.session.push_policy(kid, self.w.session.policy(kid)), self._pushed, self._failed)

    def _pushed(self, applied: list[Any]) -> None:
        self.pair_btn.setEnabled(True)
        self.result.setText(self.result.text().replace(self.tr("Sending the rules…"), "") +
                            self.tr("Rules applied on the PC."))
        self.completeChanged.emit()

    def _failed(self, exc: Exception) -> None:
        self.busy.hide()
        self.pair_btn.setEnabled(True)
        self.result.setStyleSheet("color: #b00020;")
        self.result.setText(self.tr("Not paired: %1").replace("%1", error_text(exc)))


class DonePage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.setTitle(self.tr("All set"))
        label = QLabel(self.tr("Sprout now looks after your child's PC. The overview shows today's time, and "
                               "requests for more time appear there and as a notification."))
        label.setWordWrap(True)
        QVBoxLayout(self).addWidget(label)


class FirstRunWizard(QWizard):
    def __init__(self, session: Session, parent: QWidget | None = None, *, lan_search: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        self.lan_search = lan_search  # mDNS goes to the whole LAN: off in tests and screenshots
        self.child_id = ""
        self.setWindowTitle(self.tr("Sprout — first run"))
        self.setMinimumSize(640, 460)
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.pages = [LanguagePage(self), PinPage(self), ChildPage(self), PairPage(self), DonePage(self)]
        for page in self.pages:
            self.addPage(page)
        self._button_texts()

    def retranslate(self) -> None:
        """Rebuild the pages not yet shown in the new language (only the first page can switch it)."""
        self.setWindowTitle(self.tr("Sprout — first run"))
        for pid in self.pageIds()[1:]:
            self.removePage(pid)
        self.pages = [*self.pages[:1], PinPage(self), ChildPage(self), PairPage(self), DonePage(self)]
        for page in self.pages[1:]:
            self.addPage(page)
        self.pages[0].retitle()
        self._button_texts()

    def _button_texts(self) -> None:
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.BackButton,
                      QWizard.WizardButton.CancelButton, QWizard.WizardButton.FinishButton):
            self.setButtonText(which, {QWizard.WizardButton.NextButton: self.tr("Next >"),
                                       QWizard.WizardButton.BackButton: self.tr("< Back"),
                                       QWizard.WizardButton.CancelButton: self.tr("Cancel"),
                                       QWizard.WizardButton.FinishButton: self.tr("Finish")}[which])


def discover(timeout_s: float = 2.0) -> list[tuple[str, str]]:
    """(name, HOST:PORT) of Sprout agents announcing _sprout._tcp on the LAN (zeroconf); [] if none answer."""
    import time

    from zeroconf import ServiceBrowser, Zeroconf

    found: dict[str, tuple[str, str]] = {}

    class Listener:
        def add_service(self, zc: Zeroconf, type_: str, name: str) -> None:
            info = zc.get_service_info(type_, name, timeout=1000)
            if info and info.addresses:
                found[name] = (name.split("._sprout")[0], f"{socket.inet_ntoa(info.addresses[0])}:{info.port}")

        def update_service(self, *a: Any) -> None:
            pass

        def remove_service(self, *a: Any) -> None:
            pass

    try:
        zc = Zeroconf()
    except OSError:
        return []
    try:
        ServiceBrowser(zc, "_sprout._tcp.local.", Listener())
        time.sleep(timeout_s)
    finally:
        zc.close()
    return sorted(found.values())
