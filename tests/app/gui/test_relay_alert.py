"""The console window's alert when the relay says a PC went offline (its last will), in Vietnamese and in English.
The relay part (broker → presence book) is tested against a real Mosquitto in tests/journeys/test_parent_away.py;
here the window reads the book the relay client keeps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication, QLabel

from agent.protocol.identity import Identity
from app.gui import i18n
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from app.gui.session import Session
from app.relay_client import PresenceBook
from tests.support.journeys import shot_dir

WANT = {"vi": "Máy của Minh Anh đã ngoại tuyến từ 14:05", "en": "Minh Anh's PC has been offline since 14:05"}


def offline_labels(overview) -> list[str]:  # type: ignore[no-untyped-def]
    lay = overview.alerts_lay
    widgets = [lay.itemAt(i).widget() for i in range(lay.count())]
    return [w.text() for w in widgets if isinstance(w, QLabel) and w.objectName() == "offline_alert"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_the_overview_says_since_when_a_pc_is_offline(qtbot, tmp_path: Path, lang: str) -> None:
    i18n.switch(lang)
    s = Session(tmp_path / "console", use_keyring=False, name="mom")
    try:
        s.store.set_pin("1234")
        s.store.set_language(lang)
        kid = s.add_child("Minh Anh", dt.date.today().year - 10, True)
        agent = Identity.generate("Minh Anh")
        s.family.add_device(agent.public, "relay")
        s.store.link_device(kid.id, agent.public.device_id)
        went = dt.datetime.combine(dt.date.today(), dt.time(14, 5)).timestamp()
        clock = [went - 3600]
        book = PresenceBook(s.family.dir, clock=lambda: clock[0])
        book.heard(agent.public.device_id, True, live=True)
        clock[0] = went
        book.heard(agent.public.device_id, False, live=True)  # the broker delivers the PC's last will
        win = MainWindow(s, notifier=Notifier(tray=False), lan_search=False)
        qtbot.addWidget(win)
        win.resize(1000, 700)
        win.show()
        qtbot.waitExposed(win)
        QApplication.processEvents()  # a language switch rebuilds the pages on show: take the one on screen
        overview = win.overview
        overview.timer.stop()
        overview.show_alerts(remember=False)
        labels = offline_labels(overview)
        assert labels == [WANT[lang]]
        lay = overview.alerts_lay
        (label,) = [lay.itemAt(i).widget() for i in range(lay.count())
                    if lay.itemAt(i).widget() is not None and lay.itemAt(i).widget().objectName() == "offline_alert"]
        qtbot.waitUntil(label.isVisible, timeout=5_000)
        # docs/screenshots/relay-offline-alert-{vi,en}.png: SPROUT_JOURNEY_SHOTS=docs/screenshots
        win.grab().save(str(shot_dir(tmp_path) / f"relay-offline-alert-{lang}.png"))
        # back online: the alert goes
        book.heard(agent.public.device_id, True, live=True)
        overview.show_alerts(remember=False)
        assert offline_labels(overview) == []
        win.close()
    finally:
        QThreadPool.globalInstance().waitForDone(15_000)
        s.close()
