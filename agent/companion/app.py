"""The companion program: a tray icon (or a small window where there is no tray) with time left, notices as they
come from the service, and the child's three actions (ask for time, see what parents see, report harm).

Two connections to the service: quick calls from the GUI thread (short timeout: the service is local), and a
worker thread holding a long-poll for notices that reconnects with backoff whenever the service restarts.
If the companion is killed nothing changes for enforcement; it only shows.
"""

from __future__ import annotations

import logging
import signal
import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QThread, QTimer, Signal
from PySide6.QtWidgets import QApplication, QSystemTrayIcon, QWidget

from agent.companion.ask_time import AskTimeWindow
from agent.companion.consent_window import ConsentWindow
from agent.companion.cover_window import CoverWindow
from agent.companion.i18n import Language
from agent.companion.ipc_client import IpcClient, ServiceRefused, ServiceUnavailable, backoff_delays
from agent.companion.look import BrandImage, apply_look
from agent.companion.notice_window import NoticeWindow
from agent.companion.pairing_window import PairingWindow
from agent.companion.privacy_window import PrivacyWindow
from agent.companion.reminder_window import ReminderWindow
from agent.companion.report_harmful import ReportHarmfulWindow
from agent.companion.skills_window import SkillsWindow
from agent.companion.status_window import StatusWindow, TrayPresence

log = logging.getLogger(__name__)

STATUS_EVERY_MS = 15_000
MAX_OPEN_NOTICES = 3
LOGO_TRIES = 3  # fetches of one logo (same sha256) before the companion settles for Sprout's own look


class NoticeWatcher(QThread):
    """Long-polls the service for notices; survives service restarts (its notice numbers then start again)."""

    arrived = Signal(list)
    connection = Signal(bool)

    def __init__(self, socket_path: Path | str, poll_s: float = 10.0, backoff_start: float = 0.2) -> None:
        super().__init__()
        self.client = IpcClient(socket_path, timeout=3.0, backoff_start=backoff_start)
        self.poll_s = poll_s
        self.backoff_start = backoff_start
        self.cursor: int | None = None  # None: not yet synced, old notices are history and not shown
        self._stop = threading.Event()

    def stop(self) -> None:
        self._stop.set()
        self.client.interrupt()
        self.wait(int((self.poll_s + 5) * 1000))

    def _resync(self) -> None:
        existing = self.client.notices_since(0)
        top = max((int(n["id"]) for n in existing), default=0)
        if self.cursor is None or top < self.cursor:  # first start, or a restarted service counting from 1
            self.cursor = top

    def run(self) -> None:
        delays = backoff_delays(self.backoff_start, cap=5.0)
        synced = False
        while not self._stop.is_set():
            try:
                if not synced:
                    self._resync()
                    synced = True
                    self.connection.emit(True)
                    delays = backoff_delays(self.backoff_start, cap=5.0)
                assert self.cursor is not None
                found = self.client.wait_notices(self.cursor, timeout=self.poll_s)
                if found:
                    self.cursor = max(int(n["id"]) for n in found)
                    self.arrived.emit(found)
            except ServiceUnavailable:
                if synced:
                    self.connection.emit(False)
                synced = False
                self.client.close()
                self._stop.wait(next(delays))
            except ServiceRefused as exc:
                log.error("companion: the service refused us (%s); retrying later", exc)
                self.connection.emit(False)
                synced = False
                self._stop.wait(5.0)
        self.client.close()


class Companion(QObject):
    status_changed = Signal(dict)

    def __init__(self, socket_path: Path | str, *, lang: str | None = None, tray: bool | None = None,
                 watch: bool = True, poll_s: float = 10.0) -> None:
        super().__init__()
        app = QApplication.instance()
        assert isinstance(app, QApplication), "create the QApplication first"
        apply_look(app)
        self.socket_path = str(socket_path)
        self.client = IpcClient(socket_path, timeout=2.0)
        self.forced_lang = lang
        self.language = Language()
        self.language.switch(lang or "vi")
        self.status: dict[str, Any] = {}
        self.connected = False
        self.age_band = "11-13"
        self.notices: list[NoticeWindow] = []
        self.windows: dict[str, QWidget] = {}
        self.consent_shown: set[int] = set()  # proposals whose consent window this session already opened
        # The device maker's logo, fetched once per session and again only when status' sha256 changes.
        self.logo: BrandImage | None = None
        self._logo_sha: str | None = None
        self._logo_tries = 0
        use_tray = QSystemTrayIcon.isSystemTrayAvailable() if tray is None else tray
        self.tray: TrayPresence | None = None
        self.status_window: StatusWindow | None = None
        if use_tray:
            self.tray = TrayPresence(self.open_ask, self.open_privacy, self.open_report, self.open_skills)
            self.tray.show()
        else:
            self.status_window = StatusWindow()
            self.status_window.ask_time.connect(self.open_ask)
            self.status_window.show_privacy.connect(self.open_privacy)
            self.status_window.report_harmful.connect(self.open_report)
            self.status_window.show_skills.connect(self.open_skills)
            self.status_window.show()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.refresh)
        self.timer.start(STATUS_EVERY_MS)
        self.watcher: NoticeWatcher | None = None
        if watch:
            self.watcher = NoticeWatcher(socket_path, poll_s=poll_s)
            self.watcher.arrived.connect(self.show_notices)
            self.watcher.connection.connect(self._connection)
            self.watcher.start()
        self.refresh()

    # ---- status -----------------------------------------------------------------------------------------
    def refresh(self) -> None:
        try:
            status = self.client.status()
            self.connected = True
        except (ServiceUnavailable, ServiceRefused) as exc:
            log.info("companion: no status (%s)", exc)
            self.connected = False
            status = self.status
        self._apply_status(status or {})

    def _connection(self, up: bool) -> None:
        if up:
            self.refresh()
        else:
            self.connected = False
            self._apply_status(self.status)

    def _apply_status(self, status: dict[str, Any]) -> None:
        self.status = dict(status)
        self.age_band = str(status.get("age_band") or self.age_band)
        if self.forced_lang is None and status.get("lang"):
            self.language.switch(str(status["lang"]))
        self._update_logo(self.status.get("brand_logo"))
        if self.tray is not None:
            self.tray.update_status(self.status, self.connected)
        if self.status_window is not None:
            self.status_window.set_logo(self.logo)
            self.status_window.update_status(self.status, self.connected)
        self._show_pairing(self.status.get("pairing"))
        self._show_consent(self.status.get("consent"))
        self._show_cover(bool(self.status.get("cover")) and self.connected)
        self.status_changed.emit(self.status)

    def _show_cover(self, wanted: bool) -> None:
        """The full-screen cover while the service says the session could not be ended; lifted when it says so."""
        win = self.windows.get("cover")
        if not wanted:
            if isinstance(win, CoverWindow):
                win.lift()
                del self.windows["cover"]
            return
        if isinstance(win, CoverWindow):
            win.update_status(self.status)
            return
        cover = CoverWindow(self.client, self.status)
        cover.ask_time.connect(lambda: self.open_ask(scope="screen"))
        cover.lifted.connect(self.refresh)
        self.windows["cover"] = cover
        cover.showFullScreen()
        cover.raise_()
        cover.activateWindow()

    def _update_logo(self, meta: Any) -> None:
        """Keep self.logo in step with status' "brand_logo": fetch it when its sha256 is new, drop it when gone.
        Any failure leaves None, and every window shows Sprout's own look; the child never sees an error."""
        if not isinstance(meta, dict) or not isinstance(meta.get("sha256"), str):
            self.logo, self._logo_sha, self._logo_tries = None, None, 0
            return
        sha = meta["sha256"]
        if sha != self._logo_sha:
            self.logo, self._logo_sha, self._logo_tries = None, sha, 0
        if self.logo is not None or self._logo_tries >= LOGO_TRIES or not self.connected:
            return
        self._logo_tries += 1
        fetched = self.client.brand_logo(expected=meta)
        self.logo = BrandImage.load(*fetched) if fetched is not None else None

    def _show_pairing(self, pairing: dict[str, Any] | None) -> None:
        """While no parent is paired, the service offers its pairing code: show it (and close it once paired)."""
        win = self.windows.get("pairing")
        if not pairing:
            if win is not None:
                win.close()
                del self.windows["pairing"]
            return
        brand = self.status.get("brand")
        brand = str(brand) if brand else None
        if isinstance(win, PairingWindow):
            win.set_brand(brand, self.logo)
            win.update_pairing(pairing)
        else:
            self._open("pairing", PairingWindow(pairing, brand=brand, logo=self.logo))

    def _show_consent(self, consent: Any) -> None:
        """A new ask from the parents opens the consent window once (the child answers, or talks first); under 7 the
        list is shown once per ask, in pictures."""
        if not isinstance(consent, dict) or not consent.get("proposal"):
            return
        key = consent["proposal"]
        wants = consent.get("asks_child") or (not consent.get("child_needed", True) and consent.get("state") == "both")
        if wants and key not in self.consent_shown:
            self.consent_shown.add(key)
            self.open_consent()

    def open_consent(self) -> ConsentWindow | None:
        try:
            view = self.client.consent()
        except (ServiceUnavailable, ServiceRefused) as exc:
            log.info("companion: no consent view (%s)", exc)
            return None
        return self._open("consent", ConsentWindow(view, answer=self.client.consent_answer))  # type: ignore[return-value]

    def open_skills(self) -> SkillsWindow | None:
        from agent.skills.kit import load_kit

        try:
            progress = self.client.skills()
        except (ServiceUnavailable, ServiceRefused) as exc:
            log.info("companion: no skills progress (%s)", exc)
            progress = {"band": "9-11", "finished": []}  # the lessons still open; progress is not kept

        def finished(lesson_id: str, right: int, total: int) -> None:
            try:
                self.client.lesson_done(lesson_id, right, total)
            except (ServiceUnavailable, ServiceRefused) as exc:
                log.info("companion: lesson not recorded (%s)", exc)

        win = SkillsWindow(load_kit(), str(progress.get("band") or "9-11"), finished=set(progress.get("finished", [])),
                           on_finished=finished,
                           ask_reward=lambda minutes, reason: self.client.submit_request(minutes, reason, "screen"))
        return self._open("skills", win)  # type: ignore[return-value]

    # ---- notices ----------------------------------------------------------------------------------------
    def show_notices(self, notices: list[dict[str, Any]]) -> None:
        for notice in notices:
            if notice.get("kind") != "cover":  # the cover comes and goes with the status refreshed below
                self.show_notice(notice)
        self.refresh()

    def show_notice(self, notice: dict[str, Any]) -> NoticeWindow | None:
        """Open a notice below the ones already open (never on top of them); None when it would only hide one."""
        self.notices = [n for n in self.notices if n.isVisible()]
        if self._covered_by_grant(notice):
            return None
        # a reminder about private information words itself from resources/privacy-reminders
        kind = ReminderWindow if notice.get("kind") == "privacy_reminder" else NoticeWindow
        win = kind(notice, self.age_band)
        win.ask_time.connect(lambda: self.open_ask(scope="games" if win.kind in ("warn_games", "close") else "screen"))
        win.report_harmful.connect(self.open_report)
        while len(self.notices) >= MAX_OPEN_NOTICES:  # keep the screen calm: the oldest note goes
            self.notices.pop(0).close()
        self.notices.append(win)
        win.adjustSize()
        self._stack()
        win.show()
        win.raise_()
        return win

    def _stack(self) -> None:
        """Notices one under the other at the top right, each fully readable."""
        screen = QApplication.primaryScreen()
        if screen is None:
            return
        area = screen.availableGeometry()
        y = area.top() + 16
        for n in self.notices:
            if n.isHidden() and n is not self.notices[-1]:
                continue
            n.move(area.right() - n.width() - 16, y)
            y += max(n.frameGeometry().height(), n.height()) + 8

    def _covered_by_grant(self, notice: dict[str, Any]) -> bool:
        """A "minutes left" warning right after a grant says less than the grant notice that is still open
        (which already tells how much more time there is); showing it would only cover the good news."""
        if notice.get("kind") != "warn":
            return False
        scope = "screen" if notice.get("target") in (None, "screen") else "games"
        return any(n.kind == "grant" and n.notice.get("target") == scope for n in self.notices if n.isVisible())

    # ---- the child's actions ----------------------------------------------------------------------------
    def _open(self, key: str, window: QWidget) -> QWidget:
        old = self.windows.get(key)
        if old is not None:
            old.close()
        self.windows[key] = window
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def open_ask(self, scope: str = "screen") -> AskTimeWindow:
        win = AskTimeWindow(self.client, self.age_band, scope=scope if scope in ("screen", "games") else "screen")
        return self._open("ask", win)  # type: ignore[return-value]

    def open_privacy(self) -> PrivacyWindow | None:
        try:
            report = self.client.privacy_report()
        except (ServiceUnavailable, ServiceRefused) as exc:
            log.info("companion: no privacy report (%s)", exc)
            self.show_notice({"kind": "info", "message": _unavailable_text()})
            return None
        return self._open("privacy", PrivacyWindow(report))  # type: ignore[return-value]

    def open_report(self, what: str = "") -> ReportHarmfulWindow:
        return self._open("report", ReportHarmfulWindow(self.client, what=what if isinstance(what, str) else ""))  # type: ignore[return-value]

    def shutdown(self) -> None:
        self.timer.stop()
        if self.watcher is not None:
            self.watcher.stop()
        for w in [*self.notices, *self.windows.values()]:
            w.close()
        if self.status_window is not None:
            self.status_window.close()
        if self.tray is not None:
            self.tray.hide()
        self.client.close()


def _unavailable_text() -> str:
    from PySide6.QtCore import QCoreApplication

    return QCoreApplication.translate("Companion", "Sprout is not answering right now. Try again in a moment.")


def run_companion(socket_path: Path | str, lang: str | None = None) -> int:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    app.setApplicationName("Sprout")
    app.setQuitOnLastWindowClosed(False)  # closing a notice must never end the companion
    companion = Companion(socket_path, lang=lang)
    app.aboutToQuit.connect(companion.shutdown)
    # Logout sends SIGTERM: quit cleanly. Python only runs signal handlers between bytecodes, so a timer lets it in.
    signal.signal(signal.SIGTERM, lambda *_: app.quit())
    signal.signal(signal.SIGINT, lambda *_: app.quit())
    wake = QTimer()
    wake.timeout.connect(lambda: None)
    wake.start(500)
    return int(app.exec())
