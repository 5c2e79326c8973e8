"""The console's translations (resources/i18n/console_<lang>.qm) through the Qt faces' one loader (common_qt.i18n),
its language for texts from the resources (pick), and Qt's own button texts in its catalogue."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale

from common_qt.i18n import LANGS, Translations

LANGUAGES = LANGS
_translations = Translations("console", default="en")


def switch(lang: str) -> bool:
    """Install the translators for lang (replacing the previous ones); widgets get a LanguageChange event."""
    _translations.switch(lang, force=True)  # the console's windows count on a fresh LanguageChange each time
    qt_button_texts()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
    return _translations.loaded


def qt_button_texts() -> list[str]:
    """Qt's own dialog buttons, in our catalogue because PySide6 ships no qtbase_vi.qm (lupdate finds them here)."""
    return [QCoreApplication.translate("QPlatformTheme", "OK"),
            QCoreApplication.translate("QPlatformTheme", "Cancel"),
            QCoreApplication.translate("QPlatformTheme", "&Yes"),
            QCoreApplication.translate("QPlatformTheme", "&No"),
            QCoreApplication.translate("QPlatformTheme", "Save"),
            QCoreApplication.translate("QPlatformTheme", "Close")]


def current() -> str:
    return _translations.current or "en"


def pick(texts: dict[str, str]) -> str:
    """A {vi, en} text from the resources, in the current language."""
    return texts.get(current()) or texts.get("en") or next(iter(texts.values()), "")
