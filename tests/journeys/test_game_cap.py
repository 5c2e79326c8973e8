"""Journey: the parent raises a game's cap while the child plays — in Vietnamese and in English.

The agent is the product's own assembly with a simulated clock and a scripted desktop (Minecraft in front).
Before the fix, the warnings already given for the old cap were never given again, so the game was later closed
with no warning at all. Now the child is warned towards the new end, and the close notice names the game
("Minecraft", not "minecraft") and says this game's time is used up — not all of today's game time.
"""

from __future__ import annotations

import itertools

import pytest

from agent.companion.app import Companion
from tests.support.journeys import (
    assemble_agent,
    clipped,
    close_console,
    english_in,
    paired_console,
    shooter,
    visible_texts,
)

ONE_GAME = {"vi": "trò này", "en": "this game"}
ALL_GAMES = {"vi": "của hôm nay", "en": "game time for today"}


@pytest.fixture(params=["vi", "en"])
def lang(request):
    return request.param


@pytest.fixture()
def agent(tmp_path, lang):
    yield from assemble_agent(tmp_path, lang, "2026-12-01T14:00:00+07:00")


@pytest.fixture()
def console(tmp_path, agent, lang):
    session = paired_console(tmp_path, agent, lang)  # the Vietnam rule: at most 60 minutes a game
    yield session
    close_console(session)


def notices(qtbot, companion: Companion, kind: str) -> list:
    qtbot.wait(50)
    return [n for n in companion.notices if n.kind == kind]


def test_a_raised_cap_warns_again_and_the_close_notice_names_the_game(qtbot, tmp_path, lang, agent, console):
    shot = shooter(tmp_path)
    kid = console.store.children()[0]
    assert console.policy(kid.id)["games"]["per_game_minutes"] == 60
    companion = Companion(agent.socket, lang=lang, tray=False, watch=True)
    try:
        agent.desktop.use("Minecraft.exe", 100)
        agent.tick(56 * 60)  # warned at 15 and 5 minutes left
        qtbot.waitUntil(lambda: len([n for n in companion.notices if n.kind == "warn_games"]) >= 1, timeout=10_000)
        for n in list(companion.notices):
            n.close()

        doc = console.policy(kid.id)
        doc["games"]["per_game"] = {"minecraft": 90}  # the parent says: 90 minutes of Minecraft today
        console.push_policy(kid.id, doc)
        seen_before_close: list[str] = []
        for _ in range(35 * 60):
            for d in agent.tick(1):
                if d.kind == "warn":
                    seen_before_close.append(f"warn {d.left_s}")
                if d.kind == "close":
                    break
            else:
                continue
            break
        # warned towards the new end (15, 5 and 1 minute left), then closed
        assert [w.split()[0] for w in seen_before_close] == ["warn", "warn", "warn"], seen_before_close
        assert agent.core.ledger.days["2026-12-01"].per_game_s["minecraft"] >= 90 * 60 - 2
        qtbot.waitUntil(lambda: any(n.kind == "close" for n in companion.notices), timeout=10_000)
        close = next(n for n in companion.notices if n.kind == "close")
        assert "Minecraft" in close.title.text() and "minecraft" not in close.title.text()
        assert ONE_GAME[lang] in close.body.text() and ALL_GAMES[lang] not in close.body.text()
        assert clipped(close) == []
        if lang == "vi":
            assert english_in(visible_texts(close), {"Minecraft"}) == []
        # the open notices are stacked one under the other, none hides another
        shown = [n for n in companion.notices if n.isVisible()]
        for a, b in itertools.pairwise(shown):
            assert not a.frameGeometry().intersects(b.frameGeometry())
        shot(close, f"game-cap-1-close-notice-{lang}")
    finally:
        companion.shutdown()
