"""Settings: language (switched at run time), parent PIN, children and devices (add a child, pair a PC, rename,
unpair), data (export,
hide a child's history), about (version, this console's device ID)."""

from __future__ import annotations

from importlib import metadata
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agent.protocol.devid import format_device_id
from app.gui import i18n
from app.gui.pairing import AddChildDialog, PairDialog, discover
from app.gui.session import Session
from app.gui.worker import error_text, run_async
from app.store import ConsoleStoreError, PinLocked


def version() -> str:
    try:
        return metadata.version("sprout-parental")
    except metadata.PackageNotFoundError:
        return "dev"


class SettingsPage(QWidget):
    language_changed = Signal(str)
    devices_changed = Signal()

    def __init__(self, session: Session, parent: QWidget | None = None, *, lan_search: bool = True) -> None:
        super().__init__(parent)
        self.session = session
        self.lan_search = lan_search  # mDNS goes to the whole LAN: off in tests and screenshots
        lay = QVBoxLayout(self)

        box = QGroupBox(self.tr("Language"))
        row = QHBoxLayout(box)
        self.lang = QComboBox()
        self.lang.setAccessibleName(self.tr("Console language"))
        self.lang.addItem("Tiếng Việt", "vi")
        self.lang.addItem("English", "en")
        self.lang.setCurrentIndex(self.lang.findData(i18n.current()))
        self.lang.currentIndexChanged.connect(self._lang)
        row.addWidget(self.lang)
        row.addStretch(1)
        lay.addWidget(box)

        box = QGroupBox(self.tr("Parent PIN"))
        form = QFormLayout(box)
        self.old_pin, self.new_pin = QLineEdit(), QLineEdit()
        for edit, name in ((self.old_pin, self.tr("Current PIN")), (self.new_pin, self.tr("New PIN"))):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.setAccessibleName(name)
            form.addRow(name, edit)
        self.pin_btn = QPushButton(self.tr("Change PIN"))
        self.pin_btn.setAccessibleName(self.pin_btn.text())
        self.pin_btn.clicked.connect(self.change_pin)
        self.pin_result = QLabel()
        form.addRow(self.pin_btn, self.pin_result)
        lay.addWidget(box)

        box = QGroupBox(self.tr("Devices"))
        v = QVBoxLayout(box)
        self.devices = QListWidget()
        self.devices.setAccessibleName(self.tr("Paired PCs"))
        self.devices.setMaximumHeight(120)
        v.addWidget(self.devices)
        row = QHBoxLayout()
        self.pair_btn = QPushButton(self.tr("Pair a PC…"))
        self.add_child_btn = QPushButton(self.tr("Add a child…"))
        self.rename_btn = QPushButton(self.tr("Rename…"))
        self.unpair_btn = QPushButton(self.tr("Unpair…"))
        self.phone_btn = QPushButton(i18n.pick({"vi": "Liên kết điện thoại…", "en": "Link a phone…"}))
        self.phone_btn.clicked.connect(self.link_phone)
        for b in (self.pair_btn, self.add_child_btn, self.rename_btn, self.unpair_btn, self.phone_btn):
            b.setAccessibleName(b.text().rstrip("…"))
            row.addWidget(b)
        row.addStretch(1)
        self.pair_btn.clicked.connect(self.pair_pc)
        self.add_child_btn.clicked.connect(self.add_child)
        self.dialog: QDialog | None = None
        self.rename_btn.clicked.connect(self.rename)
        self.unpair_btn.clicked.connect(self.unpair)
        v.addLayout(row)
        self.device_result = QLabel()
        v.addWidget(self.device_result)
        lay.addWidget(box)

        box = QGroupBox(self.tr("Data"))
        row = QHBoxLayout(box)
        self.export_btn = QPushButton(self.tr("Export all data…"))
        self.export_btn.setAccessibleName(self.tr("Export all data"))
        self.export_btn.clicked.connect(self._export)
        row.addWidget(self.export_btn)
        self.forget_btn = QPushButton(self.tr("Hide this PC's history…"))
        self.forget_btn.setAccessibleName(self.tr("Hide the selected PC's report history"))
        self.forget_btn.clicked.connect(self.forget)
        row.addWidget(self.forget_btn)
        row.addStretch(1)
        lay.addWidget(box)

        box = QGroupBox(self.tr("About"))
        form = QFormLayout(box)
        form.addRow(self.tr("Version"), QLabel(version()))
        my_id = QLabel(format_device_id(session.family.identity.device_id))
        my_id.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        my_id.setAccessibleName(self.tr("This console's device ID"))
        form.addRow(self.tr("This console's device ID"), my_id)
        where = (self.tr("the system keyring") if session.family.vault.kind == "keyring"
                 else self.tr("a key file only your account can read"))
        form.addRow(self.tr("Key storage"), QLabel(where))
        lay.addWidget(box)
        lay.addStretch(1)
        self.fill_devices()

    def link_phone(self) -> None:
        """The parent's phone: QR code, short code, linked phones and Remove (app.gui.phone_link_dialog)."""
        from app.gui.phone_link_dialog import PhoneLinkDialog
        from app.link_errors import LinkError
        from app.relay_client import load_settings

        try:
            settings = load_settings(self.session.family)
        except LinkError:
            settings = None
        self.dialog = PhoneLinkDialog(self.session.family, self, settings=settings)
        self.dialog.open()

    def _lang(self) -> None:
        lang = self.lang.currentData()
        self.session.store.set_language(lang)
        self.language_changed.emit(lang)

    def change_pin(self) -> None:
        old, new = self.old_pin.text(), self.new_pin.text()
        self.pin_btn.setEnabled(False)
        run_async(lambda: self.session.store.set_pin(new, old=old), self._pin_done, self._pin_failed)

    def _pin_done(self, _r: object) -> None:
        self.pin_btn.setEnabled(True)
        self.old_pin.clear()
        self.new_pin.clear()
        self.pin_result.setStyleSheet("color: #1b7a32;")
        self.pin_result.setText(self.tr("PIN changed."))

    def _pin_failed(self, exc: Exception) -> None:
        self.pin_btn.setEnabled(True)
        self.pin_result.setStyleSheet("color: #b00020;")
        if isinstance(exc, PinLocked):
            text = self.tr("Too many wrong tries; wait %1 seconds.").replace("%1", str(int(exc.wait_s) + 1))
        elif "current PIN" in str(exc):
            text = self.tr("The current PIN is wrong.")
        elif isinstance(exc, ConsoleStoreError):
            text = self.tr("The new PIN must be 4 to 12 digits.")
        else:
            text = error_text(exc)
        self.pin_result.setText(text)

    def fill_devices(self) -> None:
        self.devices.clear()
        for d in self.session.devices():
            kid = self.session.store.child_of(d["device_id"])
            item = QListWidgetItem(f"{d['label']} — {kid.name if kid else '?'} — {d['display_id']} — {d['host']}")
            item.setData(Qt.ItemDataRole.UserRole, d["device_id"])
            self.devices.addItem(item)
        if self.devices.count():
            self.devices.setCurrentRow(0)

    def pair_pc(self) -> PairDialog:
        """Open the pairing dialog (window-modal, not blocking); the device list follows when it closes."""
        if not self.session.store.children():
            return self.add_child()  # a PC follows a child's rules: there must be a child first
        dialog = PairDialog(self.session, self, discover=discover if self.lan_search else None)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog.form.applied))
        self.dialog = dialog
        dialog.open()
        return dialog

    def add_child(self) -> AddChildDialog:
        dialog = AddChildDialog(self.session, self)
        dialog.finished.connect(lambda _r: self._dialog_closed(dialog.child_id is not None))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _dialog_closed(self, changed: bool) -> None:
        self.dialog = None
        if changed:
            self.fill_devices()
            self.devices_changed.emit()

    def selected(self) -> str | None:
        item = self.devices.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def rename(self) -> None:
        did = self.selected()
        if did is None:
            return
        name, ok = QInputDialog.getText(self, self.tr("Rename PC"), self.tr("New name:"))
        if ok:
            try:
                self.session.store.rename_device(did, name)
            except ConsoleStoreError:
                self.device_result.setText(self.tr("The name must be 1 to 40 characters."))
                return
            self.fill_devices()
            self.devices_changed.emit()

    def unpair(self, *, confirm: bool = True) -> None:
        did = self.selected()
        if did is None:
            return
        if confirm and QMessageBox.question(self, self.tr("Unpair"), self.tr(
                "Unpair this PC? It will stop following your rules until it is paired again.")) != \
                QMessageBox.StandardButton.Yes:
            return
        self.unpair_btn.setEnabled(False)
        run_async(lambda: self.session.unpair(did), self._unpaired, self._unpaired)

    def _unpaired(self, _r: object) -> None:
        self.unpair_btn.setEnabled(True)
        self.fill_devices()
        self.devices_changed.emit()

    def forget(self) -> None:
        did = self.selected()
        if did is None:
            return
        items = self.session.family.items(did)
        if items:
            last = max(i["seq"] for i in items)
            self.session.family.forget_items(did, last)
            self.session.store.forget_history(did, last)
        self.device_result.setText(self.tr("Reports so far from this PC were deleted from this console."))
        self.devices_changed.emit()

    def _export(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("Export all data"), "sprout-family.json", "JSON (*.json)")
        if name:
            run_async(lambda: self.session.export_data(Path(name)))
