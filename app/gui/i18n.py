"""Loading the console's compiled translations (resources/i18n/console_<lang>.qm) and switching at run time."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from agent.resources import resource_path

LANGUAGES = ("vi", "en")
_current: dict[str, QTranslator | str] = {}


def switch(lang: str) -> bool:
    """Install the translators for lang (replacing the previous ones); widgets get a LanguageChange event."""
    app = QCoreApplication.instance()
    for key in ("qtbase", "translator"):
        old = _current.pop(key, None)
        if isinstance(old, QTranslator):
            app.removeTranslator(old)
    # Qt's own strings (OK, Cancel, Yes in dialogs) come from the qtbase catalogue shipped with PySide6
    base = QTranslator(app)
    if base.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(base)
        _current["qtbase"] = base
    tr = QTranslator(app)
    ok = tr.load(str(resource_path("i18n", f"console_{lang}.qm")))
    if ok:
        app.installTranslator(tr)
        _current["translator"] = tr
    qt_button_texts()
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if lang == "vi" else QLocale.Language.English))
    _current["lang"] = lang
    return ok


def qt_button_texts() -> list[str]:
    """Qt's own dialog buttons, in our catalogue because PySide6 ships no qtbase_vi.qm (lupdate finds them here)."""
    return [QCoreApplication.translate("QPlatformTheme", "OK"),
            QCoreApplication.translate("QPlatformTheme", "Cancel"),
            QCoreApplication.translate("QPlatformTheme", "&Yes"),
            QCoreApplication.translate("QPlatformTheme", "&No"),
            QCoreApplication.translate("QPlatformTheme", "Save"),
            QCoreApplication.translate("QPlatformTheme", "Close")]


def current() -> str:
    return str(_current.get("lang", "en"))


def pick(texts: dict[str, str]) -> str:
    """A {vi, en} text from the resources, in the current language."""
    return texts.get(current()) or texts.get("en") or next(iter(texts.values()), "")
