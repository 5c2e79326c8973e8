"""`sprout-console gui`: open the parent console (the first-run wizard when the family is not set up yet)."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLocale, QThreadPool, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWizard

from app.gui import i18n
from app.gui.main_window import MainWindow
from app.gui.notify import Notifier, app_icon
from app.gui.session import Session
from app.gui.wizard import FirstRunWizard

STATUS_WAIT_S = 20.0  # at exit, let a running device call finish (its own timeouts are shorter) before closing


def make_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName("Sprout")
    app.setWindowIcon(app_icon())
    font = QFont(app.font())
    # DejaVu / Noto / Segoe UI all carry Vietnamese stacked diacritics; prefer them over a bare fallback
    font.setFamilies(["Noto Sans", "Segoe UI", "DejaVu Sans", *font.families()])
    app.setFont(font)
    return app


def initial_language(session: Session, lang: str | None) -> str:
    stored = session.store.language
    return lang or stored or ("vi" if QLocale.system().name().startswith("vi") else "en")


def run(state_dir: Path, *, lang: str | None = None, name: str = "", quit_after_ms: int = 0,
        lan_search: bool = True) -> int:
    app = make_app()
    session = Session(state_dir, name=name)
    try:
        i18n.switch(initial_language(session, lang))
        if not session.store.is_set_up():
            wizard = FirstRunWizard(session, lan_search=lan_search)
            if quit_after_ms:
                QTimer.singleShot(quit_after_ms, wizard.reject)
            if wizard.exec() != QWizard.DialogCode.Accepted:
                return 1 if not quit_after_ms else 0
        window = MainWindow(session, notifier=Notifier(), lan_search=lan_search)
        window.show()
        window.overview.refresh()
        if quit_after_ms:
            QTimer.singleShot(quit_after_ms, app.quit)
        return app.exec()
    finally:
        QThreadPool.globalInstance().waitForDone(int(STATUS_WAIT_S * 1000))
        session.close()
