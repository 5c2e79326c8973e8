"""common_qt.i18n: the one Qt translation loader, used by the companion ("companion") and the console ("console")."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from agent.companion.i18n import Language
from app.gui import i18n as console_i18n
from common_qt.i18n import Translations


def test_each_face_switches_its_own_catalogue_and_back(qapp):
    companion = Language()
    try:
        assert companion.switch("vi") == "vi" and companion.loaded
        vi = QCoreApplication.translate("Companion", "Ask for more time")
        assert vi != "Ask for more time"
        assert companion.switch("xx") == "vi"  # an unknown language: the face's default, not a crash
        assert companion.switch("en") == "en"
        assert QCoreApplication.translate("Companion", "Ask for more time") == "Ask for more time"
    finally:
        companion.switch("en")
    assert console_i18n.switch("vi") is True and console_i18n.current() == "vi"
    assert QCoreApplication.translate("MainWindow", "Sprout — parent console") != "Sprout — parent console"
    assert console_i18n.switch("en") is True and console_i18n.current() == "en"


def test_a_missing_catalogue_leaves_the_english_source_and_says_so(qapp, caplog):
    missing = Translations("no-such-face")
    assert missing.switch("vi") == "vi" and not missing.loaded
    assert "cannot load" in caplog.text
