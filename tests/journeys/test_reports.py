"""Journey: the parent reads Reports after an hour of use today — in Vietnamese and in English.

The agent is the product's own assembly with a simulated clock and a scripted desktop (the child plays Minecraft,
writes in LibreOffice, and the parent's console is open on the same PC for a while; three gambling sites are
blocked). The console reads today live — the agent's running summary over the link — not 0 until tomorrow; games
and web categories by their names, not IDs; the console's own process not counted as the child's app; round
y-axis steps; table headers in full.
"""

from __future__ import annotations

import pytest
from PySide6.QtCharts import QValueAxis

from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from tests.support.journeys import (
    assemble_agent,
    both_agree,
    close_console,
    english_in,
    paired_console,
    shooter,
    visible_texts,
)

GAMBLING = {"vi": "Cờ bạc", "en": "Gambling"}


@pytest.fixture(params=["vi", "en"])
def lang(request):
    return request.param


@pytest.fixture()
def agent(tmp_path, lang):
    yield from assemble_agent(tmp_path, lang, "2026-12-01T15:00:00+07:00")


@pytest.fixture()
def console(tmp_path, agent, lang):
    session = paired_console(tmp_path, agent, lang)
    both_agree(session, agent, ["time_totals", "games_by_name", "apps_by_name", "web_categories_blocked"])
    yield session
    close_console(session)


def test_reports_show_today_live_with_names(qtbot, tmp_path, lang, agent, console):
    shot = shooter(tmp_path)
    desk = agent.desktop
    desk.use("Minecraft.exe", 100)
    agent.tick(40 * 60)
    desk.use("sprout-console", 300)  # the parent checks something on the child's PC
    agent.tick(10 * 60)
    desk.use("soffice.bin", 200)
    agent.tick(10 * 60)
    for _ in range(3):
        agent.core.web_blocked("fb88.com", "gambling", "category")
    today = agent.core.ledger.local_day(agent.clock.now())

    win = MainWindow(console, notifier=Notifier(tray=False), lan_search=False)
    qtbot.addWidget(win)
    win.show()
    page = win.reports
    win.tabs.setCurrentWidget(page)
    page.period.setCurrentIndex(0)  # today
    qtbot.waitUntil(lambda: page.live is not None, timeout=15_000)
    r = page.report
    assert r.last_day == today and r.days[-1].screen_min == 60 and r.days[-1].games_min == 40  # live, not 0
    summary = page.live["summary"]
    assert summary["day"] == today and round(summary["games_s"] / 60) == 40
    assert round(summary["screen_s"] / 60) == 60
    text = page.summary.text()
    assert "Minecraft 40" in text and "minecraft" not in text  # the game's name, not its ID
    assert GAMBLING[lang] in text and "gambling" not in text  # the category's name
    assert "sprout-console" in summary["per_app_s"]  # the agent saw it in front …
    assert "sprout-console" not in text  # … the parent's report does not call it the child's and "sprout" not in text.lower().replace("mầm", "")
    # round steps on the minutes axis; every table header in full
    (ay,) = [a for a in page.chart.axes() if isinstance(a, QValueAxis)]
    span = ay.max() - ay.min()
    assert span % (ay.tickCount() - 1) == 0 and (span / (ay.tickCount() - 1)) in (2, 5, 10, 15, 30, 60, 120)
    header = page.table.horizontalHeader()
    for i in range(page.table.columnCount()):
        need = header.fontMetrics().horizontalAdvance(page.table.horizontalHeaderItem(i).text())
        assert header.sectionSize(i) >= need, page.table.horizontalHeaderItem(i).text()
    if lang == "vi":
        assert english_in(visible_texts(page), {"Minecraft", "LibreOffice", "Writer", "vm"}) == []
    shot(win, f"reports-1-today-live-{lang}")
