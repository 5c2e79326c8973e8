"""The parent's console window (offscreen), clicked through in Vietnamese and in English: "Lock now…" and "Pause
internet…" on the child's card, against the agent the product assembles (build_core + start_extras: the real link,
store, DNS rules and companion socket) with its clock injected, so that an hour passes in a moment.

What a parent and a child would check: the card's buttons and what is in force; the lock is enforced through the
session adapter (the OS lock API, a recording stand-in here: this machine has none) and no screen time is counted
while it lasts; the child moving the clock forward or back does not end it; it ends by itself at its time, and the
child reads so; the pause puts the web filter behind the pause and the Resume button lifts it.
"""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt

from agent.os.session import SessionResult
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from tests.support.journeys import (
    assemble_agent,
    clipped,
    close_console,
    english_in,
    paired_console,
    shooter,
    visible_texts,
)


class RecordingSession:
    """The OS session adapter's interface (agent.os.session.SessionControl), standing in for a desktop's lock API
    that this machine does not have: it records each lock the enforcer asks for and says it worked."""

    def __init__(self) -> None:
        self.locks = 0

    def lock(self) -> SessionResult:
        self.locks += 1
        return SessionResult("lock", True, "locked (recorded)")

    def logout(self) -> SessionResult:
        return SessionResult("logout", False, "not asked for")


@pytest.fixture(params=["vi", "en"])
def lang(request):
    return request.param


@pytest.fixture()
def session_api():
    return RecordingSession()


@pytest.fixture()
def agent(tmp_path, lang, session_api):
    # the agent's clock starts at the real time: the console sends its own clock's end times, as a parent's would
    yield from assemble_agent(tmp_path, lang, dt.datetime.now().astimezone().isoformat(timespec="seconds"),
                              session=session_api)


@pytest.fixture()
def console(tmp_path, agent, lang):
    session = paired_console(tmp_path, agent, lang)
    yield session
    close_console(session)


def used(agent) -> int:
    return agent.core.status()["screen_used_s"]


def test_lock_and_pause_from_the_childs_card(qtbot, tmp_path, lang, agent, console, session_api):
    shot = shooter(tmp_path)
    win = MainWindow(console, notifier=Notifier(tray=False), lan_search=False)
    qtbot.addWidget(win)
    win.resize(900, 760)
    win.show()
    win.overview.timer.stop()
    card = win.overview.cards[console.kid.id]
    row = card.controls
    assert row is not None and row.buttons["lock"].isVisible() and row.buttons["pause"].isVisible()
    assert not row.buttons["unlock"].isVisible() and not row.buttons["resume"].isVisible()
    if lang == "vi":
        assert not english_in(visible_texts(card), {"Minh Anh"}), visible_texts(card)
    shot(card, f"console-controls-{lang}")

    agent.desktop.use("soffice.bin", 200)
    agent.tick(60)
    before = used(agent)
    assert before >= 55  # the child is using the PC: counted

    dialog = row.open_dialog("lock")
    dialog.minutes.setValue(30)
    if lang == "vi":
        assert not english_in(visible_texts(dialog), {"Minh Anh"}), visible_texts(dialog)
    shot(dialog, f"console-lock-dialog-{lang}")
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.core.controls_status()["lock"] is not None, timeout=15_000)
    qtbot.waitUntil(lambda: row.buttons["unlock"].isVisible(), timeout=15_000)
    until = agent.core.controls_status()["lock"]["until_text"]
    assert until in row.state.text()
    assert not clipped(win)

    agent.tick(120)
    assert session_api.locks >= 1  # through the time limits' own lock path
    assert used(agent) == before  # nothing counted while locked
    kinds = [n["kind"] for n in agent.core.notices_since(0)]
    assert kinds.count("parent_lock") == 1

    # the child moves the clock forward three hours, then back: the lock holds (trusted time, not the wall clock)
    now = agent.clock.now().wall
    agent.clock.set_wall(now + 3 * 3600)
    agent.tick(3)
    assert agent.core.controls_status()["lock"] is not None
    agent.clock.set_wall(now - 3 * 3600)
    agent.tick(3)
    assert agent.core.controls_status()["lock"] is not None
    assert used(agent) == before

    # 30 minutes later it ends by itself, and the child reads that the computer is open again
    agent.clock.advance(30 * 60)
    agent.tick(2)
    assert agent.core.controls_status()["lock"] is None
    assert [n["kind"] for n in agent.core.notices_since(0)].count("parent_unlock") == 1
    agent.tick(30)
    assert used(agent) > before  # counted again
    win.overview.refresh()  # the card's 30-second look at the PC: the lock is over there
    qtbot.waitUntil(lambda: not row.buttons["unlock"].isVisible(), timeout=15_000)

    # pause the internet until a time of day
    dialog = row.open_dialog("pause")
    assert not dialog.open_radio.isVisible()  # a pause always has an end
    dialog.until_radio.setChecked(True)
    dialog.until_time.setTime(dialog.until_time.time())  # an hour from now, as the dialog proposes
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.core.internet_paused() is not None, timeout=15_000)
    qtbot.waitUntil(lambda: row.buttons["resume"].isVisible(), timeout=15_000)
    paused = agent.core.internet_paused()
    assert paused and paused in row.state.text()
    shot(card, f"console-controls-paused-{lang}")
    console.fetch_all()  # what the watcher brings in the running console
    win.overview.show_alerts()
    word = "tạm dừng" if lang == "vi" else "paused"  # the alert says what it is, in the console's language
    qtbot.waitUntil(lambda: word in "\n".join(visible_texts(win.overview.alerts_box)), timeout=5_000)
    qtbot.mouseClick(row.buttons["resume"], Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: agent.core.internet_paused() is None, timeout=15_000)
    qtbot.waitUntil(lambda: not row.buttons["resume"].isVisible(), timeout=15_000)
    kinds = [n["kind"] for n in agent.core.notices_since(0)]
    assert kinds.count("internet_paused") == 1 and kinds.count("internet_resumed") == 1
