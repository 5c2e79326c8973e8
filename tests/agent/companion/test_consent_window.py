"""The child's consent window and the consent part of "What my parents can see", offscreen in Vietnamese and
English, for a 6-, 10- and 15-year-old; and the real companion over the real service core opening it by itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage

from agent.companion.consent_window import ConsentWindow, privacy_section, ui_lang
from agent.companion.i18n import Language
from agent.service.local_ipc import LocalIpcServer
from tests.support.consent_core import make

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "tools"))
from screenshots_child_side import consent_view  # noqa: E402

VI_MARKS = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]")


@pytest.fixture
def lang(qapp):
    language = Language()

    def switch(code: str) -> None:
        language.switch(code)
        qapp.processEvents()

    yield switch
    language.switch("en")


@pytest.mark.parametrize("code", ["vi", "en"])
def test_each_age_is_worded_for_itself(qtbot, tmp_path, lang, code):
    lang(code)
    assert ui_lang() == code
    seen = {}
    for age in (6, 10, 15):
        win = ConsentWindow(consent_view(age, tmp_path), answer=None)
        qtbot.addWidget(win)
        texts = [win.title.text(), win.intro.text(), *(t.text() for _, t, _ in win.rows)]
        seen[age] = texts
        assert "111" in win.help.text()
        assert not any("{" in t for t in texts)
        if code == "vi":
            assert VI_MARKS.search(" ".join(texts).lower())
        young = age < 7
        # Under 7 the parent decides: a single "I've seen it". From 7 the child answers: agree, or talk first.
        assert win.seen_button.isHidden() is not young
        assert win.agree_button.isHidden() is young and win.talk_button.isHidden() is young
        assert all(p.pixmap() is not None and not p.pixmap().isNull() for p, _, _ in win.rows)  # the pictures
    assert len({t for texts in seen.values() for t in texts}) > 12  # really different words per age
    # 14+: groups, not names, by default
    assert len(seen[15]) - 2 == 3 and len(seen[10]) - 2 == 5


def test_answering_updates_the_window_and_never_shows_an_error(qtbot, tmp_path, lang):
    lang("en")
    calls = []

    def answer(agree: bool) -> dict:
        calls.append(agree)
        return {"state": "both" if agree else "parent_agreed", "asks_child": not agree,
                "child_answer": "agree" if agree else "talk"}

    win = ConsentWindow(consent_view(10, tmp_path), answer=answer)
    qtbot.addWidget(win)
    qtbot.mouseClick(win.talk_button, Qt.MouseButton.LeftButton)
    assert calls == [False] and "your turn" in win.state.text()
    qtbot.mouseClick(win.agree_button, Qt.MouseButton.LeftButton)
    assert calls == [False, True] and win.state.text() == "You and your parents both agreed."
    assert win.agree_button.isHidden() and not win.seen_button.isHidden()

    def away(agree: bool) -> dict:
        from agent.companion.ipc_client import ServiceUnavailable

        raise ServiceUnavailable("gone")

    win2 = ConsentWindow(consent_view(10, tmp_path), answer=away)
    qtbot.addWidget(win2)
    qtbot.mouseClick(win2.agree_button, Qt.MouseButton.LeftButton)
    assert "not answering" in win2.state.text()


def test_the_privacy_window_shows_the_record(qtbot, tmp_path, lang):
    from agent.companion.privacy_window import PrivacyWindow

    core, _, _ = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.parent_consent(["time_totals"], "console-1")
    core.child_consent(False)
    lang("vi")
    win = PrivacyWindow(core.privacy_report())
    qtbot.addWidget(win)
    html = win.summary.text()
    assert "Sự đồng ý:" in html and "Bố mẹ đồng ý với" in html and "muốn nói chuyện thêm về" in html
    assert privacy_section(None) == ""


def test_the_companion_opens_the_consent_window_itself_and_the_answer_reaches_the_service(qtbot, qapp, tmp_path,
                                                                                          lang):
    from agent.companion.app import Companion

    core, _, _ = make(tmp_path, birth_year=2016)
    core.offer_consent()
    core.parent_consent(["time_totals", "games_by_name"], "console-1")
    sock = tmp_path / "ipc" / "companion.sock"
    server = LocalIpcServer(core, sock, poll_s=0.02).start()
    try:
        lang("en")
        companion = Companion(sock, lang="en", tray=False, watch=False)
        try:
            win = companion.windows.get("consent")
            assert isinstance(win, ConsentWindow) and win.isVisible()
            assert [t.text() for _, t, _ in win.rows] == [
                "How long you used the computer and played games each day", "Which games you played, and for how long"]
            qtbot.mouseClick(win.agree_button, Qt.MouseButton.LeftButton)
            assert core.consent_view()["state"] == "both"
            assert core.consent_view()["in_force"] == ["time_totals", "games_by_name"]
            companion.refresh()  # no second window for the same ask
            assert companion.windows["consent"] is win
            skills = companion.open_skills()
            assert skills is not None and skills.band == "9-11"
            skills.boxes[0].choose(0)
            skills.boxes[1].choose(0)
            assert skills.check() == (2, 2)
            assert core.skills()["finished"] == ["sprout.9-11.internet"]
            # A little extra time for a finished lesson: an ordinary request the parent answers.
            assert skills.reward_button.isVisibleTo(skills)
            qtbot.mouseClick(skills.reward_button, Qt.MouseButton.LeftButton)
            [req] = core.requests.values()
            assert req["minutes"] == 10 and req["reason"] == "I finished the lesson \u201cThe Internet and social networks\u201d"
            assert not skills.reward_button.isVisibleTo(skills) and "Sent to your parents" in skills.result.text()
            assert any(o.kind == "time_request" for o in core.store.outbox_since(0, 100))
        finally:
            companion.shutdown()
    finally:
        server.stop()


def test_the_screenshot_tool_renders_every_consent_screen_and_a_lesson(tmp_path):
    done = subprocess.run([sys.executable, str(ROOT / "tools" / "screenshots_child_side.py"), "--out",
                           str(tmp_path)], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-800:]
    for code in ("vi", "en"):
        for what in ("consent-age6", "consent-age10", "consent-age15", "skills"):
            img = QImage(str(tmp_path / f"companion-{what}-{code}.png"))
            assert img.width() >= 500 and img.height() >= 400, (what, code)
