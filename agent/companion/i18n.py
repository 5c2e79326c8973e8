"""Load the companion's compiled Qt Linguist translations (resources/i18n/companion_<lang>.qm)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTranslator

from agent.resources import resource_path

log = logging.getLogger(__name__)

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"


def qm_path(lang: str) -> str:
    return str(resource_path("i18n", f"companion_{lang}.qm"))


class Language:
    """Holds the one installed translator; switching installs the new one first so no text flashes untranslated."""

    def __init__(self) -> None:
        self.current: str | None = None
        self._translator: QTranslator | None = None

    def switch(self, lang: str | None) -> str:
        lang = lang if lang in LANGS else DEFAULT_LANG
        if lang == self.current:
            return lang
        app = QCoreApplication.instance()
        translator = QTranslator(app)
        if not translator.load(qm_path(lang)):
            # English is also the source language, so the companion stays readable; say so for support.
            log.error("companion: cannot load %s; showing the English source text", qm_path(lang))
            translator = None
        old = self._translator
        if translator is not None and app is not None:
            app.installTranslator(translator)  # sends LanguageChange: open windows re-word themselves
        if old is not None and app is not None:
            app.removeTranslator(old)
        self._translator = translator
        self.current = lang
        return lang
