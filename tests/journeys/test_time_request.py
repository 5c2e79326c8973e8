"""Journey: the child asks for more time, the parent answers — in Vietnamese and in English, against the real agent.

The console hears the request through the link's long-poll (its 30 s timer is stopped here), pops a notice, and
the parent grants with one click. The notice closes with the answer and the card goes a moment later. The child
sees the grant, and the agent counts it. A second request answered from the command line (another console, or
the parent's phone) disappears from this console and its notice closes, without anyone touching it.
"""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from agent.companion.app import Companion
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from app.gui.overview import ANSWERED_VISIBLE_MS
from tests.support.journeys import (  # noqa: F401 - fixtures
    BIN,
    agent,
    clipped,
    close_console,
    console,
    english_in,
    lang,
    paired_console,
    run,
    shooter,
    start_agent,
    visible_texts,
)

GRANTED = {"vi": "Đã cho thêm 15 phút", "en": "Granted 15 minutes"}
CHILD_GRANT = {"vi": "15 phút", "en": "15 min"}


def ask(qtbot, companion: Companion, minutes: int, reason: str) -> str:
    win = companion.open_ask(scope="screen")
    win.minutes.setValue(minutes)
    qtbot.keyClicks(win.reason, reason)
    qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: (win.last_answer or {}).get("state") == "queued", timeout=5_000)
    return win.last_answer["id"]


def test_a_request_is_heard_at_once_granted_and_tidied_away(qtbot, tmp_path, lang, agent, console):
    shot = shooter(tmp_path)
    notifier = Notifier(tray=False)
    win = MainWindow(console, notifier=notifier, lan_search=False)
    qtbot.addWidget(win)
    win.show()
    win.overview.timer.stop()  # only the long-poll can bring the request in
    companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
    try:
        rid = ask(qtbot, companion, 20, "homework")
        shot(companion.windows["ask"], f"time-request-1-child-asks-{lang}")
        overview = win.overview
        qtbot.waitUntil(lambda: rid in overview.request_cards and overview.request_cards[rid].isVisible(),
                        timeout=10_000)
        card = overview.request_cards[rid]
        assert "20" in card.label.text() and "homework" in card.label.text()
        qtbot.waitUntil(lambda: rid in notifier.by_key and notifier.by_key[rid].isVisible(), timeout=5_000)
        popup = notifier.by_key[rid]
        if lang == "vi":
            assert english_in(visible_texts(overview), {"Minh Anh", "vm", "homework"}) == []
            assert english_in(visible_texts(popup), {"Minh Anh"}) == []
        assert clipped(popup) == []
        shot(win, f"time-request-2-console-hears-{lang}")
        shot(popup, f"time-request-3-console-notice-{lang}")

        # the parent gives 15 minutes with one click
        qtbot.mouseClick(card.buttons["15"], Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: GRANTED[lang] in card.label.text(), timeout=15_000)
        assert not popup.isVisible()  # the pop-up closes with the answer
        shot(win, f"time-request-4-console-granted-{lang}")
        qtbot.waitUntil(lambda: rid not in overview.request_cards, timeout=ANSWERED_VISIBLE_MS + 5_000)

        # the child sees it, and the agent counts it for today
        qtbot.waitUntil(lambda: any(n.kind == "grant" for n in companion.notices), timeout=10_000)
        grant = next(n for n in companion.notices if n.kind == "grant")
        assert CHILD_GRANT[lang] in grant.title.text() + grant.body.text(), grant.title.text()
        assert clipped(grant) == []
        shot(grant, f"time-request-5-child-granted-{lang}")
        status = json.loads(run(BIN / "sprout-agent", "status", "--json", "--user-mode", "--state", agent.state).stdout)
        (day,) = status["days"].values()
        assert day["grant_screen_s"] == 15 * 60

        # a second request, answered elsewhere: it leaves this console by itself, its pop-up too
        rid2 = ask(qtbot, companion, 30, "movie")
        qtbot.waitUntil(lambda: rid2 in notifier.by_key and notifier.by_key[rid2].isVisible(), timeout=10_000)
        popup2 = notifier.by_key[rid2]
        other = tmp_path / "dad"
        run(BIN / "sprout-console", "--state", other, "--lang", lang, "--name", "dad", "pair", "--code",
            agent.pairing_code(), "--host", agent.host)
        run(BIN / "sprout-console", "--state", other, "--lang", lang, "requests")
        run(BIN / "sprout-console", "--state", other, "--lang", lang, "decline", rid2)
        qtbot.waitUntil(lambda: rid2 not in overview.request_cards and not popup2.isVisible(), timeout=15_000)
        assert overview.no_requests.isVisible()
        shot(win, f"time-request-6-answered-elsewhere-{lang}")
    finally:
        companion.shutdown()
