"""Loading a Qt face's compiled translations (resources/i18n/<catalogue>_<lang>.qm) and switching at run time: the
one translation loader of the companion ("companion") and the console ("console")."""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QTranslator

from agent.resources import resource_path

log = logging.getLogger(__name__)

LANGS = ("vi", "en")


def qm_path(catalogue: str, lang: str) -> str:
    return str(resource_path("i18n", f"{catalogue}_{lang}.qm"))


class Translations:
    """The installed translators of one face: its own catalogue and Qt's qtbase one (OK, Cancel in Qt's dialogs).
    Switching installs the new translators before removing the old, so no text flashes untranslated; installing
    sends LanguageChange, so open windows re-word themselves. An unknown language falls back to `default`."""

    def __init__(self, catalogue: str, *, default: str = "vi") -> None:
        self.catalogue = catalogue
        self.default = default
        self.current: str | None = None
        self.loaded = False  # whether the face's own catalogue loaded for `current`
        self._installed: list[QTranslator] = []

    def switch(self, lang: str | None, *, force: bool = False) -> str:
        """Install `lang` (or the default); returns the language now in force. force=True installs again even if
        `lang` is current (a LanguageChange for windows made since)."""
        lang = lang if lang in LANGS else self.default
        if lang == self.current and not force:
            return lang
        app = QCoreApplication.instance()
        fresh: list[QTranslator] = []
        base = QTranslator(app)
        if base.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
            fresh.append(base)
        own = QTranslator(app)
        self.loaded = own.load(qm_path(self.catalogue, lang))
        if self.loaded:
            fresh.append(own)
        else:
            # English is also the source language, so the face stays readable; say so for support.
            log.error("%s: cannot load %s; showing the English source text", self.catalogue,
                      qm_path(self.catalogue, lang))
        if app is not None:
            for translator in fresh:
                app.installTranslator(translator)
            for translator in self._installed:
                app.removeTranslator(translator)
        self._installed = fresh
        self.current = lang
        return lang
