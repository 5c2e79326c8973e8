"""The console's main window offscreen without an agent: a parent's `session` (PIN set, a child added) and its `window`."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import QThreadPool

from agent.protocol.identity import Identity
from app.gui import i18n
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from app.gui.session import Session


class _Vault:
    def __init__(self) -> None:
        self.d: dict[str, bytes] = {}

    def get_or_create(self, name, make):
        return self.d.setdefault(name, make())

    def get(self, name):
        return self.d.get(name)

    def put(self, name, value):
        self.d[name] = value


@pytest.fixture()
def session(tmp_path):
    i18n.switch("en")
    s = Session(tmp_path / "console", use_keyring=False, name="mom")
    s.store.set_pin("1234")
    kid = s.add_child("Bảo", dt.date.today().year - 9, True)
    # a paired device that is not running: a real identity's keys, an address nobody listens on
    agent = Identity.from_vault(_Vault(), "Bao-PC")
    s.family.add_device(agent.public, "127.0.0.1:9")
    s.store.link_device(kid.id, agent.public.device_id)
    today = dt.date.today()
    items = [{"seq": n + 1, "kind": "daily_summary", "at": 0,
              "payload": {"day": (today - dt.timedelta(days=n + 1)).isoformat(), "screen_s": 3600 + 60 * n,
                          "games_s": 1200, "per_game_s": {"minecraft": 1200}, "per_app_s": {"word": 1800}}}
             for n in range(40)]
    items.append({"seq": 99, "kind": "alert", "at": 0, "payload": {"kind": "timezone_change",
                                                                   "day": today.isoformat()}})
    s.family.store_items(agent.public.device_id, items)
    s.kid = kid
    s.device_id = agent.public.device_id
    yield s
    QThreadPool.globalInstance().waitForDone(15_000)  # device calls still running must not meet a closed store
    s.close()


@pytest.fixture()
def window(qtbot, session):
    win = MainWindow(session, notifier=Notifier(tray=False))
    qtbot.addWidget(win)
    win.show()
    yield win
    win.close()
    win.deleteLater()
