"""Journey: the child plays a game the catalog does not know, full screen. After two minutes the parent's console
shows one card, "a new program was full screen… is it a game?", with a one-tap "Count it as a game" (vi and en).
One tap: the family's rules count that program by its content, the PC applies them, and from then on it is game
time — also after the child renames it and moves it to another folder.

The agent is the product's own assembly (build_core + the real parent link, encrypted store) with its clock and
desktop injected (tests/support/journeys.py ScriptedDesktop: which window is in front and that it covers the screen); the
program is a real file whose content is its fingerprint. The console is the real window, offscreen.
The real X11 adapter's full-screen reading is tried under Xvfb in
tests/adversarial/test_interpreters.py::test_a_full_screen_window_is_seen_as_full_screen.
"""

from __future__ import annotations

import contextlib
import dataclasses
import secrets
import shutil
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt

from agent.catalog.content import fingerprint
from app.gui.main_window import MainWindow
from app.gui.new_app_card import NewAppCard
from app.gui.notify import Notifier
from tests.support.enforcement import SLEEP
from tests.support.journeys import (  # noqa: F401 - fixtures
    ScriptedProc,
    assemble_agent,
    clipped,
    close_console,
    english_in,
    lang,
    paired_console,
    shooter,
    visible_texts,
)

QUESTION = {"vi": "Đó có phải trò chơi không?", "en": "Is it a game?"}


@dataclasses.dataclass(frozen=True)
class FullScreen(ScriptedProc):
    fullscreen: bool = True
    wm_class: str | None = None


def _game_file(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    exe = folder / name
    shutil.copy(SLEEP, exe)
    with open(exe, "ab") as f:
        f.write(secrets.token_bytes(64))  # a program of its own, unknown to the catalog
    return exe


def test_a_new_full_screen_program_is_counted_as_a_game_with_one_tap(qtbot, tmp_path: Path, lang: str) -> None:
    shot = shooter(tmp_path)
    gen = assemble_agent(tmp_path, lang, "2026-03-02T15:00:00")
    agent = next(gen)
    session = paired_console(tmp_path, agent, lang)
    win = None
    try:
        exe = _game_file(tmp_path / "home" / "Downloads", "blockworld")
        game = FullScreen(4242, 1, "blockworld", str(exe))
        agent.desktop.procs.append(game)
        agent.desktop.front = game
        agent.tick(60)
        assert not [o for o in agent.core.store.outbox_since(0, 500) if o.payload.get("kind") == "new_fullscreen_app"]
        agent.tick(70)  # over two minutes in front, full screen: the parent hears once
        agent.tick(300)
        told = [o.payload for o in agent.core.store.outbox_since(0, 500)
                if o.payload.get("kind") == "new_fullscreen_app"]
        assert len(told) == 1 and told[0]["app"] == "blockworld" and told[0]["fingerprint"] == fingerprint(str(exe))
        day = agent.core.ledger.days[agent.core.ledger.local_day(agent.clock.now())]
        assert day.games_s == 0  # not a game yet: nobody said so

        win = MainWindow(session, notifier=Notifier(tray=False), lan_search=False)
        qtbot.addWidget(win)
        win.resize(1100, 720)  # a slow run adds other alerts ("the PC was away"): the overview scrolls them
        win.show()
        session.fetch_all()
        win.overview.show_alerts()
        qtbot.waitUntil(lambda: len(win.overview.new_app_cards) == 1, timeout=15_000)
        (card,) = win.overview.new_app_cards.values()
        assert isinstance(card, NewAppCard) and card.isVisible()
        win.overview.scroll.ensureWidgetVisible(card)
        assert "blockworld" in card.title.text() and QUESTION[lang] in card.title.text()
        if lang == "vi":
            assert english_in(visible_texts(card), {"blockworld", "agent"}) == []
        assert clipped(win) == []
        shot(win, f"new-fullscreen-app-1-asked-{lang}")
        qtbot.mouseClick(card.count_btn, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not card.busy and not card.count_btn.isEnabled(), timeout=20_000)
        assert "Not saved" not in card.result.text() and "Chưa lưu" not in card.result.text(), card.result.text()
        qtbot.wait(300)
        assert clipped(win) == []  # the answer grows the card; nothing is cut
        shot(win, f"new-fullscreen-app-2-counted-{lang}")
        # the PC applied the family's new rules: this program, by its content, is a game
        assert agent.core.policy.games_by_content == {fingerprint(str(exe)): "blockworld"}
        before = agent.core.ledger.days[agent.core.ledger.local_day(agent.clock.now())].games_s
        agent.tick(30)
        after = agent.core.ledger.days[agent.core.ledger.local_day(agent.clock.now())]
        played = after.per_game_s.get("blockworld", 0)
        assert after.games_s - before >= 29 and played >= 29
        # The child renames it and moves it to homework: the same bytes, the same game.
        moved = tmp_path / "home" / "homework" / "notes"
        moved.parent.mkdir(parents=True)
        shutil.move(exe, moved)
        renamed = FullScreen(4343, 1, "notes", str(moved), fullscreen=False)
        agent.desktop.procs[:] = [renamed]
        agent.desktop.front = renamed
        agent.tick(30)
        after2 = agent.core.ledger.days[agent.core.ledger.local_day(agent.clock.now())]
        assert after2.per_game_s.get("blockworld", 0) - played >= 29
        # a fresh card for the same alert shows it as already counted (the rules say so)
        again = NewAppCard(session, card.item)
        qtbot.addWidget(again)
        assert not again.count_btn.isEnabled()
    finally:
        if win is not None:  # the window goes before its session's store closes
            win.close()
            win.deleteLater()
            QCoreApplication.processEvents()
        close_console(session)
        with contextlib.suppress(StopIteration):
            next(gen)


def test_only_unknown_programs_are_asked_about(tmp_path: Path) -> None:
    """A catalogued game, a browser playing a full-screen video, a program the parent already allowed: no card."""
    gen = assemble_agent(tmp_path, "en", "2026-03-02T15:00:00")
    agent = next(gen)
    try:
        for i, (name, exe) in enumerate([("minecraft", _game_file(tmp_path / "a", "minecraft")),
                                         ("firefox", _game_file(tmp_path / "b", "firefox"))]):
            p = FullScreen(5000 + i, 1, name, str(exe))
            agent.desktop.procs[:] = [p]
            agent.desktop.front = p
            agent.tick(200)
        assert not [o for o in agent.core.store.outbox_since(0, 500) if o.payload.get("kind") == "new_fullscreen_app"]
        # switching away before two minutes starts the count again
        exe = _game_file(tmp_path / "c", "mystery")
        p = FullScreen(6000, 1, "mystery", str(exe))
        other = FullScreen(6001, 1, "mystery2", str(_game_file(tmp_path / "d", "mystery2")), fullscreen=False)
        agent.desktop.procs[:] = [p, other]
        for _ in range(5):
            agent.desktop.front = p
            agent.tick(100)
            agent.desktop.front = other
            agent.tick(5)
        assert not [o for o in agent.core.store.outbox_since(0, 500) if o.payload.get("kind") == "new_fullscreen_app"]
    finally:
        with contextlib.suppress(StopIteration):
            next(gen)
