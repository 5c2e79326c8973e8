"""Journey: every window a Vietnamese family opens, scanned for English and for clipped text.

The real agent runs in Vietnamese; the console and the companion are opened as a family would: the console's
pages (overview, each rule section, reports, settings, pairing), the child's windows (status, ask for time,
report something harmful, what my parents can see) and a notice of every kind. Each rendered widget's text is
checked for English words, and each window at its default size for text that does not fit.
"""

from __future__ import annotations

import pytest

from agent.companion.app import Companion
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier
from tests.support.journeys import (
    clipped,
    close_console,
    english_in,
    paired_console,
    shooter,
    start_agent,
    visible_texts,
)

NAMES = {"Minh Anh", "vm", "Minecraft", "Roblox", "Web", "YouTube", "Google", "Bing", "DuckDuckGo", "PIN", "CSV",
         "PDF", "ABCD", "HOST", "PORT", "Sprout"}
NOTICES = [
    {"kind": "warn", "target": "screen", "left_s": 600},
    {"kind": "warn", "target": "minecraft", "left_s": 300},
    {"kind": "remind", "target": "minecraft", "left_s": 1800},
    {"kind": "block", "target": "tiktok", "reason": "blocked_app"},
    {"kind": "close", "target": "minecraft", "reason": "game_limit", "until": "tomorrow"},
    {"kind": "close", "target": "roblox", "reason": "games_daily_limit", "until": "tomorrow"},
    {"kind": "lock", "target": "screen", "left_s": 0, "until": "tomorrow"},
    {"kind": "web_block", "target": "fb88.com", "category": "gambling"},
    {"kind": "grant", "target": "screen", "left_s": 900},
    {"kind": "decline", "target": "screen"},
]


@pytest.fixture()
def agent(tmp_path):
    yield from start_agent(tmp_path, "vi")


@pytest.fixture()
def console(tmp_path, agent):
    session = paired_console(tmp_path, agent, "vi")
    yield session
    close_console(session)


def check(window, what: str, problems: list[str]) -> None:
    problems += [f"{what}: English: {t!r}" for t in english_in(visible_texts(window), NAMES)]
    problems += [f"{what}: clipped: {c}" for c in clipped(window)]


def test_no_english_and_nothing_clipped_in_the_vietnamese_windows(qtbot, tmp_path, agent, console):
    shot = shooter(tmp_path)
    problems: list[str] = []
    win = MainWindow(console, notifier=Notifier(tray=False), lan_search=False)
    qtbot.addWidget(win)
    win.show()
    win.overview.refresh()
    card = next(iter(win.overview.cards.values()))
    qtbot.waitUntil(lambda: "trực tuyến" in next(iter(card.device_labels.values())).text(), timeout=20_000)
    check(win, "overview", problems)
    win.tabs.setCurrentWidget(win.rules)
    qtbot.waitUntil(lambda: not win.rules.fetching, timeout=15_000)
    for i in range(win.rules.tabs.count()):
        win.rules.tabs.setCurrentIndex(i)
        check(win, f"rules/{win.rules.tabs.tabText(i)}", problems)
        shot(win, f"vietnamese-only-rules-{i}-vi")
    # a mistake in a field: the reason beside it is Vietnamese too
    win.rules.blocked.setPlainText("Zalo.exe")
    win.rules.push()
    assert not win.rules.errors["apps.blocked"].isHidden()
    check(win, "rules with a field error", problems)
    shot(win, "vietnamese-only-field-error-vi")
    win.tabs.setCurrentWidget(win.reports)
    qtbot.waitUntil(lambda: win.reports.live is not None, timeout=15_000)
    check(win, "reports", problems)
    win.tabs.setCurrentWidget(win.settings)
    check(win, "settings", problems)
    shot(win, "vietnamese-only-settings-vi")
    dialog = win.settings.pair_pc()
    check(dialog, "pair a PC", problems)
    dialog.reject()

    companion = Companion(agent.socket, lang="vi", tray=False, watch=False)
    try:
        companion.refresh()
        check(companion.status_window, "companion status", problems)
        shot(companion.status_window, "vietnamese-only-companion-status-vi")
        for name, opener in (("ask", companion.open_ask), ("report", companion.open_report),
                             ("privacy", companion.open_privacy)):
            w = opener()
            check(w, f"companion {name}", problems)
            shot(w, f"vietnamese-only-companion-{name}-vi")
            w.close()
        for n, notice in enumerate(NOTICES):
            w = companion.show_notice(dict(notice, id=n + 1))
            assert w is not None
            check(w, f"notice {notice['kind']}/{notice['target']}", problems)
        shown = [w for w in companion.notices if w.isVisible()]
        assert len(shown) == 3  # at most three at once …
        tops = [w.frameGeometry() for w in shown]
        for i, a in enumerate(tops):
            for b in tops[i + 1:]:
                assert not a.intersects(b)  # … one under the other, none hidden
    finally:
        companion.shutdown()
    assert problems == [], "\n".join(problems)
