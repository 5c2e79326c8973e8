"""The console window's "Link a phone" dialog, offscreen in Vietnamese and English: the QR code and the short code,
the linked phones and Remove; and the dialog's whole flow against a real Mosquitto, the phone (PythonPhone) scanning
the QR text the window shows. Screenshots: docs/screenshots/phone-link-{vi,en}.png, written by this test with
SPROUT_PHONE_LINK_SHOTS=docs/screenshots."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QThreadPool

from agent.protocol import phone_link, relay
from agent.protocol.identity import Identity
from app.family import Family
from app.gui import i18n
from app.gui.phone_link_dialog import PhoneLinkDialog
from app.phone_link import ConsoleLink, PhoneBook
from tests.support.relay_broker import MOSQUITTO, Broker

SHOTS = Path(os.environ.get("SPROUT_PHONE_LINK_SHOTS", "")) if os.environ.get("SPROUT_PHONE_LINK_SHOTS") else None


def _ca(tmp_path: Path) -> str:
    from agent.relay.broker import _make_ca_and_server

    folder = tmp_path / "ca"
    folder.mkdir()
    _make_ca_and_server(folder, ["relay.example.net"])
    return (folder / "ca.crt").read_text()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_dialog_shows_the_qr_and_code_lists_phones_and_removes_one(qtbot, tmp_path: Path, lang: str) -> None:
    i18n.switch(lang)
    family = Family(tmp_path / "console", name="mom", use_keyring=False)
    settings = relay.RelaySettings("relay.example.net:8883", _ca(tmp_path), family.identity.device_id, "pw")
    book = PhoneBook(family)
    book.import_slots({"phone_slots": [{"username": phone_link.b32_slot_name(), "password": "p"}]}, "t")
    earlier = ConsoleLink(book, None)  # a phone linked before: "Điện thoại của mẹ"
    phone = Identity.generate("Điện thoại của mẹ")
    t = earlier.ticket
    key = phone_link.link_key("qr", t.locator, secret=t.secret)
    earlier.answer(phone_link.make_hello(key, "qr", t.locator, phone, phone.public.name))
    dialog = PhoneLinkDialog(family, settings=settings, autostart=False)
    qtbot.addWidget(dialog)
    dialog.show()
    try:
        assert dialog.windowTitle() == ("Liên kết điện thoại" if lang == "vi" else "Link a phone")
        assert dialog.qr.pixmap() is not None and not dialog.qr.pixmap().isNull()
        code = dialog.link.ticket.code
        assert dialog.code.text() == phone_link.display_code(code)
        assert phone_link.parse_qr(dialog.link.ticket.qr_text())["console_id"] == family.identity.device_id
        assert ("quét mã này" if lang == "vi" else "scan this code") in dialog.intro.text()
        assert dialog.phones.count() == 1 and "Điện thoại của mẹ" in dialog.phones.item(0).text()
        if SHOTS:
            SHOTS.mkdir(parents=True, exist_ok=True)
            assert dialog.grab().save(str(SHOTS / f"phone-link-{lang}.png"))
        qtbot.mouseClick(dialog.remove_btn, Qt.MouseButton.LeftButton)
        assert dialog.status.text() == ("Đã gỡ “Điện thoại của mẹ”: từ giờ mọi máy của con đều từ chối nó."
                                        if lang == "vi" else
                                        "Removed “Điện thoại của mẹ”: every child's PC refuses it from now on.")
        assert book.removed(phone.device_id) and not dialog.remove_btn.isEnabled()
        assert dialog.phones.item(0).text() == ("Chưa có điện thoại nào." if lang == "vi" else "No phone yet.")
    finally:
        dialog.close()
        QThreadPool.globalInstance().waitForDone(15_000)
        book.close()
        dialog.book.close()
        family.close()


def test_the_dialog_says_what_is_missing_without_a_relay(qtbot, tmp_path: Path) -> None:
    i18n.switch("en")
    family = Family(tmp_path / "console", name="mom", use_keyring=False)
    dialog = PhoneLinkDialog(family, settings=None)
    qtbot.addWidget(dialog)
    assert "relay import" in dialog.status.text() and dialog.code.text() == "" and not dialog.new_btn.isEnabled()
    dialog.close()
    dialog.book.close()
    family.close()


@pytest.mark.skipif(MOSQUITTO is None, reason="needs mosquitto (scripts/debian-packages.txt)")
def test_a_phone_scans_the_windows_qr_code_through_the_real_broker(qtbot, tmp_path: Path) -> None:
    from agent.relay.broker import setup
    from tests.support.python_phone import PythonPhone

    i18n.switch("en")
    family = Family(tmp_path / "console", name="mom", use_keyring=False)
    agent = Identity.generate("Minh Anh's PC")
    family.add_device(agent.public, "127.0.0.1:9")  # a PC that is off: told later
    broker = Broker(tmp_path / "relay")
    broker.add("nguyen", [agent.device_id], [family.identity.device_id])
    setup(broker.folder, hosts=[], family="nguyen", agents=[], consoles=[], port=broker.port, listen=broker.listen,
          phones=1)
    broker.start()
    book = PhoneBook(family)
    book.import_slots(json.loads((broker.folder / "bundles" / f"{family.identity.device_id}.phones.json")
                                 .read_text()), "bundle")
    dialog = PhoneLinkDialog(family, settings=broker.bundle(family.identity.device_id))
    qtbot.addWidget(dialog)
    phone = PythonPhone("Bố's phone")
    try:
        assert dialog.status.text() == "Connecting to the relay broker…" and dialog.code.text() == ""
        qtbot.waitUntil(lambda: dialog.code.text() != "", timeout=60_000)  # shown once the console listens
        assert dialog.status.text() == "Waiting for the phone…"
        offer = phone.link(qr=dialog.link.ticket.qr_text(), ca_pem=(broker.folder / "ca.crt").read_text())
        assert offer["relay"]["username"] and list(phone.agents) == [agent.device_id]
        qtbot.waitUntil(lambda: "Bố's phone" in dialog.status.text(), timeout=60_000)
        assert dialog.status.text() == ("Linked “Bố's phone”. 1 of the children's PCs will be told when they can "
                                        "be reached.")
        assert "Bố's phone" in dialog.phones.item(0).text() and dialog.code.text() == ""
    finally:
        dialog.close()
        QThreadPool.globalInstance().waitForDone(30_000)
        phone.close()
        dialog.book.close()
        book.close()
        family.close()
        broker.stop()
