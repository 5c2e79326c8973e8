"""The companion's reminder about private information, offscreen in Vietnamese and English: the words of
resources/privacy-reminders for the child's band, kind (OK, never an error), the 111 line, nothing clipped, no
English in the Vietnamese window, a language switch rewords it, and an app's own name never becomes markup."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from agent.companion.i18n import Language
from agent.companion.reminder_window import ReminderWindow
from agent.skills.kit import BANDS
from agent.skills.reminders import KINDS, load_reminders
from tests.support.journeys import clipped, english_in, visible_texts

ROOT = Path(__file__).resolve().parents[3]
POLICY_BAND = {"6-8": "7-10", "9-11": "7-10", "12-14": "11-13", "15-17": "16-17"}


@pytest.fixture
def language(qapp):
    lang = Language()
    yield lang
    lang.switch("en")


def notice(kind: str, band: str, target: str) -> dict:
    return {"id": 7, "kind": "privacy_reminder", "reason": kind, "target": target, "band": band, "left_s": None,
            "until": None}


@pytest.mark.parametrize("code", ["vi", "en"])
def test_every_band_and_kind_shows_its_own_words(qtbot, language, code):
    language.switch(code)
    words = load_reminders()
    for band in BANDS:
        for kind in KINDS:
            target = "facebook.com" if kind == "site" else "Zoom"
            win = ReminderWindow(notice(kind, band, target), POLICY_BAND[band])
            qtbot.addWidget(win)
            win.show()
            title, body, note = words.words(kind, band, code, target)
            assert (win.title.text(), win.body.text(), win.until.text()) == (title, body, note)
            assert "111" in win.help.text()
            assert not win.ask_button.isVisible() and not win.ask_hint.isVisible()
            assert win.ok_button.isVisible() and win.report_button.isVisible()
            assert clipped(win) == [], (band, kind)
            if code == "vi":
                assert english_in(visible_texts(win), {"facebook.com", "Zoom"}) == [], (band, kind)
            win.close()


def test_a_language_switch_rewords_the_open_reminder(qtbot, language):
    language.switch("vi")
    win = ReminderWindow(notice("site", "12-14", "instagram.com"), "11-13")
    qtbot.addWidget(win)
    win.show()
    vi = win.title.text()
    language.switch("en")
    qtbot.waitUntil(lambda: win.title.text() != vi, timeout=5000)
    assert win.title.text() == load_reminders().words("site", "12-14", "en", "instagram.com")[0]


def test_an_apps_name_is_shown_as_written_never_as_markup(qtbot, language):
    language.switch("en")
    win = ReminderWindow(notice("camera", "9-11", "<b>Sprout</b> <img src=x>"), "7-10")
    qtbot.addWidget(win)
    win.show()
    assert "<b>Sprout</b>" in win.title.text()
    assert win.title.textFormat().name == "PlainText"


def test_an_odd_notice_still_reads_kindly(qtbot, language):
    language.switch("en")
    win = ReminderWindow({"id": 1, "kind": "privacy_reminder", "reason": "bogus", "band": "99", "target": None},
                         "0-6")
    qtbot.addWidget(win)
    win.show()
    assert win.title.text() and win.body.text() and "{" not in win.title.text() + win.body.text()


def test_the_companion_opens_a_reminder_window_for_the_services_notice(qtbot, tmp_path, language):
    from agent.companion.app import Companion

    companion = Companion(tmp_path / "no-service.sock", lang="en", tray=False, watch=False)
    try:
        win = companion.show_notice(notice("microphone", "15-17", "Discord"))
        assert isinstance(win, ReminderWindow) and win.isVisible()
        assert "Discord" in win.title.text()
    finally:
        companion.shutdown()


def test_the_screenshot_tool_renders_every_reminder(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots_reminders.py"), "--out", str(tmp_path)],
                          capture_output=True, text=True, timeout=120, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-800:]
    for code in ("vi", "en"):
        for stem in ("site-6-8", "site-9-11", "site-12-14", "site-15-17", "camera-9-11", "microphone-12-14"):
            img = QImage(str(tmp_path / f"companion-reminder-{stem}-{code}.png"))
            assert img.width() >= 400 and img.height() >= 180, (stem, code)
