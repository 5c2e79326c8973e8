"""First run in one short wizard: language, parent PIN, a child (birth year → age preset, Vietnam game rule), pair
a PC (devices found on the LAN, or HOST:PORT typed), done. The pairing runs in a worker with a busy bar."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from app.gui import i18n
from app.gui.pairing import ChildForm, PairForm, discover, error_label
from app.gui.session import Session
from app.store import ConsoleStoreError, check_pin_format


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
        self.error = error_label()
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
        self.form = ChildForm(wizard.session)
        self.name, self.year, self.band, self.vn, self.error = (self.form.name, self.form.year, self.form.band,
                                                                self.form.vn, self.form.error)
        QVBoxLayout(self).addWidget(self.form)

    def validatePage(self) -> bool:
        if self.w.child_id:  # came Back after adding the child: do not add a second one
            return True
        kid = self.form.save()
        if kid is None:
            return False
        self.w.child_id = kid
        return True


class PairPage(QWizardPage):
    def __init__(self, wizard: FirstRunWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(self.tr("Pair the child's PC"))
        self.setSubTitle(self.tr("On the child's PC, Sprout shows a code like ABCD-1234. Choose the PC and type "
                                 "the code."))
        lay = QVBoxLayout(self)
        self.form = PairForm(wizard.session, lambda: wizard.child_id,
                             discover=discover if wizard.lan_search else None)
        self.found, self.code, self.pair_btn, self.result, self.busy, self.search_btn = (
            self.form.found, self.form.code, self.form.pair_btn, self.form.result, self.form.busy,
            self.form.search_btn)
        lay.addWidget(self.form)
        skip = QLabel(self.tr("No PC at hand? Press Next: you can pair one later in Settings (Pair a PC…)."))
        skip.setWordWrap(True)
        lay.addWidget(skip)
        self.form.paired.connect(lambda _d: self.completeChanged.emit())
        if wizard.lan_search:
            QTimer.singleShot(0, self.form.search)

    @property
    def paired(self) -> dict[str, Any] | None:
        return self.form.device


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
        # Add the new pages before removing the old: with only the first page left for a moment, QWizard takes
        # it for the last one and keeps showing "Finish" instead of "Next" (which then skipped the whole setup).
        old = self.pageIds()[1:]
        self.pages = [*self.pages[:1], PinPage(self), ChildPage(self), PairPage(self), DonePage(self)]
        for page in self.pages[1:]:
            self.addPage(page)
        for pid in old:
            self.removePage(pid)
        self.pages[0].retitle()
        self._button_texts()

    def _button_texts(self) -> None:
        for which in (QWizard.WizardButton.NextButton, QWizard.WizardButton.BackButton,
                      QWizard.WizardButton.CancelButton, QWizard.WizardButton.FinishButton):
            self.setButtonText(which, {QWizard.WizardButton.NextButton: self.tr("Next >"),
                                       QWizard.WizardButton.BackButton: self.tr("< Back"),
                                       QWizard.WizardButton.CancelButton: self.tr("Cancel"),
                                       QWizard.WizardButton.FinishButton: self.tr("Finish")}[which])
