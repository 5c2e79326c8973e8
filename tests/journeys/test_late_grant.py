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
from tests.support.journeys import (
    assemble_agent,
    clipped,
    close_console,
    english_in,
    paired_console,
    shooter,
    visible_texts,
)

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


def test_a_grant_near_the_limit_is_not_covered_by_a_warning(qtbot, tmp_path, lang, agent, console):
    """Granted at the limit: the "15 minutes left" warning that follows at once must not cover the good news
    (the grant notice already says how much time there is)."""
    shot = shooter(tmp_path)
    kid = console.store.children()[0]
    doc = console.policy(kid.id)
    doc["screen"]["daily_minutes"] = {d: 30 for d in doc["screen"]["daily_minutes"]}
    doc["screen"]["windows"] = {}  # any hour: the limit, not the clock, is what this journey meets
    console.push_policy(kid.id, doc)
    companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
    try:
        agent.desktop.use("soffice.bin", 200)
        seen = [d.kind for d in agent.tick(30 * 60 + 5)]  # warned at 15, 5, 1 minutes left, then the limit
        assert seen.count("warn") == 3 and "lock" in seen
        ask = companion.open_ask(scope="screen")
        ask.minutes.setValue(15)
        qtbot.mouseClick(ask.send_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: (ask.last_answer or {}).get("state") == "queued", timeout=5_000)
        last = agent.core.notices.since(0)[-1]["id"]
        qtbot.waitUntil(lambda: (companion.watcher.cursor or 0) >= last, timeout=10_000)
        qtbot.wait(100)
        for n in list(companion.notices):
            n.close()
        rid = ask.last_answer["id"]
        console.fetch_all()
        (item,) = [i for i in console.open_requests() if i["payload"]["id"] == rid]
        console.decide(item, True, 15)
        decisions = agent.tick(2)
        assert any(d.kind == "warn" for d in decisions)  # the agent does warn again towards the new end …
        qtbot.waitUntil(lambda: any(n.kind == "grant" and n.isVisible() for n in companion.notices),
                        timeout=10_000)
        qtbot.wait(300)
        shown = [n for n in companion.notices if n.isVisible()]
        assert [n.kind for n in shown] == ["grant"], [n.kind for n in shown]  # … but the grant stays in view
        shot(shown[0], f"late-grant-3-grant-not-covered-{lang}")
    finally:
        companion.shutdown()
