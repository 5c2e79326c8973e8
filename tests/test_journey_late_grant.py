"""Journey: a request made in the evening is granted the next morning — in Vietnamese and in English.

The agent is the product's own assembly (build_core + start_extras: the real link, companion socket and store)
with a simulated clock, so the night passes in a second. The grant gives the time for the day it is granted on,
and both sides read that plainly; before, both read "granted 20 minutes" and no time was added.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from agent.companion.app import Companion
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from tests.journeys import assemble_agent, clipped, close_console, english_in, paired_console, shooter, visible_texts

PARENT = {"vi": "Đã cho thêm 15 phút cho hôm nay (yêu cầu từ ngày 01/12)",
          "en": "Granted 15 minutes for today (the request was from 01/12)"}
CHILD = {"vi": "Thời gian này dành cho hôm nay (con đã xin từ ngày 01/12).",
         "en": "This time is for today (you asked on 01/12)."}


@pytest.fixture(params=["vi", "en"])
def lang(request):
    return request.param


@pytest.fixture()
def agent(tmp_path, lang):
    yield from assemble_agent(tmp_path, lang, "2026-12-01T20:40:00+07:00")


@pytest.fixture()
def console(tmp_path, agent, lang):
    session = paired_console(tmp_path, agent, lang)
    yield session
    close_console(session)


def test_a_request_granted_the_next_morning_gives_the_time_today(qtbot, tmp_path, lang, agent, console):
    shot = shooter(tmp_path)
    win = MainWindow(console, notifier=Notifier(tray=False), lan_search=False)
    qtbot.addWidget(win)
    win.show()
    win.overview.timer.stop()
    companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
    try:
        agent.tick(2)
        ask = companion.open_ask(scope="screen")
        ask.minutes.setValue(20)
        qtbot.keyClicks(ask.reason, "homework")
        qtbot.mouseClick(ask.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: (ask.last_answer or {}).get("state") == "queued", timeout=5_000)
        rid = ask.last_answer["id"]
        qtbot.waitUntil(lambda: rid in win.overview.request_cards, timeout=10_000)

        agent.clock.advance(11 * 3600)  # the family sleeps; the parent answers at 07:40 the next morning
        agent.tick(2)
        card = win.overview.request_cards[rid]
        qtbot.mouseClick(card.buttons["15"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: PARENT[lang] in card.label.text(), timeout=15_000)
        if lang == "vi":
            assert english_in(visible_texts(card), {"Minh Anh"}) == []
        shot(win, f"late-grant-1-console-{lang}")

        totals = agent.core.ledger.days["2026-12-02"]
        assert totals.grant_screen_s == 15 * 60  # given for the day it is granted on
        assert agent.core.ledger.days["2026-12-01"].grant_screen_s == 0
        qtbot.waitUntil(lambda: any(n.kind == "grant" for n in companion.notices), timeout=10_000)
        grant = next(n for n in companion.notices if n.kind == "grant")
        assert grant.until.text() == CHILD[lang] and grant.until.isVisible()
        assert clipped(grant) == []
        shot(grant, f"late-grant-2-child-{lang}")
    finally:
        companion.shutdown()
