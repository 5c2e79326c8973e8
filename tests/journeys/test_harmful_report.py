"""Journey: the child reports something harmful from the companion, and the parent's console shows it at once as
its own alert with the child's words (and a notice), in Vietnamese and in English, against the real agent.

The child is told something true: the report was sent and the parents will read it in their console — not
"your parents will look right now". The overview's 30 s timer is stopped: only the console's long-poll of the
link can bring the report in.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from agent.companion.app import Companion
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from app.gui.overview import HarmfulCard
from tests.support.journeys import (  # noqa: F401 - fixtures
    agent,
    clipped,
    close_console,
    console,
    english_in,
    lang,
    paired_console,
    shooter,
    start_agent,
    visible_texts,
)

SENT = {"vi": "đã được gửi cho bố mẹ", "en": "has been sent to your parents"}
TITLE = {"vi": "đã báo một điều có hại", "en": "reported something harmful"}


def test_a_harmful_report_reaches_the_parent_as_its_own_alert(qtbot, tmp_path, lang, agent, console):
    shot = shooter(tmp_path)
    win = MainWindow(console, notifier=Notifier(tray=False), lan_search=False)
    qtbot.addWidget(win)
    win.show()
    win.overview.timer.stop()  # no 30 s poll: what arrives, arrives through the link's long-poll

    companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
    try:
        report = companion.open_report()
        # (QTest types ASCII only: the Vietnamese words are put in the field as an input method would)
        report.what.setText("một người lạ trong game đòi ảnh của con" if lang == "vi"
                            else "a stranger in a game asked for my photo")
        report.note.setPlainText("tên là Bin123" if lang == "vi" else "called Bin123")
        qtbot.mouseClick(report.send_button, Qt.MouseButton.LeftButton)
        assert SENT[lang] in report.result.text(), report.result.text()  # the truth, not "they look right now"
        assert "111" in report.help.text()
        assert clipped(report) == []  # the answer grows the window; nothing is squeezed out of sight
        shot(report, f"harmful-report-1-child-{lang}")

        qtbot.waitUntil(lambda: [c.isVisible() for c in win.overview.harmful_cards] == [True], timeout=15_000)
        (card,) = win.overview.harmful_cards
        assert isinstance(card, HarmfulCard)
        assert "Bin123" in card.words.text() and ("người lạ" in card.words.text() or "stranger" in card.words.text())
        assert TITLE[lang] in card.accessibleName() and "Minh Anh" in card.accessibleName()
        # the parent is told even when the console is in the background
        qtbot.waitUntil(lambda: any(n.isVisible() for n in win.notifier.notices), timeout=5_000)
        notice = [n for n in win.notifier.notices if n.isVisible()][-1]
        assert "Bin123" not in notice.label.text() and TITLE[lang] in notice.label.text()
        if lang == "vi":
            assert english_in(visible_texts(win.overview), {"Minh Anh", "vm", "Bin123"}) == []
        shot(win, f"harmful-report-2-console-{lang}")
        report = console.report(console.store.children()[0].id, 1)  # and in Reports, as that day's alert
        assert report.days[-1].alerts == 1 and report.alerts[0]["kind"] == "harmful_report"
        shot(notice, f"harmful-report-3-notice-{lang}")
    finally:
        companion.shutdown()
