"""The child's companion, driven with pytest-qt (offscreen) against the real local channel (a Unix socket) served
by agent.service.local_ipc with an in-memory backend."""

from __future__ import annotations

import colorsys
import re
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QImage, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QLineEdit,
    QPlainTextEdit,
    QProgressBar,
    QSpinBox,
    QSystemTrayIcon,
    QWidget,
)

from agent.cli import main as cli_main
from agent.companion.app import Companion
from agent.companion.ask_time import AskTimeWindow
from agent.companion.i18n import Language
from agent.companion.look import PALETTE, STYLE, notice_picture
from agent.companion.notice_window import NoticeWindow
from agent.companion.wording import BAND_GROUPS
from agent.service.companion_backend import NOTICE_KINDS, CompanionBackend
from agent.service.local_ipc import LocalIpcServer


class FakeBackend:
    """In-memory CompanionBackend for tests (the real one is the service core)."""

    def __init__(self) -> None:
        self.lang = "en"
        self.age_band = "7-10"
        self.requests: list[dict[str, Any]] = []
        self.reports: list[dict[str, Any]] = []
        self.notices: list[dict[str, Any]] = []
        self.lock = threading.Lock()

    def status(self) -> dict[str, Any]:
        return {"screen_used_s": 5400, "screen_left_s": 2100, "games_used_s": 3000, "games_left_s": 600,
                "current_game": "minecraft", "age_band": self.age_band, "lang": self.lang, "child_name": "An",
                "next_window": None, "locked_reason": None}

    def post(self, kind: str, **fields: Any) -> None:
        with self.lock:
            self.notices.append({"id": len(self.notices) + 1, "kind": kind, "target": None, "title": None,
                                 "left_s": None, "until": None, "category": None, "message": None, **fields})

    def notices_since(self, cursor: int) -> list[dict[str, Any]]:
        with self.lock:
            return [dict(n) for n in self.notices if n["id"] > cursor]

    def submit_request(self, minutes: int, reason: str, scope: str) -> dict[str, Any]:
        if len(self.requests) >= 5:
            raise ValueError("five requests are already waiting for an answer")
        self.requests.append({"id": f"r{len(self.requests) + 1}", "minutes": minutes, "reason": reason,
                              "scope": scope, "state": "queued"})
        return {"id": self.requests[-1]["id"], "state": "queued"}

    def privacy_report(self) -> dict[str, Any]:
        return {"sent": {"time_totals": True, "apps_used": False, "window_titles": False,
                         "full_web_addresses": False, "web_categories_blocked": True, "new_kind_of_data": True},
                "never_sent": ["screenshots", "keystrokes"],
                "example_today": {"day": "2026-11-29", "screen_s": 5400, "games_s": 3000,
                                  "per_game_s": {"minecraft": 3000}, "requests": 1},
                "retention_days": 30,
                "recipients": "the parents' consoles paired with this PC, encrypted end to end; no company server"}

    def report_harmful(self, what: str, note: str) -> dict[str, Any]:
        self.reports.append({"what": what, "note": note})
        return {"state": "sent_to_parent", "hotline": "111"}


@pytest.fixture
def backend() -> FakeBackend:
    return FakeBackend()


@pytest.fixture
def sock(tmp_path: Path) -> Path:
    return tmp_path / "ipc" / "companion.sock"


@pytest.fixture
def server(backend: FakeBackend, sock: Path):
    srv = LocalIpcServer(backend, sock, poll_s=0.02).start()
    yield srv
    srv.stop()


@pytest.fixture
def make_companion(qapp: QApplication, sock: Path):
    made: list[Companion] = []

    def make(**kwargs: Any) -> Companion:
        kwargs.setdefault("watch", False)
        c = Companion(sock, **kwargs)
        made.append(c)
        return c

    yield make
    for c in made:
        c.shutdown()


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard with a Vietnamese input method: QTest.keyClicks only knows ASCII."""
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def controls(w: QWidget) -> list[QWidget]:
    kinds = (QAbstractButton, QLineEdit, QSpinBox, QPlainTextEdit, QProgressBar)
    # A spin box's inner line edit is part of the spin box, which carries the name.
    return [c for c in w.findChildren(QWidget) if isinstance(c, kinds) and not c.isHidden()
            and not isinstance(c.parent(), QSpinBox)]


def test_fake_backend_fits_protocol(backend: FakeBackend) -> None:
    assert isinstance(backend, CompanionBackend)


def test_ask_for_more_time_form_reaches_the_service_queue(qtbot, server, backend: FakeBackend, make_companion) -> None:
    companion = make_companion()
    win = companion.open_ask()
    qtbot.addWidget(win)
    assert isinstance(win, AskTimeWindow)
    # Minutes typed like a child would: select the number, type a new one.
    win.minutes.setFocus()
    qtbot.keyClick(win.minutes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(win.minutes, "30")
    qtbot.mouseClick(win.scope_games, Qt.MouseButton.LeftButton)
    type_text(win.reason, "đang xây lâu đài với em")
    qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: len(backend.requests) == 1, timeout=3000)
    assert backend.requests[0] == {"id": "r1", "minutes": 30, "reason": "đang xây lâu đài với em", "scope": "games",
                                   "state": "queued"}
    assert win.last_answer == {"id": "r1", "state": "queued"}
    assert win.result.isVisible() and "Sent" in win.result.text()
    assert not win.send_button.isEnabled()  # one tap, one request


def test_ask_form_sends_with_enter_from_the_keyboard(qtbot, server, backend: FakeBackend, make_companion) -> None:
    companion = make_companion()
    win = companion.open_ask(scope="screen")
    qtbot.addWidget(win)
    win.reason.setFocus()
    qtbot.keyClicks(win.reason, "homework")
    qtbot.keyClick(win.reason, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: len(backend.requests) == 1, timeout=3000)
    assert backend.requests[0]["minutes"] == 15 and backend.requests[0]["scope"] == "screen"


def test_refused_request_is_explained_kindly(qtbot, server, backend: FakeBackend, make_companion) -> None:
    backend.requests = [{"id": str(i)} for i in range(5)]
    win = make_companion().open_ask()
    qtbot.addWidget(win)
    qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
    assert "Five requests are already waiting" in win.result.text()
    assert win.send_button.isEnabled()  # can try again later


def test_service_down_the_companion_stays_calm(qtbot, make_companion) -> None:
    companion = make_companion(tray=False)  # no server at the socket path
    assert companion.status_window is not None
    assert not companion.connected
    # No status yet, so no language from the service: Vietnamese, the product's default.
    # True words: nothing is counted while the service is down, and a long gap reaches the parents
    assert "Mầm đang không trả lời" in companion.status_window.note.text()
    assert "được tính" not in companion.status_window.note.text()
    win = companion.open_ask()
    qtbot.addWidget(win)
    qtbot.mouseClick(win.send_button, Qt.MouseButton.LeftButton)
    assert "Mầm chưa trả lời" in win.result.text()


def test_without_a_tray_a_small_on_top_window_shows_time_left(qtbot, server, make_companion) -> None:
    assert QSystemTrayIcon.isSystemTrayAvailable() is False  # offscreen: the no-tray path is the real one
    companion = make_companion()
    assert companion.tray is None and companion.status_window is not None
    win = companion.status_window
    assert win.isVisible()
    assert win.windowFlags() & Qt.WindowType.WindowStaysOnTopHint
    assert win.screen_line.text() == "Screen time left: 35 min"
    assert win.games_line.text() == "Game time left: 10 min"
    assert win.screen_bar.value() == 2100 and win.screen_bar.maximum() == 7500
    assert "111" in win.help.text()


def test_with_a_tray_the_icon_carries_time_left_and_the_actions(qtbot, server, make_companion) -> None:
    companion = make_companion(tray=True)
    assert companion.status_window is None and companion.tray is not None
    tip = companion.tray.icon.toolTip()
    assert "Screen time left: 35 min" in tip and "Game time left: 10 min" in tip
    texts = [a.text() for a in companion.tray.menu.actions()]
    assert "&Ask for more time" in texts and "&What my parents can see" in texts
    assert any("111" in t for t in texts)
    companion.tray.ask_action.trigger()
    assert isinstance(companion.windows["ask"], AskTimeWindow)


def test_language_follows_the_service_status(qtbot, server, backend: FakeBackend, make_companion) -> None:
    backend.lang = "vi"
    companion = make_companion(tray=False)
    win = companion.status_window
    assert win is not None
    assert win.screen_line.text() == "Thời gian dùng máy còn: 35 phút"
    assert win.ask_button.text() == "&Xin thêm thời gian"
    backend.lang = "en"
    companion.refresh()
    assert win.screen_line.text() == "Screen time left: 35 min"
    assert win.ask_button.accessibleName() == "Ask for more time"


def test_forced_language_wins_over_the_status(qtbot, server, backend: FakeBackend, make_companion) -> None:
    backend.lang = "en"
    companion = make_companion(tray=False, lang="vi")
    assert companion.status_window is not None
    assert companion.status_window.privacy_button.text() == "&Bố mẹ có thể thấy gì"


def test_notices_arrive_from_the_service_and_survive_a_restart(qtbot, backend: FakeBackend, sock: Path,
                                                               make_companion) -> None:
    backend.post("info", message="old news")  # before the companion started: history, not shown
    srv = LocalIpcServer(backend, sock, poll_s=0.02).start()
    try:
        companion = make_companion(watch=True, poll_s=0.5, tray=False)
        assert companion.watcher is not None
        qtbot.waitUntil(lambda: companion.watcher.cursor == 1, timeout=3000)
        backend.post("web_block", target="casino.example", category="gambling")
        qtbot.waitUntil(lambda: len(companion.notices) == 1, timeout=3000)
        note = companion.notices[0]
        assert note.title.text() == "This website is blocked"
        assert "casino.example" in note.body.text() and "gambling" in note.body.text()
    finally:
        srv.stop()
    # The service restarts with a fresh notice board (ids from 1): the companion reconnects and keeps showing.
    backend.notices.clear()
    srv = LocalIpcServer(backend, sock, poll_s=0.02).start()
    try:
        qtbot.waitUntil(lambda: companion.watcher.cursor == 0, timeout=8000)
        backend.post("grant", target="screen", left_s=1800, message="Được, con chơi thêm nhé")
        qtbot.waitUntil(lambda: any(n.kind == "grant" for n in companion.notices), timeout=8000)
        grant = next(n for n in companion.notices if n.kind == "grant")
        assert grant.title.text() == "Your parents gave you 30 min more"
        assert grant.body.text() == "Được, con chơi thêm nhé"  # the parent's own words, as written
    finally:
        srv.stop()


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_notice_kind_and_band_is_worded_with_hotline_and_report(qtbot, qapp, lang: str) -> None:
    Language().switch(lang)
    seen_titles: set[str] = set()
    for band in (*BAND_GROUPS, "14-15", "16-17"):
        for kind in NOTICE_KINDS:
            notice = {"kind": kind, "target": "minecraft", "title": "Minecraft", "left_s": 300,
                      "until": "tomorrow", "category": "gambling", "message": None}
            win = NoticeWindow(notice, band)
            qtbot.addWidget(win)
            texts = [win.title.text(), win.body.text(), win.until.text(), win.ask_hint.text()]
            assert win.title.text(), (band, kind)
            assert not any("{" in t or "}" in t for t in texts), texts  # every placeholder filled
            assert "111" in win.help.text()
            assert not win.report_button.isHidden() and win.report_button.accessibleName()
            seen_titles.add(win.title.text())
            if kind in ("warn", "lock", "close"):
                assert not win.ask_button.isHidden()  # how to ask is one tap away
    assert len(seen_titles) >= 30  # the bands really are worded differently
    Language().switch("en")


def test_notice_report_action_opens_a_prefilled_report(qtbot, server, backend: FakeBackend, make_companion) -> None:
    companion = make_companion()
    note = companion.show_notice({"id": 1, "kind": "web_block", "target": "bad.example", "category": "violence"})
    qtbot.mouseClick(note.report_button, Qt.MouseButton.LeftButton)
    rep = companion.windows["report"]
    assert rep.what.text() == "bad.example"
    qtbot.keyClicks(rep.note, "a video with people fighting")
    qtbot.mouseClick(rep.send_button, Qt.MouseButton.LeftButton)
    assert backend.reports == [{"what": "bad.example", "note": "a video with people fighting"}]
    assert "Thank you" in rep.result.text()


def test_what_my_parents_can_see_shows_the_report_exactly(qtbot, server, backend: FakeBackend,
                                                          make_companion) -> None:
    companion = make_companion()
    win = companion.open_privacy()
    assert win is not None
    qtbot.addWidget(win)
    report = backend.privacy_report()
    text = win.example.toPlainText()  # in words, every value sent: not raw JSON
    assert "{" not in text and "screen_s" not in text
    assert "1 h 30 min" in text and "Minecraft 50 min" in text and "1" in text.splitlines()[-1]
    html = win.summary.text()
    assert "new_kind_of_data" in html  # a kind of data the companion does not know is still listed
    assert html.count("<li>") == len(report["sent"])
    assert "30 days" in html and "no company server" in html
    assert win.example.isReadOnly()


def test_every_control_has_an_accessible_name_and_takes_focus(qtbot, server, make_companion) -> None:
    companion = make_companion(tray=False)
    windows: list[QWidget] = [companion.status_window, companion.open_ask(), companion.open_report(),
                              companion.open_privacy(), companion.show_notice({"id": 1, "kind": "lock", "left_s": 60})]
    for w in windows:
        found = controls(w)
        assert found, w
        for c in found:
            assert c.accessibleName().strip(), f"{type(w).__name__}: {type(c).__name__} has no accessible name"
            if not isinstance(c, QProgressBar):
                assert c.focusPolicy() & Qt.FocusPolicy.TabFocus, f"{type(c).__name__} not reachable by Tab"


def test_tab_moves_through_the_ask_form_in_order(qtbot, server, make_companion) -> None:
    win = make_companion().open_ask()
    qtbot.addWidget(win)
    win.activateWindow()
    order = []
    w = win.minutes
    for _ in range(5):
        order.append(w)
        w = w.nextInFocusChain()
        while not (w.focusPolicy() & Qt.FocusPolicy.TabFocus) or w.isHidden() or w is win.minutes.lineEdit():
            w = w.nextInFocusChain()
    assert order == [win.minutes, win.scope_screen, win.scope_games, win.reason, win.send_button]


def _reddish(hex_colour: str) -> bool:
    r, g, b = (int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    h, s, v = colorsys.rgb_to_hsv(r, g, b)
    return s > 0.45 and v > 0.35 and (h * 360 < 40 or h * 360 > 330)  # alarm red/orange; not tan or brown


def test_nothing_is_styled_like_an_error() -> None:
    colours = set(re.findall(r"#[0-9A-Fa-f]{6}\b", STYLE)) | set(PALETTE.values())
    assert colours and not [c for c in colours if _reddish(c)]
    assert _reddish("#D32F2F") and _reddish("#FF9800")  # the check itself can fail


def test_notices_render_without_red_pixels(qtbot, qapp, tmp_path: Path) -> None:
    for kind in NOTICE_KINDS:
        img: QImage = notice_picture(kind, 64).toImage()
        red = sum(1 for x in range(0, 64, 2) for y in range(0, 64, 2)
                  if img.pixelColor(x, y).alpha() > 128 and _reddish(img.pixelColor(x, y).name()))
        assert red == 0, kind
        win = NoticeWindow({"kind": kind, "target": "x", "left_s": 60}, "11-13")
        qtbot.addWidget(win)
        shot = win.grab().toImage()
        step = 3
        red = sum(1 for x in range(0, shot.width(), step) for y in range(0, shot.height(), step)
                  if _reddish(shot.pixelColor(x, y).name()))
        if red:
            shot.save(str(tmp_path / f"red-{kind}.png"))  # to look at: which part of the notice came out red
        assert red == 0, (kind, str(tmp_path / f"red-{kind}.png"))


def test_cli_refuses_a_socket_path_that_is_a_file(tmp_path: Path, capsys) -> None:
    f = tmp_path / "not-a-socket"
    f.write_text("x")
    assert cli_main(["companion", "--socket", str(f)]) == 2
    err = capsys.readouterr().err
    assert "not a socket" in err and "Traceback" not in err and err.count("\n") == 1


def test_screenshot_tool_renders_every_window_in_both_languages(tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[3]
    done = subprocess.run([sys.executable, str(root / "tools" / "screenshots_companion.py"), "--out",
                           str(tmp_path / "shots"), "--icons", str(tmp_path / "icons")],
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert done.returncode == 0, done.stderr[-800:]
    shots = sorted(p.name for p in (tmp_path / "shots").glob("companion-*.png"))
    assert len(shots) == 32  # 15 windows and notices, plus the pairing window, in vi and en
    for lang in ("vi", "en"):
        for what in ("status", "ask", "privacy", "report", "notice-web-block", "notice-grant"):
            img = QImage(str(tmp_path / "shots" / f"companion-{what}-{lang}.png"))
            assert img.width() >= 300 and img.height() >= 150, (what, lang)
    assert (tmp_path / "icons" / "sprout-256.png").stat().st_size > 1000


def test_a_device_makers_brand_names_the_companion(qtbot) -> None:
    from agent.companion.status_window import StatusWindow, tooltip_text

    win = StatusWindow()
    qtbot.addWidget(win)
    win.update_status({"brand": "VinaPC Kids", "screen_left_s": 600, "games_left_s": 300}, True)
    assert win.windowTitle() == "VinaPC Kids"
    assert tooltip_text({"brand": "VinaPC Kids"}, True).startswith("VinaPC Kids")
    win.update_status({"screen_left_s": 600}, True)
    assert win.windowTitle() in ("Sprout", "Mầm")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_status_window_grows_when_screen_time_ends_while_it_is_open(qtbot, lang: str) -> None:
    """Opened during the day, still open at bedtime: the "time is over" line appears and the hotline under it
    stays whole (it was squeezed to half a line in Vietnamese)."""
    from agent.companion.status_window import StatusWindow
    from tests.support.journeys import clipped

    Language().switch(lang)
    win = StatusWindow()
    qtbot.addWidget(win)
    day = {"child_name": "Minh Anh", "age_band": "9-11", "screen_left_s": 3600, "screen_used_s": 600,
           "games_left_s": 5400, "games_used_s": 0}
    win.show()  # opened before the service's first answer, as at login
    qtbot.waitExposed(win)
    win.update_status(day, True)
    win.update_status(dict(day, screen_left_s=0, locked_reason="outside_window", next_window="06:00"), True)
    assert not win.note.isHidden() and "06:00" in win.note.text()
    assert clipped(win) == []
