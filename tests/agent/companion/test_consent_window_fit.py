"""The consent window for every age, in Vietnamese and English, shows all its words and whole pictures: Qt sizes a
new window to at most two thirds of the screen, which squeezed the 10-year-old's Vietnamese list (pictures cut to
slivers, lines hidden) until the window grew to what its words need (agent.companion.common.fit_height)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from agent.companion.consent_window import ConsentWindow
from agent.companion.i18n import Language
from tests.support.journeys import clipped

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "tools"))
from screenshots_child_side import consent_view


@pytest.mark.parametrize("code", ["vi", "en"])
@pytest.mark.parametrize("age", [6, 10, 15])
def test_the_consent_window_shows_every_word_and_whole_pictures(qtbot, qapp, tmp_path, code, age):
    lang = Language()
    lang.switch(code)
    try:
        win = ConsentWindow(consent_view(age, tmp_path), answer=None)
        qtbot.addWidget(win)
        win.show()
        qtbot.waitExposed(win)
        assert [p.height() for p, _, _ in win.rows] == [44] * len(win.rows)
        assert clipped(win) == []
        assert win.height() <= win.screen().availableGeometry().height()
    finally:
        lang.switch("en")
